// Tau decays: branching-ratio bookkeeping, polarisation dependence of the visible energy fraction,
// and the spin correlation of the pair for Z (vector) and H (scalar) parents.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "higgsuq/sim/Decays.hpp"
#include "higgsuq/sim/TauDecay.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::sim {
namespace {

CounterRng rngFor(std::uint32_t sub) { return CounterRng(streamKey(12345, 0, 0, Stream::eGenerator, sub)); }

TEST(TauDecay, BranchingRatiosSumToOneAndMatchPythiaGroups) {
  double sum = 0.0, leptonic = 0.0;
  for (const auto& m : tauDecayModes()) {
    sum += m.branchingRatio;
    if (m.kind != TauDecayKind::Hadronic) leptonic += m.branchingRatio;
  }
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_NEAR(leptonic, 0.35039, 2e-4);  // e + mu of Pythia's table (facts §5.3)
}

TEST(TauDecay, SampledModeFrequenciesAgreeWithBranchingRatios) {
  CounterRng rng = rngFor(1);
  const int n = 400000;
  std::vector<int> counts(kNumTauDecayModes, 0);
  for (int i = 0; i < n; ++i) ++counts[sampleTauDecayMode(rng)];
  for (std::size_t m = 0; m < kNumTauDecayModes; ++m) {
    const double p = tauDecayModes()[m].branchingRatio;
    const double sigma = std::sqrt(n * p * (1.0 - p));
    EXPECT_NEAR(counts[m], n * p, 5.0 * sigma + 1.0) << tauDecayModes()[m].name;
  }
}

double meanFraction(const TauDecayMode& mode, double polarisation, std::uint32_t sub) {
  CounterRng rng = rngFor(sub);
  double sum = 0.0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) sum += sampleVisibleFraction(rng, mode, polarisation);
  return sum / n;
}

TEST(TauDecay, LeptonMeanFractionDependsOnPolarisation) {
  const TauDecayMode& electron = tauDecayModes()[0];
  ASSERT_EQ(electron.kind, TauDecayKind::Electron);
  // Means of f(x) = [5 - 9x^2 + 4x^3 + P(1 - 9x^2 + 8x^3)]/3: 2/5 for P = -1, 3/10 for P = +1.
  EXPECT_NEAR(meanFraction(electron, -1.0, 2), 0.4, 0.003);
  EXPECT_NEAR(meanFraction(electron, +1.0, 3), 0.3, 0.003);
}

TEST(TauDecay, PionIsHarderForPositivePolarisation) {
  const TauDecayMode& pion = tauDecayModes()[2];
  ASSERT_EQ(pion.analysingPower, 1.0);
  const double r = pion.visibleMass * pion.visibleMass / (kTauMass * kTauMass);
  // f ∝ 1 + P(2u - 1) in u = (x - r)/(1 - r): <u> = 1/2 + P/6.
  EXPECT_NEAR(meanFraction(pion, +1.0, 4), r + (1.0 - r) * (0.5 + 1.0 / 6.0), 0.003);
  EXPECT_NEAR(meanFraction(pion, -1.0, 5), r + (1.0 - r) * (0.5 - 1.0 / 6.0), 0.003);
}

double pairCorrelation(bool scalar) {
  CounterRng rng = rngFor(scalar ? 6 : 7);
  const FourMomentum boson{0.0, 0.0, 0.0, 91.0};
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    TruthEvent event;
    addDitauDecay(event, rng, boson, scalar, 0.0, {2, 2});  // both tau -> pi nu
    const double x = event.taus[0].visible.e / 45.5, y = event.taus[1].visible.e / 45.5;
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
  }
  const double cov = sxy / n - sx / n * sy / n;
  return cov / std::sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
}

TEST(TauDecay, PairCorrelationIsPositiveForZAndNegativeForHiggs) {
  EXPECT_GT(pairCorrelation(false), 0.2);
  EXPECT_LT(pairCorrelation(true), -0.2);
}

TEST(TauDecay, DecayConservesMomentum) {
  CounterRng rng = rngFor(8);
  const FourMomentum tau = FourMomentum::fromPtEtaPhiM(40.0, 0.7, 1.1, kTauMass);
  for (int i = 0; i < 1000; ++i) {
    TruthEvent event;
    addTauDecay(event, rng, tau, -1, 0.0);
    const FourMomentum visible = event.numTaus ? event.taus[0].visible : event.leptons[0].momentum;
    const FourMomentum total = visible + event.neutrinos;
    EXPECT_NEAR(total.px, tau.px, 1e-9);
    EXPECT_NEAR(total.pz, tau.pz, 1e-9);
    EXPECT_NEAR(total.e, tau.e, 1e-9);
  }
}

}  // namespace
}  // namespace higgsuq::sim
