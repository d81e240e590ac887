#include "higgsuq/stats/ExpectedRates.hpp"

#include <cmath>
#include <set>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {

void validateParameters(const std::vector<ParameterSpec>& parameters) {
  std::set<std::string> seen;
  for (const auto& p : parameters) {
    if (p.name.empty()) throw InputError("parameter with an empty name");
    if (!seen.insert(p.name).second) throw InputError("parameter '" + p.name + "' defined twice");
    if (!std::isfinite(p.init) || std::isnan(p.lo) || std::isnan(p.hi) || !(p.lo <= p.init && p.init <= p.hi)) {
      throw InputError("parameter '" + p.name + "': need lo <= init <= hi with a finite init, got init " +
                       std::to_string(p.init) + " in [" + std::to_string(p.lo) + ", " + std::to_string(p.hi) +
                       "]");
    }
  }
}

std::size_t parameterIndex(const std::vector<ParameterSpec>& parameters, const std::string& name) {
  for (std::size_t parIdx = 0; parIdx < parameters.size(); ++parIdx) {
    if (parameters[parIdx].name == name) return parIdx;
  }
  throw InputError("unknown parameter '" + name + "'");
}

double evaluateConstraints(const std::vector<Constraint>& constraints, const Eigen::VectorXd& centers,
                           const Eigen::VectorXd& theta, Eigen::VectorXd* gradient, Eigen::MatrixXd* hessian) {
  HIGGSUQ_ASSERT(centers.size() == static_cast<Eigen::Index>(constraints.size()), "constraint centres size");
  double value = 0.0;
  for (std::size_t cIdx = 0; cIdx < constraints.size(); ++cIdx) {
    const auto& c = constraints[cIdx];
    const double center = centers[static_cast<Eigen::Index>(cIdx)];
    const double x = theta[static_cast<Eigen::Index>(c.parameter)];
    const auto k = static_cast<Eigen::Index>(c.parameter);
    const double invVar = 1.0 / (c.sigma * c.sigma);
    if (c.kind == Constraint::Kind::eGaussian) {
      const double d = x - center;
      value += 0.5 * d * d * invVar;
      if (gradient) (*gradient)[k] += d * invVar;
      if (hessian) (*hessian)(k, k) += invVar;
      continue;
    }
    // Log-normal: f = u + (u - u0)^2 / (2 s^2) with u = ln x; f' = (1 + (u-u0)/s^2) / x,
    // f'' = (1/s^2 - 1 - (u-u0)/s^2) / x^2. Outside x > 0 the term is +inf.
    if (!(x > 0.0)) {
      value += std::numeric_limits<double>::infinity();
      continue;
    }
    const double du = std::log(x) - std::log(center);
    value += std::log(x) + 0.5 * du * du * invVar;
    const double slope = 1.0 + du * invVar;
    if (gradient) (*gradient)[k] += slope / x;
    if (hessian) (*hessian)(k, k) += (invVar - slope) / (x * x);
  }
  return value;
}

ExpectedRates::ExpectedRates(std::vector<ParameterSpec> parameters, std::vector<Constraint> constraints)
    : m_parameters(std::move(parameters)), m_constraints(std::move(constraints)) {
  validateParameters(m_parameters);
  for (const auto& c : m_constraints) {
    if (c.parameter >= m_parameters.size()) throw InputError("constraint on a parameter index out of range");
    if (!(c.sigma > 0.0) || !std::isfinite(c.sigma)) {
      throw InputError("constraint on '" + m_parameters[c.parameter].name + "' needs sigma > 0");
    }
    if (c.kind == Constraint::Kind::eLogNormal && !(c.center > 0.0)) {
      throw InputError("log-normal constraint on '" + m_parameters[c.parameter].name + "' needs center > 0");
    }
  }
}

RatesWorkspace ExpectedRates::makeWorkspace() const {
  RatesWorkspace ws;
  const auto nBin = static_cast<Eigen::Index>(nBins());
  ws.expected = Eigen::VectorXd::Zero(nBin);
  ws.jacobian = Eigen::MatrixXd::Zero(nBin, static_cast<Eigen::Index>(nParameters()));
  ws.scratch = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(scratchSize()));
  return ws;
}

Eigen::VectorXd nominalAuxiliary(const ExpectedRates& rates) {
  const auto& constraints = rates.constraints();
  Eigen::VectorXd centers(static_cast<Eigen::Index>(constraints.size()));
  for (std::size_t cIdx = 0; cIdx < constraints.size(); ++cIdx) {
    centers[static_cast<Eigen::Index>(cIdx)] = constraints[cIdx].center;
  }
  return centers;
}

Eigen::VectorXd asimovAuxiliary(const ExpectedRates& rates, const Eigen::VectorXd& theta) {
  const auto& constraints = rates.constraints();
  Eigen::VectorXd centers(static_cast<Eigen::Index>(constraints.size()));
  for (std::size_t cIdx = 0; cIdx < constraints.size(); ++cIdx) {
    const auto& c = constraints[cIdx];
    const double x = theta[static_cast<Eigen::Index>(c.parameter)];
    centers[static_cast<Eigen::Index>(cIdx)] =
        c.kind == Constraint::Kind::eGaussian ? x : x * std::exp(c.sigma * c.sigma);
  }
  return centers;
}

Eigen::VectorXd initialValues(const std::vector<ParameterSpec>& parameters) {
  Eigen::VectorXd theta(static_cast<Eigen::Index>(parameters.size()));
  for (std::size_t parIdx = 0; parIdx < parameters.size(); ++parIdx) {
    theta[static_cast<Eigen::Index>(parIdx)] = parameters[parIdx].init;
  }
  return theta;
}

Eigen::VectorXd asimovData(const ExpectedRates& rates, const Eigen::VectorXd& theta) {
  HIGGSUQ_ASSERT(theta.size() == static_cast<Eigen::Index>(rates.nParameters()), "asimovData: theta size");
  auto ws = rates.makeWorkspace();
  rates.evaluate(theta, ws, false);
  return ws.expected;
}

}  // namespace higgsuq::stats
