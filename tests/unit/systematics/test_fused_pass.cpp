// The fused systematics pass (load, shifts, cuts, DER and compacted store per block of rows) against
// the stages run one after another on the whole table, and applyToRows against a gathered copy.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "helpers/SharedData.hpp"
#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/events/RowMajorPrimaries.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/systematics/PostSelection.hpp"
#include "higgsuq/systematics/ShiftKernel.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {
namespace {

/// 12 copies of the FAIR sample: 12,000 rows, several fused blocks with partial ones at the end.
const EventTable& table() {
  static const EventTable t = [] {
    const EventTable sample = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
    EventTable out;
    for (int k = 0; k < 12; ++k) out.append(sample);
    return out;
  }();
  return t;
}

/// The stages one after another on the whole table (what the fused pass must reproduce).
EventTable staged(const EventTable& in, const NuisanceValues& v, const SoftMetNoise& noise,
                  const SystematicsConfig& config, std::vector<std::uint32_t>* rows) {
  EventTable t = in;
  applyNormalisations(t, v);
  shiftRows(t, 0, t.size(), v, noise);
  std::vector<std::uint8_t> keep(t.size(), 1);
  if (config.applyCuts) postSelectRows(t, 0, t.size(), config, keep.data());
  rows->clear();
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (keep[i]) rows->push_back(static_cast<std::uint32_t>(i));
  }
  t = t.gather(*rows);
  computeDerived(t);
  return t;
}

/// PRI, weights, labels and processes identical. DER identical when both tables were computed with
/// rows at the same place in their blocks (derAtSamePlace), else within float rounding: the DER kernels
/// are fast-math vector loops, whose remainder iterations may round the last bit differently.
void expectIdentical(const EventTable& a, const EventTable& b, bool derAtSamePlace = true) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    const auto ca = a.column(featureAt(f)), cb = b.column(featureAt(f));
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (derAtSamePlace || isPrimary(featureAt(f))) {
        ASSERT_EQ(ca[i], cb[i]) << featureName(featureAt(f)) << " row " << i;
      } else {
        ASSERT_NEAR(ca[i], cb[i], 2e-6f * std::max(1.0f, std::abs(cb[i]))) << featureName(featureAt(f)) << " row " << i;
      }
    }
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a.weights()[i], b.weights()[i]) << "weight row " << i;
    ASSERT_EQ(a.labels()[i], b.labels()[i]) << "label row " << i;
    ASSERT_EQ(a.processes()[i], b.processes()[i]) << "process row " << i;
  }
}

const NuisanceValues kShifted{.tes = 1.03, .jes = 0.97, .softMet = 2.0, .ttbarScale = 1.1, .dibosonScale = 0.8,
                              .bkgScale = 1.002};

TEST(FusedSystematics, EqualsTheStagesRunOneAfterAnother) {
  for (const JetRemoval mode : {JetRemoval::Reference, JetRemoval::Corrected}) {
    for (const bool cuts : {true, false}) {
      SystematicsConfig config;
      config.jetRemoval = mode;
      config.applyCuts = cuts;
      std::vector<std::uint32_t> fusedRows, stagedRows;
      const EventTable fused = Systematics(config).apply(table(), kShifted, SoftMetNoise::fromSeed(5), &fusedRows);
      const EventTable expected = staged(table(), kShifted, SoftMetNoise::fromSeed(5), config, &stagedRows);
      SCOPED_TRACE(::testing::Message() << "corrected jets " << (mode == JetRemoval::Corrected) << ", cuts " << cuts);
      // The staged DER runs after the cuts, so rows sit elsewhere in its blocks.
      expectIdentical(fused, expected, /*derAtSamePlace=*/!cuts);
      EXPECT_EQ(fusedRows, stagedRows);
      if (cuts) {
        EXPECT_LT(fused.size(), table().size());  // the cuts remove events at these shifts
      }
    }
  }
}

/// The first n rows of the table.
EventTable firstRows(std::size_t n) {
  EventTable t;
  t.append(table(), 0, n);
  return t;
}

