// HepMC3 input on real generator events (example.hepmc3: 100 e+e- -> Z -> tau tau events from Pythia 6,
// taus undecayed): events read, momentum bookkeeping after the built-in tau decays, the selection count
// against an independent recount of the written rows, determinism, and malformed input.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "helpers/SharedData.hpp"
#include "higgsuq/hepmc/HepMC3Events.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

std::filesystem::path exampleFile() { return test::sharedDir() / "data" / "generator-events" / "example.hepmc3"; }

std::filesystem::path scratchFile(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("higgsuq_hepmc_" + std::to_string(::getpid()) + name);
  std::ofstream(path) << text;
  return path;
}

TEST(HepMC3Events, ReadsAllEventsAndConservesMomentum) {
  HepMC3ReadStats stats;
  const EventTable table = readHepMC3Events(exampleFile(), 1, &stats);
  EXPECT_EQ(stats.eventsRead, 100u);
  EXPECT_EQ(stats.tausDecayed, 200u);  // one tau+ and one tau- per event, all status 1 in this file
  ASSERT_EQ(stats.momentumResidual.size(), 100u);
  for (double r : stats.momentumResidual) EXPECT_LT(r, 1e-6);
  EXPECT_EQ(stats.selected, table.size());
}

TEST(HepMC3Events, SelectionCountIsConsistentWithARecount) {
  HepMC3ReadStats stats;
  const EventTable table = readHepMC3Events(exampleFile(), 7, &stats);
  // Only lepton + hadronic-tau events can pass (no jets to fake a tau at sqrt(s) = 92 GeV);
  // e+e- -> tau tau at 46 GeV per tau leaves some events above the 20 GeV thresholds.
  EXPECT_GT(stats.leptonHadronicEvents, 20u);
  EXPECT_LE(stats.selected, stats.leptonHadronicEvents);
  EXPECT_GT(stats.selected, 0u);
  std::size_t recount = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const bool passes = table.value(Feature::LepPt, i) >= 20.0f && table.value(Feature::HadPt, i) >= 20.0f &&
                        std::abs(table.value(Feature::LepEta, i)) <= 2.5f;
    recount += passes ? 1 : 0;
    EXPECT_LE(table.value(Feature::HadPt, i) + table.value(Feature::LepPt, i), 92.0f * 1.3f);
  }
  EXPECT_EQ(recount, stats.selected);
  HepMC3ReadStats again;
  const EventTable same = readHepMC3Events(exampleFile(), 7, &again);
  EXPECT_EQ(again.selected, stats.selected);
}

TEST(HepMC3Events, TruncatedFileIsAnInputErrorNamingTheFile) {
  std::ifstream in(exampleFile());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto path = scratchFile("truncated.hepmc3", text.substr(0, text.size() / 2));
  try {
    readHepMC3Events(path, 1);
    FAIL() << "no error for a truncated file";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path.filename().string()), std::string::npos) << e.what();
  }
  std::filesystem::remove(path);
}

TEST(HepMC3Events, GarbageAndMissingFilesAreInputErrors) {
  const auto garbage = scratchFile("garbage.hepmc3", "this is not\na HepMC3 file\n");
  EXPECT_THROW(readHepMC3Events(garbage, 1), InputError);
  std::filesystem::remove(garbage);
  const auto badEvent = scratchFile("badevent.hepmc3",
                                    "HepMC::Version 3.01.01\nHepMC::Asciiv3-START_EVENT_LISTING\nE x y z\n"
                                    "HepMC::Asciiv3-END_EVENT_LISTING\n");
  EXPECT_THROW(readHepMC3Events(badEvent, 1), InputError);
  std::filesystem::remove(badEvent);
  EXPECT_THROW(readHepMC3Events("/nonexistent/file.hepmc3", 1), InputError);
}

}  // namespace
}  // namespace higgsuq
