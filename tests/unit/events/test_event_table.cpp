#include <gtest/gtest.h>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {
namespace {

TEST(Feature, NamesRoundTripInReferenceOrder) {
  EXPECT_EQ(featureName(Feature::LepPt), "PRI_lep_pt");
  EXPECT_EQ(featureName(Feature::MetPhi), "PRI_met_phi");
  EXPECT_EQ(featureName(Feature::MassTransverseMetLep), "DER_mass_transverse_met_lep");
  EXPECT_EQ(featureName(Feature::LepEtaCentrality), "DER_lep_eta_centrality");
  for (std::size_t i = 0; i < kNumFeatures; ++i) EXPECT_EQ(featureFromName(featureName(featureAt(i))), featureAt(i));
  EXPECT_FALSE(featureFromName("PRI_tau_pt").has_value());
  EXPECT_EQ(index(Feature::MassTransverseMetLep), kNumPrimary);
}

TEST(Process, NamesRoundTrip) {
  for (Process p : kAllProcesses) EXPECT_EQ(processFromName(processName(p)), p);
  EXPECT_TRUE(isSignal(Process::HTauTau));
  EXPECT_FALSE(isSignal(Process::ZTauTau));
}

TEST(EventTable, ColumnsAreContiguousAndGatherRepeatsRows) {
  EventTable t(3);
  for (std::size_t i = 0; i < 3; ++i) {
    t.value(Feature::HadPt, i) = 10.0f * static_cast<float>(i + 1);
    t.weights()[i] = static_cast<double>(i) + 0.5;
    t.processes()[i] = i == 1 ? Process::HTauTau : Process::ZTauTau;
  }
  EXPECT_EQ(&t.column(Feature::HadPt)[1], &t.column(Feature::HadPt)[0] + 1);
  const std::vector<std::uint32_t> rows{2, 2, 0};
  const EventTable g = t.gather(rows);
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g.value(Feature::HadPt, 0), 30.0f);
  EXPECT_EQ(g.value(Feature::HadPt, 1), 30.0f);
  EXPECT_EQ(g.value(Feature::HadPt, 2), 10.0f);
  EXPECT_DOUBLE_EQ(t.sumWeights(), 0.5 + 1.5 + 2.5);
  EXPECT_DOUBLE_EQ(t.sumWeights(Process::ZTauTau), 3.0);
  EXPECT_EQ(t.count(Process::HTauTau), 1u);
  EventTable a = t;
  a.append(t, 1, 3);
  EXPECT_EQ(a.size(), 5u);
  EXPECT_EQ(a.value(Feature::HadPt, 4), 30.0f);
}

}  // namespace
}  // namespace higgsuq
