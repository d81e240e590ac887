// Compiled with the column-kernel ISA (-mavx2 -mfma when HIGGSUQ_AVX2_KERNELS) but without fast-math:
// every operation here must round exactly as the scalar uniform53 does.
#include "higgsuq/util/RandomBatch.hpp"

#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace higgsuq {
namespace {

void scalarPairs(const StreamKey& key, std::uint64_t first, std::size_t n, float* u, float* v) {
  for (std::size_t i = 0; i < n; ++i) {
    const PhiloxBlock w = blockAt(key, first + i);
    u[i] = static_cast<float>(uniform53(w[0], w[1]));
    v[i] = static_cast<float>(uniform53(w[2], w[3]));
  }
}

#ifdef __AVX2__
// Philox4x32-10 on 8 counters (lane j: index lo = lo0 + j, index hi, sub, 0), as philox4x32 in Random.cpp.
constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;

/// High and low 32 bits of c * m in every 32-bit lane.
inline void mulhilo8(__m256i c, __m256i m, __m256i& hi, __m256i& lo) {
  const __m256i even = _mm256_mul_epu32(c, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(c, 32), m);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0b10101010);
  lo = _mm256_mullo_epi32(c, m);
}

/// uniform53(a, b) = ((a << 21 | b >> 11) + 0.5) * 2^-53, for 4 lanes of (a, b).
inline __m256d uniform53x4d(__m128i a, __m128i b) {
  const __m128i flip = _mm_set1_epi32(static_cast<int>(0x80000000u));
  const __m256d two31 = _mm256_set1_pd(2147483648.0);
  // Unsigned 32-bit -> double: convert (x - 2^31) as signed, add 2^31 back (both exact).
  const __m256d da = _mm256_add_pd(_mm256_cvtepi32_pd(_mm_xor_si128(a, flip)), two31);
  const __m256d db = _mm256_cvtepi32_pd(_mm_srli_epi32(b, 11));  // < 2^21: signed conversion is exact
  // a * 2^21 + (b >> 11) < 2^53: exact, then the same +0.5 and scaling as the scalar code.
  const __m256d bits = _mm256_add_pd(_mm256_mul_pd(da, _mm256_set1_pd(2097152.0)), db);
  return _mm256_mul_pd(_mm256_add_pd(bits, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1.0p-53));
}

inline __m128 uniform53x4(__m128i a, __m128i b) { return _mm256_cvtpd_ps(uniform53x4d(a, b)); }

inline __m256 uniform53x8(__m256i a, __m256i b) {
  const __m128 lo = uniform53x4(_mm256_castsi256_si128(a), _mm256_castsi256_si128(b));
  const __m128 hi = uniform53x4(_mm256_extracti128_si256(a, 1), _mm256_extracti128_si256(b, 1));
  return _mm256_set_m128(hi, lo);
}

/// Philox blocks first .. first + 7 (none crossing a 2^32 boundary of the index) as word vectors.
struct Words8 {
  __m256i c0, c1, c2, c3;
};

Words8 philox8(const StreamKey& key, std::uint64_t first) {
  __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(first))),
                                _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256i c1 = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(first >> 32)));
  __m256i c2 = _mm256_set1_epi32(static_cast<int>(key.sub));
  __m256i c3 = _mm256_setzero_si256();
  std::uint32_t k0 = key.key[0], k1 = key.key[1];
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kMul0)), m1 = _mm256_set1_epi32(static_cast<int>(kMul1));
  for (int round = 0; round < 10; ++round) {
    __m256i hi0, lo0, hi1, lo1;
    mulhilo8(c0, m0, hi0, lo0);
    mulhilo8(c2, m1, hi1, lo1);
    const __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
    const __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return {c0, c1, c2, c3};
}

void pairs8(const StreamKey& key, std::uint64_t first, float* u, float* v) {
  const Words8 w = philox8(key, first);
  _mm256_storeu_ps(u, uniform53x8(w.c0, w.c1));
  _mm256_storeu_ps(v, uniform53x8(w.c2, w.c3));
}

/// out[2j] = uniform53(w0, w1), out[2j + 1] = uniform53(w2, w3) of blocks first .. first + 7.
void interleaved8(const StreamKey& key, std::uint64_t first, double* out) {
  const Words8 w = philox8(key, first);
  for (int half = 0; half < 2; ++half) {
    const __m256d u = uniform53x4d(half ? _mm256_extracti128_si256(w.c0, 1) : _mm256_castsi256_si128(w.c0),
                                   half ? _mm256_extracti128_si256(w.c1, 1) : _mm256_castsi256_si128(w.c1));
    const __m256d v = uniform53x4d(half ? _mm256_extracti128_si256(w.c2, 1) : _mm256_castsi256_si128(w.c2),
                                   half ? _mm256_extracti128_si256(w.c3, 1) : _mm256_castsi256_si128(w.c3));
    // (u0 v0 u1 v1 | u2 v2 u3 v3): interleave within lanes, then order the 128-bit halves.
    const __m256d lo = _mm256_unpacklo_pd(u, v), hi = _mm256_unpackhi_pd(u, v);
    _mm256_storeu_pd(out + 8 * half, _mm256_permute2f128_pd(lo, hi, 0x20));
    _mm256_storeu_pd(out + 8 * half + 4, _mm256_permute2f128_pd(lo, hi, 0x31));
  }
}
#endif

}  // namespace

void uniformsAt(const StreamKey& key, std::uint64_t firstBlock, std::size_t numBlocks, double* out) {
  std::size_t i = 0;
#ifdef __AVX2__
  for (; i + 8 <= numBlocks; i += 8) {
    const std::uint64_t index = firstBlock + i;
    if (static_cast<std::uint32_t>(index) > 0xFFFFFFF8u) break;  // the rest by the scalar loop
    interleaved8(key, index, out + 2 * i);
  }
#endif
  for (; i < numBlocks; ++i) {
    const PhiloxBlock w = blockAt(key, firstBlock + i);
    out[2 * i] = uniform53(w[0], w[1]);
    out[2 * i + 1] = uniform53(w[2], w[3]);
  }
}

void uniformPairsAt(const StreamKey& key, std::uint64_t first, std::size_t n, float* u, float* v) {
  std::size_t i = 0;
#ifdef __AVX2__
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t index = first + i;
    if (static_cast<std::uint32_t>(index) > 0xFFFFFFF8u) {  // lanes would cross into the next index hi
      scalarPairs(key, index, 8, u + i, v + i);
    } else {
      pairs8(key, index, u + i, v + i);
    }
  }
#endif
  scalarPairs(key, first + i, n - i, u + i, v + i);
}

}  // namespace higgsuq
