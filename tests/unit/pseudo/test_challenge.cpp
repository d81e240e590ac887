// Challenge definitions: presets, JSON validation with paths, mu and nuisance draws.
#include <gtest/gtest.h>

#include <cmath>

#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

TEST(ChallengeDefinition, Neurips2024PresetIsTheDesignAsRun) {
  const ChallengeDefinition d = loadChallengeDefinition("neurips2024");
  EXPECT_EQ(d.sets, 10);
  EXPECT_EQ(d.pseudoExperiments, 1000);
  ASSERT_EQ(d.processes.size(), 4u);
  EXPECT_DOUBLE_EQ(d.find(Process::ZTauTau)->expectedYield, 1002395.0);
  const auto& tes = *d.nuisancePriors[index(Nuisance::Tes)];
  EXPECT_EQ(tes.kind, PriorSpec::Kind::Normal);
  EXPECT_DOUBLE_EQ(tes.b, 0.01);
  EXPECT_EQ(d.nuisancePriors[index(Nuisance::SoftMet)]->kind, PriorSpec::Kind::LogNormal);
  EXPECT_FALSE(d.floats(Nuisance::WjetsScale));
  EXPECT_DOUBLE_EQ(d.score.epsilon, 1e-3);
  EXPECT_EQ(d.postSelection.hadPtMin, 26.0f);
}

TEST(ChallengeDefinition, Pilot2024PresetHasTesOnlyAndFourSets) {
  const ChallengeDefinition d = loadChallengeDefinition("pilot2024");
  EXPECT_EQ(d.sets, 4);
  EXPECT_EQ(d.pseudoExperiments, 50);
  EXPECT_TRUE(d.floats(Nuisance::Tes));
  EXPECT_FALSE(d.floats(Nuisance::Jes));
  EXPECT_EQ(d.processes.size(), 2u);
}

void expectErrorContaining(const std::string& json, const std::string& fragment) {
  try {
    parseChallengeDefinition(json, "test.json");
    FAIL() << "no error for " << json;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

std::string withReplaced(const std::string& from, const std::string& to) {
  std::string text(challengePresetJson("neurips2024"));
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

TEST(ChallengeDefinition, ErrorsNameTheJsonPath) {
  expectErrorContaining("{not json", "malformed JSON");
  expectErrorContaining(withReplaced("\"sets\": 10", "\"setz\": 10"), "unknown key 'setz'");
  expectErrorContaining(withReplaced("\"prior\": \"lognormal\"", "\"prior\": \"cauchy\""), "nuisances.soft_met.prior");
  expectErrorContaining(withReplaced("\"name\": \"ttbar\"", "\"name\": \"tt\""), "processes[2].name");
  expectErrorContaining(withReplaced("\"clip\": [0.9, 1.1]", "\"clip\": [1.1]"), "nuisances.tes.clip");
  expectErrorContaining(withReplaced("\"expected_yield\": 1015.0", "\"expected_yield\": -1"), "expected_yield");
  expectErrorContaining(withReplaced("\"distribution\": \"uniform\", \"low\": 0.1, \"high\": 3.0",
                                     "\"distribution\": \"list\", \"values\": [1, 2]"),
                        "mu.values has 2 entries for 10 sets");
  EXPECT_THROW(loadChallengeDefinition("no-such-preset"), InputError);
}

TEST(ChallengeDefinition, MuPerSetIsDrawnOnceFromItsStream) {
  const ChallengeDefinition d = loadChallengeDefinition("neurips2024");
  for (int s = 0; s < 10; ++s) {
    const double mu = drawMu(d, 123, s);
    EXPECT_GE(mu, 0.1);
    EXPECT_LE(mu, 3.0);
    EXPECT_EQ(mu, drawMu(d, 123, s));
    EXPECT_NE(mu, drawMu(d, 124, s));
  }
}

TEST(ChallengeDefinition, NuisanceDrawsFollowTheirClippedPriors) {
  const ChallengeDefinition d = loadChallengeDefinition("neurips2024");
  const int n = 20000;
  double sumTes = 0, sumTes2 = 0, sumLogMet = 0;
  int metClipped = 0;
  for (int k = 0; k < n; ++k) {
    const NuisanceValues v = drawNuisances(d, 7, k % 10, k);
    ASSERT_GE(v.tes, 0.9);
    ASSERT_LE(v.tes, 1.1);
    ASSERT_GE(v.dibosonScale, 0.0);
    ASSERT_LE(v.dibosonScale, 2.0);
    ASSERT_LE(v.softMet, 5.0);
    ASSERT_EQ(v.wjetsScale, 1.0);
    sumTes += v.tes;
    sumTes2 += v.tes * v.tes;
    if (v.softMet >= 5.0) ++metClipped; else sumLogMet += std::log(v.softMet);
  }
  const double mean = sumTes / n, sd = std::sqrt(sumTes2 / n - mean * mean);
  EXPECT_NEAR(mean, 1.0, 5 * 0.01 / std::sqrt(n));
  EXPECT_NEAR(sd, 0.01, 5 * 0.01 / std::sqrt(2.0 * n));
  // P(LogNormal(0,1) > 5) = P(z > ln 5) = 0.0537.
  EXPECT_NEAR(metClipped / double(n), 0.0537, 5 * std::sqrt(0.0537 * 0.9463 / n));
}

}  // namespace
}  // namespace higgsuq
