// The seam between a physics model and the likelihood: ExpectedRates gives the expected count per bin
// nu_b(theta), its Jacobian d nu_b / d theta_k and (optionally) the curvature sum_b w_b d2 nu_b / d theta^2,
// plus the constraint terms of the parameters. A model is immutable after construction and may be shared
// across threads; every evaluation writes only into a caller-owned RatesWorkspace (makeWorkspace()).
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace higgsuq::stats {

/// One fit parameter: starting value, bounds (may be infinite) and whether it is held fixed.
struct ParameterSpec {
  std::string name;
  double init = 0.0;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool fixed = false;
};

/// Throws higgsuq::InputError unless names are unique and non-empty and lo <= init <= hi (finite init).
void validateParameters(const std::vector<ParameterSpec>& parameters);

/// Index of `name` in `parameters`; throws higgsuq::InputError if absent.
std::size_t parameterIndex(const std::vector<ParameterSpec>& parameters, const std::string& name);

/// A constraint term added to the NLL for one parameter.
///  - eGaussian:  (theta - center)^2 / (2 sigma^2)
///  - eLogNormal: -ln of the log-normal density of theta with median `center` and log-width sigma, without
///    constants: ln(theta) + (ln theta - ln center)^2 / (2 sigma^2); theta must stay > 0 (use a bound).
struct Constraint {
  enum class Kind { eGaussian, eLogNormal };
  Kind kind = Kind::eGaussian;
  std::size_t parameter = 0;
  double center = 0.0;
  double sigma = 1.0;
};

/// Value of all constraint terms, constraint c centred at centers[c] (the auxiliary measurement, by default
/// Constraint::center); adds their gradient / Hessian when the pointers are non-null.
double evaluateConstraints(const std::vector<Constraint>& constraints, const Eigen::VectorXd& centers,
                           const Eigen::VectorXd& theta, Eigen::VectorXd* gradient, Eigen::MatrixXd* hessian);

/// Per-thread scratch for one model: the outputs plus free scratch space for the model's own use.
struct RatesWorkspace {
  Eigen::VectorXd expected;  ///< nu_b, size nBins
  Eigen::MatrixXd jacobian;  ///< d nu_b / d theta_k, nBins x nParameters
  Eigen::VectorXd scratch;   ///< model-private, size ExpectedRates::scratchSize()
};

/// Expected rates nu_b(theta) of a binned model. Implementations override nBins(), evaluate() and,
/// when they can, accumulateCurvature(); the default curvature is the Gauss-Newton approximation
/// (second derivatives of nu taken as zero), which is exact for models linear in every parameter.
class ExpectedRates {
 public:
  virtual ~ExpectedRates() = default;

  virtual std::size_t nBins() const = 0;
  const std::vector<ParameterSpec>& parameters() const { return m_parameters; }
  const std::vector<Constraint>& constraints() const { return m_constraints; }
  std::size_t nParameters() const { return m_parameters.size(); }

  /// Fills ws.expected (and ws.jacobian when withJacobian). No allocation when ws came from makeWorkspace().
  virtual void evaluate(const Eigen::VectorXd& theta, RatesWorkspace& ws, bool withJacobian) const = 0;

  /// hessian += sum_b binWeights_b * d2 nu_b / d theta d theta^T, at the theta of the last evaluate() on ws.
  virtual void accumulateCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& binWeights,
                                   Eigen::MatrixXd& hessian, RatesWorkspace& ws) const {}

  /// True when accumulateCurvature is exact; false for a Gauss-Newton model.
  virtual bool hasExactCurvature() const { return false; }

  RatesWorkspace makeWorkspace() const;

 protected:
  /// Validates the parameters and that every constraint names an existing parameter with sigma > 0.
  ExpectedRates(std::vector<ParameterSpec> parameters, std::vector<Constraint> constraints);
  virtual std::size_t scratchSize() const { return 0; }

 private:
  std::vector<ParameterSpec> m_parameters;
  std::vector<Constraint> m_constraints;
};

/// The Asimov dataset: n_b = nu_b(theta).
Eigen::VectorXd asimovData(const ExpectedRates& rates, const Eigen::VectorXd& theta);

/// The model's own constraint centres (nominal auxiliary data), one per constraint.
Eigen::VectorXd nominalAuxiliary(const ExpectedRates& rates);

/// Asimov auxiliary data: centres at which each constraint term is minimal at theta (Gaussian: theta_k;
/// log-normal: theta_k * exp(sigma^2), since ln x + (ln x - ln c)^2 / (2 sigma^2) is minimal at ln c - sigma^2).
/// With asimovData and these centres a fit returns theta exactly.
Eigen::VectorXd asimovAuxiliary(const ExpectedRates& rates, const Eigen::VectorXd& theta);

/// The initial values of all parameters as a vector.
Eigen::VectorXd initialValues(const std::vector<ParameterSpec>& parameters);

}  // namespace higgsuq::stats
