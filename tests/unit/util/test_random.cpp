// Counter-based random numbers: known-answer vectors, purity, distributions.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "higgsuq/util/Random.hpp"
#include "higgsuq/util/RandomBatch.hpp"

namespace higgsuq {
namespace {

TEST(Philox, MatchesRandom123KnownAnswers) {
  // Known-answer vectors of Philox4x32-10 published with Random123 (kat_vectors).
  EXPECT_EQ(philox4x32({0, 0, 0, 0}, {0, 0}), (PhiloxBlock{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  EXPECT_EQ(philox4x32({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}),
            (PhiloxBlock{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
  EXPECT_EQ(philox4x32({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}),
            (PhiloxBlock{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(StreamKey, DistinctCoordinatesGiveDistinctKeys) {
  std::set<std::pair<std::uint32_t, std::uint32_t>> keys;
  for (std::uint64_t set = 0; set < 10; ++set) {
    for (std::uint64_t pe = 0; pe < 100; ++pe) {
      for (Stream s : {Stream::eMu, Stream::eNuisance, Stream::eBootstrap, Stream::eSoftMet}) {
        const auto k = streamKey(7, set, pe, s);
        keys.insert({k.key[0], k.key[1]});
      }
    }
  }
  EXPECT_EQ(keys.size(), 10u * 100u * 4u);
}

TEST(Random, DrawsArePureFunctionsOfKeyAndIndex) {
  const auto k = streamKey(1, 2, 3, Stream::eSoftMet);
  EXPECT_EQ(normalAt(k, 12345), normalAt(k, 12345));
  EXPECT_NE(normalAt(k, 12345), normalAt(k, 12346));
  EXPECT_NE(normalAt(k, 1), normalAt(streamKey(1, 2, 4, Stream::eSoftMet), 1));
}

TEST(Random, NormalHasUnitMomentsAndUniformIsInOpenInterval) {
  const auto k = streamKey(99, 0, 0, Stream::eToys);
  const int n = 200000;
  double s = 0, ss = 0, su = 0;
  for (int i = 0; i < n; ++i) {
    const auto z = normalPairAt(k, static_cast<std::uint64_t>(i));
    s += z[0] + z[1];
    ss += z[0] * z[0] + z[1] * z[1];
    const double u = uniformAt(k, static_cast<std::uint64_t>(i) + (1ULL << 33));
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
  }
  const double mean = s / (2 * n), var = ss / (2 * n) - mean * mean;
  EXPECT_NEAR(mean, 0.0, 5.0 / std::sqrt(2.0 * n));
  EXPECT_NEAR(var, 1.0, 5.0 * std::sqrt(2.0 / (2 * n)));
  EXPECT_NEAR(su / n, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / n));
}

class PoissonMoments : public ::testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MeanAndVarianceEqualLambda) {
  const double lambda = GetParam();
  CounterRng rng(streamKey(5, 0, 0, Stream::eToys, static_cast<std::uint32_t>(lambda * 100)));
  const int n = 100000;
  double s = 0, ss = 0;
  for (int i = 0; i < n; ++i) {
    const double k = static_cast<double>(rng.poisson(lambda));
    s += k;
    ss += k * k;
  }
  const double mean = s / n, var = ss / n - mean * mean;
  EXPECT_NEAR(mean, lambda, 5.0 * std::sqrt(lambda / n));
  EXPECT_NEAR(var, lambda, 6.0 * lambda * std::sqrt(2.0 / n) + 5.0 * std::sqrt(lambda / n));
}

INSTANTIATE_TEST_SUITE_P(SmallAndLarge, PoissonMoments, ::testing::Values(0.05, 0.7, 3.0, 9.9, 10.0, 57.0, 1e4));

TEST(Random, UniformIntIsUnbiasedAcrossBins) {
  CounterRng rng(streamKey(3, 0, 0, Stream::eScoreBootstrap));
  std::vector<int> counts(10, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) counts[rng.uniformInt(10)]++;
  for (int c : counts) EXPECT_NEAR(c, n / 10.0, 5.0 * std::sqrt(n * 0.1 * 0.9));
}

TEST(RandomBatch, InterleavedUniformsEqualTheScalarDrawsBitForBit) {
  const StreamKey key = streamKey(7, 1, 2, Stream::eBootstrap, 3);
  for (const std::uint64_t first : {std::uint64_t{0}, std::uint64_t{3}, (std::uint64_t{1} << 32) - 21}) {
    const std::size_t blocks = 77;
    std::vector<double> out(2 * blocks);
    uniformsAt(key, first, blocks, out.data());
    for (std::size_t j = 0; j < blocks; ++j) {
      const PhiloxBlock w = blockAt(key, first + j);
      ASSERT_EQ(out[2 * j], uniform53(w[0], w[1])) << "first " << first << " block " << j;
      ASSERT_EQ(out[2 * j + 1], uniform53(w[2], w[3])) << "first " << first << " block " << j;
    }
  }
}

TEST(RandomBatch, UniformPairsEqualTheScalarDrawsBitForBit) {
  const StreamKey key = streamKey(42, 3, 7, Stream::eSoftMet, 5);
  // A start near a 2^32 boundary of the index and a length that is not a multiple of 8.
  for (const std::uint64_t first : {std::uint64_t{0}, std::uint64_t{5}, (std::uint64_t{1} << 32) - 13}) {
    const std::size_t n = 203;
    std::vector<float> u(n), v(n);
    uniformPairsAt(key, first, n, u.data(), v.data());
    for (std::size_t i = 0; i < n; ++i) {
      const PhiloxBlock w = blockAt(key, first + i);
      ASSERT_EQ(u[i], static_cast<float>(uniform53(w[0], w[1]))) << "first " << first << " i " << i;
      ASSERT_EQ(v[i], static_cast<float>(uniform53(w[2], w[3]))) << "first " << first << " i " << i;
    }
  }
}

}  // namespace
}  // namespace higgsuq
