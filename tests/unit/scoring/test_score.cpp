// Unit tests of the scoring core on hand-made inputs and on the golden penalty table.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/scoring/Score.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::scoring {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::json penaltyTable() {
  std::ifstream in(test::goldenDir() / "scoring" / "penalty_table.json");
  EXPECT_TRUE(in.good());
  return nlohmann::json::parse(in);
}

TEST(ScoringPenaltyTable, EveryRowMatchesTheReference) {
  const nlohmann::json table = penaltyTable();
  ASSERT_GE(table.at("rows").size(), 10u);
  for (const nlohmann::json& row : table.at("rows")) {
    const std::size_t n = row.at("N").get<std::size_t>();
    const std::size_t covered = row.at("k_covered").get<std::size_t>();
    SCOPED_TRACE("N=" + std::to_string(n) + " k=" + std::to_string(covered));
    // mu = 0; the first k intervals are [-0.25, 0.25], the rest [0.25, 0.75].
    std::vector<double> mu(n, 0.0), p16(n, 0.25), p84(n, 0.75);
    for (std::size_t i = 0; i < covered; ++i) p16[i] = -0.25, p84[i] = 0.25;
    const QuantileSummary summary = quantilesScore(mu, p16, p84);
    EXPECT_EQ(summary.coverage, row.at("coverage").get<double>());
    HIGGSUQ_EXPECT_CLOSE_REL(summary.interval, row.at("interval").get<double>(), 1e-12);
    HIGGSUQ_EXPECT_CLOSE_REL(summary.score, row.at("score").get<double>(), 1e-12);
    HIGGSUQ_EXPECT_CLOSE_REL(coveragePenalty(summary.coverage, n), row.at("f_penalty").get<double>(), 1e-12);
    const CoverageWindow window = coverageWindow(n);
    HIGGSUQ_EXPECT_CLOSE_REL(window.low, row.at("window_lo").get<double>(), 1e-12);
    HIGGSUQ_EXPECT_CLOSE_REL(window.high, row.at("window_hi").get<double>(), 1e-12);
  }
}

TEST(ScoringPenaltyTable, EmptyInputCrashedTheReferenceButNotUs) {
  EXPECT_TRUE(penaltyTable().at("empty_input_Quantiles_Score").at("crashed").get<bool>());
  const QuantileSummary summary = quantilesScore({}, {}, {});
  EXPECT_EQ(summary.status, ScoreStatus::eEmptyInput);
  EXPECT_TRUE(std::isnan(summary.score));
  EXPECT_TRUE(std::isnan(summary.coverage));
  EXPECT_TRUE(std::isnan(summary.interval));
}

TEST(ScoringPenalty, WindowEdgesAreInsideAndExponentsAreFourBelowThreeAbove) {
  const std::size_t n = 1000;
  const CoverageWindow window = coverageWindow(n);
  EXPECT_NEAR(window.sigma68, std::sqrt(0.6827 * 0.3173 / 1000.0), 1e-15);
  EXPECT_EQ(coveragePenalty(window.low, n), 1.0);
  EXPECT_EQ(coveragePenalty(window.high, n), 1.0);
  EXPECT_EQ(coveragePenalty(0.6827, n), 1.0);
  HIGGSUQ_EXPECT_CLOSE_REL(coveragePenalty(window.low - 2.0 * window.sigma68, n), 1.0 + 16.0, 1e-12);
  HIGGSUQ_EXPECT_CLOSE_REL(coveragePenalty(window.high + 2.0 * window.sigma68, n), 1.0 + 8.0, 1e-12);
  HIGGSUQ_EXPECT_CLOSE_REL(coveragePenalty(window.low - 0.5 * window.sigma68, n), 1.0 + 0.0625, 1e-12);
  HIGGSUQ_EXPECT_CLOSE_REL(coveragePenalty(window.high + 0.5 * window.sigma68, n), 1.0 + 0.125, 1e-12);
}

TEST(ScoringPenalty, NaNCoverageOrZeroTriesGiveNaN) {
  EXPECT_TRUE(std::isnan(coveragePenalty(kNaN, 100)));
  EXPECT_TRUE(std::isnan(coveragePenalty(0.68, 0)));
  EXPECT_TRUE(std::isnan(quantileScoreFormula(0.5, kNaN, 100)));
}

TEST(ScoringConfig, EpsilonEntersTheScore) {
  ScoreConfig config;
  config.epsilon = 1e-2;
  HIGGSUQ_EXPECT_CLOSE_REL(quantileScoreFormula(0.46, 0.6827, 100, config), -std::log(0.47), 1e-14);
  HIGGSUQ_EXPECT_CLOSE_REL(quantileScoreFormula(0.46, 0.6827, 100), -std::log(0.461), 1e-14);
}

