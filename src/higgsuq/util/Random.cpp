#include "higgsuq/util/Random.hpp"

#include <cmath>
#include <numbers>

namespace higgsuq {
namespace {

constexpr std::uint32_t kMul0 = 0xD2511F53u;
constexpr std::uint32_t kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;
constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;

inline void mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}

inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Poisson by inversion (sequential search) for small means: one uniform per draw.
std::uint64_t poissonInversion(CounterRng& rng, double lambda) {
  const double u = rng.uniform();
  double p = std::exp(-lambda);
  double cdf = p;
  std::uint64_t k = 0;
  while (u > cdf && k < 1000) {
    ++k;
    p *= lambda / static_cast<double>(k);
    cdf += p;
  }
  return k;
}

// Poisson by transformed rejection with squeeze (Hormann 1993, "PTRS") for lambda >= 10.
std::uint64_t poissonPtrs(CounterRng& rng, double lambda) {
  const double slam = std::sqrt(lambda);
  const double loglam = std::log(lambda);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform();
    const double us = 0.5 - std::abs(u);
    const double k = std::floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -lambda + k * loglam - std::lgamma(k + 1.0)) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

}  // namespace

PhiloxBlock philox4x32(PhiloxBlock c, PhiloxKey k) {
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    mulhilo(kMul0, c[0], hi0, lo0);
    mulhilo(kMul1, c[2], hi1, lo1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
    k[0] += kWeyl0;
    k[1] += kWeyl1;
  }
  return c;
}

StreamKey streamKey(std::uint64_t seed, std::uint64_t set, std::uint64_t pseudoExperiment, Stream stream,
                    std::uint32_t sub) {
  std::uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ set);
  h = splitmix64(h ^ pseudoExperiment);
  h = splitmix64(h ^ static_cast<std::uint64_t>(stream));
  return StreamKey{{static_cast<std::uint32_t>(h), static_cast<std::uint32_t>(h >> 32)}, sub};
}

double uniformAt(const StreamKey& k, std::uint64_t index) {
  const PhiloxBlock b = blockAt(k, index);
  return uniform53(b[0], b[1]);
}

std::array<double, 2> normalPairAt(const StreamKey& k, std::uint64_t index) {
  const PhiloxBlock b = blockAt(k, index);
  const double u1 = uniform53(b[0], b[1]);
  const double u2 = uniform53(b[2], b[3]);
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double phi = 2.0 * std::numbers::pi * u2;
  return {r * std::cos(phi), r * std::sin(phi)};
}

double normalAt(const StreamKey& k, std::uint64_t index) { return normalPairAt(k, index)[0]; }

std::uint32_t CounterRng::nextWord() {
  if (m_used == 4) {
    m_block = blockAt(m_key, m_index++);
    m_used = 0;
  }
  return m_block[m_used++];
}

double CounterRng::uniform() {
  const std::uint32_t a = nextWord();
  const std::uint32_t b = nextWord();
  return uniform53(a, b);
}

double CounterRng::normal() {
  // Box-Muller, using only the cosine branch so each call is self-contained.
  const double u1 = uniform();
  const double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t CounterRng::uniformInt(std::uint64_t n) {
  if (n <= 1) return 0;
  // Rejection on 64-bit words removes modulo bias.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    const std::uint64_t w = (static_cast<std::uint64_t>(nextWord()) << 32) | nextWord();
    if (w < limit) return w % n;
  }
}

std::uint64_t CounterRng::poisson(double lambda) {
  if (!(lambda > 0.0)) return 0;
  return lambda < 10.0 ? poissonInversion(*this, lambda) : poissonPtrs(*this, lambda);
}

}  // namespace higgsuq
