// Generator-level models of the challenge's processes (facts §6): resonance line shapes
// (Breit-Wigner), boson rapidity from an analytic parton luminosity, boson pT from a Sudakov form plus
// Poisson ISR jets that carry the recoil, VBF tag jets, tt with W decays, single top, dibosons and W+jets.
// Each call fills one TruthEvent from a CounterRng; no allocation.
#pragma once

#include <cmath>

#include "higgsuq/events/Feature.hpp"
#include "higgsuq/sim/SimConfig.hpp"
#include "higgsuq/sim/TruthEvent.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::sim {

inline constexpr double kCentreOfMassEnergy = 13000.0;

/// Clears `event` and fills it with one generated event of `process` (not Background).
void generateTruthEvent(Process process, const GeneratorConfig& config, CounterRng& rng, TruthEvent& event);

/// Non-relativistic Breit-Wigner (Cauchy) truncated to [lo, hi], by inverse CDF.
double sampleBreitWigner(CounterRng& rng, double mass, double width, double lo, double hi);

/// Gamma(2, scale): the sum of two exponentials.
inline double sampleGamma2(CounterRng& rng, double scale) { return -scale * std::log(rng.uniform() * rng.uniform()); }

}  // namespace higgsuq::sim
