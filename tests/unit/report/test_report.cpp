// Unit tests of the HTML report: one <svg> per plot, summary numbers equal to the scoring
// module's, NaN values counted rather than breaking anything, escaped text, no external resources,
// and loading a results directory written with the ingest module's writers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "higgsuq/ingest/ResultsDirectory.hpp"
#include "higgsuq/report/Report.hpp"
#include "higgsuq/report/Svg.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::report {
namespace {
namespace fs = std::filesystem;

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

/// The content of the summary cell with id "summary-KEY".
std::string summaryCell(const std::string& html, const std::string& key) {
  const std::string open = "id=\"summary-" + key + "\">";
  const std::size_t at = html.find(open);
  if (at == std::string::npos) return "<missing " + key + ">";
  const std::size_t from = at + open.size();
  return html.substr(from, html.find("</td>", from) - from);
}

/// Two sets of five PEs; set 1 has a NaN mu-hat and a NaN p84; nuisances tes (with a fitted_tes) and jes.
std::vector<ingest::PseudoExperimentRecord> sampleRecords() {
  std::vector<ingest::PseudoExperimentRecord> records;
  for (int set = 0; set < 2; ++set) {
    for (int index = 0; index < 5; ++index) {
      ingest::PseudoExperimentRecord record;
      record.set = set;
      record.index = index;
      record.muTrue = 1.0 + set;
      record.muHat = record.muTrue + 0.1 * (index - 2);
      record.deltaMuHat = 0.2;
      record.p16 = record.muHat - 0.2;
      record.p84 = record.muHat + 0.15 * index;
      record.nuisances = {{"tes", 1.0 + 0.01 * index}, {"jes", 0.99 + 0.005 * set}, {"fitted_tes", 1.0 + 0.012 * index}};
      record.status = index == 4 ? "error" : "ok";
      record.seconds = 0.5 + index;
      records.push_back(record);
    }
  }
  records[7].muHat = NAN;
  records[8].p84 = NAN;
  return records;
}

ReportInput sampleInput() {
  ReportInput input;
  input.title = "run <one> & \"two\"";
  input.records = sampleRecords();
  input.sets = ingest::resultsFromRecords(input.records, "test");
  input.scores = scoring::scoreResults(input.sets);
  input.bootstrap = scoring::bootstrapSets(input.scores.perSet, 7, 50);
  input.configuration = nlohmann::json{{"seed", 3}, {"model", "<counting>"}};
  input.ingestionDuration = nlohmann::json{{"ingestion_duration", 0.5}, {"ingestion_seconds", 30.0}};
  return input;
}

TEST(Report, HasOneSvgPerPlot) {
  const ReportInput input = sampleInput();
  EXPECT_EQ(plotCount(input), 4u + 2u + 1u);  // coverage, mu-hat, width, pull; tes, jes; fitted tes
  const std::string html = renderReport(input);
  EXPECT_EQ(occurrences(html, "<svg"), plotCount(input));
  EXPECT_EQ(occurrences(html, "</svg>"), plotCount(input));
  EXPECT_NE(html.find("Drawn nuisance jes"), std::string::npos);
  EXPECT_NE(html.find("Fitted vs true tes"), std::string::npos);
  EXPECT_EQ(html.find("Drawn nuisance fitted_tes"), std::string::npos);
}

TEST(Report, SummaryNumbersEqualTheScoringModule) {
  const ReportInput input = sampleInput();
  const std::string html = renderReport(input);
  const scoring::ScoreReport expected = scoring::scoreResults(input.sets);
  EXPECT_EQ(summaryCell(html, "quantiles_score"), formatNumber(expected.pooled.score));
  EXPECT_EQ(summaryCell(html, "coverage"), formatNumber(expected.pooled.coverage));
  EXPECT_EQ(summaryCell(html, "interval"), formatNumber(expected.pooled.interval));
  EXPECT_EQ(summaryCell(html, "rmse"), formatNumber(expected.rmse));
  EXPECT_EQ(summaryCell(html, "mae"), formatNumber(expected.mae));
  EXPECT_EQ(summaryCell(html, "pseudo_experiments"), "10");
  const scoring::BootstrapResult bootstrap = scoring::bootstrapSets(expected.perSet, 7, 50);
  EXPECT_EQ(summaryCell(html, "bootstrap-quantiles_score"),
            formatNumber(bootstrap.quantilesScore.mean) + " ± " + formatNumber(bootstrap.quantilesScore.std));
  const std::string set0 = "<tr id=\"set-0\"><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">5</td>"
                           "<td class=\"num\">" + formatNumber(expected.perSet[0].quantiles.coverage) + "</td>";
  EXPECT_NE(html.find(set0), std::string::npos);
}

TEST(Report, CountsNaNsStatusesAndTiming) {
  const std::string html = renderReport(sampleInput());
  EXPECT_EQ(summaryCell(html, "nan-mu_hat"), "1");
  EXPECT_EQ(summaryCell(html, "nan-p84"), "1");
  EXPECT_EQ(summaryCell(html, "nan-p16"), "0");
  EXPECT_EQ(summaryCell(html, "status-error"), "2");
  EXPECT_EQ(summaryCell(html, "not-ok"), "2");
  EXPECT_EQ(summaryCell(html, "wall_seconds"), "30");
  EXPECT_EQ(summaryCell(html, "pe_seconds_total"), "25");  // 2 x (0.5 + 1.5 + 2.5 + 3.5 + 4.5)
  EXPECT_EQ(summaryCell(html, "pe_seconds_mean"), "2.5");
  EXPECT_EQ(summaryCell(html, "pe_seconds_median"), "2.5");
  EXPECT_NE(html.find("1 of 10 μ̂ not finite: not drawn"), std::string::npos);
  EXPECT_EQ(html.find("nan\""), std::string::npos);  // no NaN coordinate in any attribute
}

TEST(Report, EscapesTextAndIsSelfContained) {
  const std::string html = renderReport(sampleInput());
  EXPECT_NE(html.find("run &lt;one&gt; &amp; &quot;two&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<one>"), std::string::npos);
  EXPECT_NE(html.find("&quot;&lt;counting&gt;&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<counting>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("https:"), std::string::npos);
}

TEST(Report, WithoutRecordsOrNuisancesStillDrawsTheFourPlots) {
  ReportInput input = sampleInput();
  input.records.clear();
  input.bootstrap.reset();
  input.configuration = nullptr;
  input.ingestionDuration.reset();
  const std::string html = renderReport(input);
  EXPECT_EQ(plotCount(input), 4u);
  EXPECT_EQ(occurrences(html, "<svg"), 4u);
  EXPECT_NE(html.find("No nuisance values were recorded"), std::string::npos);
  EXPECT_EQ(summaryCell(html, "not-ok"), "no records");
  EXPECT_EQ(summaryCell(html, "wall_seconds"), "NaN");
}

class ReportDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("higgsuq_report_unit_" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

TEST_F(ReportDirectory, LoadsRankPartsAndManifest) {
  const std::vector<ingest::PseudoExperimentRecord> records = sampleRecords();
  const std::vector<ingest::PseudoExperimentRecord> even(records.begin(), records.begin() + 5);
  const std::vector<ingest::PseudoExperimentRecord> odd(records.begin() + 5, records.end());
  ingest::writePseudoExperiments(m_dir / "pseudo_experiments.rank1.jsonl", odd);
  ingest::writePseudoExperiments(m_dir / "pseudo_experiments.rank0.jsonl", even);
  ingest::writeTestSettings(m_dir, std::vector<double>{1.0, 2.0});
  for (const scoring::SetResults& set : ingest::resultsFromRecords(records, "test")) ingest::writeResultFile(m_dir, set);
  std::ofstream(m_dir / "ingestion.json") << R"({"seed": 5, "sets": 2})";
  std::ofstream(m_dir / ingest::kIngestionDurationFile) << R"({"ingestion_duration": 0.25, "ingestion_seconds": 15.5})";
  const ReportInput input = loadReportInput(m_dir, 20, 1);
  ASSERT_TRUE(input.ingestionDuration.has_value());
  EXPECT_EQ(input.ingestionDuration->at("ingestion_seconds"), 15.5);
  EXPECT_EQ(input.records.size(), 10u);
  EXPECT_EQ(input.records.front().set, 0);
  EXPECT_EQ(input.sets.size(), 2u);
  EXPECT_EQ(input.configuration.at("seed"), 5);
  ASSERT_TRUE(input.bootstrap.has_value());
  EXPECT_EQ(input.bootstrap->samples.size(), 20u);
  EXPECT_EQ(std::isnan(input.scores.pooled.coverage), false);
}

TEST_F(ReportDirectory, BadManifestThrowsInputErrorNamingTheFile) {
  ingest::writePseudoExperiments(m_dir / "pseudo_experiments.jsonl", sampleRecords());
  std::ofstream(m_dir / "ingestion.json") << "{ not json";
  try {
    loadReportInput(m_dir, 0);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("ingestion.json"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace higgsuq::report
