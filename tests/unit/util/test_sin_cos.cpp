// sinCos against the double-precision library functions, in ulp of the float result.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "higgsuq/util/SinCos.hpp"

namespace higgsuq {
namespace {

/// |a - exact| in units of the float spacing at exact (the smallest denormal's spacing for exact = 0).
double ulpError(float a, double exact) {
  const double spacing = exact == 0.0 ? 0x1p-149 : std::ldexp(1.0, std::ilogb(exact) - 23);
  return std::abs(static_cast<double>(a) - exact) / spacing;
}

/// Within 2 ulp, or within 1e-13 absolute where the result is tiny (next to a zero of sin or cos the
/// reduction's last bits are many ulp of the result but ~1e-15 in absolute terms).
void expectWithin2Ulp(const std::vector<float>& x) {
  std::vector<float> s(x.size()), c(x.size());
  sinCos(x.data(), x.size(), s.data(), c.data());
  double worstSin = 0.0, worstCos = 0.0;
  auto error = [](float a, double exact) {
    return std::abs(static_cast<double>(a) - exact) <= 1e-13 ? 0.0 : ulpError(a, exact);
  };
  for (std::size_t k = 0; k < x.size(); ++k) {
    worstSin = std::max(worstSin, error(s[k], std::sin(static_cast<double>(x[k]))));
    worstCos = std::max(worstCos, error(c[k], std::cos(static_cast<double>(x[k]))));
  }
  EXPECT_LE(worstSin, 2.0);
  EXPECT_LE(worstCos, 2.0);
}

TEST(SinCos, WithinTwoUlpOverAzimuthsAndBoxMullerAngles) {
  std::vector<float> x;
  for (int k = -3200; k <= 3200; ++k) x.push_back(static_cast<float>(k) * 0.001f);  // 3-decimal azimuths
  for (int k = 0; k <= 400000; ++k) x.push_back(-6.2831f + 12.5662f * static_cast<float>(k) / 400000.0f);
  const float pi = std::numbers::pi_v<float>;
  for (float v : {0.0f, -0.0f, 1e-30f, -1e-8f, pi, -pi, 0.5f * pi, -0.5f * pi, 1.5f * pi, 2.0f * pi,
                  -2.0f * pi, 6.2831849f, std::nextafter(pi, 0.0f), std::nextafter(2.0f * pi, 0.0f)}) {
    x.push_back(v);
  }
  expectWithin2Ulp(x);
}

TEST(SinCos, Within1e7AbsoluteUpTo64IncludingMultiplesOfPi) {
  std::vector<float> x;
  for (int k = 0; k <= 300000; ++k) x.push_back(-64.0f + 128.0f * static_cast<float>(k) / 300000.0f);
  for (int k = -20; k <= 20; ++k) {
    const float v = static_cast<float>(k * std::numbers::pi);
    x.insert(x.end(), {v, std::nextafter(v, 100.0f), std::nextafter(v, -100.0f)});
  }
  x.push_back(-25.0f);  // the placeholder of a missing jet's azimuth
  std::vector<float> s(x.size()), c(x.size());
  sinCos(x.data(), x.size(), s.data(), c.data());
  double worst = 0.0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    worst = std::max({worst, std::abs(s[k] - std::sin(static_cast<double>(x[k]))),
                      std::abs(c[k] - std::cos(static_cast<double>(x[k])))});
  }
  EXPECT_LE(worst, 1e-7);
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
