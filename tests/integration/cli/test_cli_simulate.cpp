// End-to-end: higgsuq simulate and simulate-validate on small event counts: the file written, its
// reproducibility, the --cross-sections table, the --auc classifier check, their errors and their --help.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "helpers/CliTest.hpp"
#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CrossSectionJson.hpp"
#include "higgsuq/io/EventFiles.hpp"

namespace higgsuq {
namespace {

namespace fs = std::filesystem;
using test::runCommand;

class CliSimulate : public test::CliTest {
 protected:
  static std::string shippedTable() {
    return (test::sourceDir() / "config/cross-sections/neurips2024.json").string();
  }
};

bool sameEvents(const EventTable& a, const EventTable& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    const auto ca = a.column(featureAt(f)), cb = b.column(featureAt(f));
    if (std::memcmp(ca.data(), cb.data(), ca.size_bytes()) != 0) return false;
  }
  return std::equal(a.weights().begin(), a.weights().end(), b.weights().begin()) &&
         std::equal(a.processes().begin(), a.processes().end(), b.processes().begin()) &&
         std::equal(a.labels().begin(), a.labels().end(), b.labels().begin());
}

void expectUserError(const test::CommandResult& r, const std::string& fragment) {
  EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

TEST_F(CliSimulate, WritesTheRequestedEventsReproducibly) {
  const std::string cmd = cli() + " simulate --events 2000 --seed 1 --out ";
  const auto a = runCommand(cmd + path("a.h5"));
  ASSERT_EQ(a.exitCode, 0) << a.err;
  const auto summary = nlohmann::json::parse(a.out);
  EXPECT_EQ(summary.at("events"), 2000);
  EXPECT_EQ(summary.at("preset"), "neurips2024");
  const EventTable events = readEvents(path("a.h5"), EventFormat::Hdf5);
  ASSERT_EQ(events.size(), 2000u);
  EXPECT_GT(events.count(Process::HTauTau), 0u);
  EXPECT_GT(events.count(Process::ZTauTau), 0u);
  EXPECT_NEAR(events.sumWeights(Process::HTauTau), 1015.0, 1e-6 * 1015.0);  // 10 fb^-1 whatever N is

  const auto b = runCommand(cmd + path("b.h5") + " --threads 1");
  ASSERT_EQ(b.exitCode, 0) << b.err;
  EXPECT_TRUE(sameEvents(events, readEvents(path("b.h5"), EventFormat::Hdf5)));
  const auto c = runCommand(cli() + " simulate --events 2000 --seed 2 --out " + path("c.h5"));
  ASSERT_EQ(c.exitCode, 0) << c.err;
  EXPECT_FALSE(sameEvents(events, readEvents(path("c.h5"), EventFormat::Hdf5)));
}

TEST_F(CliSimulate, ShippedCrossSectionFileGivesThePresetsEvents) {
  const auto preset = runCommand(cli() + " simulate --events 500 --seed 4 --out " + path("preset.h5"));
  const auto file = runCommand(cli() + " simulate --events 500 --seed 4 --cross-sections " + shippedTable() +
                               " --out " + path("file.h5"));
  ASSERT_EQ(preset.exitCode, 0) << preset.err;
  ASSERT_EQ(file.exitCode, 0) << file.err;
  EXPECT_EQ(nlohmann::json::parse(file.out).at("cross_sections"), shippedTable());
  EXPECT_TRUE(sameEvents(readEvents(path("preset.h5"), EventFormat::Hdf5),
                         readEvents(path("file.h5"), EventFormat::Hdf5)));
}

TEST_F(CliSimulate, CrossSectionTableSetsTheYields) {
  auto table = nlohmann::json::parse(readFileText(shippedTable()));
  table["name"] = "doubled-higgs";
  table["processes"][0]["expected_yield"] = 2030.0;
  std::ofstream(path("doubled.json")) << table.dump(2);
  const auto r = runCommand(cli() + " simulate --events 500 --seed 4 --cross-sections " +
                            path("doubled.json") + " --out " + path("x.h5"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("preset"), "doubled-higgs");
  EXPECT_NEAR(readEvents(path("x.h5"), EventFormat::Hdf5).sumWeights(Process::HTauTau), 2030.0,
              1e-6 * 2030.0);
}

TEST_F(CliSimulate, BadCrossSectionTableNamesTheFileAndFieldAndWritesNothing) {
  auto table = nlohmann::json::parse(readFileText(shippedTable()));
  table["processes"][1]["cross_section_fb"] = "lots";
  std::ofstream(path("bad.json")) << table.dump(2);
  expectUserError(runCommand(cli() + " simulate --events 100 --seed 1 --cross-sections " + path("bad.json") +
                             " --out " + path("x.h5")),
                  path("bad.json") + ": processes[1].cross_section_fb: expected a number");
  EXPECT_FALSE(fs::exists(path("x.h5")));
  expectUserError(runCommand(cli() + " simulate --events 100 --seed 1 --preset early2024 --cross-sections " +
                             shippedTable() + " --out " + path("x.h5")),
                  "excludes");
  expectUserError(
      runCommand(cli() + " simulate --events 100 --seed 1 --preset lhc2012 --out " + path("x.h5")),
      "unknown simulation preset 'lhc2012'");
  EXPECT_FALSE(fs::exists(path("x.h5")));
}

TEST_F(CliSimulate, ValidateWritesTheReportOnASmallRun) {
  const auto r = runCommand(cli() + " simulate-validate --events 3000 --seed 1 --sample " +
                            test::fairSampleCsv().string() + " --out " + path("validation.md"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("events"), 3000);
  const std::string report = readFileText(path("validation.md"));
  EXPECT_NE(report.find("# Validation of the built-in simulation"), std::string::npos);
  EXPECT_NE(report.find("simulate-validate --events 3000 --seed 1 --preset neurips2024"), std::string::npos);
  EXPECT_NE(report.find("ztautau"), std::string::npos);
  EXPECT_NE(report.find("htautau"), std::string::npos);
  EXPECT_EQ(report.find("## Classifier separation"), std::string::npos);  // only with --auc
}

// The issue: the baseline classifier's H-vs-Z AUC on simulated held-out events and on the official
// sample "should be close". 50 trees on 20,000 events: both near 0.87 today.
TEST_F(CliSimulate, ValidateWithAucReportsCloseHeldOutAndSampleAucs) {
  const auto r = runCommand(cli() + " simulate-validate --events 20000 --seed 1 --auc --auc-trees 50 --sample " +
                            test::fairSampleCsv().string() + " --out " + path("validation.md"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  const double heldOut = summary.at("auc_heldout_htautau_vs_ztautau");
  const double sample = summary.at("auc_sample_htautau_vs_ztautau");
  EXPECT_GT(heldOut, 0.80);
  EXPECT_LT(heldOut, 0.95);
  EXPECT_GT(sample, 0.80);
  EXPECT_LT(sample, 0.95);
  EXPECT_NEAR(heldOut, sample, 0.04);  // the sample's ~900 H + Z events give about +-0.015
  const std::string report = readFileText(path("validation.md"));
  EXPECT_NE(report.find("--seed 1 --preset neurips2024 --auc --auc-trees 50 --sample"), std::string::npos);
  EXPECT_NE(report.find("## Classifier separation: H→ττ vs Z→ττ"), std::string::npos);
  EXPECT_NE(report.find("| simulated, held out from training |"), std::string::npos);
  EXPECT_NE(report.find("| FAIR sample |"), std::string::npos);
}

// Simulated pools must sum to what the challenge expects per pseudo-experiment: the shipped neurips2024
// cross-section table and challenges/neurips2024.json give the same yields (tt 44,190, as in the issue).
TEST(SimulationPresets, Neurips2024YieldsEqualTheChallengeDefinition) {
  const sim::SimulationPreset preset = crossSectionPreset("neurips2024");
  const ChallengeDefinition challenge = loadChallengeDefinition("neurips2024");
  EXPECT_EQ(preset.referenceLuminosityFb, challenge.luminosityFb);
  ASSERT_EQ(preset.processes.size(), challenge.processes.size());
  for (std::size_t p = 0; p < preset.processes.size(); ++p) {
    EXPECT_EQ(preset.processes[p].process, challenge.processes[p].process);
    EXPECT_EQ(preset.processes[p].expectedYield, challenge.processes[p].expectedYield)
        << processName(preset.processes[p].process);
  }
  EXPECT_EQ(preset.processes[2].expectedYield, 44190.0);
}

TEST_F(CliSimulate, HelpListsTheOptions) {
  for (const char* sub : {"simulate", "simulate-validate"}) {
    const auto r = runCommand(cli() + " " + sub + " --help");
    EXPECT_EQ(r.exitCode, 0) << sub;
    for (const char* option : {"--events", "--seed", "--preset", "--cross-sections", "--out"}) {
      EXPECT_NE(r.out.find(option), std::string::npos) << sub << " " << option;
    }
  }
  const std::string validateHelp = runCommand(cli() + " simulate-validate --help").out;
  for (const char* option : {"--sample", "--auc", "--auc-trees"}) {
    EXPECT_NE(validateHelp.find(option), std::string::npos) << option;
  }
}

}  // namespace
}  // namespace higgsuq
