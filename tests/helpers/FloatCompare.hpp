// Shared float-comparison helpers for the test suite: absolute, relative and mixed tolerances
// with messages that say which value failed and by how much.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace higgsuq::test {

/// Passes if |a - b| <= max(absTol, relTol * |b|); b is the reference value.
inline ::testing::AssertionResult closeMixed(double a, double b, double absTol, double relTol) {
  const double diff = std::abs(a - b);
  const double tol = std::max(absTol, relTol * std::abs(b));
  if (diff <= tol || (std::isnan(a) && std::isnan(b))) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "value " << a << " vs reference " << b << ": |diff| " << diff
                                       << " > tolerance " << tol;
}

inline ::testing::AssertionResult closeAbs(double a, double b, double absTol) {
  return closeMixed(a, b, absTol, 0.0);
}

inline ::testing::AssertionResult closeRel(double a, double b, double relTol) {
  return closeMixed(a, b, 0.0, relTol);
}

}  // namespace higgsuq::test

#define HIGGSUQ_EXPECT_CLOSE_ABS(a, b, tol) EXPECT_TRUE(::higgsuq::test::closeAbs((a), (b), (tol)))
#define HIGGSUQ_EXPECT_CLOSE_REL(a, b, tol) EXPECT_TRUE(::higgsuq::test::closeRel((a), (b), (tol)))
#define HIGGSUQ_EXPECT_CLOSE_MIXED(a, b, abs, rel) \
  EXPECT_TRUE(::higgsuq::test::closeMixed((a), (b), (abs), (rel)))
