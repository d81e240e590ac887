// End to end on the built-in simulation with the CLI, scaled down to seconds: the baseline trained on a
// small simulated file predicts one pseudo-experiment as JSON; `stat-only` and its alias `counting` train
// the same model; and `higgsuq run` writes the results, scores.json and the report, with the baseline's
// fitted nuisances in the records.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/ingest/ResultsDirectory.hpp"

namespace higgsuq {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::runCommand;

class CliRun : public ::testing::Test {
 protected:
  /// One small simulated file shared by the tests (selected events, 10 fb^-1 weights).
  static void SetUpTestSuite() {
    s_dir = fs::temp_directory_path() / ("higgsuq-cli-run-" + std::to_string(::getpid()));
    fs::create_directories(s_dir);
    const auto r = runCommand(cli() + " simulate --events 20000 --seed 7 --threads 2 --out " + path("sim.h5"));
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }
  static void TearDownTestSuite() { fs::remove_all(s_dir); }
  static std::string cli() { return test::cliBinary().string(); }
  static std::string path(const std::string& name) { return (s_dir / name).string(); }
  static fs::path s_dir;
};

fs::path CliRun::s_dir;

TEST_F(CliRun, BaselineTrainedOnASimulatedFilePredictsAPseudoExperimentAsJson) {
  const auto train = runCommand(cli() + " train --model baseline --trees 10 --threads 2 --train " + path("sim.h5") +
                                " --out " + path("baseline"));
  ASSERT_EQ(train.exitCode, 0) << train.err;
  EXPECT_EQ(json::parse(train.out).at("model"), "baseline");
  const auto pe = runCommand(cli() + " pseudo --pool " + path("sim.h5") + " --set 0 --pe 0 --out " + path("pe.h5"));
  ASSERT_EQ(pe.exitCode, 0) << pe.err;
  const auto predict = runCommand(cli() + " predict --threads 2 --model " + path("baseline") + " " + path("pe.h5"));
  ASSERT_EQ(predict.exitCode, 0) << predict.err;
  const json p = json::parse(predict.out);
  EXPECT_EQ(p.at("model"), "baseline");
  // Trained on 20,000 events the interval is wide and often reaches mu's lower bound 0 ("interval_clipped");
  // either way the fit converged and every number is there (fit_failed and error would give nulls).
  const std::string status = p.at("status").get<std::string>();
  EXPECT_TRUE(status == "ok" || status == "interval_clipped") << status;
  for (const char* key : {"mu_hat", "delta_mu_hat", "p16", "p84"}) ASSERT_TRUE(p.at(key).is_number()) << key;
  const double muHat = p.at("mu_hat").get<double>(), p16 = p.at("p16").get<double>(), p84 = p.at("p84").get<double>();
  EXPECT_GE(muHat, 0.0);
  EXPECT_LE(p16, muHat);
  EXPECT_GT(p84, muHat);
  EXPECT_DOUBLE_EQ(p.at("delta_mu_hat").get<double>(), 0.5 * (p84 - p16));
  EXPECT_GT(p.at("events").get<double>(), 1e5);  // a full-size pseudo-experiment (about a million events)
}

TEST_F(CliRun, BaselineWithTheNetworkPrintsOneProgressLinePerEpochAndPredicts) {
  const auto train = runCommand(cli() + " train --model baseline --classifier nn --epochs 2 --threads 2 --train " +
                                path("sim.h5") + " --out " + path("baseline-nn"));
  ASSERT_EQ(train.exitCode, 0) << train.err;
  const json summary = json::parse(train.out);
  EXPECT_EQ(summary.at("classifier"), "torch-mlp");
  EXPECT_EQ(summary.at("classifier_rounds"), 2);
  EXPECT_NE(train.err.find("epoch 1/2: loss "), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("epoch 2/2: loss "), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("validation AUC "), std::string::npos) << train.err;
  EXPECT_TRUE(fs::is_regular_file(path("baseline-nn") + "/classifier/weights.bin"));
  const auto pe = runCommand(cli() + " pseudo --pool " + path("sim.h5") + " --set 0 --pe 1 --out " + path("pe-nn.h5"));
  ASSERT_EQ(pe.exitCode, 0) << pe.err;
  const auto predict = runCommand(cli() + " predict --threads 2 --model " + path("baseline-nn") + " " + path("pe-nn.h5"));
  ASSERT_EQ(predict.exitCode, 0) << predict.err;
  EXPECT_TRUE(json::parse(predict.out).at("mu_hat").is_number()) << predict.out;
  const auto unknown = runCommand(cli() + " train --model baseline --classifier forest --train " + path("sim.h5") +
                                  " --out " + path("u-nn"));
  EXPECT_NE(unknown.exitCode, 0);
}

TEST_F(CliRun, StatOnlyAndItsAliasCountingTrainTheSameModel) {
  for (const char* name : {"stat-only", "counting"}) {
    const auto r = runCommand(cli() + " train --model " + name + " --train " + path("sim.h5") + " --out " + path(name));
    ASSERT_EQ(r.exitCode, 0) << name << ": " << r.err;
  }
  EXPECT_EQ(test::slurp(s_dir / "stat-only" / "model.json"), test::slurp(s_dir / "counting" / "model.json"));
  const auto unknown = runCommand(cli() + " train --model unicorn --train " + path("sim.h5") + " --out " + path("u"));
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("stat-only"), std::string::npos) << unknown.err;  // the known names are listed
  const auto help = runCommand(cli() + " train --help");
  EXPECT_NE(help.out.find("stat-only (alias: counting)"), std::string::npos) << help.out;
}

