// The chunked Poisson bootstrap: per-row counts Poisson of their means across several chunks, zero
// means never drawn, chunk totals Poisson (not fixed), rows in order, thread-count independence.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <array>
#include <cmath>
#include <vector>

#include "higgsuq/pseudo/PoissonBootstrap.hpp"

namespace higgsuq {
namespace {

constexpr std::array<double, 5> kMeans{0.0, 0.05, 0.3, 2.0, 15.0};

/// 100,000 rows (four chunks, the last partial) cycling through kMeans.
std::vector<double> means() {
  std::vector<double> m(100'000);
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = kMeans[i % kMeans.size()];
  return m;
}

TEST(PoissonBootstrap, EveryRowIsPoissonOfItsMeanAcrossChunks) {
  const std::vector<double> lambda = means();
  const PoissonBootstrap bootstrap(lambda);
  ASSERT_GT(lambda.size(), 3 * PoissonBootstrap::kChunkRows);
  const int draws = 60;
  std::array<double, kMeans.size()> sum{}, sum2{}, zeros{};
  std::vector<double> totals;
  for (int d = 0; d < draws; ++d) {
    std::vector<std::uint32_t> rows, counts;
    bootstrap.draw(1.0, streamKey(3, 0, static_cast<std::uint64_t>(d), Stream::eBootstrap), rows, counts);
    ASSERT_TRUE(std::is_sorted(rows.begin(), rows.end()));
    std::vector<std::uint32_t> n(lambda.size(), 0);
    double total = 0.0;
    for (std::size_t j = 0; j < rows.size(); ++j) {
      ASSERT_GT(counts[j], 0u);
      ASSERT_GT(lambda[rows[j]], 0.0) << "a row of mean 0 was drawn";
      n[rows[j]] = counts[j];
      total += counts[j];
    }
    totals.push_back(total);
    for (std::size_t i = 0; i < n.size(); ++i) {
      sum[i % kMeans.size()] += n[i];
      sum2[i % kMeans.size()] += static_cast<double>(n[i]) * n[i];
      zeros[i % kMeans.size()] += n[i] == 0;
    }
  }
  const double perClass = static_cast<double>(draws) * static_cast<double>(lambda.size() / kMeans.size());
  for (std::size_t c = 1; c < kMeans.size(); ++c) {
    const double mean = sum[c] / perClass, var = sum2[c] / perClass - mean * mean, l = kMeans[c];
    EXPECT_NEAR(mean, l, 5.0 * std::sqrt(l / perClass)) << "lambda " << l;
    EXPECT_NEAR(var / l, 1.0, 5.0 * std::sqrt(2.0 / perClass) * (1.0 + 1.0 / std::sqrt(l))) << "lambda " << l;
    const double p0 = std::exp(-l);
    EXPECT_NEAR(zeros[c] / perClass, p0, 5.0 * std::sqrt(p0 * (1.0 - p0) / perClass) + 1e-9) << "lambda " << l;
  }
  // The total is Poisson too (a fixed total would give variance 0).
  double m = 0.0, v = 0.0;
  for (double t : totals) m += t / draws;
  for (double t : totals) v += (t - m) * (t - m) / (draws - 1);
  const double expected = 20'000 * (0.05 + 0.3 + 2.0 + 15.0);
  EXPECT_NEAR(m, expected, 5.0 * std::sqrt(expected / draws));
  EXPECT_NEAR(v / expected, 1.0, 5.0 * std::sqrt(2.0 / (draws - 1)));
}

TEST(PoissonBootstrap, TinyMeansBesideAHugeOneKeepTheirShare) {
  // One chunk: row 0 holds 3/4 of the chunk's mean, 32,767 rows share the rest (alias-table extremes).
  std::vector<double> lambda(PoissonBootstrap::kChunkRows, 1e-3);
  lambda[0] = 3.0 * 1e-3 * static_cast<double>(lambda.size() - 1);
  const PoissonBootstrap bootstrap(lambda);
  const int draws = 400;
  double big = 0.0, tiny = 0.0;
  for (int d = 0; d < draws; ++d) {
    std::vector<std::uint32_t> rows, counts;
    bootstrap.draw(1.0, streamKey(4, 0, static_cast<std::uint64_t>(d), Stream::eBootstrap), rows, counts);
    for (std::size_t j = 0; j < rows.size(); ++j) (rows[j] == 0 ? big : tiny) += counts[j];
  }
  const double tinyMean = 1e-3 * static_cast<double>(lambda.size() - 1) * draws, bigMean = lambda[0] * draws;
  EXPECT_NEAR(tiny, tinyMean, 5.0 * std::sqrt(tinyMean));
  EXPECT_NEAR(big, bigMean, 5.0 * std::sqrt(bigMean));
}

TEST(PoissonBootstrap, DrawsArePureFunctionsOfTheKeyOnAnyThreadCount) {
  const std::vector<double> lambda = means();
  const PoissonBootstrap bootstrap(lambda);
  auto draw = [&](int threads, std::uint64_t pe) {
    tbb::global_control control(tbb::global_control::max_allowed_parallelism, threads);
    std::vector<std::uint32_t> rows, counts;
    bootstrap.draw(1.7, streamKey(9, 1, pe, Stream::eBootstrap, 2), rows, counts);
    return std::make_pair(rows, counts);
  };
  EXPECT_EQ(draw(1, 4), draw(2, 4));
  EXPECT_NE(draw(2, 4), draw(2, 5));
}

TEST(PoissonBootstrap, NothingIsDrawnAtZeroNormOrFromAllZeroChunks) {
  std::vector<double> lambda(2 * PoissonBootstrap::kChunkRows, 0.0);
  for (std::size_t i = PoissonBootstrap::kChunkRows; i < lambda.size(); ++i) lambda[i] = 0.5;
  const PoissonBootstrap bootstrap(lambda);
  std::vector<std::uint32_t> rows, counts;
  bootstrap.draw(0.0, streamKey(1, 0, 0, Stream::eBootstrap), rows, counts);
  EXPECT_TRUE(rows.empty());
  bootstrap.draw(1.0, streamKey(1, 0, 0, Stream::eBootstrap), rows, counts);
  ASSERT_FALSE(rows.empty());
  EXPECT_GE(rows.front(), PoissonBootstrap::kChunkRows);  // the first chunk has only zero means
}

}  // namespace
}  // namespace higgsuq
