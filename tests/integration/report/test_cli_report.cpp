// End-to-end tests of `higgsuq report DIR`: a results directory written with the ingest module's
// writers is reported by the built CLI, and the page is rendered with headless Chromium (the Debian
// package, installed by scripts/install-deps.sh): the screenshot must be a non-trivial PNG and the
// rendered DOM must hold one <svg> per plot.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/ingest/ResultsDirectory.hpp"

namespace higgsuq::test {
namespace {
namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr std::size_t kPlotsOfTheTestRun = 4 + 2;  // four fixed plots, two drawn nuisances

std::string shellQuoted(const fs::path& path) {
  std::string out = "'";
  out += path.string();
  out += '\'';
  return out;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

/// Six sets of 30 PEs with intervals that cover about 68%, two nuisances and one NaN mu-hat.
std::vector<ingest::PseudoExperimentRecord> runRecords() {
  std::vector<ingest::PseudoExperimentRecord> records;
  for (int set = 0; set < 6; ++set) {
    for (int index = 0; index < 30; ++index) {
      ingest::PseudoExperimentRecord record;
      record.set = set;
      record.index = index;
      record.seed = 1000 + 30 * set + index;
      record.muTrue = 0.5 + 0.4 * set;
      const double pull = std::sin(7.3 * set + 1.7 * index) * 1.6;  // spread over about [-1.6, 1.6]
      record.deltaMuHat = 0.3 + 0.01 * index;
      record.muHat = record.muTrue + pull * record.deltaMuHat;
      record.p16 = record.muHat - record.deltaMuHat;
      record.p84 = record.muHat + record.deltaMuHat;
      record.nuisances = {{"tes", 1.0 + 0.01 * std::cos(3.1 * index + set)}, {"bkg_scale", 1.0 + 0.001 * index}};
      record.status = "ok";
      record.seconds = 0.01 * (1 + index % 5);
      records.push_back(record);
    }
  }
  records[17].muHat = NAN;
  records[17].status = "error";
  return records;
}

class CliReport : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = fs::temp_directory_path() / ("higgsuq_cli_report_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir / "run");
    const std::vector<ingest::PseudoExperimentRecord> records = runRecords();
    ingest::writePseudoExperiments(m_dir / "run" / ingest::kPseudoExperimentsFile, records);
    std::ofstream(m_dir / "run" / "ingestion.json")
        << R"({"seed": 31415, "sets": 6, "pseudo_experiments": 30, "ranks": 1, "model": "synthetic"})";
    std::ofstream(m_dir / "run" / ingest::kIngestionDurationFile)
        << R"({"ingestion_duration": 0.05, "ingestion_seconds": 3.0})";
  }
  void TearDown() override { fs::remove_all(m_dir); }

  CommandResult report(const std::string& arguments) {
    return runCommand(shellQuoted(cliBinary()) + " report " + arguments);
  }

  /// Headless Chromium with a fresh profile and nothing that reaches the network.
  CommandResult chromium(const std::string& action, const fs::path& page, const std::string& profile) {
    return runCommand("timeout 180 " + std::string(kChromium) +
                      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                      " --disable-background-networking --disable-component-update --disable-sync"
                      " --user-data-dir=" + shellQuoted(m_dir / profile) + " " + action +
                      " --window-size=1200,3000 " + shellQuoted("file://" + page.string()));
  }

  fs::path m_dir;
};

TEST_F(CliReport, WritesDirReportHtmlAndPrintsThePath) {
  const CommandResult result = report(shellQuoted(m_dir / "run"));
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const fs::path page = m_dir / "run" / "report.html";
  EXPECT_NE(result.out.find(page.string()), std::string::npos) << result.out;
  const std::string html = slurp(page);
  EXPECT_EQ(occurrences(html, "<svg"), kPlotsOfTheTestRun);
  EXPECT_NE(html.find("id=\"summary-nan-mu_hat\">1<"), std::string::npos);
  EXPECT_NE(html.find("id=\"summary-status-error\">1<"), std::string::npos);
  EXPECT_NE(html.find("synthetic"), std::string::npos);
  EXPECT_NE(html.find("id=\"summary-wall_seconds\">3<"), std::string::npos);
}

TEST_F(CliReport, OutOptionAndMissingDirectory) {
  const fs::path page = m_dir / "elsewhere.html";
  const CommandResult result = report(shellQuoted(m_dir / "run") + " --out " + shellQuoted(page) + " --bootstrap 0");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_TRUE(fs::exists(page));
  EXPECT_FALSE(fs::exists(m_dir / "run" / "report.html"));
  EXPECT_EQ(slurp(page).find("bootstrap resamples"), std::string::npos);

  const CommandResult missing = report(shellQuoted(m_dir / "no-such-run"));
  EXPECT_NE(missing.exitCode, 0);
  EXPECT_NE(missing.err.find("no-such-run"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(m_dir / "no-such-run" / "report.html"));
}

TEST_F(CliReport, RendersInHeadlessChromium) {
  ASSERT_TRUE(fs::exists(kChromium)) << kChromium << " is missing: run scripts/install-deps.sh (as root) to "
                                     << "install the Debian package chromium";
  ASSERT_EQ(report(shellQuoted(m_dir / "run")).exitCode, 0);
  const fs::path page = m_dir / "run" / "report.html";

  const fs::path png = m_dir / "report.png";
  const CommandResult shot = chromium("--screenshot=" + shellQuoted(png), page, "profile-screenshot");
  ASSERT_EQ(shot.exitCode, 0) << shot.err;
  ASSERT_TRUE(fs::exists(png)) << shot.err;
  EXPECT_GT(fs::file_size(png), 10u * 1024u);
  EXPECT_EQ(slurp(png).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

  const CommandResult dom = chromium("--dump-dom", page, "profile-dom");
  ASSERT_EQ(dom.exitCode, 0) << dom.err;
  EXPECT_EQ(occurrences(dom.out, "<svg"), kPlotsOfTheTestRun);
  EXPECT_NE(dom.out.find("Coverage per set"), std::string::npos);
}

}  // namespace
}  // namespace higgsuq::test
