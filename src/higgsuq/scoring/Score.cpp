#include "higgsuq/scoring/Score.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::scoring {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Plain mean (NaN propagates); NaN for an empty list.
double meanOf(std::span<const double> values) {
  if (values.empty()) return kNaN;
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

/// Mean skipping NaN, as pandas Series.mean(); NaN when nothing is left.
double nanSkippingMean(const std::vector<double>& values) {
  double sum = 0.0;
  std::size_t count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    sum += v;
    ++count;
  }
  return count == 0 ? kNaN : sum / static_cast<double>(count);
}

QuantileSummary emptySummary() {
  return {kNaN, kNaN, kNaN, 0, ScoreStatus::eEmptyInput};
}

void checkSameLength(const SetResults& results) {
  const std::size_t n = results.muHats.size();
  const auto check = [&](const std::vector<double>& list, const char* field) {
    if (list.size() != n) {
      throw InputError("set " + std::to_string(results.set) + ": '" + field + "' has " +
                       std::to_string(list.size()) + " entries but 'mu_hats' has " + std::to_string(n));
    }
  };
  check(results.deltaMuHats, "delta_mu_hats");
  check(results.p16, "p16");
  check(results.p84, "p84");
}

}  // namespace

std::string_view scoreStatusName(ScoreStatus status) {
  switch (status) {
    case ScoreStatus::eOk:
      return "ok";
    case ScoreStatus::eEmptyInput:
      return "empty_input";
  }
  return "unknown";
}

CoverageWindow coverageWindow(std::size_t n, const ScoreConfig& config) {
  const double nTries = static_cast<double>(n);
  // Same operation order as the reference: sqrt((1 - s) * s * N) / N.
  const double sigma68 = std::sqrt((1.0 - config.oneSigma) * config.oneSigma * nTries) / nTries;
  return {sigma68, config.oneSigma - 2.0 * sigma68, config.oneSigma + 2.0 * sigma68};
}

double coveragePenalty(double coverage, std::size_t n, const ScoreConfig& config) {
  if (std::isnan(coverage) || n == 0) return kNaN;
  const CoverageWindow window = coverageWindow(n, config);
  if (coverage >= window.low && coverage <= window.high) return 1.0;
  if (coverage < window.low) return 1.0 + std::pow(std::abs((coverage - window.low) / window.sigma68), 4.0);
  return 1.0 + std::pow(std::abs((coverage - window.high) / window.sigma68), 3.0);
}

double quantileScoreFormula(double interval, double coverage, std::size_t n, const ScoreConfig& config) {
  return -std::log((interval + config.epsilon) * coveragePenalty(coverage, n, config));
}

double peRmse(double muHat, double muTrue, double deltaMuHat) {
  const double d2 = (muTrue - muHat) * (muTrue - muHat);
  const double excess = d2 - deltaMuHat * deltaMuHat;
  return std::sqrt(d2 + excess * excess);
}

double peMae(double muHat, double muTrue, double deltaMuHat) {
  const double absDiff = std::abs(muTrue - muHat);
  return absDiff + std::abs(absDiff - deltaMuHat);
}

QuantileSummary quantilesScore(std::span<const double> muTrue, std::span<const double> p16,
                               std::span<const double> p84, const ScoreConfig& config) {
  HIGGSUQ_ASSERT(muTrue.size() == p16.size() && p16.size() == p84.size(), "per-PE lists differ in length");
  const std::size_t n = muTrue.size();
  if (n == 0) return emptySummary();
  double widthSum = 0.0;
  std::size_t covered = 0;
  for (std::size_t i = 0; i < n; ++i) {
    widthSum += std::abs(p84[i] - p16[i]);
    if (muTrue[i] >= p16[i] && muTrue[i] <= p84[i]) ++covered;  // false for NaN bounds
  }
  QuantileSummary summary;
  summary.n = n;
  summary.interval = widthSum / static_cast<double>(n);
  summary.coverage = static_cast<double>(covered) / static_cast<double>(n);
  summary.score = quantileScoreFormula(summary.interval, summary.coverage, n, config);
  return summary;
}

