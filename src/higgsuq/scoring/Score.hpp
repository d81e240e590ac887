// Challenge scoring, exactly as the reference score.py / run_scoring.py --phase-2 compute it
// (reference-challenge.md §5): per-PE interval |p84 - p16|, inclusive coverage, the coverage
// penalty f, the quantile score -ln((w + eps) f), the per-PE "RMSE"/"MAE", per-set and pooled
// values, and the bootstrap over sets. Pure functions over in-memory results; no file I/O.
//
// NaN: a NaN bound never covers and makes the interval (and score) NaN, as in the reference.
// Empty input: the reference crashes (UnboundLocalError); here every value is NaN and the
// status says eEmptyInput.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace higgsuq::scoring {

/// The constants of the reference code (the docs say 0.68 and 1e-2; the code uses these).
struct ScoreConfig {
  double oneSigma = 0.6827;
  double epsilon = 1e-3;
};

enum class ScoreStatus {
  eOk,          ///< values computed (they may still be NaN when an input bound is NaN)
  eEmptyInput,  ///< no pseudo-experiments: every value NaN
};

std::string_view scoreStatusName(ScoreStatus status);

/// The results of all pseudo-experiments (PEs) of one set; the four lists are ordered by PE.
struct SetResults {
  int set = 0;
  double muTrue = 0.0;
  std::vector<double> muHats, deltaMuHats, p16, p84;
};

/// The coverage window [low, high] = oneSigma -/+ 2 sigma68 for n PEs.
struct CoverageWindow {
  double sigma68 = 0.0;
  double low = 0.0;
  double high = 0.0;
};

CoverageWindow coverageWindow(std::size_t n, const ScoreConfig& config = {});

/// f(c): 1 inside the window, 1 + |dist/sigma68|^4 below, 1 + |dist/sigma68|^3 above; NaN for NaN c
/// or n = 0.
double coveragePenalty(double coverage, std::size_t n, const ScoreConfig& config = {});

/// -ln((interval + eps) * f(coverage, n)).
double quantileScoreFormula(double interval, double coverage, std::size_t n, const ScoreConfig& config = {});

/// Per-PE values: d = muHat - muTrue; sqrt(d^2 + (d^2 - delta^2)^2) and |d| + ||d| - delta|.
double peRmse(double muHat, double muTrue, double deltaMuHat);
double peMae(double muHat, double muTrue, double deltaMuHat);

/// Interval, coverage and score of a group of PEs (the reference's Quantiles_Score).
struct QuantileSummary {
  double interval = 0.0;
  double coverage = 0.0;
  double score = 0.0;
  std::size_t n = 0;
  ScoreStatus status = ScoreStatus::eOk;
};

/// muTrue, p16 and p84 are per PE and must have the same length (HIGGSUQ_ASSERT).
QuantileSummary quantilesScore(std::span<const double> muTrue, std::span<const double> p16,
                               std::span<const double> p84, const ScoreConfig& config = {});

/// One set's values (the reference's set_score_df row plus the per-PE metrics).
struct SetScore {
  int set = 0;
  double muTrue = 0.0;
  QuantileSummary quantiles;
  double rmse = 0.0;  ///< mean over the set's PEs of peRmse
  double mae = 0.0;   ///< mean over the set's PEs of peMae
  std::vector<double> peRmse, peMae;
};

/// Everything scores.json reports.
struct ScoreReport {
  std::vector<SetScore> perSet;
  QuantileSummary pooled;  ///< all PEs of all sets, N = total
  double rmse = 0.0;       ///< mean over (non-empty) sets of the per-set rmse
  double mae = 0.0;
  ScoreStatus status = ScoreStatus::eOk;
};

/// Throws higgsuq::InputError if a set's four lists have different lengths.
SetScore scoreSet(const SetResults& results, const ScoreConfig& config = {});
ScoreReport scoreResults(std::span<const SetResults> sets, const ScoreConfig& config = {});

/// One bootstrap resample's values.
struct BootstrapSample {
  double interval = 0.0;
  double coverage = 0.0;
  double quantilesScore = 0.0;
};

/// Mean and population standard deviation (ddof 0).
struct Moments {
  double mean = 0.0;
  double std = 0.0;
};

struct BootstrapResult {
  std::uint64_t seed = 0;  ///< 0 when the indices were given
  std::vector<BootstrapSample> samples;
  Moments interval, coverage, quantilesScore;
};

/// Resample with the given set positions (indices into perSet). Per resample, as the reference:
/// coverage = mean of set coverages, interval = mean of set intervals, both skipping NaN (pandas
/// mean), N = sum of set sizes (NaN sets included), score = quantileScoreFormula(interval, coverage, N).
BootstrapResult bootstrapFromIndices(std::span<const SetScore> perSet,
                                     std::span<const std::vector<std::size_t>> resamples,
                                     const ScoreConfig& config = {});

/// nResamples resamples of nSets positions each, drawn with replacement from one counter-RNG stream
/// (streamKey(seed, 0, 0, Stream::eScoreBootstrap)), resample by resample.
std::vector<std::vector<std::size_t>> drawBootstrapIndices(std::size_t nSets, std::size_t nResamples,
                                                           std::uint64_t seed);

BootstrapResult bootstrapSets(std::span<const SetScore> perSet, std::uint64_t seed,
                              std::size_t nResamples = 1000, const ScoreConfig& config = {});

/// Mean and ddof-0 std; NaN values propagate; NaN for an empty list.
Moments moments(std::span<const double> values);

}  // namespace higgsuq::scoring
