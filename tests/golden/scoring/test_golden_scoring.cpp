// Golden tests of the scoring core against the reference score.py outputs in
// golden/scoring/case_*.{input,output}.json (tolerances from golden/README.md §2.4):
// coverage exact, everything else relative 1e-12, null = NaN expected; the bootstrap recomputed
// from bootstrap_indices.json value by value; our own RNG's bootstrap mean statistically.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/ingest/ResultsDirectory.hpp"
#include "higgsuq/scoring/Score.hpp"

namespace higgsuq::scoring {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kRelTol = 1e-12;

fs::path scoringGoldenDir() {
  return test::goldenDir() / "scoring";
}

/// Case names "case_<name>" that have both an input and an output file.
std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  std::error_code error;
  if (!fs::is_directory(scoringGoldenDir(), error)) return names;
  for (const fs::directory_entry& entry : fs::directory_iterator(scoringGoldenDir())) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = ".input.json";
    if (file.rfind("case_", 0) != 0 || file.size() <= suffix.size()) continue;
    if (file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    names.push_back(file.substr(0, file.size() - suffix.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

double number(const json& value, const std::string& field) {
  return ingest::readNumber(value, "golden", field);
}

std::vector<double> numbers(const json& list, const std::string& field) {
  std::vector<double> values;
  for (const json& v : list) values.push_back(number(v, field));
  return values;
}

std::vector<SetResults> caseInputs(const json& input) {
  std::vector<SetResults> sets;
  for (const json& set : input.at("sets")) {
    sets.push_back({set.at("set").get<int>(), number(set.at("mu_true"), "mu_true"),
                    numbers(set.at("mu_hats"), "mu_hats"), numbers(set.at("delta_mu_hats"), "delta_mu_hats"),
                    numbers(set.at("p16"), "p16"), numbers(set.at("p84"), "p84")});
  }
  return sets;
}

json readJson(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  return json::parse(in);
}

/// Coverage: exact; anything else: relative 1e-12. null means NaN expected.
void expectValue(double actual, const json& expected, const std::string& what, bool exact = false) {
  const double reference = number(expected, what);
  if (std::isnan(reference)) {
    EXPECT_TRUE(std::isnan(actual)) << what << ": expected NaN, got " << actual;
  } else if (exact) {
    EXPECT_EQ(actual, reference) << what;
  } else {
    EXPECT_TRUE(test::closeRel(actual, reference, kRelTol)) << what;
  }
}

class GoldenScoring : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    m_output = readJson(scoringGoldenDir() / (GetParam() + ".output.json"));
    m_inputs = caseInputs(readJson(scoringGoldenDir() / (GetParam() + ".input.json")));
    m_report = scoreResults(m_inputs);
  }
  json m_output;
  std::vector<SetResults> m_inputs;
  ScoreReport m_report;
};

TEST_P(GoldenScoring, PooledValuesMatchScoresJson) {
  const json& scores = m_output.at("scores_json");
  expectValue(m_report.pooled.coverage, scores.at("coverage"), "coverage", true);
  expectValue(m_report.pooled.interval, scores.at("interval"), "interval");
  expectValue(m_report.pooled.score, scores.at("quantiles_score"), "quantiles_score");
  expectValue(m_report.rmse, scores.at("rmse"), "rmse");
  expectValue(m_report.mae, scores.at("mae"), "mae");
  EXPECT_EQ(m_report.pooled.n, 1000u);
}

TEST_P(GoldenScoring, PerSetValuesMatch) {
  const json& perSet = m_output.at("per_set");
  ASSERT_EQ(perSet.size(), m_report.perSet.size());
  for (std::size_t i = 0; i < perSet.size(); ++i) {
    const std::string where = "set " + std::to_string(i) + " ";
    const SetScore& set = m_report.perSet[i];
    EXPECT_EQ(set.set, perSet[i].at("set").get<int>());
    EXPECT_EQ(set.quantiles.n, perSet[i].at("set_size").get<std::size_t>());
    expectValue(set.quantiles.coverage, perSet[i].at("coverage"), where + "coverage", true);
    expectValue(set.quantiles.interval, perSet[i].at("interval"), where + "interval");
    expectValue(set.quantiles.score, perSet[i].at("quantiles_score"), where + "quantiles_score");
    expectValue(set.rmse, perSet[i].at("rmse"), where + "rmse");
    expectValue(set.mae, perSet[i].at("mae"), where + "mae");
  }
}

TEST_P(GoldenScoring, PerPeValuesMatch) {
  const json& perPe = m_output.at("per_pe");
  ASSERT_EQ(perPe.at("rmse").size(), m_report.perSet.size());
  for (std::size_t s = 0; s < m_report.perSet.size(); ++s) {
    const SetScore& set = m_report.perSet[s];
    ASSERT_EQ(perPe.at("rmse")[s].size(), set.peRmse.size());
    for (std::size_t k = 0; k < set.peRmse.size(); ++k) {
      const std::string where = "set " + std::to_string(s) + " pe " + std::to_string(k);
      expectValue(set.peRmse[k], perPe.at("rmse")[s][k], where + " rmse");
      expectValue(set.peMae[k], perPe.at("mae")[s][k], where + " mae");
    }
  }
}

std::vector<std::vector<std::size_t>> referenceResamples() {
  const json indices = readJson(scoringGoldenDir() / "bootstrap_indices.json").at("indices");
  std::vector<std::vector<std::size_t>> resamples;
  for (const json& drawn : indices) resamples.push_back(drawn.get<std::vector<std::size_t>>());
  return resamples;
}

TEST_P(GoldenScoring, BootstrapFromReferenceIndicesMatchesValueByValue) {
  const auto resamples = referenceResamples();
  const BootstrapResult result = bootstrapFromIndices(m_report.perSet, resamples);
  const json& values = m_output.at("bootstrap").at("values");
  ASSERT_EQ(values.at("quantiles_score").size(), result.samples.size());
  for (std::size_t b = 0; b < result.samples.size(); ++b) {
    const std::string where = "resample " + std::to_string(b) + " ";
    expectValue(result.samples[b].interval, values.at("interval")[b], where + "interval");
    expectValue(result.samples[b].coverage, values.at("coverage")[b], where + "coverage");
    expectValue(result.samples[b].quantilesScore, values.at("quantiles_score")[b], where + "quantiles_score");
  }
  const json& mean = m_output.at("bootstrap").at("mean");
  const json& std = m_output.at("bootstrap").at("std_ddof0");
  expectValue(result.quantilesScore.mean, mean.at("quantiles_score"), "mean score");
  expectValue(result.coverage.mean, mean.at("coverage"), "mean coverage");
  expectValue(result.interval.mean, mean.at("interval"), "mean interval");
  // The std is a difference of nearly equal sums: allow 1e-9 relative.
  EXPECT_TRUE(test::closeRel(result.quantilesScore.std, number(std.at("quantiles_score"), "std"), 1e-9));
  EXPECT_TRUE(test::closeRel(result.coverage.std, number(std.at("coverage"), "std"), 1e-9));
  EXPECT_TRUE(test::closeRel(result.interval.std, number(std.at("interval"), "std"), 1e-9));
}

TEST_P(GoldenScoring, OwnRngBootstrapMeanAgreesStatistically) {
  const BootstrapResult result = bootstrapSets(m_report.perSet, 1000, 1000);
  const json& bootstrap = m_output.at("bootstrap");
  for (const char* key : {"quantiles_score", "coverage", "interval"}) {
    const double referenceMean = number(bootstrap.at("mean").at(key), key);
    const double referenceStd = number(bootstrap.at("std_ddof0").at(key), key);
    const Moments& ours = std::string(key) == "quantiles_score" ? result.quantilesScore
                          : std::string(key) == "coverage"      ? result.coverage
                                                                : result.interval;
    // Two independent estimates of the mean, each with error std/sqrt(1000): allow 5 sigma of the difference.
    EXPECT_LE(std::abs(ours.mean - referenceMean), 5.0 * std::sqrt(2.0) * referenceStd / std::sqrt(1000.0))
        << key;
    // The std of a heavy-tailed score is itself noisy: only ask for the same scale.
    EXPECT_TRUE(ours.std >= 0.5 * referenceStd && ours.std <= 2.0 * referenceStd)
        << key << " std " << ours.std;
  }
}

TEST_P(GoldenScoring, ResultsDirectoryRoundTripGivesTheSameScores) {
  const fs::path dir = fs::temp_directory_path() / ("higgsuq_golden_scoring_" + GetParam());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<double> mus;
  for (const SetResults& set : m_inputs) {
    ingest::writeResultFile(dir, set);
    mus.push_back(set.muTrue);
  }
  ingest::writeTestSettings(dir, mus);
  const ScoreReport again = scoreResults(ingest::readResultsDirectory(dir));
  fs::remove_all(dir);
  expectValue(again.pooled.score, m_output.at("scores_json").at("quantiles_score"), "quantiles_score");
  expectValue(again.pooled.coverage, m_output.at("scores_json").at("coverage"), "coverage", true);
  expectValue(again.rmse, m_output.at("scores_json").at("rmse"), "rmse");
}

TEST(GoldenScoringCases, AllFiveCasesArePresent) {
  EXPECT_EQ(caseNames().size(), 5u);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenScoring, ::testing::ValuesIn(caseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace higgsuq::scoring