SetScore scoreSet(const SetResults& results, const ScoreConfig& config) {
  checkSameLength(results);
  const std::size_t n = results.muHats.size();
  SetScore score;
  score.set = results.set;
  score.muTrue = results.muTrue;
  const std::vector<double> muTrue(n, results.muTrue);
  score.quantiles = quantilesScore(muTrue, results.p16, results.p84, config);
  score.peRmse.reserve(n);
  score.peMae.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    score.peRmse.push_back(peRmse(results.muHats[i], results.muTrue, results.deltaMuHats[i]));
    score.peMae.push_back(peMae(results.muHats[i], results.muTrue, results.deltaMuHats[i]));
  }
  score.rmse = meanOf(score.peRmse);
  score.mae = meanOf(score.peMae);
  return score;
}

ScoreReport scoreResults(std::span<const SetResults> sets, const ScoreConfig& config) {
  ScoreReport report;
  std::vector<double> muTrue, p16, p84, setRmse, setMae;
  for (const SetResults& results : sets) {
    report.perSet.push_back(scoreSet(results, config));
    muTrue.insert(muTrue.end(), results.p16.size(), results.muTrue);
    p16.insert(p16.end(), results.p16.begin(), results.p16.end());
    p84.insert(p84.end(), results.p84.begin(), results.p84.end());
    if (!results.muHats.empty()) {
      setRmse.push_back(report.perSet.back().rmse);
      setMae.push_back(report.perSet.back().mae);
    }
  }
  report.pooled = quantilesScore(muTrue, p16, p84, config);
  report.rmse = meanOf(setRmse);
  report.mae = meanOf(setMae);
  report.status = report.pooled.status;
  return report;
}

Moments moments(std::span<const double> values) {
  const double mean = meanOf(values);
  if (values.empty()) return {kNaN, kNaN};
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / static_cast<double>(values.size()))};
}

BootstrapResult bootstrapFromIndices(std::span<const SetScore> perSet,
                                     std::span<const std::vector<std::size_t>> resamples,
                                     const ScoreConfig& config) {
  BootstrapResult result;
  result.samples.reserve(resamples.size());
  for (const std::vector<std::size_t>& drawn : resamples) {
    std::vector<double> coverages, intervals;
    std::size_t totalSize = 0;
    for (std::size_t position : drawn) {
      HIGGSUQ_ASSERT(position < perSet.size(), "bootstrap index out of range");
      const QuantileSummary& set = perSet[position].quantiles;
      coverages.push_back(set.coverage);
      intervals.push_back(set.interval);
      totalSize += set.n;
    }
    BootstrapSample sample;
    sample.coverage = nanSkippingMean(coverages);
    sample.interval = nanSkippingMean(intervals);
    sample.quantilesScore = quantileScoreFormula(sample.interval, sample.coverage, totalSize, config);
    result.samples.push_back(sample);
  }
  std::vector<double> interval, coverage, score;
  for (const BootstrapSample& sample : result.samples) {
    interval.push_back(sample.interval);
    coverage.push_back(sample.coverage);
    score.push_back(sample.quantilesScore);
  }
  result.interval = moments(interval);
  result.coverage = moments(coverage);
  result.quantilesScore = moments(score);
  return result;
}

std::vector<std::vector<std::size_t>> drawBootstrapIndices(std::size_t nSets, std::size_t nResamples,
                                                           std::uint64_t seed) {
  std::vector<std::vector<std::size_t>> resamples(nResamples);
  if (nSets == 0) return resamples;
  CounterRng rng(streamKey(seed, 0, 0, Stream::eScoreBootstrap));
  for (std::vector<std::size_t>& drawn : resamples) {
    drawn.reserve(nSets);
    for (std::size_t i = 0; i < nSets; ++i) drawn.push_back(static_cast<std::size_t>(rng.uniformInt(nSets)));
  }
  return resamples;
}

BootstrapResult bootstrapSets(std::span<const SetScore> perSet, std::uint64_t seed, std::size_t nResamples,
                              const ScoreConfig& config) {
  const auto resamples = drawBootstrapIndices(perSet.size(), nResamples, seed);
  BootstrapResult result = bootstrapFromIndices(perSet, resamples, config);
  result.seed = seed;
  return result;
}

}  // namespace higgsuq::scoring
