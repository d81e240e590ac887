// Pseudo-experiments: Poisson bootstrap sizes, multiplicities, determinism and thread independence.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "helpers/SharedData.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/pseudo/PseudoExperiment.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

const EventTable& sample() {
  static const EventTable t = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  return t;
}

EventTable replicatedSample(int copies) {
  EventTable t;
  for (int k = 0; k < copies; ++k) t.append(sample());
  return t;
}

void expectPoissonTotals(const PseudoExperimentFactory& f, double mu, const NuisanceValues& v, int numPe) {
  const double expected = f.expectedEvents(mu, v);
  double sum = 0.0, sum2 = 0.0;
  for (int k = 0; k < numPe; ++k) {
    const double n = static_cast<double>(f.bootstrap({11, 0, k}, mu, v).total());
    sum += n;
    sum2 += n * n;
  }
  const double mean = sum / numPe, var = sum2 / numPe - mean * mean;
  EXPECT_NEAR(mean, expected, 5.0 * std::sqrt(expected / numPe));
  EXPECT_NEAR(var / expected, 1.0, 5.0 * std::sqrt(2.0 / numPe));
}

TEST(PseudoExperiment, SizeIsPoissonAroundSumOfWeightTimesNorm_SmallMeans) {
  // 200 copies of the sample: per-row means ~5 (inversion sampler).
  const EventTable pool = replicatedSample(200);
  const PseudoExperimentFactory f(pool, loadChallengeDefinition("neurips2024"));
  EXPECT_NEAR(f.expectedEvents(1.0, {}), 1015.0 + 1002395.0 + 44190.0 + 3783.0, 1e-3);
  expectPoissonTotals(f, 2.0, NuisanceValues{.ttbarScale = 1.1, .dibosonScale = 0.5, .bkgScale = 1.005}, 200);
}

TEST(PseudoExperiment, SizeIsPoissonAroundSumOfWeightTimesNorm_LargeMeans) {
  // The bare 1000-event sample: per-row means ~1000 (rejection sampler).
  const PseudoExperimentFactory f(sample(), loadChallengeDefinition("neurips2024"));
  expectPoissonTotals(f, 0.5, NuisanceValues{}, 300);
}

TEST(PseudoExperiment, ProcessNormalisationsFollowTheReference) {
  const NuisanceValues v{.ttbarScale = 1.2, .dibosonScale = 0.4, .bkgScale = 0.99, .wjetsScale = 1.5};
  EXPECT_DOUBLE_EQ(processNormalisation(Process::HTauTau, 2.5, v), 2.5);
  EXPECT_DOUBLE_EQ(processNormalisation(Process::ZTauTau, 2.5, v), 0.99);
  EXPECT_DOUBLE_EQ(processNormalisation(Process::TTbar, 2.5, v), 1.2 * 0.99);
  EXPECT_DOUBLE_EQ(processNormalisation(Process::Diboson, 2.5, v), 0.4 * 0.99);
  EXPECT_DOUBLE_EQ(processNormalisation(Process::WJets, 2.5, v), 1.5 * 0.99);
}

TEST(PseudoExperiment, WithoutSoftMetRowsCarryMultiplicities) {
  ChallengeDefinition d = loadChallengeDefinition("neurips2024");
  d.nuisancePriors[index(Nuisance::SoftMet)].reset();
  const EventTable pool = replicatedSample(20);
  const PseudoExperimentFactory f(pool, d);
  const PseudoExperiment pe = f.build({5, 1, 2});
  EXPECT_EQ(pe.nuisances.softMet, 0.0);
  // Fewer rows than events: duplicates are carried as weights.
  EXPECT_LT(static_cast<double>(pe.events.size()), pe.events.sumWeights());
  double maxWeight = 0.0;
  for (double w : pe.events.weights()) maxWeight = std::max(maxWeight, w);
  EXPECT_GT(maxWeight, 1.0);
}

TEST(PseudoExperiment, WithSoftMetRowsAreRepeatedWithUnitWeights) {
  const EventTable pool = replicatedSample(20);
  const PseudoExperimentFactory f(pool, loadChallengeDefinition("neurips2024"));
  const PseudoExperiment pe = f.build({5, 1, 2});
  EXPECT_GT(pe.nuisances.softMet, 0.0);
  EXPECT_EQ(static_cast<double>(pe.events.size()), pe.events.sumWeights());
  // About 10% of events fail the post-selection (golden nominal: 925 of 1000).
  const double expected = f.expectedEvents(pe.muTrue, pe.nuisances);
  EXPECT_GT(pe.events.size(), 0.8 * expected);
  EXPECT_LT(pe.events.size(), 0.97 * expected);
}

bool identical(const PseudoExperiment& a, const PseudoExperiment& b) {
  if (a.events.size() != b.events.size() || a.muTrue != b.muTrue || !(a.nuisances == b.nuisances)) return false;
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    const auto ca = a.events.column(featureAt(f)), cb = b.events.column(featureAt(f));
    if (!std::equal(ca.begin(), ca.end(), cb.begin())) return false;
  }
  const auto wa = a.events.weights(), wb = b.events.weights();
  return std::equal(wa.begin(), wa.end(), wb.begin());
}

TEST(PseudoExperiment, PureFunctionOfSeedSetAndIndexOnAnyThreadCount) {
  const EventTable pool = replicatedSample(100);
  const PseudoExperimentFactory f(pool, loadChallengeDefinition("neurips2024"));
  auto build = [&](int threads, PseudoExperimentId id) {
    tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
    return f.build(id);
  };
  const PseudoExperiment one = build(1, {3, 4, 5});
  EXPECT_TRUE(identical(one, build(2, {3, 4, 5})));
  EXPECT_TRUE(identical(one, build(2, {3, 4, 5})));
  EXPECT_FALSE(identical(one, build(2, {3, 4, 6})));
  EXPECT_FALSE(identical(one, build(2, {4, 4, 5})));
}

TEST(PseudoExperiment, PoolWithoutARequiredProcessIsRejected) {
  EventTable pool = sample();
  for (auto& p : pool.processes()) {
    if (p == Process::Diboson) p = Process::ZTauTau;
  }
  EXPECT_THROW(PseudoExperimentFactory(pool, loadChallengeDefinition("neurips2024")), InputError);
}

}  // namespace
}  // namespace higgsuq
