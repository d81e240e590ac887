// End to end: train -> ingest -> score with the CLI, and a run killed with SIGKILL then resumed gives
// exactly the results of an uninterrupted run.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/ingest/ResultsDirectory.hpp"

namespace higgsuq {
namespace {

namespace fs = std::filesystem;
using test::runCommand;

class CliIngest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = fs::temp_directory_path() / ("higgsuq-cli-ingest-" + std::to_string(::getpid()));
    fs::create_directories(s_dir);
    const std::string cli = test::cliBinary().string();
    ASSERT_EQ(runCommand(cli + " import " + test::fairSampleCsv().string() + " --out " + (s_dir / "pool.h5").string())
                  .exitCode,
              0);
    const auto train = runCommand(cli + " train --model counting --train " + (s_dir / "pool.h5").string() +
                                  " --out " + (s_dir / "model").string());
    ASSERT_EQ(train.exitCode, 0) << train.err;
  }
  static void TearDownTestSuite() { fs::remove_all(s_dir); }
  static std::string ingestCommand(const std::string& out) {
    return test::cliBinary().string() + " ingest --model " + (s_dir / "model").string() + " --pool " +
           (s_dir / "pool.h5").string() + " --challenge neurips2024 --sets 2 --pes 12 --seed 5 --out " +
           (s_dir / out).string();
  }
  static std::string results(const std::string& out) {
    std::string all;
    for (int s = 0; s < 2; ++s) all += test::slurp(s_dir / out / ingest::resultFileName(s));
    return all + test::slurp(s_dir / out / "test_settings.json");
  }
  static fs::path s_dir;
};

fs::path CliIngest::s_dir;

TEST_F(CliIngest, TrainIngestScoreWritesTheReferenceLayout) {
  const auto r = runCommand(ingestCommand("full"));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary.at("computed"), 24);
  EXPECT_NE(r.err.find("ingest: 24/24 done"), std::string::npos) << r.err;  // line-based progress off a tty
  const auto records = ingest::readPseudoExperiments(s_dir / "full" / "pseudo_experiments.jsonl");
  ASSERT_EQ(records.size(), 24u);
  for (const auto& rec : records) {
    EXPECT_EQ(rec.nuisances.size(), 6u);
    EXPECT_EQ(rec.status, "ok");
    EXPECT_LT(rec.p16, rec.p84);
  }
  const auto score = runCommand(test::cliBinary().string() + " score " + (s_dir / "full").string());
  ASSERT_EQ(score.exitCode, 0) << score.err;
  const auto scores = nlohmann::json::parse(test::slurp(s_dir / "full" / "scores.json"));
  EXPECT_TRUE(scores.contains("quantiles_score"));
  EXPECT_EQ(scores.at("per_set").size(), 2u);
  // The same run again without --resume is refused and leaves the results alone; with --resume nothing is
  // recomputed and the reference layout it writes again equals the first.
  const std::string firstResults = results("full");
  const std::string firstRecords = test::slurp(s_dir / "full" / "pseudo_experiments.jsonl");
  EXPECT_EQ(runCommand(ingestCommand("full")).exitCode, 2);
  EXPECT_EQ(test::slurp(s_dir / "full" / "pseudo_experiments.jsonl"), firstRecords);
  for (int s = 0; s < 2; ++s) fs::remove(s_dir / "full" / ingest::resultFileName(s));
  const auto again = runCommand(ingestCommand("full") + " --resume");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out).at("computed"), 0);
  EXPECT_EQ(test::slurp(s_dir / "full" / "pseudo_experiments.jsonl"), firstRecords);
  EXPECT_EQ(results("full"), firstResults);
}

TEST_F(CliIngest, KilledRunResumesToIdenticalResults) {
  if (!fs::exists(s_dir / "full" / "result_1.json")) {
    ASSERT_EQ(runCommand(ingestCommand("full")).exitCode, 0);
  }
  const std::string pidFile = (s_dir / "killed.pid").string();
  ASSERT_EQ(std::system(("(" + ingestCommand("killed") + " >/dev/null 2>&1 & echo $! > " + pidFile + ")").c_str()), 0);
  const auto records = s_dir / "killed" / "pseudo_experiments.jsonl";
  for (int wait = 0; wait < 600; ++wait) {  // until a few PEs are written (at most 60 s)
    if (fs::exists(records) && test::slurp(records).size() > 1500) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(std::system(("kill -9 $(cat " + pidFile + ")").c_str()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(fs::exists(s_dir / "killed" / "result_1.json"));
  const auto resumed = runCommand(ingestCommand("killed") + " --resume");
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err;
  const auto summary = nlohmann::json::parse(resumed.out);
  EXPECT_GT(summary.at("resumed").get<int>(), 0);
  EXPECT_EQ(summary.at("resumed").get<int>() + summary.at("computed").get<int>(), 24);
  EXPECT_EQ(results("full"), results("killed"));
  EXPECT_EQ(ingest::readPseudoExperiments(records).size(), 24u);
}

TEST_F(CliIngest, TwoMpiRanksGiveTheSingleProcessResults) {
  if (!fs::exists(s_dir / "full" / "result_1.json")) {
    ASSERT_EQ(runCommand(ingestCommand("full")).exitCode, 0);
  }
  const auto r = runCommand("mpirun --allow-run-as-root --oversubscribe -np 2 " + ingestCommand("mpi") +
                            " --threads 1 --mpi");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out).at("computed"), 24);  // totals over the ranks, printed by rank 0
  EXPECT_TRUE(fs::exists(s_dir / "mpi" / "pseudo_experiments.rank1.jsonl"));
  EXPECT_EQ(results("full"), results("mpi"));
}

TEST_F(CliIngest, PredictPrintsOneIntervalAsJson) {
  const std::string cli = test::cliBinary().string();
  const std::string pe = (s_dir / "pe.h5").string();
  ASSERT_EQ(runCommand(cli + " pseudo --pool " + (s_dir / "pool.h5").string() + " --set 0 --pe 3 --out " + pe).exitCode,
            0);
  const auto r = runCommand(cli + " predict --model " + (s_dir / "model").string() + " " + pe);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j.at("model"), "counting");
  EXPECT_LT(j.at("p16").get<double>(), j.at("mu_hat").get<double>());
  EXPECT_GT(j.at("p84").get<double>(), j.at("mu_hat").get<double>());
  EXPECT_EQ(j.at("status"), "ok");
}

TEST_F(CliIngest, BadModelDirectoryIsAClearError) {
  fs::create_directories(s_dir / "empty-model");
  const auto r = runCommand(test::cliBinary().string() + " ingest --model " + (s_dir / "empty-model").string() +
                            " --pool " + (s_dir / "pool.h5").string() + " --out " + (s_dir / "x").string());
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("model.json missing"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace higgsuq
