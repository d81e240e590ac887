// DER features: hand-computed values, the reference's edge cases, and real data (ATLAS 2014 open data,
// whose stored DER the 2014 organisers computed with the same definitions for these six features).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/io/CsvEvents.hpp"

namespace higgsuq {
namespace {

constexpr double kPi = std::numbers::pi;

EventTable oneEvent(float lepPhi, float hadPhi, float metPhi, float met = 0.0f) {
  EventTable t(1);
  t.value(Feature::LepPt, 0) = 30.0f;
  t.value(Feature::LepPhi, 0) = lepPhi;
  t.value(Feature::HadPt, 0) = 40.0f;
  t.value(Feature::HadPhi, 0) = hadPhi;
  t.value(Feature::Met, 0) = met;
  t.value(Feature::MetPhi, 0) = metPhi;
  for (Feature f : {Feature::JetLeadingPt, Feature::JetLeadingEta, Feature::JetLeadingPhi, Feature::JetSubleadingPt,
                    Feature::JetSubleadingEta, Feature::JetSubleadingPhi}) {
    t.value(f, 0) = kMissingValue;
  }
  computeDerived(t);
  return t;
}

TEST(DerivedFeatures, HandComputedTwoBodyQuantities) {
  const EventTable t = oneEvent(0.0f, static_cast<float>(kPi / 2), 0.0f);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::MassVis, 0), std::sqrt(2.0 * 30 * 40), 1e-6);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::PtH, 0), 50.0, 1e-6);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::DeltaRHadLep, 0), kPi / 2, 1e-6);
  HIGGSUQ_EXPECT_CLOSE_ABS(t.value(Feature::MassTransverseMetLep, 0), 0.0, 1e-6);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::SumPt, 0), 70.0, 1e-7);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::PtRatioLepHad, 0), 0.75, 1e-7);
  for (Feature f : {Feature::DeltaEtaJetJet, Feature::MassJetJet, Feature::ProdEtaJetJet, Feature::LepEtaCentrality}) {
    EXPECT_EQ(t.value(f, 0), kMissingValue) << featureName(f);
  }
}

TEST(DerivedFeatures, TransverseMassOfBackToBackLeptonAndMet) {
  const EventTable t = oneEvent(0.0f, 1.0f, static_cast<float>(kPi), 20.0f);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::MassTransverseMetLep, 0), std::sqrt(4.0 * 30 * 20), 1e-6);
}

TEST(DerivedFeatures, MetPhiCentralityOnBisectorAndOpposite) {
  EXPECT_NEAR(oneEvent(0.0f, kPi / 2, kPi / 4).value(Feature::MetPhiCentrality, 0), std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(oneEvent(0.0f, kPi / 2, -3 * kPi / 4).value(Feature::MetPhiCentrality, 0), -std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(oneEvent(0.0f, kPi / 2, 0.0f).value(Feature::MetPhiCentrality, 0), 1.0, 1e-6);
}

TEST(DerivedFeatures, MetPhiCentralityFallsBackToShiftedLeptonPhiWhenDegenerate) {
  // All three collinear: sign(sin(0)) = 0 makes the denominator 0; the reference retries with
  // phi_lep + 1e-4, where A = sin(1e-4) > 0 and B = 0, so the value is exactly 1.
  EXPECT_FLOAT_EQ(oneEvent(0.0f, 0.0f, 0.0f).value(Feature::MetPhiCentrality, 0), 1.0f);
}

EventTable twoJets(float eta1, float eta2, float lepEta, float nJets = 2.0f) {
  EventTable t = oneEvent(0.0f, 1.0f, 2.0f, 10.0f);
  t.value(Feature::LepEta, 0) = lepEta;
  t.value(Feature::NJets, 0) = nJets;
  t.value(Feature::JetLeadingPt, 0) = 60.0f;
  t.value(Feature::JetLeadingEta, 0) = eta1;
  t.value(Feature::JetLeadingPhi, 0) = 0.5f;
  t.value(Feature::JetSubleadingPt, 0) = 35.0f;
  t.value(Feature::JetSubleadingEta, 0) = eta2;
  t.value(Feature::JetSubleadingPhi, 0) = -2.5f;
  t.value(Feature::JetAllPt, 0) = 95.0f;
  computeDerived(t);
  return t;
}

TEST(DerivedFeatures, DijetQuantitiesAndEtaCentrality) {
  const EventTable t = twoJets(2.0f, -1.5f, 0.25f);
  EXPECT_FLOAT_EQ(t.value(Feature::DeltaEtaJetJet, 0), 3.5f);
  EXPECT_FLOAT_EQ(t.value(Feature::ProdEtaJetJet, 0), -3.0f);
  const double mjj = std::sqrt(2.0 * 60 * 35 * (std::cosh(3.5) - std::cos(3.0)));
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::MassJetJet, 0), mjj, 1e-6);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::LepEtaCentrality, 0), 1.0, 1e-7);  // lepton at the jets' midpoint
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::SumPt, 0), 30.0 + 40.0 + 95.0, 1e-7);
}

