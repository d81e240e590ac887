// The binned Poisson negative log-likelihood of observed counts n_b (non-integer weights allowed):
//   NLL(theta) = sum_b (nu_b - n_b ln nu_b) + constraints(theta)
// without the ln n_b! term. nu_b is clipped at a tiny positive floor (derivatives are zero there).
// Gradient: sum_b (1 - n_b/nu_b) J_b; Hessian: J^T diag(n_b/nu_b^2) J + sum_b (1 - n_b/nu_b) d2 nu_b.
#pragma once

#include <Eigen/Dense>

#include <memory>

#include "higgsuq/stats/ExpectedRates.hpp"

namespace higgsuq::stats {

/// Per-thread scratch of a BinnedNll evaluation.
struct NllWorkspace {
  RatesWorkspace rates;
  Eigen::VectorXd binWeights;  ///< 1 - n_b/nu_b (curvature weights)
  Eigen::VectorXd poissonCurvature;  ///< n_b / nu_b^2
  Eigen::MatrixXd scaledJacobian;    ///< poissonCurvature_b * d nu_b / d theta_k
};

class BinnedNll {
 public:
  static constexpr double kRateFloor = 1e-10;
  /// NLL errordef: a one-sigma interval is where NLL rises by 0.5.
  static constexpr double kErrorDef = 0.5;

  /// `rates` must outlive this object. Throws InputError if sizes differ or a count is negative / NaN.
  /// Constraints are centred at the model's nominal auxiliary data.
  BinnedNll(const ExpectedRates& rates, Eigen::VectorXd observed);
  /// As above with explicit auxiliary data: one constraint centre per rates.constraints() entry (toys
  /// fluctuate them; see asimovAuxiliary for the Asimov choice).
  BinnedNll(const ExpectedRates& rates, Eigen::VectorXd observed, Eigen::VectorXd auxiliary);

  const ExpectedRates& rates() const { return *m_rates; }
  const Eigen::VectorXd& observed() const { return m_observed; }
  const Eigen::VectorXd& auxiliary() const { return m_auxiliary; }
  std::size_t nParameters() const { return m_rates->nParameters(); }

  NllWorkspace makeWorkspace() const;

  /// NLL value; fills gradient (size nParameters) and Hessian (square) when non-null.
  double evaluate(const Eigen::VectorXd& theta, NllWorkspace& ws, Eigen::VectorXd* gradient = nullptr,
                  Eigen::MatrixXd* hessian = nullptr) const;

 private:
  const ExpectedRates* m_rates;
  Eigen::VectorXd m_observed;
  Eigen::VectorXd m_auxiliary;
};

}  // namespace higgsuq::stats