TEST(FusedSystematics, EqualsTheStagesAtBlockEdgesAndWithExplicitNoise) {
  // Sizes around the 2,048-row block and the 8-row pack groups, with seeded and with explicit noise.
  for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{8}, std::size_t{2047},
                              std::size_t{2048}, std::size_t{2049}, std::size_t{4101}}) {
    const EventTable in = firstRows(n);
    std::vector<double> nx(n), ny(n);
    for (std::size_t i = 0; i < n; ++i) {
      nx[i] = 0.37 * static_cast<double>(i % 11) - 2.0;
      ny[i] = 1.5 - 0.21 * static_cast<double>(i % 7);
    }
    for (const bool explicitNoise : {false, true}) {
      SoftMetNoise noise = SoftMetNoise::fromSeed(8);
      if (explicitNoise) noise.x = nx, noise.y = ny;
      SystematicsConfig config;
      std::vector<std::uint32_t> fusedRows, stagedRows;
      const EventTable fused = Systematics(config).apply(in, kShifted, noise, &fusedRows);
      const EventTable expected = staged(in, kShifted, noise, config, &stagedRows);
      SCOPED_TRACE(::testing::Message() << "n " << n << ", explicit noise " << explicitNoise);
      expectIdentical(fused, expected, /*derAtSamePlace=*/false);
      EXPECT_EQ(fusedRows, stagedRows);
    }
  }
}

TEST(FusedSystematics, AnEmptyRowListGivesAnEmptyTable) {
  const Systematics s{SystematicsConfig{}};
  const std::vector<std::uint32_t> none;
  for (const PoolRows how : {PoolRows{}, PoolRows{PoolRows::Weights::Unit, {}, nullptr},
                             PoolRows{PoolRows::Weights::Counts, none, nullptr}}) {
    std::vector<std::uint32_t> surviving{1, 2, 3};
    EXPECT_EQ(s.applyToRows(table(), none, kShifted, SoftMetNoise::fromSeed(1), how, &surviving).size(), 0u);
    EXPECT_TRUE(surviving.empty());
  }
}

TEST(FusedSystematics, ApplyToRowsIsTheSameOnOneAndTwoThreads) {
  std::vector<std::uint32_t> rows, counts;
  for (std::uint32_t i = 0; i < table().size(); i += 2) rows.push_back(i), counts.push_back(1 + i % 3);
  const RowMajorPrimaries rowMajor(table());
  auto run = [&](int threads) {
    tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
    return Systematics(SystematicsConfig{}).applyToRows(table(), rows, kShifted, SoftMetNoise::fromSeed(3),
                                                        {PoolRows::Weights::Counts, counts, &rowMajor});
  };
  expectIdentical(run(1), run(2));
}

TEST(FusedSystematics, ApplyToRowsEqualsApplyOnTheGatheredRows) {
  // Every third row, some twice, out of order at the end.
  std::vector<std::uint32_t> rows;
  for (std::uint32_t i = 0; i < table().size(); i += 3) rows.push_back(i);
  for (std::uint32_t i = 0; i < 300; i += 7) rows.push_back(i);
  const Systematics s{SystematicsConfig{}};
  const SoftMetNoise noise = SoftMetNoise::fromSeed(11);
  std::vector<std::uint32_t> expectedRows, gotRows, rowMajorRows;
  const EventTable expected = s.apply(table().gather(rows), kShifted, noise, &expectedRows);
  expectIdentical(s.applyToRows(table(), rows, kShifted, noise, {}, &gotRows), expected);
  EXPECT_EQ(gotRows, expectedRows);
  const RowMajorPrimaries rowMajor(table());
  const PoolRows viaRows{PoolRows::Weights::Pool, {}, &rowMajor};
  expectIdentical(s.applyToRows(table(), rows, kShifted, noise, viaRows, &rowMajorRows), expected);
  EXPECT_EQ(rowMajorRows, expectedRows);
}

TEST(FusedSystematics, RowWeightsAreCountsOrOneTimesTheNormalisations) {
  const std::vector<std::uint32_t> rows{0, 1, 2, 3, 4, 5, 6, 7};
  const std::vector<std::uint32_t> counts{1, 2, 3, 4, 5, 6, 7, 8};
  SystematicsConfig config;
  config.applyCuts = false;
  const Systematics s{config};
  const NuisanceValues v{.bkgScale = 2.0};
  const EventTable byCount = s.applyToRows(table(), rows, v, {}, {PoolRows::Weights::Counts, counts});
  const EventTable unit = s.applyToRows(table(), rows, v, {}, {PoolRows::Weights::Unit, {}});
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const double norm = table().labels()[rows[k]] == 0 ? 2.0 : 1.0;
    EXPECT_EQ(byCount.weights()[k], counts[k] * norm);
    EXPECT_EQ(unit.weights()[k], norm);
  }
  EXPECT_THROW(s.applyToRows(table(), rows, v, {}, {PoolRows::Weights::Counts, std::span(counts).first(3)}),
               std::invalid_argument);
}

}  // namespace
}  // namespace higgsuq