TEST_F(CliRun, RunAcceptsStatOnly) {
  const auto r = runCommand(cli() + " run --model stat-only --out " + path("run-stat-only") +
                            " --train-events 2000 --pool-events 4000 --sets 1 --pes 1 --threads 2");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_TRUE(fs::exists(s_dir / "run-stat-only" / "model-counting" / "model.json"));
  EXPECT_TRUE(fs::exists(s_dir / "run-stat-only" / "results" / "scores.json"));
}

TEST_F(CliRun, RunWithTheNetworkTrainsItIntoItsOwnModelDirectory) {
  const fs::path out = s_dir / "run-nn";
  const auto r = runCommand(cli() + " run --classifier nn --epochs 3 --out " + out.string() +
                            " --train-events 10000 --pool-events 20000 --sets 1 --pes 1 --threads 2");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("epoch 3/3"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "model-baseline"));  // the trees' directory stays free
  const json classifier = json::parse(test::slurp(out / "model-baseline-nn" / "classifier" / "classifier.json"));
  EXPECT_EQ(classifier.at("kind"), "torch-mlp");
  EXPECT_TRUE(fs::exists(out / "results" / "scores.json"));
  const auto bad = runCommand(cli() + " run --classifier forest --out " + (s_dir / "run-bad").string());
  EXPECT_NE(bad.exitCode, 0);
  EXPECT_NE((bad.out + bad.err).find("--classifier"), std::string::npos) << bad.out << bad.err;
}

TEST_F(CliRun, ScaledDownBaselineRunWritesScoresAndReport) {
  const fs::path out = s_dir / "run-baseline";
  const auto r = runCommand(cli() + " run --out " + out.string() +
                            " --train-events 20000 --pool-events 40000 --sets 2 --pes 2 --trees 20 --threads 2");
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  const fs::path results = out / "results";
  for (const char* file : {"result_0.json", "result_1.json", "test_settings.json", "ingestion.json",
                           "ingestion_duration.json", "pseudo_experiments.jsonl", "scores.json", "report.html"}) {
    EXPECT_TRUE(fs::exists(results / file)) << file;
  }
  EXPECT_TRUE(fs::exists(out / "model-baseline" / "model.json"));
  const json scores = json::parse(test::slurp(results / "scores.json"));
  for (const char* key : {"quantiles_score", "coverage", "interval", "rmse", "mae", "per_set"}) {
    EXPECT_TRUE(scores.contains(key)) << key;
  }
  EXPECT_EQ(scores.at("per_set").size(), 2u);
  // The baseline's fitted nuisances reach the records, and the report draws them against the truth.
  const auto records = ingest::readPseudoExperiments(results / "pseudo_experiments.jsonl");
  ASSERT_EQ(records.size(), 4u);
  for (const auto& record : records) EXPECT_TRUE(record.nuisances.contains("fitted_tes"));
  EXPECT_NE(test::slurp(results / "report.html").find("Fitted vs true tes"), std::string::npos);
  EXPECT_NE(r.out.find("[run] done"), std::string::npos) << r.out;
  // The note on what limits a small run's calibration names its pool and template sizes (60% of 20,000).
  EXPECT_NE(r.out.find("the pool holds 40000 and the templates come from 12000."), std::string::npos) << r.out;
  // Run again: the model is reused, whose training size this run does not know, so no template figure.
  const auto again = runCommand(cli() + " run --out " + out.string() +
                                " --train-events 20000 --pool-events 40000 --sets 2 --pes 2 --trees 20 --threads 2");
  ASSERT_EQ(again.exitCode, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("the pool holds 40000 (the model was trained by an earlier run)."), std::string::npos)
      << again.out;
  EXPECT_EQ(again.out.find("templates come from"), std::string::npos) << again.out;
}

}  // namespace
}  // namespace higgsuq
