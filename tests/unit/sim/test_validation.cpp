// The acceptance band: medians of DER_mass_vis and DER_mass_transverse_met_lep for ztautau and
// htautau within 10% of the official FAIR 1,000-event sample (medians computed here from the CSV).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "helpers/SharedData.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/sim/Generator.hpp"
#include "higgsuq/sim/Validation.hpp"

namespace higgsuq::sim {
namespace {

TEST(SimulationValidation, ZAndHiggsMediansWithinTenPercentOfFairSample) {
  const EventTable sample = readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv);
  SimulationRequest r;
  r.events = 60000;
  r.seed = 2024;
  r.processFractions = std::vector<double>{1.0, 1.0, 0.0, 0.0};
  const EventTable simulated = simulateToTable(r);
  for (Process p : {Process::ZTauTau, Process::HTauTau}) {
    ASSERT_GT(sample.count(p), 300u);
    for (Feature f : kValidatedFeatures) {
      const double sim = processQuantiles(simulated, p, f).median, ref = processQuantiles(sample, p, f).median;
      std::printf("%-8s %-28s sim %7.2f sample %7.2f (%+5.1f%%)\n", std::string(processName(p)).c_str(),
                  std::string(featureName(f)).c_str(), sim, ref, 100.0 * (sim - ref) / ref);
    }
    for (Feature f : {Feature::MassVis, Feature::MassTransverseMetLep}) {
      const double sim = processQuantiles(simulated, p, f).median, ref = processQuantiles(sample, p, f).median;
      EXPECT_LE(std::abs(sim - ref), 0.10 * ref) << processName(p) << " " << featureName(f);
    }
  }
}

TEST(SimulationValidation, AucStandardErrorIsHanleyMcNeil) {
  // A = 0.5, 100 + 100 events: Q1 = Q2 = 1/3, SE^2 = (0.25 + 2 x 99 / 12) / 100^2.
  EXPECT_NEAR(aucStandardError({100, 100, 0.5}), std::sqrt((0.25 + 2.0 * 99.0 / 12.0) / 1e4), 1e-12);
  EXPECT_LT(aucStandardError({30000, 60000, 0.9}), 0.003);
  EXPECT_GT(aucStandardError({320, 580, 0.87}), 0.008);
  EXPECT_TRUE(std::isnan(aucStandardError({0, 10, 0.5})));
}

TEST(SimulationValidation, ReportHasTheClassifierSectionOnlyWhenGiven) {
  SimulationSummary summary;
  const std::string without = validationMarkdown({}, summary, "cmd");
  EXPECT_EQ(without.find("Classifier separation"), std::string::npos);
  ClassifierSeparation separation{"XGBoost", 1000, {300, 600, 0.9012}, {320, 580, 0.8712}};
  const std::string with = validationMarkdown({}, summary, "cmd", separation);
  EXPECT_NE(with.find("## Classifier separation: H→ττ vs Z→ττ"), std::string::npos);
  EXPECT_NE(with.find("| simulated, held out from training | 300 + 600 | 0.9012 ± "), std::string::npos) << with;
  EXPECT_NE(with.find("| FAIR sample | 320 + 580 | 0.8712 ± "), std::string::npos) << with;
  EXPECT_NE(with.find("Difference (simulated − sample): +0.0300 ± "), std::string::npos) << with;
}

}  // namespace
}  // namespace higgsuq::sim
