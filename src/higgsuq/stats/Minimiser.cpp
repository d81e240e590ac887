#include "higgsuq/stats/Minimiser.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kArmijo = 1e-4;
constexpr std::size_t kMaxHalvings = 60;
constexpr int kMaxDampingSteps = 40;

/// A Newton step on a subset of parameters: p solves (H + lambda diag H) p = -g.
struct NewtonStep {
  Eigen::VectorXd step;  ///< full size, zero outside the subset
  double edm = 0.0;
  bool damped = false;
  bool ok = false;
};

class NewtonMinimiser {
 public:
  NewtonMinimiser(Objective& objective, const std::vector<ParameterSpec>& parameters, const FitOptions& options)
      : m_objective(objective), m_parameters(parameters), m_options(options) {
    const auto n = static_cast<Eigen::Index>(parameters.size());
    m_x = initialValues(parameters);
    m_gradient = Eigen::VectorXd::Zero(n);
    m_hessian = Eigen::MatrixXd::Zero(n, n);
    for (Eigen::Index k = 0; k < n; ++k) m_x[k] = std::clamp(m_x[k], lo(k), hi(k));
  }

  FitResult run() {
    FitResult result;
    m_f = evaluate(m_x, true);
    for (; result.iterations < m_options.maxIterations; ++result.iterations) {
      if (m_evaluations >= m_options.maxEvaluations || !std::isfinite(m_f)) break;
      const NewtonStep newton = solveStep(activeFreeSet());
      result.edm = newton.edm;
      if (newton.ok && !newton.damped && newton.edm < m_options.edmTolerance) {
        result.converged = true;
        polish(newton);
        break;
      }
      if (!lineSearch(newton)) {
        // No decrease possible: a minimum to within rounding if the EDM is already small.
        result.converged = newton.ok && !newton.damped && newton.edm < 100.0 * m_options.edmTolerance;
        break;
      }
    }
    result.callLimitReached = !result.converged && (result.iterations >= m_options.maxIterations ||
                                                    m_evaluations >= m_options.maxEvaluations);
    finish(result);
    return result;
  }

 private:
  double lo(Eigen::Index k) const { return m_parameters[static_cast<std::size_t>(k)].lo; }
  double hi(Eigen::Index k) const { return m_parameters[static_cast<std::size_t>(k)].hi; }
  bool isFree(Eigen::Index k) const { return !m_parameters[static_cast<std::size_t>(k)].fixed; }

  double evaluate(const Eigen::VectorXd& x, bool withDerivatives) {
    ++m_evaluations;
    if (!withDerivatives) return m_objective.evaluate(x, nullptr, nullptr);
    m_gradient.setZero();
    m_hessian.setZero();
    return m_objective.evaluate(x, &m_gradient, &m_hessian);
  }

  /// Free parameters that may move in this step (not pinned to a bound by the gradient).
  std::vector<Eigen::Index> activeFreeSet() const {
    std::vector<Eigen::Index> set;
    for (Eigen::Index k = 0; k < m_x.size(); ++k) {
      if (!isFree(k)) continue;
      const bool pinnedLow = m_x[k] <= lo(k) && m_gradient[k] > 0.0;
      const bool pinnedHigh = m_x[k] >= hi(k) && m_gradient[k] < 0.0;
      if (!pinnedLow && !pinnedHigh) set.push_back(k);
    }
    return set;
  }

  NewtonStep solveStep(const std::vector<Eigen::Index>& subset) const {
    NewtonStep out;
    out.step = Eigen::VectorXd::Zero(m_x.size());
    if (subset.empty()) {
      out.ok = true;
      return out;
    }
    const auto m = static_cast<Eigen::Index>(subset.size());
    Eigen::MatrixXd h(m, m);
    Eigen::VectorXd g(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      g[a] = m_gradient[subset[static_cast<std::size_t>(a)]];
      for (Eigen::Index b = 0; b < m; ++b) h(a, b) = m_hessian(subset[static_cast<std::size_t>(a)], subset[static_cast<std::size_t>(b)]);
    }
    if (!h.allFinite() || !g.allFinite()) return out;
    const Eigen::VectorXd diagonal = h.diagonal().cwiseAbs().cwiseMax(1e-12);
    double lambda = 0.0;
    for (int attempt = 0; attempt < kMaxDampingSteps; ++attempt) {
      Eigen::MatrixXd damped = h;
      damped.diagonal() += lambda * diagonal;
      Eigen::LLT<Eigen::MatrixXd> llt(damped);
      if (llt.info() == Eigen::Success) {
        const Eigen::VectorXd p = -llt.solve(g);
        for (Eigen::Index a = 0; a < m; ++a) out.step[subset[static_cast<std::size_t>(a)]] = p[a];
        out.edm = -0.5 * g.dot(p);
        out.damped = lambda > 0.0;
        out.ok = std::isfinite(out.edm);
        return out;
      }
      lambda = lambda == 0.0 ? 1e-6 : 10.0 * lambda;
    }
    return out;
  }

