// Compiled with the column-kernel ISA, without fast-math: the reduction's three steps must round as written.
#include "higgsuq/util/SinCos.hpp"

#include <algorithm>
#include <cmath>

#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace higgsuq {
namespace {

// pi/4 = kDp1 + kDp2 + kDp3 (kDp1 and kDp2 exact in few bits, so j * kDp1 and j * kDp2 are exact).
constexpr float kFourOverPi = 1.27323954473516f;
constexpr float kDp1 = 0.78515625f, kDp2 = 2.4187564849853515625e-4f, kDp3 = 3.77489497744594108e-8f;
constexpr float kSin0 = -1.9515295891e-4f, kSin1 = 8.3321608736e-3f, kSin2 = -1.6666654611e-1f;
constexpr float kMaxPolynomialArgument = 64.0f;  // within 1e-7 absolute up to here (tested)
constexpr float kCos0 = 2.443315711809948e-5f, kCos1 = -1.388731625493765e-3f, kCos2 = 4.166664568298827e-2f;

void libmGroup(const float* x, std::size_t n, float* sinOut, float* cosOut) {
  for (std::size_t k = 0; k < n; ++k) {
    sinOut[k] = std::sin(x[k]);
    cosOut[k] = std::cos(x[k]);
  }
}

#ifdef __AVX2__
[[gnu::always_inline]] inline void sinCos8(__m256 x, float* sinOut, float* cosOut) {
  const __m256 signMask = _mm256_set1_ps(-0.0f);
  __m256 sinSign = _mm256_and_ps(x, signMask);
  x = _mm256_andnot_ps(signMask, x);
  // Octant j, rounded up to even: x - j pi/4 lies in [-pi/4, pi/4].
  __m256i j = _mm256_cvttps_epi32(_mm256_mul_ps(x, _mm256_set1_ps(kFourOverPi)));
  j = _mm256_and_si256(_mm256_add_epi32(j, _mm256_set1_epi32(1)), _mm256_set1_epi32(~1));
  const __m256 y = _mm256_cvtepi32_ps(j);
  const __m256i four = _mm256_set1_epi32(4);
  sinSign = _mm256_xor_ps(sinSign, _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_and_si256(j, four), 29)));
  const __m256 cosSign = _mm256_castsi256_ps(
      _mm256_slli_epi32(_mm256_andnot_si256(_mm256_sub_epi32(j, _mm256_set1_epi32(2)), four), 29));
  const __m256 useSinPoly = _mm256_castsi256_ps(
      _mm256_cmpeq_epi32(_mm256_and_si256(j, _mm256_set1_epi32(2)), _mm256_setzero_si256()));
  x = _mm256_fnmadd_ps(y, _mm256_set1_ps(kDp1), x);
  x = _mm256_fnmadd_ps(y, _mm256_set1_ps(kDp2), x);
  x = _mm256_fnmadd_ps(y, _mm256_set1_ps(kDp3), x);
  const __m256 z = _mm256_mul_ps(x, x);
  __m256 c = _mm256_fmadd_ps(_mm256_set1_ps(kCos0), z, _mm256_set1_ps(kCos1));
  c = _mm256_fmadd_ps(c, z, _mm256_set1_ps(kCos2));
  c = _mm256_fmadd_ps(_mm256_mul_ps(c, z), z,
                      _mm256_fnmadd_ps(_mm256_set1_ps(0.5f), z, _mm256_set1_ps(1.0f)));
  __m256 s = _mm256_fmadd_ps(_mm256_set1_ps(kSin0), z, _mm256_set1_ps(kSin1));
  s = _mm256_fmadd_ps(s, z, _mm256_set1_ps(kSin2));
  s = _mm256_fmadd_ps(_mm256_mul_ps(s, z), x, x);
  const __m256 sinValue = _mm256_blendv_ps(c, s, useSinPoly);
  const __m256 cosValue = _mm256_blendv_ps(s, c, useSinPoly);
  _mm256_storeu_ps(sinOut, _mm256_xor_ps(sinValue, sinSign));
  _mm256_storeu_ps(cosOut, _mm256_xor_ps(cosValue, cosSign));
}
inline bool allSmall(__m256 v) {
  const __m256 magnitude = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v);
  return _mm256_movemask_ps(_mm256_cmp_ps(magnitude, _mm256_set1_ps(kMaxPolynomialArgument), _CMP_LE_OQ)) ==
         0xFF;
}

/// 8 k values; a group of 8 with any |x| > kMaxPolynomialArgument (or NaN) is computed by libm instead.
/// Two groups per iteration: their independent dependency chains overlap.
void sinCosGroups(const float* x, std::size_t groups, float* sinOut, float* cosOut) {
  std::size_t g = 0;
  for (; g + 2 <= groups; g += 2) {
    const __m256 a = _mm256_loadu_ps(x + 8 * g), b = _mm256_loadu_ps(x + 8 * g + 8);
    if (allSmall(a) && allSmall(b)) {
      sinCos8(a, sinOut + 8 * g, cosOut + 8 * g);
      sinCos8(b, sinOut + 8 * g + 8, cosOut + 8 * g + 8);
    } else {
      for (std::size_t h = g; h < g + 2; ++h) {
        const __m256 v = _mm256_loadu_ps(x + 8 * h);
        if (allSmall(v)) {
          sinCos8(v, sinOut + 8 * h, cosOut + 8 * h);
        } else {
          libmGroup(x + 8 * h, 8, sinOut + 8 * h, cosOut + 8 * h);
        }
      }
    }
  }
  for (; g < groups; ++g) {
    const __m256 v = _mm256_loadu_ps(x + 8 * g);
    if (allSmall(v)) {
      sinCos8(v, sinOut + 8 * g, cosOut + 8 * g);
    } else {
      libmGroup(x + 8 * g, 8, sinOut + 8 * g, cosOut + 8 * g);
    }
  }
}
#endif

}  // namespace

void sinCos(const float* x, std::size_t n, float* sinOut, float* cosOut) {
#ifdef __AVX2__
  const std::size_t whole = n / 8 * 8;
  sinCosGroups(x, n / 8, sinOut, cosOut);
  if (whole < n) {
    float in[8] = {}, s[8], c[8];
    std::copy(x + whole, x + n, in);
    sinCosGroups(in, 1, s, c);
    std::copy_n(s, n - whole, sinOut + whole);
    std::copy_n(c, n - whole, cosOut + whole);
  }
#else
  libmGroup(x, n, sinOut, cosOut);
#endif
}

}  // namespace higgsuq