TEST(ScoringQuantiles, BoundsAreInclusive) {
  const std::vector<double> mu{1.0, 1.0, 1.0};
  const std::vector<double> p16{1.0, 0.5, 1.0 + 1e-12};
  const std::vector<double> p84{1.5, 1.0, 2.0};
  const QuantileSummary summary = quantilesScore(mu, p16, p84);
  EXPECT_EQ(summary.coverage, 2.0 / 3.0);
  EXPECT_EQ(summary.n, 3u);
}

TEST(ScoringQuantiles, ReversedIntervalsCountWithPositiveWidthButNeverCover) {
  const std::vector<double> mu{1.0, 1.0};
  const std::vector<double> p16{1.2, 0.8};
  const std::vector<double> p84{0.8, 1.2};
  const QuantileSummary summary = quantilesScore(mu, p16, p84);
  EXPECT_EQ(summary.coverage, 0.5);
  HIGGSUQ_EXPECT_CLOSE_REL(summary.interval, 0.4, 1e-12);
}

TEST(ScoringQuantiles, NaNBoundNeverCoversAndMakesIntervalAndScoreNaN) {
  const std::vector<double> mu{1.0, 1.0};
  for (int which = 0; which < 2; ++which) {
    std::vector<double> p16{0.5, 0.5}, p84{1.5, 1.5};
    (which == 0 ? p16 : p84)[1] = kNaN;
    const QuantileSummary summary = quantilesScore(mu, p16, p84);
    EXPECT_EQ(summary.coverage, 0.5);
    EXPECT_TRUE(std::isnan(summary.interval));
    EXPECT_TRUE(std::isnan(summary.score));
    EXPECT_EQ(summary.status, ScoreStatus::eOk);
  }
}

TEST(ScoringPerPe, RmseAndMaeFormulas) {
  // d = 0.3, delta = 0.2: d^2 = 0.09, d^2 - delta^2 = 0.05.
  HIGGSUQ_EXPECT_CLOSE_REL(peRmse(1.3, 1.0, 0.2), std::sqrt(0.09 + 0.05 * 0.05), 1e-12);
  HIGGSUQ_EXPECT_CLOSE_REL(peMae(1.3, 1.0, 0.2), 0.3 + 0.1, 1e-12);
  HIGGSUQ_EXPECT_CLOSE_REL(peMae(0.7, 1.0, 0.5), 0.3 + 0.2, 1e-12);
  EXPECT_EQ(peRmse(1.0, 1.0, 0.0), 0.0);
}

SetResults makeSet(int set, double muTrue, std::vector<double> p16, std::vector<double> p84) {
  SetResults results;
  results.set = set;
  results.muTrue = muTrue;
  results.p16 = std::move(p16);
  results.p84 = std::move(p84);
  results.muHats.assign(results.p16.size(), muTrue + 0.1);
  results.deltaMuHats.assign(results.p16.size(), 0.1);
  return results;
}

TEST(ScoringResults, PooledUsesAllPesAndRmseIsMeanOfSetMeans) {
  const std::vector<SetResults> sets{makeSet(0, 1.0, {0.5, 0.5, 1.5}, {1.5, 1.5, 2.0}),
                                     makeSet(1, 2.0, {1.0}, {3.0})};
  const ScoreReport report = scoreResults(sets);
  ASSERT_EQ(report.perSet.size(), 2u);
  EXPECT_EQ(report.pooled.n, 4u);
  EXPECT_EQ(report.pooled.coverage, 0.75);
  HIGGSUQ_EXPECT_CLOSE_REL(report.pooled.interval, (1.0 + 1.0 + 0.5 + 2.0) / 4.0, 1e-12);
  EXPECT_EQ(report.perSet[0].quantiles.coverage, 2.0 / 3.0);
  HIGGSUQ_EXPECT_CLOSE_REL(report.rmse, 0.5 * (report.perSet[0].rmse + report.perSet[1].rmse), 1e-12);
  EXPECT_EQ(report.perSet[0].peMae.size(), 3u);
}

TEST(ScoringResults, EmptyInputGivesNaNAndStatus) {
  const ScoreReport none = scoreResults(std::vector<SetResults>{});
  EXPECT_EQ(none.status, ScoreStatus::eEmptyInput);
  EXPECT_TRUE(std::isnan(none.pooled.score) && std::isnan(none.rmse) && std::isnan(none.mae));
  const ScoreReport emptySets = scoreResults(std::vector<SetResults>{makeSet(0, 1.0, {}, {})});
  EXPECT_EQ(emptySets.status, ScoreStatus::eEmptyInput);
  EXPECT_EQ(emptySets.perSet[0].quantiles.status, ScoreStatus::eEmptyInput);
}