  Eigen::VectorXd project(const Eigen::VectorXd& x) const {
    Eigen::VectorXd out = x;
    for (Eigen::Index k = 0; k < x.size(); ++k) out[k] = std::clamp(out[k], lo(k), hi(k));
    return out;
  }

  /// After convergence: take the last (quadratically convergent) Newton step too when it does not raise f
  /// beyond rounding. Costs one or two evaluations and removes the residual O(sqrt(EDM)) offset.
  void polish(const NewtonStep& newton) {
    if (m_evaluations + 2 > m_options.maxEvaluations) return;
    const Eigen::VectorXd trial = project(m_x + newton.step);
    const double f = evaluate(trial, false);
    if (!std::isfinite(f) || f > m_f + 8.0 * std::numeric_limits<double>::epsilon() * std::abs(m_f)) return;
    m_x = trial;
    m_f = evaluate(m_x, true);
  }

  /// Backtracking on the projected path; on success moves m_x and refreshes the derivatives.
  bool lineSearch(const NewtonStep& newton) {
    if (!newton.ok) return false;
    const double slack = 8.0 * std::numeric_limits<double>::epsilon() * std::abs(m_f);
    double t = 1.0;
    for (std::size_t halving = 0; halving < kMaxHalvings; ++halving, t *= 0.5) {
      if (m_evaluations >= m_options.maxEvaluations) return false;
      const Eigen::VectorXd trial = project(m_x + t * newton.step);
      const double expected = m_gradient.dot(trial - m_x);
      if ((trial - m_x).cwiseAbs().maxCoeff() == 0.0) return false;
      const double f = evaluate(trial, false);
      if (std::isfinite(f) && f <= m_f + kArmijo * expected + slack && f - m_f <= slack) {
        m_x = trial;
        m_f = evaluate(m_x, true);
        return true;
      }
    }
    return false;
  }

  void finish(FitResult& result) {
    const auto n = m_x.size();
    result.values = m_x;
    result.nll = m_f;
    result.evaluations = m_evaluations;
    result.errors = Eigen::VectorXd::Zero(n);
    result.covariance = Eigen::MatrixXd::Zero(n, n);
    std::vector<Eigen::Index> freeSet;
    for (Eigen::Index k = 0; k < n; ++k) {
      if (!isFree(k)) continue;
      freeSet.push_back(k);
      if (m_x[k] <= lo(k) || m_x[k] >= hi(k)) result.atBound = true;
    }
    fillCovariance(freeSet, result);
  }

  void fillCovariance(const std::vector<Eigen::Index>& freeSet, FitResult& result) const {
    const auto m = static_cast<Eigen::Index>(freeSet.size());
    Eigen::MatrixXd h(m, m);
    for (Eigen::Index a = 0; a < m; ++a) {
      for (Eigen::Index b = 0; b < m; ++b) h(a, b) = m_hessian(freeSet[static_cast<std::size_t>(a)], freeSet[static_cast<std::size_t>(b)]);
    }
    Eigen::LLT<Eigen::MatrixXd> llt(h);
    result.covariancePosDef = h.allFinite() && llt.info() == Eigen::Success;
    const Eigen::MatrixXd cov = result.covariancePosDef
                                    ? Eigen::MatrixXd(2.0 * m_objective.errorDef() * llt.solve(Eigen::MatrixXd::Identity(m, m)))
                                    : Eigen::MatrixXd::Constant(m, m, kNaN);
    for (Eigen::Index a = 0; a < m; ++a) {
      const auto ka = freeSet[static_cast<std::size_t>(a)];
      result.errors[ka] = std::sqrt(cov(a, a));
      for (Eigen::Index b = 0; b < m; ++b) result.covariance(ka, freeSet[static_cast<std::size_t>(b)]) = cov(a, b);
    }
  }

  Objective& m_objective;
  const std::vector<ParameterSpec>& m_parameters;
  FitOptions m_options;
  Eigen::VectorXd m_x, m_gradient;
  Eigen::MatrixXd m_hessian;
  double m_f = 0.0;
  std::size_t m_evaluations = 0;
};

}  // namespace

FitResult minimise(Objective& objective, const std::vector<ParameterSpec>& parameters, const FitOptions& options) {
  HIGGSUQ_ASSERT(parameters.size() == objective.nParameters(), "minimise: parameter count mismatch");
  validateParameters(parameters);
  return NewtonMinimiser(objective, parameters, options).run();
}

FitResult fitNll(const BinnedNll& nll, const FitOptions& options) {
  NllObjective objective(nll);
  return minimise(objective, nll.rates().parameters(), options);
}

}  // namespace higgsuq::stats
