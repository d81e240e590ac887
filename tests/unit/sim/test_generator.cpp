// The built-in generator: determinism, thread independence, weights, feature ranges and the selection.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <cstring>
#include <numbers>

#include "higgsuq/sim/Generator.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::sim {
namespace {

SimulationRequest smallRequest(std::uint64_t events, std::uint64_t seed) {
  SimulationRequest r;
  r.events = events;
  r.seed = seed;
  r.blockAttempts = 1024;
  r.chunkRows = 1000;  // several chunks
  return r;
}

bool identical(const EventTable& a, const EventTable& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    const auto ca = a.column(featureAt(f)), cb = b.column(featureAt(f));
    if (std::memcmp(ca.data(), cb.data(), ca.size_bytes()) != 0) return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a.weights()[i] != b.weights()[i] || a.processes()[i] != b.processes()[i]) return false;
  }
  return true;
}

TEST(Generator, SameSeedSameEventsOtherSeedOtherEvents) {
  const EventTable a = simulateToTable(smallRequest(3000, 1));
  const EventTable b = simulateToTable(smallRequest(3000, 1));
  const EventTable c = simulateToTable(smallRequest(3000, 2));
  EXPECT_EQ(a.size(), 3000u);
  EXPECT_TRUE(identical(a, b));
  EXPECT_FALSE(identical(a, c));
}

TEST(Generator, OneAndTwoThreadsGiveIdenticalEvents) {
  EventTable one, two;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = simulateToTable(smallRequest(4000, 9));
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    two = simulateToTable(smallRequest(4000, 9));
  }
  EXPECT_TRUE(identical(one, two));
}

TEST(Generator, WeightsSumToExpectedYieldsPerProcess) {
  for (const char* preset : {"neurips2024", "early2024"}) {
    SimulationRequest r = smallRequest(8000, 3);
    r.preset = presetByName(preset);
    r.processFractions = std::vector<double>(r.preset.processes.size(), 1.0);
    if (r.preset.processes.size() == 5) r.processFractions->back() = 0.02;  // W+jets: efficiency ~1e-3
    SimulationSummary summary;
    const EventTable t = simulateToTable(r, &summary);
    ASSERT_EQ(summary.processes.size(), r.preset.processes.size());
    for (const auto& spec : r.preset.processes) {
      const double expected = spec.expectedYield * 10.0 / r.preset.referenceLuminosityFb;
      EXPECT_NEAR(t.sumWeights(spec.process), expected, 1e-9 * expected) << preset << " " << processName(spec.process);
      EXPECT_GT(t.count(spec.process), 0u);
    }
  }
}

TEST(Generator, ProcessSplitFollowsFractions) {
  EXPECT_EQ(splitEvents(10, {0.5, 0.25, 0.25}), (std::vector<std::uint64_t>{5, 3, 2}));
  SimulationRequest r = smallRequest(1000, 4);
  r.processFractions = std::vector<double>{1.0, 1.0, 0.0, 0.0};
  const EventTable t = simulateToTable(r);
  EXPECT_EQ(t.count(Process::HTauTau), 500u);
  EXPECT_EQ(t.count(Process::ZTauTau), 500u);
  EXPECT_EQ(t.count(Process::TTbar), 0u);
}

void expectJetSlot(const EventTable& t, std::size_t i, bool present, Feature pt, Feature eta, Feature phi) {
  if (present) {
    EXPECT_GE(t.value(pt, i), 20.0f);
    EXPECT_LE(std::abs(t.value(eta, i)), 4.9f);
  } else {
    EXPECT_EQ(t.value(pt, i), kMissingValue);
    EXPECT_EQ(t.value(eta, i), kMissingValue);
    EXPECT_EQ(t.value(phi, i), kMissingValue);
    EXPECT_EQ(t.value(Feature::DeltaEtaJetJet, i), kMissingValue);
  }
}

TEST(Generator, EveryEventSatisfiesTheSelectionAndFeatureRanges) {
  SimulationRequest r = smallRequest(6000, 5);
  r.processFractions = std::vector<double>{1.0, 1.0, 1.0, 1.0};
  const EventTable t = simulateToTable(r);
  const float pi = static_cast<float>(std::numbers::pi) + 1e-3f;
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_GE(t.value(Feature::LepPt, i), 20.0f);
    EXPECT_LE(std::abs(t.value(Feature::LepEta, i)), 2.5f);
    EXPECT_GE(t.value(Feature::HadPt, i), 20.0f);
    // Tracks (|eta| <= 2.5) within dR 0.2 of the jet axis are needed for the tag, so |eta| <= 2.7.
    EXPECT_LE(std::abs(t.value(Feature::HadEta, i)), 2.7f);
    EXPECT_LE(std::abs(t.value(Feature::HadPhi, i)), pi);
    EXPECT_LE(std::abs(t.value(Feature::MetPhi, i)), pi);
    EXPECT_GE(t.value(Feature::Met, i), 0.0f);
    const float n = t.value(Feature::NJets, i);
    EXPECT_EQ(n, std::floor(n));
    expectJetSlot(t, i, n >= 1, Feature::JetLeadingPt, Feature::JetLeadingEta, Feature::JetLeadingPhi);
    expectJetSlot(t, i, n >= 2, Feature::JetSubleadingPt, Feature::JetSubleadingEta, Feature::JetSubleadingPhi);
    if (n == 0) {
      EXPECT_EQ(t.value(Feature::JetAllPt, i), 0.0f);
    }
    if (n >= 1) {
      EXPECT_GE(t.value(Feature::JetAllPt, i) + 0.01f, t.value(Feature::JetLeadingPt, i));
    }
    if (n >= 2) {
      EXPECT_GE(t.value(Feature::JetLeadingPt, i), t.value(Feature::JetSubleadingPt, i));
    }
    EXPECT_EQ(t.labels()[i], t.processes()[i] == Process::HTauTau ? 1 : 0);
  }
  EXPECT_GT(t.count(Process::TTbar), 1000u);
}

TEST(Generator, BadRequestsAreInputErrors) {
  EXPECT_THROW(simulateToTable(smallRequest(0, 1)), InputError);
  EXPECT_THROW(presetByName("lhc2012"), InputError);
  SimulationRequest r = smallRequest(10, 1);
  r.physics.jetResponse = -1.0;
  EXPECT_THROW(simulateToTable(r), InputError);
  r = smallRequest(10, 1);
  r.processFractions = std::vector<double>{1.0};
  EXPECT_THROW(simulateToTable(r), InputError);
}

}  // namespace
}  // namespace higgsuq::sim
