// End-to-end tests of `higgsuq score DIR`: a results directory built from the golden scoring inputs
// is scored by the built CLI, and scores.json is compared with the golden reference outputs.
// Bad input must give exit code 2, a message naming the file, and no scores.json.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"

namespace higgsuq::test {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

json readJson(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in);
}

std::string readText(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// null (NaN in the golden files) written as Python's bare NaN token, as the reference would.
std::string withPythonNaN(const json& document) {
  const std::string text = document.dump();
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find("null"); at != std::string::npos; at = text.find("null", from)) {
    out.append(text, from, at - from);
    out.append("NaN");
    from = at + 4;
  }
  out.append(text, from, std::string::npos);
  return out;
}

/// A path in double quotes for the shell (built with += to avoid a GCC 12 -Wrestrict false positive).
std::string quoted(const fs::path& path) {
  std::string out = "\"";
  out += path.string();
  out += '"';
  return out;
}

class CliScore : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir =
        fs::temp_directory_path() / ("higgsuq_cli_score_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  /// Writes result_{set}.json, test_settings.json and ingestion_duration.json for a golden case.
  void writeCase(const std::string& caseName) {
    const json input = readJson(goldenDir() / "scoring" / (caseName + ".input.json"));
    for (const json& set : input.at("sets")) {
      json result;
      for (const char* key : {"mu_hats", "delta_mu_hats", "p16", "p84"}) result[key] = set.at(key);
      std::ofstream(m_dir / ("result_" + std::to_string(set.at("set").get<int>()) + ".json"))
          << withPythonNaN(result);
    }
    std::ofstream(m_dir / "test_settings.json")
        << json{{"ground_truth_mus", input.at("ground_truth_mus")}}.dump();
    std::ofstream(m_dir / "ingestion_duration.json") << R"({"ingestion_duration": 0})";
  }

  /// Runs the CLI with arguments; returns its exit code; stdout/stderr go to files in m_dir.
  int runCli(const std::string& arguments) {
    std::string command = quoted(cliBinary());
    command += " " + arguments;
    command += " > " + quoted(m_dir / "stdout.txt");
    command += " 2> " + quoted(m_dir / "stderr.txt");
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string quotedDir() const { return quoted(m_dir); }

  fs::path m_dir;
};

void expectMatches(const json& ours, const json& reference, const std::string& key) {
  ASSERT_TRUE(ours.contains(key)) << key;
  if (reference.at(key).is_null()) {
    EXPECT_TRUE(ours.at(key).is_null()) << key << " should be null (NaN)";
  } else if (key == "coverage" || key == "set_size") {
    EXPECT_EQ(ours.at(key).get<double>(), reference.at(key).get<double>()) << key;
  } else {
    EXPECT_TRUE(closeRel(ours.at(key).get<double>(), reference.at(key).get<double>(), 1e-12)) << key;
  }
}

void expectScoresMatchGolden(const json& scores, const std::string& caseName) {
  const json golden = readJson(goldenDir() / "scoring" / (caseName + ".output.json"));
  for (const char* key : {"quantiles_score", "coverage", "interval", "rmse", "mae", "ingestion_duration"}) {
    expectMatches(scores, golden.at("scores_json"), key);
  }
  ASSERT_EQ(scores.at("per_set").size(), golden.at("per_set").size());
  for (std::size_t i = 0; i < scores.at("per_set").size(); ++i) {
    for (const char* key : {"set", "coverage", "interval", "quantiles_score", "rmse", "mae", "set_size"}) {
      expectMatches(scores.at("per_set")[i], golden.at("per_set")[i], key);
    }
  }
  const json& ours = scores.at("bootstrap");
  const json& reference = golden.at("bootstrap");
  EXPECT_EQ(ours.at("n").get<int>(), 1000);
  const double referenceStd = reference.at("std_ddof0").at("quantiles_score").get<double>();
  EXPECT_LE(std::abs(ours.at("mean").at("quantiles_score").get<double>() -
                     reference.at("mean").at("quantiles_score").get<double>()),
            5.0 * std::sqrt(2.0) * referenceStd / std::sqrt(1000.0));
}

TEST_F(CliScore, CalibratedCaseMatchesTheReference) {
  writeCase("case_a_calibrated");
  ASSERT_EQ(runCli("score " + quotedDir()), 0) << readText(m_dir / "stderr.txt");
  expectScoresMatchGolden(readJson(m_dir / "scores.json"), "case_a_calibrated");
  EXPECT_NE(readText(m_dir / "stdout.txt").find("quantiles_score"), std::string::npos);
}

TEST_F(CliScore, PythonNaNTokensAreReadAndNaNIsWrittenAsNull) {
  writeCase("case_d_swapped_nan");
  ASSERT_NE(readText(m_dir / "result_4.json").find("NaN"), std::string::npos);
  ASSERT_EQ(runCli("score " + quotedDir()), 0) << readText(m_dir / "stderr.txt");
  expectScoresMatchGolden(readJson(m_dir / "scores.json"), "case_d_swapped_nan");
}

TEST_F(CliScore, OutOptionAndBootstrapOff) {
  writeCase("case_a_calibrated");
  const fs::path out = m_dir / "elsewhere.json";
  ASSERT_EQ(runCli("score " + quotedDir() + " --bootstrap 0 --out " + quoted(out)), 0)
      << readText(m_dir / "stderr.txt");
  EXPECT_FALSE(fs::exists(m_dir / "scores.json"));
  const json scores = readJson(out);
  EXPECT_FALSE(scores.contains("bootstrap"));
  EXPECT_EQ(scores.at("per_set").size(), 10u);
}

TEST_F(CliScore, MalformedResultFileGivesExitCodeTwoAndNoScores) {
  writeCase("case_a_calibrated");
  std::ofstream(m_dir / "result_3.json") << R"({"mu_hats": [1.0, )";
  EXPECT_EQ(runCli("score " + quotedDir()), 2);
  const std::string error = readText(m_dir / "stderr.txt");
  EXPECT_NE(error.find("higgsuq: error:"), std::string::npos) << error;
  EXPECT_NE(error.find("result_3.json"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(m_dir / "scores.json"));
  for (const fs::directory_entry& entry : fs::directory_iterator(m_dir)) {
    EXPECT_EQ(entry.path().filename().string().find("scores.json"), std::string::npos) << entry.path();
  }
}

TEST_F(CliScore, MissingFieldIsNamed) {
  writeCase("case_a_calibrated");
  std::ofstream(m_dir / "result_7.json") << R"({"mu_hats": [1.0], "delta_mu_hats": [0.1], "p16": [0.5]})";
  EXPECT_EQ(runCli("score " + quotedDir()), 2);
  const std::string error = readText(m_dir / "stderr.txt");
  EXPECT_NE(error.find("result_7.json: missing field 'p84'"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(m_dir / "scores.json"));
}

TEST_F(CliScore, MissingDirectoryGivesExitCodeTwo) {
  EXPECT_EQ(runCli("score " + quoted(m_dir / "nowhere")), 2);
  EXPECT_NE(readText(m_dir / "stderr.txt").find("nowhere"), std::string::npos);
}

}  // namespace
}  // namespace higgsuq::test
