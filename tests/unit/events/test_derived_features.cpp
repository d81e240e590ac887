// DER features: hand-computed values, the reference's edge cases, and real data (ATLAS 2014 open data,
// whose stored DER the 2014 organisers computed with the same definitions for these six features).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

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
  for (Feature f : {Feature::JetLeadingPt, Feature::JetLeadingEta, Feature::JetLeadingPhi,
                    Feature::JetSubleadingPt, Feature::JetSubleadingEta, Feature::JetSubleadingPhi}) {
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
  for (Feature f :
       {Feature::DeltaEtaJetJet, Feature::MassJetJet, Feature::ProdEtaJetJet, Feature::LepEtaCentrality}) {
    EXPECT_EQ(t.value(f, 0), kMissingValue) << featureName(f);
  }
}

TEST(DerivedFeatures, TransverseMassOfBackToBackLeptonAndMet) {
  const EventTable t = oneEvent(0.0f, 1.0f, static_cast<float>(kPi), 20.0f);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::MassTransverseMetLep, 0), std::sqrt(4.0 * 30 * 20), 1e-6);
}

TEST(DerivedFeatures, MetPhiCentralityOnBisectorAndOpposite) {
  EXPECT_NEAR(oneEvent(0.0f, kPi / 2, kPi / 4).value(Feature::MetPhiCentrality, 0), std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(oneEvent(0.0f, kPi / 2, -3 * kPi / 4).value(Feature::MetPhiCentrality, 0), -std::sqrt(2.0),
              1e-6);
  EXPECT_NEAR(oneEvent(0.0f, kPi / 2, 0.0f).value(Feature::MetPhiCentrality, 0), 1.0, 1e-6);
}

TEST(DerivedFeatures, MetPhiCentralityAtTheEdgesOfTheAzimuthRange) {
  // 3-decimal azimuths reach +-3.142, so phi_had - phi_lep reaches +-6.284, beyond 2 pi: sin of it is
  // positive at +6.284 and negative at -6.284. MET at 0: A = B = sin(3.142) * sign, centrality -sqrt(2).
  for (const auto& [lep, had] : {std::pair{-3.142f, 3.142f}, std::pair{3.142f, -3.142f}}) {
    const double sHl = std::sin(static_cast<double>(had) - static_cast<double>(lep));
    const double sg = sHl > 0.0 ? 1.0 : -1.0;
    const double a = std::sin(0.0 - static_cast<double>(lep)) * sg,
                 b = std::sin(static_cast<double>(had)) * sg;
    const double expected = (a + b) / std::sqrt(a * a + b * b);
    EXPECT_NEAR(oneEvent(lep, had, 0.0f).value(Feature::MetPhiCentrality, 0), expected, 1e-4)
        << lep << " " << had;
  }
  EXPECT_NEAR(oneEvent(-3.142f, 3.142f, 0.0f).value(Feature::MetPhiCentrality, 0), -std::sqrt(2.0), 1e-4);
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
  HIGGSUQ_EXPECT_CLOSE_REL(twoJets(1.0f, 1.0f, 1.01f).value(Feature::LepEtaCentrality, 0), std::exp(-4.0),
                           1e-3);
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
  const double x =
      30.0 + 40.0 * std::cos(1.0) + 10.0 * std::cos(2.0) + 60.0 * std::cos(0.5) - 25.0 * std::cos(-25.0);
  const double y =
      40.0 * std::sin(1.0) + 10.0 * std::sin(2.0) + 60.0 * std::sin(0.5) - 25.0 * std::sin(-25.0);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::PtTot, 0), std::hypot(x, y), 1e-5);
}

TEST(DerivedFeatures, OnlyCountedJetsEnterPtTot) {
  const EventTable t = twoJets(2.0f, -1.5f, 0.25f, 1.0f);
  const double x = 30.0 + 40.0 * std::cos(1.0) + 10.0 * std::cos(2.0) + 60.0 * std::cos(0.5);
  const double y = 40.0 * std::sin(1.0) + 10.0 * std::sin(2.0) + 60.0 * std::sin(0.5);
  HIGGSUQ_EXPECT_CLOSE_REL(t.value(Feature::PtTot, 0), std::hypot(x, y), 1e-5);
  EXPECT_EQ(t.value(Feature::MassJetJet, 0), kMissingValue);
}

/// The reference's formulas in double, straight from the angles (no identities).
struct DirectDer {
  double mt, mvis, mjj, centrality;
};

