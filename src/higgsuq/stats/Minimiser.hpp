// A bounded Newton minimiser with analytic gradient and Hessian, and the objective seam it uses.
//
// Why it is written here: Debian 12 packages no Minuit2 (nor ROOT; see /work/shared/spec/dependencies.md), and
// a binned NLL with analytic first and second derivatives does not need MIGRAD's variable-metric updates.
//
// Algorithm (projected, damped Newton with backtracking line search):
//  1. Start from the clamped initial values. Free parameters sitting on a bound with the gradient pushing
//     outwards are held for the step (active set).
//  2. Solve H p = -g on the other free parameters (Cholesky; if H is not positive definite, add lambda*diag(H)
//     with growing lambda, i.e. Levenberg damping).
//  3. EDM = g^T H^-1 g / 2 (MINUIT's estimated distance to minimum). Stop when EDM < edmTolerance with an
//     undamped Hessian.
//  4. Otherwise backtrack t = 1, 1/2, ... on the projected point x + t p until the Armijo condition holds.
// Errors (HESSE): covariance = 2 * errorDef * H^-1 on the free parameters; errorDef = 0.5 for an NLL.
// A fit never throws for numerical reasons: it returns FitResult flags.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <vector>

#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/ExpectedRates.hpp"

namespace higgsuq::stats {

/// A twice-differentiable function to minimise. Not const: implementations own their scratch space, so use
/// one Objective per thread.
class Objective {
 public:
  virtual ~Objective() = default;
  virtual std::size_t nParameters() const = 0;
  /// Value; fills gradient / Hessian (full nParameters size) when non-null.
  virtual double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* gradient, Eigen::MatrixXd* hessian) = 0;
  /// The rise of the objective that defines one standard deviation: 0.5 for an NLL, 1 for a chi^2.
  virtual double errorDef() const = 0;
};

/// A BinnedNll with its own workspace: the objective of a likelihood fit (errorDef 0.5).
class NllObjective final : public Objective {
 public:
  explicit NllObjective(const BinnedNll& nll) : m_nll(&nll), m_workspace(nll.makeWorkspace()) {}
  std::size_t nParameters() const override { return m_nll->nParameters(); }
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* gradient, Eigen::MatrixXd* hessian) override {
    return m_nll->evaluate(x, m_workspace, gradient, hessian);
  }
  double errorDef() const override { return BinnedNll::kErrorDef; }

 private:
  const BinnedNll* m_nll;
  NllWorkspace m_workspace;
};

struct FitOptions {
  double edmTolerance = 1e-10;       ///< stop when EDM falls below (MIGRAD default tol 0.1 means 1e-4)
  std::size_t maxIterations = 200;   ///< Newton steps
  std::size_t maxEvaluations = 2000; ///< objective calls, line searches included
};

struct FitResult {
  Eigen::VectorXd values;      ///< all parameters, fixed ones included
  Eigen::VectorXd errors;      ///< HESSE errors, 0 for fixed parameters, NaN if H is not positive definite
  Eigen::MatrixXd covariance;  ///< rows/columns of fixed parameters are 0
  double nll = 0.0;            ///< objective at `values`
  double edm = 0.0;
  std::size_t iterations = 0;
  std::size_t evaluations = 0;
  bool converged = false;         ///< EDM below tolerance
  bool covariancePosDef = false;  ///< Hessian on the free parameters is positive definite
  bool atBound = false;           ///< a free parameter ends on one of its bounds
  bool callLimitReached = false;  ///< stopped by maxIterations or maxEvaluations

  bool valid() const { return converged && covariancePosDef && !callLimitReached; }
};

/// Minimises `objective` over `parameters` (same order and size as the objective's parameters).
FitResult minimise(Objective& objective, const std::vector<ParameterSpec>& parameters,
                   const FitOptions& options = {});

/// Convenience: the model's own parameter specs and a fresh workspace.
FitResult fitNll(const BinnedNll& nll, const FitOptions& options = {});

}  // namespace higgsuq::stats