TEST(DerivedFeatures, EtaCentralityWithEqualJetEtaUsesShiftedDenominator) {
  EXPECT_FLOAT_EQ(twoJets(1.0f, 1.0f, 1.0f).value(Feature::LepEtaCentrality, 0), 1.0f);
  // d = 0 -> 1e-4; (eta_lep - mid)^2 = 1e-4 -> exp(-4).
  HIGGSUQ_EXPECT_CLOSE_REL(twoJets(1.0f, 1.0f, 1.01f).value(Feature::LepEtaCentrality, 0), std::exp(-4.0), 1e-3);
}

TEST(DerivedFeatures, ReferenceQuirkForCountedButRemovedSubleadingJet) {
  // n_jets = 2 but the subleading slot holds -25 (a 3-jet event after jet removal, golden README 1.5.3).
  EventTable t = twoJets(2.0f, -1.5f, 0.25f);
  t.value(Feature::JetSubleadingPt, 0) = kMissingValue;
  t.value(Feature::JetSubleadingEta, 0) = kMissingValue;
  t.value(Feature::JetSubleadingPhi, 0) = kMissingValue;
  computeDerived(t);
  EXPECT_FLOAT_EQ(t.value(Feature::DeltaEtaJetJet, 0), 27.0f);
  EXPECT_FLOAT_EQ(t.value(Feature::ProdEtaJetJet, 0), -50.0f);
  EXPECT_EQ(t.value(Feature::MassJetJet, 0), 0.0f);
  EXPECT_TRUE(std::signbit(t.value(Feature::MassJetJet, 0)));  // sqrt(-0.0) as in the reference
  // pt_tot includes the spurious -25*(cos(-25), sin(-25)) vector.
  const double x = 30.0 + 40.0 * std::cos(1.0) + 10.0 * std::cos(2.0) + 60.0 * std::cos(0.5) - 25.0 * std::cos(-25.0);
  const double y = 40.0 * std::sin(1.0) + 10.0 * std::sin(2.0) + 60.0 * std::sin(0.5) - 25.0 * std::sin(-25.0);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::PtTot, 0), std::hypot(x, y), 1e-5);
}

TEST(DerivedFeatures, OnlyCountedJetsEnterPtTot) {
  const EventTable t = twoJets(2.0f, -1.5f, 0.25f, 1.0f);
  const double x = 30.0 + 40.0 * std::cos(1.0) + 10.0 * std::cos(2.0) + 60.0 * std::cos(0.5);
  const double y = 40.0 * std::sin(1.0) + 10.0 * std::sin(2.0) + 60.0 * std::sin(0.5);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::PtTot, 0), std::hypot(x, y), 1e-5);
  EXPECT_EQ(t.value(Feature::MassJetJet, 0), kMissingValue);
}

TEST(DerivedFeatures, Atlas2014StoredValuesAgreeForSharedDefinitions) {
  // The 2014 file's DER were computed by ATLAS from unrounded values; provenance: median |diff| <= 0.016 GeV,
  // max 0.23 GeV (m_vis). These six features share the 2024 definitions.
  const EventTable stored = readCsvEvents(test::atlas2014Csv(), CsvLayout::Atlas2014Csv);
  ASSERT_EQ(stored.size(), 22889u);
  EventTable mine = stored;
  computeDerived(mine);
  for (Feature f : {Feature::MassVis, Feature::PtH, Feature::MassTransverseMetLep, Feature::DeltaRHadLep,
                    Feature::PtRatioLepHad, Feature::SumPt}) {
    std::vector<double> diffs;
    for (std::size_t i = 0; i < stored.size(); ++i) diffs.push_back(std::abs(mine.value(f, i) - stored.value(f, i)));
    std::nth_element(diffs.begin(), diffs.begin() + diffs.size() / 2, diffs.end());
    EXPECT_LE(diffs[diffs.size() / 2], 0.02) << featureName(f);
    EXPECT_LE(*std::max_element(diffs.begin(), diffs.end()), 0.3) << featureName(f);
  }
}

}  // namespace
}  // namespace higgsuq
