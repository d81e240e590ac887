#include "higgsuq/sim/TauDecay.hpp"

#include <algorithm>
#include <cmath>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::sim {
namespace {

constexpr double vectorAnalysingPower(double mass) {
  const double r = mass * mass / (kTauMass * kTauMass);
  return (1.0 - 2.0 * r) / (1.0 + 2.0 * r);
}

// Branching ratios of Pythia 8's default tau- table (simulation-facts.md §5.3). Small channels are
// folded into the group with the same prong count: "1-prong other" = pi 3pi0 (0.01044) + the rest of
// the 1-prong total 0.49931; "3-prong + pi0/other" = 3pi pi0 (0.04594) + rest of 3-prong + 5-prong.
constexpr std::array<TauDecayMode, kNumTauDecayModes> kRawModes{{
    {"e nu nu", TauDecayKind::Electron, 0.17728, 1, 0.0, 0.0},
    {"mu nu nu", TauDecayKind::Muon, 0.17311, 1, 0.0, 0.0},
    {"pi nu (incl. K nu)", TauDecayKind::Hadronic, 0.10768 + 0.00696, 1, 0.13957, 1.0},
    {"rho nu (pi pi0)", TauDecayKind::Hadronic, 0.25374, 1, 0.775, vectorAnalysingPower(0.775)},
    {"a1 nu (pi 2pi0)", TauDecayKind::Hadronic, 0.09247, 1, 1.23, vectorAnalysingPower(1.23)},
    {"1-prong other", TauDecayKind::Hadronic, 0.49931 - 0.10768 - 0.00696 - 0.25374 - 0.09247, 1, 1.2, 0.0},
    {"a1 nu (3pi)", TauDecayKind::Hadronic, 0.09257, 3, 1.23, vectorAnalysingPower(1.23)},
    {"3-prong other", TauDecayKind::Hadronic, 0.14918 - 0.09257 + 0.00083, 3, 1.4, 0.0},
    {"no charged hadron", TauDecayKind::Hadronic, 0.00028, 0, 1.0, 0.0},
}};

std::array<TauDecayMode, kNumTauDecayModes> normalisedModes() {
  double sum = 0.0;
  for (const auto& m : kRawModes) sum += m.branchingRatio;
  auto modes = kRawModes;
  for (auto& m : modes) m.branchingRatio /= sum;
  return modes;
}

// Linear density 1 + a(2u - 1) on [0, 1], |a| <= 1, as a mixture of uniform and max/min of two uniforms.
double sampleLinear(CounterRng& rng, double slope) {
  const double u1 = rng.uniform();
  const double u2 = rng.uniform();
  if (rng.uniform() >= std::abs(slope)) return u1;
  return slope > 0.0 ? std::max(u1, u2) : std::min(u1, u2);
}

}  // namespace

const std::array<TauDecayMode, kNumTauDecayModes>& tauDecayModes() {
  static const auto modes = normalisedModes();
  return modes;
}

std::uint8_t sampleTauDecayMode(CounterRng& rng) {
  const auto& modes = tauDecayModes();
  double u = rng.uniform();
  for (std::size_t i = 0; i + 1 < modes.size(); ++i) {
    if (u < modes[i].branchingRatio) return static_cast<std::uint8_t>(i);
    u -= modes[i].branchingRatio;
  }
  return static_cast<std::uint8_t>(modes.size() - 1);
}

double leptonicFractionDensity(double x, double polarisation) {
  const double x2 = x * x, x3 = x2 * x;
  return (5.0 - 9.0 * x2 + 4.0 * x3 + polarisation * (1.0 - 9.0 * x2 + 8.0 * x3)) / 3.0;
}

double sampleVisibleFraction(CounterRng& rng, const TauDecayMode& mode, double polarisation) {
  HIGGSUQ_ASSERT(std::abs(polarisation) <= 1.0, "tau polarisation outside [-1, 1]");
  if (mode.kind != TauDecayKind::Hadronic) {
    // Accept-reject under the bound f <= 2 (reached at x = 0 for P = +1).
    for (;;) {
      const double x = rng.uniform();
      if (2.0 * rng.uniform() <= leptonicFractionDensity(x, polarisation)) return x;
    }
  }
  // Two-body form f ∝ 1 + P alpha (2x - 1 - r)/(1 - r) on [r, 1], i.e. linear in u = (x - r)/(1 - r).
  const double r = mode.visibleMass * mode.visibleMass / (kTauMass * kTauMass);
  const double u = sampleLinear(rng, polarisation * mode.analysingPower);
  return r + (1.0 - r) * u;
}

TauDecay decayTau(CounterRng& rng, double polarisation) {
  TauDecay decay;
  decay.mode = sampleTauDecayMode(rng);
  const TauDecayMode& mode = tauDecayModes()[decay.mode];
  decay.kind = mode.kind;
  decay.chargedProngs = mode.chargedProngs;
  decay.visibleFraction = sampleVisibleFraction(rng, mode, polarisation);
  return decay;
}

}  // namespace higgsuq::sim
