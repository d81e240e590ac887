// Systematics: identity, MET bookkeeping under TES/JES, cut edges, jet removal modes, thread independence.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <stdexcept>

#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/systematics/PostSelection.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {
namespace {

const EventTable& sample() {
  static const EventTable t = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  return t;
}

SystematicsConfig noCuts() {
  SystematicsConfig c;
  c.applyCuts = false;
  return c;
}

TEST(Systematics, NominalLeavesPrimariesUnchangedUpToRounding) {
  const EventTable out = Systematics(noCuts()).apply(sample(), NuisanceValues{}, SoftMetNoise::fromSeed(1));
  ASSERT_EQ(out.size(), sample().size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t f = 0; f < kNumPrimary; ++f) {
      const Feature feature = featureAt(f);
      EXPECT_NEAR(out.value(feature, i), sample().value(feature, i), 1.0e-3 + 1e-5) << featureName(feature);
    }
    EXPECT_EQ(out.weights()[i], sample().weights()[i]);
  }
}

TEST(Systematics, RoundingIsFloat32RintOfThousandths) {
  EXPECT_EQ(roundTo3Decimals(1.23449f), 1.234f);
  EXPECT_EQ(roundTo3Decimals(-25.0f), -25.0f);
  EXPECT_EQ(roundTo3Decimals(2.0005f), std::rint(2.0005f * 1000.0f) / 1000.0f);
}

struct MetVector {
  double x, y;
};
MetVector metOf(const EventTable& t, std::size_t i) {
  return {t.value(Feature::Met, i) * std::cos(t.value(Feature::MetPhi, i)),
          t.value(Feature::Met, i) * std::sin(t.value(Feature::MetPhi, i))};
}

TEST(Systematics, TesAndJesMoveMetByTheMissingMomentum) {
  const NuisanceValues v{.tes = 1.05, .jes = 0.95};
  const EventTable out = Systematics(noCuts()).apply(sample(), v, SoftMetNoise::fromSeed(1));
  for (std::size_t i = 0; i < out.size(); ++i) {
    const EventTable& in = sample();
    double ex = metOf(in, i).x, ey = metOf(in, i).y;
    ex += (1 - v.tes) * in.value(Feature::HadPt, i) * std::cos(in.value(Feature::HadPhi, i));
    ey += (1 - v.tes) * in.value(Feature::HadPt, i) * std::sin(in.value(Feature::HadPhi, i));
    const float n = in.value(Feature::NJets, i);
    for (auto [pt, phi, need] : {std::tuple{Feature::JetLeadingPt, Feature::JetLeadingPhi, 1.0f},
                                 std::tuple{Feature::JetSubleadingPt, Feature::JetSubleadingPhi, 2.0f}}) {
      if (n < need) continue;
      ex += (1 - v.jes) * in.value(pt, i) * std::cos(in.value(phi, i));
      ey += (1 - v.jes) * in.value(pt, i) * std::sin(in.value(phi, i));
    }
    // MET and its phi are rounded to 1e-3: allow for that.
    EXPECT_NEAR(metOf(out, i).x, ex, 2e-3 + 1e-3 * out.value(Feature::Met, i)) << "row " << i;
    EXPECT_NEAR(metOf(out, i).y, ey, 2e-3 + 1e-3 * out.value(Feature::Met, i)) << "row " << i;
    EXPECT_NEAR(out.value(Feature::HadPt, i), v.tes * in.value(Feature::HadPt, i), 1e-3);
    EXPECT_NEAR(out.value(Feature::JetAllPt, i), v.jes * in.value(Feature::JetAllPt, i), 1e-3 + 1e-6 * in.value(Feature::JetAllPt, i));
  }
}

EventTable edgeEvents() {
  EventTable t(4);
  const float had[4] = {26.0f, 25.999f, 40.0f, 40.0f};
  const float j1[4] = {26.0f, 50.0f, 30.0f, 26.001f};
  const float j2[4] = {kMissingValue, 20.0f, 26.0f, 24.0f};
  const float n[4] = {1.0f, 2.0f, 3.0f, 4.0f};
  for (std::size_t i = 0; i < 4; ++i) {
    t.value(Feature::LepPt, i) = 25.0f;
    t.value(Feature::HadPt, i) = had[i];
    t.value(Feature::JetLeadingPt, i) = j1[i];
    t.value(Feature::JetSubleadingPt, i) = j2[i];
    t.value(Feature::NJets, i) = n[i];
    t.value(Feature::JetAllPt, i) = j1[i] + std::max(j2[i], 0.0f) + (n[i] > 2 ? 21.0f * (n[i] - 2) : 0.0f);
  }
  return t;
}

TEST(PostSelection, ReferenceCutEdges) {
  std::vector<std::uint32_t> rows;
  const EventTable out = Systematics(SystematicsConfig{}).apply(edgeEvents(), NuisanceValues{}, SoftMetNoise::fromSeed(1), &rows);
  ASSERT_EQ(rows, (std::vector<std::uint32_t>{0, 2, 3}));  // had 26.000 kept, 25.999 dropped
  EXPECT_EQ(out.value(Feature::JetLeadingPt, 0), kMissingValue);  // a 26.000 jet is removed
  EXPECT_EQ(out.value(Feature::NJets, 0), 0.0f);
  // 3 jets, subleading 26.000 removed, third jet (21) stays counted and in jet_all_pt, never promoted.
  EXPECT_EQ(out.value(Feature::NJets, 1), 2.0f);
  EXPECT_EQ(out.value(Feature::JetSubleadingPt, 1), kMissingValue);
  EXPECT_FLOAT_EQ(out.value(Feature::JetAllPt, 1), 30.0f + 21.0f);
  EXPECT_EQ(out.value(Feature::NJets, 2), 3.0f);
}

