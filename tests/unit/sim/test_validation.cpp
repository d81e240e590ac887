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

}  // namespace
}  // namespace higgsuq::sim