DirectDer directDer(const EventTable& t, std::size_t i) {
  auto v = [&](Feature f) { return static_cast<double>(t.value(f, i)); };
  const double dphiMl = v(Feature::MetPhi) - v(Feature::LepPhi),
               dphiLh = v(Feature::LepPhi) - v(Feature::HadPhi);
  const double dphiJj = v(Feature::JetLeadingPhi) - v(Feature::JetSubleadingPhi);
  const double detaLh = v(Feature::LepEta) - v(Feature::HadEta);
  const double detaJj = v(Feature::JetLeadingEta) - v(Feature::JetSubleadingEta);
  DirectDer d{};
  d.mt = std::sqrt(2.0 * v(Feature::Met) * v(Feature::LepPt) * (1.0 - std::cos(dphiMl)));
  d.mvis = std::sqrt(2.0 * v(Feature::LepPt) * v(Feature::HadPt) * (std::cosh(detaLh) - std::cos(dphiLh)));
  d.mjj = std::sqrt(2.0 * v(Feature::JetLeadingPt) * v(Feature::JetSubleadingPt) *
                    (std::cosh(detaJj) - std::cos(dphiJj)));
  const double sHl = std::sin(v(Feature::HadPhi) - v(Feature::LepPhi));
  const double sg = sHl > 0.0 ? 1.0 : (sHl < 0.0 ? -1.0 : 0.0);
  const double a = std::sin(dphiMl) * sg, b = std::sin(v(Feature::HadPhi) - v(Feature::MetPhi)) * sg;
  d.centrality = (a + b) / std::sqrt(a * a + b * b);
  return d;
}

TEST(DerivedFeatures, AngleIdentitiesMatchDirectFormulasIncludingCollinearAndBackToBack) {
  // Angle differences are built from the five azimuths' cos and sin; this checks them against the
  // direct double formulas on 3-decimal azimuths, half of them a few mrad from each other or from pi.
  std::mt19937 rng(2024);
  std::uniform_real_distribution<double> phi(-3.1424, 3.1424), eta(-2.5, 2.5), pt(20.0, 300.0),
      small(-0.006, 0.006);
  auto milli = [](double x) { return static_cast<float>(std::round(x * 1000.0) / 1000.0); };
  constexpr std::size_t kEvents = 20000;
  EventTable t(kEvents);
  for (std::size_t i = 0; i < kEvents; ++i) {
    const double lep = phi(rng), near = i % 2 == 0;
    const double had = near ? lep + (i % 4 == 0 ? small(rng) : kPi + small(rng)) : phi(rng);
    const double met = near ? lep + small(rng) : phi(rng);
    const double jet1 = phi(rng), jet2 = near ? jet1 + small(rng) : phi(rng);
    auto wrap = [](double x) { return std::remainder(x, 2.0 * kPi); };
    t.value(Feature::LepPhi, i) = milli(lep);
    t.value(Feature::HadPhi, i) = milli(wrap(had));
    t.value(Feature::MetPhi, i) = milli(wrap(met));
    t.value(Feature::JetLeadingPhi, i) = milli(jet1);
    t.value(Feature::JetSubleadingPhi, i) = milli(wrap(jet2));
    for (Feature f : {Feature::LepEta, Feature::HadEta, Feature::JetLeadingEta})
      t.value(f, i) = milli(eta(rng));
    t.value(Feature::JetSubleadingEta, i) = near ? t.value(Feature::JetLeadingEta, i) : milli(eta(rng));
    for (Feature f :
         {Feature::LepPt, Feature::HadPt, Feature::Met, Feature::JetLeadingPt, Feature::JetSubleadingPt}) {
      t.value(f, i) = milli(pt(rng));
    }
    t.value(Feature::NJets, i) = 2.0f;
  }
  computeDerived(t);
  double worstMt = 0.0, worstMvis = 0.0, worstMjj = 0.0, worstCentrality = 0.0;
  for (std::size_t i = 0; i < kEvents; ++i) {
    const DirectDer d = directDer(t, i);
    // Relative above 1 (GeV), absolute below.
    auto rel = [](double a, double b) { return std::abs(a - b) / std::max(1.0, std::abs(b)); };
    worstMt = std::max(worstMt, rel(t.value(Feature::MassTransverseMetLep, i), d.mt));
    worstMvis = std::max(worstMvis, rel(t.value(Feature::MassVis, i), d.mvis));
    worstMjj = std::max(worstMjj, rel(t.value(Feature::MassJetJet, i), d.mjj));
    if (std::isfinite(d.centrality)) {
      worstCentrality =
          std::max(worstCentrality, std::abs(t.value(Feature::MetPhiCentrality, i) - d.centrality));
    }
  }
  // Observed 1.9e-5, 3.5e-6, 2.3e-5 and 1.0e-4 (the previous sin-of-differences code: 3.7e-5, 6e-7,
  // 4.3e-5, 1.3e-4); the golden tolerances are 2e-2 GeV for the masses and 3e-3 for the centrality.
  // The plain (1 - cos d) / 2 would miss m_T by ~3e-2 GeV at small angles.
  EXPECT_LE(worstMt, 2e-4);
  EXPECT_LE(worstMvis, 2e-4);
  EXPECT_LE(worstMjj, 2e-4);
  EXPECT_LE(worstCentrality, 5e-4);
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
    for (std::size_t i = 0; i < stored.size(); ++i)
      diffs.push_back(std::abs(mine.value(f, i) - stored.value(f, i)));
    std::nth_element(diffs.begin(), diffs.begin() + diffs.size() / 2, diffs.end());
    EXPECT_LE(diffs[diffs.size() / 2], 0.02) << featureName(f);
    EXPECT_LE(*std::max_element(diffs.begin(), diffs.end()), 0.3) << featureName(f);
  }
}

}  // namespace
}  // namespace higgsuq