TEST(PostSelection, CorrectedRemovalDropsEverySofterJet) {
  SystematicsConfig config;
  config.jetRemoval = JetRemoval::Corrected;
  const EventTable out = Systematics(config).apply(edgeEvents(), NuisanceValues{}, SoftMetNoise::fromSeed(1));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out.value(Feature::NJets, 1), 1.0f);
  EXPECT_EQ(out.value(Feature::JetAllPt, 1), 30.0f);
  EXPECT_EQ(out.value(Feature::NJets, 2), 1.0f);
  EXPECT_EQ(out.value(Feature::JetAllPt, 2), 26.001f);
}

TEST(Systematics, NormalisationsScaleWeightsInReferenceOrder) {
  const NuisanceValues v{.ttbarScale = 1.1, .dibosonScale = 0.7, .bkgScale = 1.005};
  const EventTable out = Systematics(noCuts()).apply(sample(), v, SoftMetNoise::fromSeed(1));
  for (std::size_t i = 0; i < out.size(); ++i) {
    double expected = sample().weights()[i];
    const Process p = sample().processes()[i];
    if (p == Process::TTbar) expected = expected * 1.1 * 1.005;
    if (p == Process::Diboson) expected = expected * 0.7 * 1.005;
    if (p == Process::ZTauTau) expected *= 1.005;
    EXPECT_DOUBLE_EQ(out.weights()[i], expected);
  }
}

/// The FAIR sample with every third Z event relabelled W+jets (the sample itself has none).
EventTable sampleWithWJets() {
  EventTable t;
  t.append(sample());
  auto processes = t.processes();
  int zSeen = 0;
  for (auto& p : processes) {
    if (p == Process::ZTauTau && zSeen++ % 3 == 0) p = Process::WJets;
  }
  return t;
}

TEST(Systematics, WjetsScaleScalesOnlyWJetsWeightsAndStacksWithBkgScale) {
  const EventTable in = sampleWithWJets();
  ASSERT_GT(in.count(Process::WJets), 100u);
  for (const double bkgScale : {1.0, 1.005}) {
    const NuisanceValues v{.bkgScale = bkgScale, .wjetsScale = 1.3};
    const EventTable out = Systematics(noCuts()).apply(in, v, SoftMetNoise::fromSeed(1));
    ASSERT_EQ(out.size(), in.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      const Process p = in.processes()[i];
      double expected = in.weights()[i];
      if (p == Process::WJets) expected *= 1.3;
      if (p != Process::HTauTau) expected *= bkgScale;
      EXPECT_DOUBLE_EQ(out.weights()[i], expected) << "row " << i << " " << processName(p) << " bkg_scale "
                                                   << bkgScale;
    }
    const double wIn = in.sumWeights(Process::WJets), wOut = out.sumWeights(Process::WJets);
    EXPECT_NEAR(wOut, 1.3 * bkgScale * wIn, 1e-9 * wIn);
    EXPECT_NEAR(out.sumWeights(Process::HTauTau), in.sumWeights(Process::HTauTau), 1e-9);
  }
}

TEST(Systematics, RejectsUnphysicalNuisances) {
  const Systematics s{SystematicsConfig{}};
  EXPECT_THROW(s.apply(sample(), NuisanceValues{.tes = 0.0}, SoftMetNoise::fromSeed(1)), std::invalid_argument);
  EXPECT_THROW(s.apply(sample(), NuisanceValues{.softMet = -1.0}, SoftMetNoise::fromSeed(1)), std::invalid_argument);
  EXPECT_THROW(s.apply(sample(), NuisanceValues{.jes = NAN}, SoftMetNoise::fromSeed(1)), std::invalid_argument);
  SystematicsConfig bad;
  bad.hadPtMin = -1.0f;
  EXPECT_THROW(Systematics{bad}, std::invalid_argument);
}

EventTable bigTable() {
  EventTable t;
  for (int k = 0; k < 60; ++k) t.append(sample());
  return t;
}

TEST(Systematics, OneAndTwoThreadsGiveIdenticalOutput) {
  const EventTable in = bigTable();
  const NuisanceValues v{.tes = 1.02, .jes = 0.99, .softMet = 2.5};
  auto run = [&](int threads) {
    tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
    return Systematics(SystematicsConfig{}).apply(in, v, SoftMetNoise::fromSeed(42));
  };
  const EventTable a = run(1), b = run(2);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    const auto ca = a.column(featureAt(f)), cb = b.column(featureAt(f));
    ASSERT_TRUE(std::equal(ca.begin(), ca.end(), cb.begin())) << featureName(featureAt(f));
  }
}

TEST(Systematics, ChunkedApplicationEqualsWholeTable) {
  const EventTable in = bigTable();
  const NuisanceValues v{.softMet = 3.0};
  const Systematics s{SystematicsConfig{}};
  const EventTable whole = s.apply(in, v, SoftMetNoise::fromSeed(9));
  EventTable pieces;
  for (std::size_t begin = 0; begin < in.size(); begin += 7000) {
    EventTable chunk;
    chunk.append(in, begin, std::min(in.size(), begin + 7000));
    SoftMetNoise noise = SoftMetNoise::fromSeed(9);
    noise.firstIndex = begin;
    pieces.append(s.apply(chunk, v, noise));
  }
  ASSERT_EQ(pieces.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) ASSERT_EQ(pieces.value(Feature::Met, i), whole.value(Feature::Met, i));
}

}  // namespace
}  // namespace higgsuq
