// The reference systematics() outputs on the 1,000-event FAIR sample (../shared/golden/systematics):
// higgsuq must give the same surviving rows in input order and the same features within the
// tolerances of golden/README.md §1.4.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>

#include "helpers/CsvTable.hpp"
#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {
namespace {

using test::CsvTable;

EventTable loadSample() {
  EventTable t = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  // The sample's weights are float32 values; the reference widened them exactly to float64.
  for (double& w : t.weights()) w = static_cast<double>(static_cast<float>(w));
  return t;
}

nlohmann::json manifest() {
  std::ifstream in(test::goldenDir() / "systematics" / "manifest.json");
  return nlohmann::json::parse(in);
}

NuisanceValues valuesFrom(const nlohmann::json& args) {
  NuisanceValues v;
  v.tes = args.at("tes").get<double>();
  v.jes = args.at("jes").get<double>();
  v.softMet = args.at("soft_met").get<double>();
  for (auto [key, n] : {std::pair{"ttbar_scale", Nuisance::TtbarScale}, std::pair{"diboson_scale", Nuisance::DibosonScale},
                        std::pair{"bkg_scale", Nuisance::BkgScale}}) {
    if (!args.at(key).is_null()) v.set(n, args.at(key).get<double>());
  }
  return v;
}

/// Tolerance rule of golden/README.md §1.4 for one feature.
::testing::AssertionResult featureClose(Feature f, double mine, double ref) {
  if (ref == kMissingValue || mine == kMissingValue) {
    if (mine == ref) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "undefined (-25) mismatch: " << mine << " vs " << ref;
  }
  if (f == Feature::NJets) return test::closeAbs(mine, ref, 0.0);
  if (isPrimary(f)) return test::closeAbs(mine, ref, 1.5e-3);
  if (f == Feature::MassTransverseMetLep || f == Feature::MassJetJet) return test::closeMixed(mine, ref, 2e-2, 1e-4);
  return test::closeMixed(mine, ref, 3e-3, 1e-4);
}

void compareWithGolden(const EventTable& out, const std::vector<std::uint32_t>& rows, const CsvTable& golden,
                       bool compareMetDependent = true) {
  ASSERT_EQ(out.size(), golden.rows());
  for (std::size_t r = 0; r < golden.rows(); ++r) {
    ASSERT_EQ(rows[r], static_cast<std::uint32_t>(golden.number(r, "source_row"))) << "output row " << r;
    ASSERT_EQ(out.labels()[r], golden.number(r, "labels"));
    ASSERT_EQ(processName(out.processes()[r]), golden.text(r, "detailed_labels"));
    HIGGSUQ_EXPECT_CLOSE_REL(out.weights()[r], golden.number(r, "weights"), 1e-12);
    for (std::size_t fi = 0; fi < kNumFeatures; ++fi) {
      const Feature f = featureAt(fi);
      const std::string name(featureName(f));
      EXPECT_TRUE(featureClose(f, out.value(f, r), golden.number(r, name)))
          << name << " at source_row " << rows[r];
    }
  }
}

class GoldenSystematics : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenSystematics, SameRowsAndFeaturesAsReference) {
  const auto point = manifest().at("points").at(GetParam());
  const EventTable sample = loadSample();
  const Systematics systematics{SystematicsConfig{}};
  std::vector<std::uint32_t> rows;
  const EventTable out =
      systematics.apply(sample, valuesFrom(point.at("arguments")), SoftMetNoise::fromSeed(31415), &rows);
  const CsvTable golden(test::goldenDir() / "systematics" / point.at("file").get<std::string>());
  EXPECT_EQ(out.size(), point.at("rows_out").get<std::size_t>());
  compareWithGolden(out, rows, golden);
}

INSTANTIATE_TEST_SUITE_P(AllPoints, GoldenSystematics,
                         ::testing::Values("nominal", "tes_0.97", "tes_1.03", "jes_0.95", "jes_1.05",
                                           "tes_1.02_jes_0.98", "tes_1.05_jes_1.08",
                                           "norm_ttbar_1.1_diboson_0.7_bkg_1.005"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) if (c == '.') c = '_';
                           return n;
                         });

TEST(GoldenSystematics, ManifestListsEveryPointTested) {
  // Guards against the golden set growing without this test following.
  EXPECT_EQ(manifest().at("points").size(), 9u);  // the 8 above + soft_met
}

TEST(GoldenSystematics, SoftMetWithTheReferenceNoiseDrawsReproducesItsOutput) {
  const CsvTable noiseFile(test::goldenDir() / "systematics" / "soft_met" / "soft_met_3.0_seed_31415_noise.csv");
  const std::vector<double> x = noiseFile.column("soft_px"), y = noiseFile.column("soft_py");
  const EventTable sample = loadSample();
  ASSERT_EQ(x.size(), sample.size());
  const Systematics systematics{SystematicsConfig{}};
  std::vector<std::uint32_t> rows;
  const SoftMetNoise replay{{}, x, y, 0};
  const EventTable out = systematics.apply(sample, NuisanceValues{.softMet = 3.0}, replay, &rows);
  const CsvTable golden(test::goldenDir() / "systematics" / "soft_met" / "soft_met_3.0_seed_31415.csv");
  compareWithGolden(out, rows, golden);
}

TEST(GoldenSystematics, SoftMetWithOwnStreamMatchesReferenceStatistics) {
  // golden README §1.6: |mean dx|, |mean dy| < 0.5 and std in [2.65, 3.35] over the 925 survivors.
  const EventTable sample = loadSample();
  const Systematics systematics{SystematicsConfig{}};
  std::vector<std::uint32_t> rows;
  const EventTable out = systematics.apply(sample, NuisanceValues{.softMet = 3.0}, SoftMetNoise::fromSeed(31415), &rows);
  ASSERT_EQ(out.size(), 925u);
  double sx = 0, sy = 0, sxx = 0, syy = 0;
  for (std::size_t r = 0; r < out.size(); ++r) {
    const double met = out.value(Feature::Met, r), phi = out.value(Feature::MetPhi, r);
    const double met0 = sample.value(Feature::Met, rows[r]), phi0 = sample.value(Feature::MetPhi, rows[r]);
    const double dx = met * std::cos(phi) - met0 * std::cos(phi0), dy = met * std::sin(phi) - met0 * std::sin(phi0);
    sx += dx, sy += dy, sxx += dx * dx, syy += dy * dy;
  }
  const double n = static_cast<double>(out.size());
  const double mx = sx / n, my = sy / n;
  const double stdx = std::sqrt((sxx - n * mx * mx) / (n - 1)), stdy = std::sqrt((syy - n * my * my) / (n - 1));
  EXPECT_LT(std::abs(mx), 0.5);
  EXPECT_LT(std::abs(my), 0.5);
  EXPECT_GT(stdx, 2.65);
  EXPECT_LT(stdx, 3.35);
  EXPECT_GT(stdy, 2.65);
  EXPECT_LT(stdy, 3.35);
}

TEST(GoldenSystematics, StoredDerOfTheSampleMatchesRecomputation) {
  // The sample's own DER columns were computed by the reference on raw PRI (no cuts): recompute and compare.
  const EventTable stored = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  EventTable recomputed = stored;
  computeDerived(recomputed);
  for (std::size_t r = 0; r < stored.size(); ++r) {
    for (std::size_t fi = kNumPrimary; fi < kNumFeatures; ++fi) {
      const Feature f = featureAt(fi);
      EXPECT_TRUE(featureClose(f, recomputed.value(f, r), stored.value(f, r))) << featureName(f) << " row " << r;
    }
  }
}

}  // namespace
}  // namespace higgsuq
