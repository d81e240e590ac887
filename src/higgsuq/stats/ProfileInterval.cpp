#include "higgsuq/stats/ProfileInterval.hpp"

#include <boost/math/tools/toms748_solve.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {
namespace {

/// P(mu) - (f_min + errorDef), with warm starts and bookkeeping of the profile fits.
class ProfileFunction {
 public:
  ProfileFunction(Objective& objective, const std::vector<ParameterSpec>& parameters, std::size_t parameter,
                  const FitResult& best, const IntervalOptions& options)
      : m_objective(objective), m_parameters(parameters), m_parameter(parameter),
        m_threshold(best.nll + objective.errorDef()), m_warmStart(best.values), m_options(options) {
    m_parameters[parameter].fixed = true;
  }

  double operator()(double value) {
    for (std::size_t parIdx = 0; parIdx < m_parameters.size(); ++parIdx) {
      m_parameters[parIdx].init = m_warmStart[static_cast<Eigen::Index>(parIdx)];
    }
    auto& poi = m_parameters[m_parameter];
    poi.init = value;
    poi.lo = std::min(poi.lo, value);  // the profiled value itself may sit on a bound
    poi.hi = std::max(poi.hi, value);
    const FitResult fit = minimise(m_objective, m_parameters, m_options.fit);
    ++m_fits;
    m_allConverged = m_allConverged && fit.converged;
    if (fit.converged) m_warmStart = fit.values;
    return fit.nll - m_threshold;
  }

  std::size_t fits() const { return m_fits; }
  bool allConverged() const { return m_allConverged; }

 private:
  Objective& m_objective;
  std::vector<ParameterSpec> m_parameters;
  std::size_t m_parameter;
  double m_threshold;
  Eigen::VectorXd m_warmStart;
  const IntervalOptions& m_options;
  std::size_t m_fits = 0;
  bool m_allConverged = true;
};

CrossingResult findCrossing(ProfileFunction& profile, double best, double step, double bound, double direction,
                            double errorDef, const IntervalOptions& options) {
  CrossingResult out;
  double inside = best, insideValue = -errorDef;  // the profile at the minimum is f_min
  double outside = best;
  double outsideValue = -1.0;
  for (std::size_t bracketStep = 0; bracketStep < options.maxBracketSteps; ++bracketStep, step *= 2.0) {
    outside = best + direction * step;
    if (direction * (outside - bound) >= 0.0) outside = bound;
    outsideValue = profile(outside);
    if (!std::isfinite(outsideValue)) break;
    if (outsideValue >= 0.0) break;
    inside = outside;
    insideValue = outsideValue;
    if (outside == bound) {
      out.value = bound;
      out.atBound = true;
      return out;
    }
  }
  out.value = outside;
  if (!(outsideValue >= 0.0)) return out;
  const double tolerance = options.absoluteTolerance;
  const auto close = [tolerance](double a, double b) { return std::abs(a - b) <= tolerance + 1e-12 * std::abs(a); };
  std::uintmax_t iterations = options.maxRootIterations;
  double a = inside, fa = insideValue, b = outside, fb = outsideValue;
  if (a > b) {
    std::swap(a, b);
    std::swap(fa, fb);
  }
  try {
    const auto root = boost::math::tools::toms748_solve(std::ref(profile), a, b, fa, fb, close, iterations);
    out.value = 0.5 * (root.first + root.second);
    out.found = iterations < options.maxRootIterations;
  } catch (const std::exception&) {  // Boost reports a lost bracket by throwing; that is a status here
    out.found = false;
  }
  return out;
}

}  // namespace

HesseInterval hesseInterval(const FitResult& best, std::size_t parameter) {
  const auto k = static_cast<Eigen::Index>(parameter);
  return {best.values[k] - best.errors[k], best.values[k] + best.errors[k]};
}

ProfileIntervalResult profileInterval(Objective& objective, const std::vector<ParameterSpec>& parameters,
                                      std::size_t parameter, const FitResult& best, const IntervalOptions& options) {
  HIGGSUQ_ASSERT(parameter < parameters.size() && !parameters[parameter].fixed, "profileInterval: POI must be free");
  const auto k = static_cast<Eigen::Index>(parameter);
  const double hesse = best.errors[k];
  const double step = std::isfinite(hesse) && hesse > 0.0 ? hesse : 0.1 * (1.0 + std::abs(best.values[k]));
  ProfileFunction profile(objective, parameters, parameter, best, options);
  ProfileIntervalResult result;
  result.lower = findCrossing(profile, best.values[k], step, parameters[parameter].lo, -1.0,
                               objective.errorDef(), options);
  result.upper = findCrossing(profile, best.values[k], step, parameters[parameter].hi, +1.0,
                               objective.errorDef(), options);
  result.profileFits = profile.fits();
  result.allFitsConverged = profile.allConverged();
  return result;
}

}  // namespace higgsuq::stats
