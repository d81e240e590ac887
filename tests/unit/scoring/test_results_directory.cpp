// Unit tests of reading and writing a results directory (result_*.json, test_settings.json,
// pseudo_experiments.jsonl), including NaN tokens, set order and bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "higgsuq/ingest/ResultsDirectory.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ingest {
namespace {
namespace fs = std::filesystem;

/// A fresh folder for one test, removed afterwards.
class ResultsDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir =
        fs::temp_directory_path() / ("higgsuq_results_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  void writeText(const std::string& name, const std::string& text) { std::ofstream(m_dir / name) << text; }

  /// The message of the InputError that readResultsDirectory throws, or "" if none.
  std::string readError() {
    try {
      readResultsDirectory(m_dir);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path m_dir;
};

scoring::SetResults makeSet(int set, double muTrue, std::size_t n) {
  scoring::SetResults results{set, muTrue, {}, {}, {}, {}};
  for (std::size_t i = 0; i < n; ++i) {
    results.muHats.push_back(muTrue + 0.01 * static_cast<double>(i) + 1.0 / 3.0);
    results.deltaMuHats.push_back(0.2);
    results.p16.push_back(muTrue - 0.2);
    results.p84.push_back(muTrue + 0.2 + 1e-17 * static_cast<double>(i));
  }
  return results;
}

TEST_F(ResultsDirectoryTest, RoundTripKeepsIntegerSetOrderAndExactValues) {
  std::vector<double> mus;
  for (int set = 0; set < 12; ++set) {
    mus.push_back(0.5 + 0.1 * set);
    writeResultFile(m_dir, makeSet(set, mus.back(), 3 + static_cast<std::size_t>(set)));
  }
  writeTestSettings(m_dir, mus);
  const std::vector<scoring::SetResults> sets = readResultsDirectory(m_dir);
  ASSERT_EQ(sets.size(), 12u);
  for (int set = 0; set < 12; ++set) {
    const scoring::SetResults expected = makeSet(set, mus[static_cast<std::size_t>(set)], 3 + set);
    EXPECT_EQ(sets[set].set, set);
    EXPECT_EQ(sets[set].muTrue, expected.muTrue);  // result_10 gets mus[10], not mus[2]
    EXPECT_EQ(sets[set].muHats, expected.muHats);
    EXPECT_EQ(sets[set].p84, expected.p84);
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(m_dir)) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST_F(ResultsDirectoryTest, ReadsNullAndPythonNaNTokens) {
  writeText("test_settings.json", R"({"ground_truth_mus": [1.0]})");
  writeText("result_0.json",
            R"({"mu_hats": [NaN, 1.0, 2.0], "delta_mu_hats": [null, 0.1, 0.2],)"
            R"( "p16": [-Infinity, 0.5, "NaN"], "p84": [Infinity, 1.5, 2.5], "note": "NaN in a string"})");
  const auto sets = readResultsDirectory(m_dir);
  ASSERT_EQ(sets.size(), 1u);
  EXPECT_TRUE(std::isnan(sets[0].muHats[0]));
  EXPECT_TRUE(std::isnan(sets[0].deltaMuHats[0]));
  EXPECT_EQ(sets[0].p16[0], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(sets[0].p84[0], std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(sets[0].p16[2]));
  EXPECT_EQ(sets[0].p84[1], 1.5);
}

TEST_F(ResultsDirectoryTest, WritesNaNAsNull) {
  scoring::SetResults set = makeSet(0, 1.0, 2);
  set.p84[1] = std::numeric_limits<double>::quiet_NaN();
  writeResultFile(m_dir, set);
  const nlohmann::json document = readJsonFile(m_dir / "result_0.json");
  EXPECT_TRUE(document.at("p84").at(1).is_null());
}

TEST_F(ResultsDirectoryTest, BadInputNamesTheFileAndField) {
  writeTestSettings(m_dir, std::vector<double>{1.0, 2.0});
  writeResultFile(m_dir, makeSet(0, 1.0, 3));
  EXPECT_NE(readError().find("result_1.json"), std::string::npos) << readError();

  writeText("result_1.json", R"({"mu_hats": [1.0], "delta_mu_hats": [0.1], "p16": [0.5]})");
  EXPECT_NE(readError().find("result_1.json: missing field 'p84'"), std::string::npos) << readError();

  writeText("result_1.json", R"({"mu_hats": [1.0], "delta_mu_hats": [0.1], "p16": [0.5], "p84": [1, 2]})");
  EXPECT_NE(readError().find("'p84' has 2 entries"), std::string::npos) << readError();

  writeText("result_1.json", R"({"mu_hats": [1.0], "delta_mu_hats": [0.1], "p16": ["x"], "p84": [1]})");
  EXPECT_NE(readError().find("p16[0]"), std::string::npos) << readError();

  writeText("result_1.json", R"({"mu_hats": [1.0], )");
  EXPECT_NE(readError().find("result_1.json: malformed JSON"), std::string::npos) << readError();

  writeResultFile(m_dir, makeSet(1, 2.0, 3));
  writeResultFile(m_dir, makeSet(2, 2.0, 3));
  EXPECT_NE(readError().find("test_settings.json"), std::string::npos) << readError();

  fs::remove(m_dir / "test_settings.json");
  EXPECT_NE(readError().find("test_settings.json: cannot open"), std::string::npos) << readError();
}

TEST_F(ResultsDirectoryTest, EmptyDirectoryIsAnInputError) {
  EXPECT_NE(readError().find("no result_*.json"), std::string::npos) << readError();
  EXPECT_THROW(readResultsDirectory(m_dir / "missing"), InputError);
}

PseudoExperimentRecord makeRecord(int set, int index, double muTrue) {
  return {set,
          index,
          18446744073709551557ull,
          muTrue,
          {{"tes", 1.01}, {"bkg_scale", 0.99}},
          muTrue + 0.1,
          0.2,
          muTrue - 0.1,
          std::numeric_limits<double>::quiet_NaN(),
          "ok",
          1.5};
}

TEST_F(ResultsDirectoryTest, PseudoExperimentRecordsRoundTripAndFeedScoring) {
  const std::vector<PseudoExperimentRecord> records{makeRecord(10, 1, 2.0), makeRecord(2, 0, 1.0),
                                                    makeRecord(10, 0, 2.0)};
  writePseudoExperiments(m_dir / kPseudoExperimentsFile, records);
  const auto readBack = readPseudoExperiments(m_dir / kPseudoExperimentsFile);
  ASSERT_EQ(readBack.size(), 3u);
  EXPECT_EQ(readBack[0].seed, records[0].seed);
  EXPECT_EQ(readBack[0].nuisances, records[0].nuisances);
  EXPECT_EQ(readBack[0].status, "ok");
  EXPECT_TRUE(std::isnan(readBack[0].p84));
  const auto sets = readResultsDirectory(m_dir);  // no result_*.json: falls back to the records
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].set, 2);
  EXPECT_EQ(sets[1].set, 10);
  EXPECT_EQ(sets[1].muHats.size(), 2u);
}

TEST_F(ResultsDirectoryTest, BadRecordsNameTheLineAndField) {
  writeText(kPseudoExperimentsFile, toJson(makeRecord(0, 0, 1.0)).dump() + "\n{\"set\": 0}\n");
  EXPECT_NE(readError().find("pseudo_experiments.jsonl:2: missing field 'index'"), std::string::npos)
      << readError();
  writePseudoExperiments(m_dir / kPseudoExperimentsFile,
                         std::vector<PseudoExperimentRecord>{makeRecord(0, 0, 1.0), makeRecord(0, 0, 1.0)});
  EXPECT_NE(readError().find("appears twice"), std::string::npos) << readError();
  writePseudoExperiments(m_dir / kPseudoExperimentsFile,
                         std::vector<PseudoExperimentRecord>{makeRecord(0, 0, 1.0), makeRecord(0, 1, 1.5)});
  EXPECT_NE(readError().find("mu_true"), std::string::npos) << readError();
}

TEST_F(ResultsDirectoryTest, IngestionDurationIsOptional) {
  EXPECT_FALSE(readIngestionDuration(m_dir).has_value());
  writeText("ingestion_duration.json", R"({"ingestion_duration": 3})");
  EXPECT_EQ(readIngestionDuration(m_dir).value(), 3);
}

}  // namespace
}  // namespace higgsuq::ingest
