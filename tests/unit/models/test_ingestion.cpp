// The ingestion engine: identical results for any thread count and rank split, resume after a partial
// write, refusal to mix runs.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <filesystem>
#include <fstream>

#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/ingest/Ingestion.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/models/CountingModel.hpp"
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

}  // namespace
}  // namespace higgsuq::ingest
