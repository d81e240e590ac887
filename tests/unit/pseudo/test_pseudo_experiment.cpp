// Pseudo-experiments: Poisson bootstrap sizes, multiplicities, determinism and thread independence.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

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

/// Each row's multiplicity is Poisson(lambda) whatever the other rows of its chunk hold: rows of very
/// different means side by side (the thinning sampler's acceptance step), rows of one mean (no
/// acceptance step), and means of 10 or more (the per-row samplers).
TEST(PseudoExperiment, EveryRowMultiplicityIsPoissonOfItsMean) {
  const std::array<double, 5> zMeans{0.02, 0.3, 1.2, 4.0, 0.0};
  const std::size_t perProcess = 3000;
  EventTable pool(4 * perProcess);
  const std::array<Process, 4> processes{Process::ZTauTau, Process::HTauTau, Process::TTbar, Process::Diboson};
  for (std::size_t i = 0; i < pool.size(); ++i) {
    const Process p = processes[i / perProcess];
    pool.processes()[i] = p;
    pool.labels()[i] = p == Process::HTauTau;
    pool.weights()[i] = p == Process::ZTauTau ? zMeans[i % zMeans.size()] : p == Process::HTauTau ? 0.1 : 12.0;
  }
  const PseudoExperimentFactory f(pool, loadChallengeDefinition("neurips2024"), {.rescaleToExpectedYields = false});
  // [mean class][n] counts; classes: the five Z means, the H mean 0.1, the tt/VV mean 12.
  std::array<std::array<double, 40>, 7> histogram{};
  const int numPe = 300;
  for (int k = 0; k < numPe; ++k) {
    const Multiplicities m = f.bootstrap({5, 1, k}, 1.0, NuisanceValues{});
    std::vector<std::uint32_t> n(pool.size(), 0);
    for (std::size_t j = 0; j < m.rows.size(); ++j) n[m.rows[j]] = m.counts[j];
    for (std::size_t i = 0; i < pool.size(); ++i) {
      const std::size_t cls = i < perProcess ? i % zMeans.size() : i < 2 * perProcess ? 5 : 6;
      histogram[cls][std::min<std::uint32_t>(n[i], 39)] += 1.0;
    }
  }
  const std::array<double, 7> means{0.02, 0.3, 1.2, 4.0, 0.0, 0.1, 12.0};
  for (std::size_t c = 0; c < means.size(); ++c) {
    double total = 0.0;
    for (double h : histogram[c]) total += h;
    double pk = std::exp(-means[c]);
    for (int k = 0; k < 8; ++k) {
      const double observed = histogram[c][k] / total;
      const double sigma = std::sqrt(std::max(pk * (1.0 - pk), 1e-12) / total);
      EXPECT_NEAR(observed, pk, 5.0 * sigma + 1e-12) << "mean " << means[c] << ", n = " << k;
      pk *= means[c] / (k + 1);
    }
  }
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
