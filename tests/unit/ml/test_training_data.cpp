#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "SyntheticEvents.hpp"
#include "higgsuq/ml/TrainingData.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {

TEST(TrainValidationSplit, PartitionsRowsDeterministically) {
  const auto a = splitTrainValidation(10000, 0.2, 42);
  const auto b = splitTrainValidation(10000, 0.2, 42);
  const auto c = splitTrainValidation(10000, 0.2, 43);
  EXPECT_EQ(a.train, b.train);
  EXPECT_EQ(a.validation, b.validation);
  EXPECT_NE(a.validation, c.validation);
  EXPECT_EQ(a.train.size() + a.validation.size(), 10000u);
  EXPECT_NEAR(static_cast<double>(a.validation.size()), 2000.0, 4 * std::sqrt(10000 * 0.2 * 0.8));
  std::vector<int> seen(10000, 0);
  for (auto r : a.train) ++seen[r];
  for (auto r : a.validation) ++seen[r];
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 10000);
  EXPECT_THROW(splitTrainValidation(10, 1.0, 1), std::invalid_argument);
}

TEST(ClassBalancing, BothClassesSumToTheLargerTotal) {
  const std::vector<std::uint8_t> y{1, 0, 0, 1, 0};
  const std::vector<double> w{0.1, 2.0, 3.0, 0.3, 5.0};
  const auto b = balancedClassWeights(y, w);
  double signal = 0, background = 0;
  for (std::size_t i = 0; i < y.size(); ++i) (y[i] ? signal : background) += b[i];
  EXPECT_NEAR(signal, 10.0, 1e-12);
  EXPECT_NEAR(background, 10.0, 1e-12);
  EXPECT_DOUBLE_EQ(b[1], 2.0);            // the larger class is unchanged
  EXPECT_NEAR(b[3] / b[0], 3.0, 1e-12);   // ratios within a class are kept
}

TEST(ClassBalancing, RejectsAMissingClass) {
  const std::vector<std::uint8_t> y{0, 0};
  const std::vector<double> w{1.0, 1.0};
  EXPECT_THROW(balancedClassWeights(y, w), InputError);
}

TEST(FeatureScaling, WeightedMeanAndStd) {
  EventTable t(3);
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    auto c = t.column(featureAt(f));
    c[0] = 1.0f; c[1] = 3.0f; c[2] = (f == 5) ? 3.0f : 1.0f;
  }
  const std::vector<double> w{1.0, 2.0, 1.0};
  const auto s = FeatureScaling::fit(t, w);
  // Feature 0: values 1,3,1 weights 1,2,1 -> mean 2, variance 1.
  EXPECT_FLOAT_EQ(s.mean[0], 2.0f);
  EXPECT_FLOAT_EQ(s.std[0], 1.0f);
  // Feature 5: values 1,3,3 -> mean 2.5, variance (2.25 + 3*0.25)/4 = 0.75.
  EXPECT_FLOAT_EQ(s.mean[5], 2.5f);
  EXPECT_FLOAT_EQ(s.std[5], std::sqrt(0.75f));
  EXPECT_FALSE(s.isIdentity());
  EXPECT_TRUE(FeatureScaling::identity().isIdentity());
}

TEST(FillRowMajor, TransposesAndScales) {
  const EventTable t = test::makeBlobs({.events = 10});
  std::vector<float> rows(4 * kRowWidth);
  FeatureScaling s = FeatureScaling::identity();
  s.mean[2] = 1.0f;
  s.std[2] = 2.0f;
  fillRowMajor(t, 3, 7, s, rows);
  EXPECT_EQ(rows[1 * kRowWidth + 0], t.value(featureAt(0), 4));
  EXPECT_EQ(rows[2 * kRowWidth + 27], t.value(featureAt(27), 5));
  EXPECT_FLOAT_EQ(rows[3 * kRowWidth + 2], (t.value(featureAt(2), 6) - 1.0f) / 2.0f);
  const std::vector<std::uint32_t> picked{9, 0};
  std::vector<float> gathered(2 * kRowWidth);
  fillRowMajor(t, picked, s, gathered);
  EXPECT_EQ(gathered[0 * kRowWidth + 4], t.value(featureAt(4), 9));
  EXPECT_EQ(gathered[1 * kRowWidth + 4], t.value(featureAt(4), 0));
}

}  // namespace higgsuq::ml