TEST(ScoringResults, AnEmptySetIsLeftOutOfTheMeanOverSets) {
  const ScoreReport report =
      scoreResults(std::vector<SetResults>{makeSet(0, 1.0, {0.5}, {1.5}), makeSet(1, 1.0, {}, {})});
  EXPECT_EQ(report.status, ScoreStatus::eOk);
  EXPECT_EQ(report.perSet[1].quantiles.status, ScoreStatus::eEmptyInput);
  HIGGSUQ_EXPECT_CLOSE_REL(report.rmse, report.perSet[0].rmse, 1e-15);
}

TEST(ScoringResults, ListsOfDifferentLengthsAreAnInputError) {
  SetResults bad = makeSet(3, 1.0, {0.5, 0.5}, {1.5, 1.5});
  bad.p84.pop_back();
  try {
    scoreSet(bad);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("p84"), std::string::npos) << e.what();
  }
}

std::vector<SetScore> threeSetScores() {
  return scoreResults(std::vector<SetResults>{makeSet(0, 1.0, {0.5, 0.5}, {1.5, 1.5}),
                                              makeSet(1, 1.0, {0.9, 1.2}, {1.1, 1.4}),
                                              makeSet(2, 1.0, {0.5, 0.5}, {1.5, kNaN})})
      .perSet;
}

TEST(ScoringBootstrap, FromIndicesSkipsNaNIntervalsButCountsTheirSizeAndCoverage) {
  const std::vector<SetScore> perSet = threeSetScores();
  const std::vector<std::vector<std::size_t>> resamples{{0, 1, 1}, {0, 2, 2}, {2, 2, 2}};
  const BootstrapResult result = bootstrapFromIndices(perSet, resamples);
  ASSERT_EQ(result.samples.size(), 3u);
  HIGGSUQ_EXPECT_CLOSE_REL(result.samples[0].coverage, (1.0 + 0.5 + 0.5) / 3.0, 1e-15);
  HIGGSUQ_EXPECT_CLOSE_REL(result.samples[0].interval, (1.0 + 0.2 + 0.2) / 3.0, 1e-12);
  // Resample 1: set 2's interval is NaN and skipped; N = 6 still counts it; its coverage is 0.5.
  HIGGSUQ_EXPECT_CLOSE_REL(result.samples[1].interval, 1.0, 1e-15);
  HIGGSUQ_EXPECT_CLOSE_REL(result.samples[1].coverage, (1.0 + 0.5 + 0.5) / 3.0, 1e-15);
  HIGGSUQ_EXPECT_CLOSE_REL(result.samples[1].quantilesScore,
                           quantileScoreFormula(1.0, result.samples[1].coverage, 6), 1e-15);
  EXPECT_TRUE(std::isnan(result.samples[2].interval));
  EXPECT_TRUE(std::isnan(result.quantilesScore.mean));
}

TEST(ScoringBootstrap, OwnRngIsReproducibleInRangeAndSeedDependent) {
  const auto first = drawBootstrapIndices(10, 200, 7);
  EXPECT_EQ(first, drawBootstrapIndices(10, 200, 7));
  EXPECT_NE(first, drawBootstrapIndices(10, 200, 8));
  std::set<std::size_t> seen;
  for (const auto& drawn : first) {
    ASSERT_EQ(drawn.size(), 10u);
    for (std::size_t position : drawn) {
      ASSERT_LT(position, 10u);
      seen.insert(position);
    }
  }
  EXPECT_EQ(seen.size(), 10u);
  const std::vector<SetScore> perSet = threeSetScores();
  const BootstrapResult result = bootstrapSets(std::span(perSet).first(2), 7, 50);
  EXPECT_EQ(result.samples.size(), 50u);
  EXPECT_EQ(result.seed, 7u);
}

TEST(ScoringBootstrap, EmptyInputDoesNotCrash) {
  const BootstrapResult result = bootstrapSets({}, 1, 5);
  EXPECT_EQ(result.samples.size(), 5u);
  EXPECT_TRUE(std::isnan(result.quantilesScore.mean));
}

TEST(ScoringMoments, PopulationStd) {
  const std::vector<double> values{1.0, 2.0, 3.0, 4.0};
  const Moments m = moments(values);
  EXPECT_EQ(m.mean, 2.5);
  HIGGSUQ_EXPECT_CLOSE_REL(m.std, std::sqrt(1.25), 1e-15);
  EXPECT_TRUE(std::isnan(moments({}).mean));
}

}  // namespace
}  // namespace higgsuq::scoring
