// The ingestion engine: identical results for any thread count and rank split, resume after a partial
// write, refusal to mix runs, and the fitted nuisances of the baseline recorded for the report.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"
#include "SmallBaseline.hpp"
#include "higgsuq/ingest/Ingestion.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/models/CountingModel.hpp"
#include "higgsuq/report/Report.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ingest {
namespace {

namespace fs = std::filesystem;

class IngestionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_pool = new EventTable(readCsvEvents(test::fairSampleCsv(), CsvLayout::FairCsv));
    s_factory = new PseudoExperimentFactory(*s_pool, loadChallengeDefinition("neurips2024"));
  }
  static void TearDownTestSuite() {
    delete s_factory;
    delete s_pool;
  }
  void SetUp() override {
    m_root = fs::temp_directory_path() / ("higgsuq-ingest-" + std::to_string(::getpid()) + "-" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_root);
  }
  void TearDown() override { fs::remove_all(m_root); }
  IngestionConfig config(const std::string& name) const {
    return IngestionConfig{m_root / name, 2, 4, 99};
  }
  static std::string results(const fs::path& dir) {
    std::string all;
    for (int s = 0; s < 2; ++s) all += test::slurp(dir / ("result_" + std::to_string(s) + ".json"));
    return all + test::slurp(dir / "test_settings.json");
  }
  const CountingModel m_model{1000.0, 957000.0};
  fs::path m_root;
  static EventTable* s_pool;
  static PseudoExperimentFactory* s_factory;
};

EventTable* IngestionTest::s_pool = nullptr;
PseudoExperimentFactory* IngestionTest::s_factory = nullptr;

TEST_F(IngestionTest, OneAndTwoThreadsAndTwoRanksGiveIdenticalResults) {
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    const auto c = config("one");
    const auto summary = runIngestion(m_model, *s_factory, c);
    EXPECT_EQ(summary.computed, 8u);
    finalizeIngestion(c, summary.seconds);
  }
  const auto two = config("two");
  finalizeIngestion(two, runIngestion(m_model, *s_factory, two).seconds);
  EXPECT_EQ(results(m_root / "one"), results(m_root / "two"));
  auto ranked = config("ranks");
  ranked.ranks = 2;
  for (int r = 0; r < 2; ++r) {
    ranked.rank = r;
    EXPECT_EQ(runIngestion(m_model, *s_factory, ranked).computed, 4u);
  }
  finalizeIngestion(ranked, 1.0);
  EXPECT_EQ(results(m_root / "one"), results(m_root / "ranks"));
}

TEST_F(IngestionTest, ResumeCompletesARunCutMidLineWithoutLossOrDuplicate) {
  const auto full = config("full");
  finalizeIngestion(full, runIngestion(m_model, *s_factory, full).seconds);
  // Simulate a kill: keep the first 3 records and half of the 4th line.
  auto cut = config("cut");
  fs::create_directories(cut.outDir);
  fs::copy_file(full.outDir / "ingestion.json", cut.outDir / "ingestion.json");
  const std::string lines = test::slurp(recordFile(full, 0));
  std::size_t pos = 0;
  for (int k = 0; k < 3; ++k) pos = lines.find('\n', pos) + 1;
  std::ofstream(recordFile(cut, 0)) << lines.substr(0, pos + 40);
  EXPECT_THROW(runIngestion(m_model, *s_factory, cut), InputError);  // not without --resume
  cut.resume = true;
  const auto summary = runIngestion(m_model, *s_factory, cut);
  EXPECT_EQ(summary.resumed, 3u);
  EXPECT_EQ(summary.computed, 5u);
  finalizeIngestion(cut, summary.seconds);
  EXPECT_EQ(results(full.outDir), results(cut.outDir));
}

TEST_F(IngestionTest, ResumeRefusesAnotherConfigurationAndFinalizeNamesMissingSets) {
  auto c = config("run");
  runIngestion(m_model, *s_factory, c);
  c.resume = true;
  c.seed = 100;
  EXPECT_THROW(runIngestion(m_model, *s_factory, c), InputError);
  auto partial = config("partial");
  partial.ranks = 2;
  runIngestion(m_model, *s_factory, partial);  // rank 0 only
  EXPECT_THROW(finalizeIngestion(partial, 1.0), InputError);
}

TEST_F(IngestionTest, BaselineRecordsHoldTheFittedNuisancesAndTheReportPlotsThem) {
  const IngestionConfig c{m_root / "baseline", 1, 2, 99};
  finalizeIngestion(c, runIngestion(test::smallBaseline(), *s_factory, c).seconds);
  const auto records = readPseudoExperiments(recordFile(c, 0));
  ASSERT_EQ(records.size(), 2u);
  for (const PseudoExperimentRecord& record : records) {
    // A model this small may clip an interval at mu's bound; the fit itself converged either way.
    ASSERT_TRUE(record.status == "ok" || record.status == "interval_clipped") << record.status;
    for (const char* name : {"tes", "jes", "soft_met", "ttbar_scale", "diboson_scale", "bkg_scale"}) {
      ASSERT_TRUE(record.nuisances.contains(name)) << name;  // drawn
      const auto fitted = record.nuisances.find(std::string(kFittedNuisancePrefix) + name);
      ASSERT_NE(fitted, record.nuisances.end()) << name;
      EXPECT_TRUE(std::isfinite(fitted->second)) << name;
    }
    EXPECT_EQ(record.nuisances.size(), 12u);
  }
  const report::ReportInput input = report::loadReportInput(c.outDir, 0);
  EXPECT_EQ(report::plotCount(input), 4u + 6u + 6u);  // fixed plots, drawn nuisances, fitted vs true
  const std::string html = report::renderReport(input);
  EXPECT_NE(html.find("Fitted vs true tes"), std::string::npos);
  EXPECT_NE(html.find("Fitted vs true bkg_scale"), std::string::npos);
}

TEST_F(IngestionTest, CountingRecordsHoldNoFittedNuisances) {
  const IngestionConfig c{m_root / "counting", 1, 2, 99};
  runIngestion(m_model, *s_factory, c);
  for (const PseudoExperimentRecord& record : readPseudoExperiments(recordFile(c, 0))) {
    for (const auto& entry : record.nuisances) {
      EXPECT_FALSE(entry.first.starts_with(kFittedNuisancePrefix)) << entry.first;
    }
    EXPECT_EQ(record.nuisances.size(), 6u);
  }
}

}  // namespace
}  // namespace higgsuq::ingest
