#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "higgsuq/ml/Auc.hpp"

using higgsuq::ml::weightedAuc;

TEST(WeightedAuc, PerfectSeparationIsOne) {
  const std::vector<float> s{0.1f, 0.2f, 0.8f, 0.9f};
  const std::vector<std::uint8_t> y{0, 0, 1, 1};
  const std::vector<double> w{1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(weightedAuc(s, y, w), 1.0);
}

TEST(WeightedAuc, InvertedIsZero) {
  const std::vector<float> s{0.9f, 0.8f, 0.2f, 0.1f};
  const std::vector<std::uint8_t> y{0, 0, 1, 1};
  const std::vector<double> w{1, 1, 1, 1};
  EXPECT_DOUBLE_EQ(weightedAuc(s, y, w), 0.0);
}

TEST(WeightedAuc, AllTiedIsOneHalf) {
  const std::vector<float> s{0.5f, 0.5f, 0.5f};
  const std::vector<std::uint8_t> y{0, 1, 1};
  const std::vector<double> w{2, 1, 5};
  EXPECT_DOUBLE_EQ(weightedAuc(s, y, w), 0.5);
}

TEST(WeightedAuc, WeightsCountAsPairProbabilities) {
  // Signal at 0.3 (w 1) and 0.7 (w 3); background at 0.5 (w 2) and 0.7 (w 1).
  // Won pairs: 0.7 beats 0.5 -> 3*2; 0.7 ties 0.7 -> 3*1/2; 0.3 beats nothing. Total pairs 4*3.
  const std::vector<float> s{0.3f, 0.7f, 0.5f, 0.7f};
  const std::vector<std::uint8_t> y{1, 1, 0, 0};
  const std::vector<double> w{1, 3, 2, 1};
  EXPECT_DOUBLE_EQ(weightedAuc(s, y, w), (6.0 + 1.5) / 12.0);
}

TEST(WeightedAuc, UnitWeightsMatchPairCounting) {
  // 2 signal, 3 background; signal 0.6 beats 2 of 3, signal 0.9 beats 3 of 3 -> 5/6.
  const std::vector<float> s{0.6f, 0.9f, 0.1f, 0.5f, 0.7f};
  const std::vector<std::uint8_t> y{1, 1, 0, 0, 0};
  const std::vector<double> w(5, 1.0);
  EXPECT_DOUBLE_EQ(weightedAuc(s, y, w), 5.0 / 6.0);
}

TEST(WeightedAuc, InvariantToRescalingOneClass) {
  const std::vector<float> s{0.6f, 0.9f, 0.1f, 0.5f, 0.7f};
  const std::vector<std::uint8_t> y{1, 1, 0, 0, 0};
  const std::vector<double> w{1, 2, 1, 3, 1};
  const std::vector<double> scaled{10, 20, 1, 3, 1};
  EXPECT_NEAR(weightedAuc(s, y, w), weightedAuc(s, y, scaled), 1e-15);
}

TEST(WeightedAuc, RejectsBadInput) {
  const std::vector<float> s{0.1f, 0.2f};
  const std::vector<std::uint8_t> oneClass{1, 1};
  const std::vector<std::uint8_t> y{0, 1};
  const std::vector<double> w{1, 1};
  const std::vector<double> negative{1, -1};
  EXPECT_THROW(weightedAuc(s, oneClass, w), std::invalid_argument);
  EXPECT_THROW(weightedAuc(s, y, negative), std::invalid_argument);
  EXPECT_THROW(weightedAuc(s, y, std::vector<double>{1}), std::invalid_argument);
}
