// sinCos against the double-precision library functions, in ulp of the float result.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "higgsuq/util/SinCos.hpp"

namespace higgsuq {
namespace {

/// |a - exact| in units of the float spacing at exact (at least the spacing at 2^-24 for results near 0).
double ulpError(float a, double exact) {
  const double spacing = std::max(std::ldexp(1.0, std::ilogb(exact) - 23), std::ldexp(1.0, -48));
  return std::abs(static_cast<double>(a) - exact) / spacing;
}

void expectWithin2Ulp(const std::vector<float>& x) {
  std::vector<float> s(x.size()), c(x.size());
  sinCos(x.data(), x.size(), s.data(), c.data());
  double worstSin = 0.0, worstCos = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    worstSin = std::max(worstSin, ulpError(s[k], std::sin(static_cast<double>(x[k]))));
    worstCos = std::max(worstCos, ulpError(c[k], std::cos(static_cast<double>(x[k]))));
  }
  EXPECT_LE(worstSin, 2.0);
  EXPECT_LE(worstCos, 2.0);
}

TEST(SinCos, WithinTwoUlpOverAzimuthsAndTheMissingValue) {
  std::vector<float> x;
  for (int k = -3200; k <= 3200; ++k) x.push_back(static_cast<float>(k) * 0.001f);  // 3-decimal azimuths
  for (int k = 0; k < 200000; ++k) x.push_back(-3.3f + 6.6f * static_cast<float>(k) / 200000.0f);
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-8f, std::numbers::pi_v<float>, -std::numbers::pi_v<float>, -25.0f,
                  2.0f * std::numbers::pi_v<float>, 6.2831849f}) {
    x.push_back(v);
  }
  expectWithin2Ulp(x);
}

TEST(SinCos, WithinTwoUlpUpTo64) {
  std::vector<float> x;
  for (int k = 0; k < 300000; ++k) x.push_back(-64.0f + 128.0f * static_cast<float>(k) / 300000.0f);
  expectWithin2Ulp(x);
}

TEST(SinCos, LargeArgumentsFallBackToLibm) {
  std::vector<float> x = {0.5f, 1e4f, -3e9f, 1e30f, 2.0f, 100.0f, -64.5f, 7.0f, 0.25f};
  std::vector<float> s(x.size()), c(x.size());
  sinCos(x.data(), x.size(), s.data(), c.data());
  for (std::size_t k = 0; k < x.size(); ++k) {
    EXPECT_NEAR(s[k], std::sin(static_cast<double>(x[k])), 1e-6) << x[k];
    EXPECT_NEAR(c[k], std::cos(static_cast<double>(x[k])), 1e-6) << x[k];
  }
}

TEST(SinCos, ValueDoesNotDependOnItsPlaceOrTheColumnLength) {
  std::vector<float> x;
  for (int k = 0; k < 37; ++k) x.push_back(0.37f * static_cast<float>(k) - 6.0f);
  std::vector<float> s(x.size()), c(x.size());
  sinCos(x.data(), x.size(), s.data(), c.data());
  for (std::size_t k = 0; k < x.size(); ++k) {
    float s1, c1;
    sinCos(&x[k], 1, &s1, &c1);
    EXPECT_EQ(s1, s[k]) << k;
    EXPECT_EQ(c1, c[k]) << k;
  }
}

}  // namespace
}  // namespace higgsuq
