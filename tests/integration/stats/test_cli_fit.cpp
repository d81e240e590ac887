// End to end: `higgsuq fit` on the golden workspaces of tests/data/workspaces/ must reproduce the golden
// precise solutions; a malformed workspace exits with code 2 and names the JSON path.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "helpers/FloatCompare.hpp"
#include "helpers/RunCommand.hpp"
#include "helpers/SharedData.hpp"

namespace higgsuq::test {
namespace {
using nlohmann::json;

std::filesystem::path workspaceFile(const std::string& name) {
  return sourceDir() / "tests" / "data" / "workspaces" / name;
}

json golden(const std::string& name) {
  std::ifstream in(goldenDir() / "fit" / (name + ".json"));
  return json::parse(in);
}

CommandResult runFit(const std::string& arguments) {
  return runCommand(cliBinary().string() + " fit " + arguments);
}

class CliFitCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CliFitCase, ReproducesThePreciseSolution) {
  const auto result = runFit(workspaceFile(GetParam() + ".workspace.json").string());
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const json out = json::parse(result.out);
  const json precise = golden(GetParam())["precise_solution"];
  EXPECT_EQ(out["poi"], "mu");
  EXPECT_TRUE(out["status"]["valid"].get<bool>());
  EXPECT_TRUE(out["poi_profile_interval"]["valid"].get<bool>());
  HIGGSUQ_EXPECT_CLOSE_REL(out["poi_value"].get<double>(), precise["mu_hat"].get<double>(), 1e-5);
  HIGGSUQ_EXPECT_CLOSE_REL(out["poi_hesse_error"].get<double>(), precise["mu_hesse_error"].get<double>(), 1e-5);
  HIGGSUQ_EXPECT_CLOSE_REL(out["poi_profile_interval"]["lower"].get<double>(), precise["mu_minos_interval"][0].get<double>(), 1e-5);
  HIGGSUQ_EXPECT_CLOSE_REL(out["poi_profile_interval"]["upper"].get<double>(), precise["mu_minos_interval"][1].get<double>(), 1e-5);
  HIGGSUQ_EXPECT_CLOSE_REL(out["poi_hesse_interval"][1].get<double>(),
                           precise["mu_hat"].get<double>() + precise["mu_hesse_error"].get<double>(), 1e-5);
  HIGGSUQ_EXPECT_CLOSE_ABS(out["nll_min"].get<double>(), precise["nll_min"].get<double>(), 1e-6);
  ASSERT_EQ(out["parameters"][0]["name"], "mu");
  EXPECT_EQ(out["covariance"].size(), out["parameters"].size());
}

INSTANTIATE_TEST_SUITE_P(Golden, CliFitCase,
                         ::testing::Values("case1_stat_only", "case2_stat_only_low_counts", "case3_one_nuisance"));

TEST(CliFit, NuisanceOfCase3ConvertsBackToAlpha) {
  const auto result = runFit(workspaceFile("case3_one_nuisance.workspace.json").string() + " --histosys-code 0");
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const json out = json::parse(result.out);
  const json doc = golden("case3_one_nuisance");
  const double sigma = doc["inputs"]["sigma_alpha"].get<double>();
  ASSERT_EQ(out["parameters"][1]["name"], "theta");  // alpha = 1 + sigma * theta
  HIGGSUQ_EXPECT_CLOSE_REL(1.0 + sigma * out["parameters"][1]["value"].get<double>(),
                           doc["precise_solution"]["alpha_hat"].get<double>(), 1e-5);
  HIGGSUQ_EXPECT_CLOSE_REL(sigma * out["parameters"][1]["error"].get<double>(),
                           doc["precise_solution"]["alpha_hesse_error"].get<double>(), 1e-5);
}

TEST(CliFit, MalformedWorkspaceExitsWithCode2AndTheJsonPath) {
  const auto result = runFit(workspaceFile("malformed_unknown_modifier.json").string());
  EXPECT_EQ(result.exitCode, 2);
  EXPECT_NE(result.err.find("channels[0].samples[0].modifiers[1]: unknown type \"normsyss\""), std::string::npos)
      << result.err;
  EXPECT_TRUE(result.out.empty());
}

TEST(CliFit, BadOptionsExitWithCode2) {
  const auto ws = workspaceFile("case1_stat_only.workspace.json").string();
  EXPECT_EQ(runFit(ws + " --poi nope").exitCode, 2);
  EXPECT_EQ(runFit(ws + " --measurement nope").exitCode, 2);
  EXPECT_EQ(runFit(ws + " --histosys-code 3").exitCode, 2);
  EXPECT_EQ(runFit("/nonexistent/ws.json").exitCode, 2);
}

}  // namespace
}  // namespace higgsuq::test
