// Intervals for one parameter of interest after a fit:
//  - HESSE: best fit -/+ the parabolic error;
//  - profile likelihood (as MINOS): the two points where the profiled objective
//      P(mu) = min over the other free parameters of f(mu, ...)
//    crosses f_min + errorDef (0.5 for an NLL: the 68.3% interval). Each side is bracketed by stepping out
//    from the best fit in units of the HESSE error (doubling), then solved with Boost.Math toms748_solve.
//    Each profile fit is warm-started from the previous one. A side whose crossing lies beyond the
//    parameter's bound reports found = false, atBound = true and the bound as its endpoint.
#pragma once

#include <vector>

#include "higgsuq/stats/Minimiser.hpp"

namespace higgsuq::stats {

struct IntervalOptions {
  FitOptions fit;                       ///< options of every profile fit
  double absoluteTolerance = 1e-10;     ///< on the crossing position (plus relative 1e-12)
  std::size_t maxBracketSteps = 60;     ///< doublings while bracketing
  std::size_t maxRootIterations = 100;  ///< toms748 iterations per side
};

struct CrossingResult {
  double value = 0.0;     ///< the endpoint (or the bound / last point tried if not found)
  bool found = false;
  bool atBound = false;   ///< the objective stays below the threshold up to the bound
};

struct ProfileIntervalResult {
  CrossingResult lower, upper;
  std::size_t profileFits = 0;
  bool allFitsConverged = true;

  bool valid() const { return lower.found && upper.found && allFitsConverged; }
};

struct HesseInterval {
  double lower = 0.0;
  double upper = 0.0;
};

HesseInterval hesseInterval(const FitResult& best, std::size_t parameter);

/// `best` must be the minimum of `objective` over `parameters`; `parameter` must be free in it.
ProfileIntervalResult profileInterval(Objective& objective, const std::vector<ParameterSpec>& parameters,
                                      std::size_t parameter, const FitResult& best,
                                      const IntervalOptions& options = {});

}  // namespace higgsuq::stats
