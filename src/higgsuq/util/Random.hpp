// Counter-based random numbers: every draw is a pure function of (key, counter), so results do not
// depend on thread count, MPI rank count or the order work is done in.
//
//   StreamKey key = streamKey(runSeed, set, pseudoExperiment, Stream::eSoftMet);
//   double z = normalAt(key, eventIndex);      // the same value on any thread, any run
//
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC11) is written here
// because no Debian C++ library ships a counter-based engine (std:: engines are sequential; Random123
// is not packaged). It is checked against the Random123 known-answer vectors in the tests.
#pragma once

#include <array>
#include <cstdint>

namespace higgsuq {

/// What a stream of random numbers is for; part of the key, so streams never overlap.
enum class Stream : std::uint32_t {
  eMu = 1,            ///< the signal strength of a set
  eNuisance = 2,      ///< nuisance-parameter draws of a pseudo-experiment (sub-index = nuisance)
  eBootstrap = 3,     ///< per-event Poisson multiplicities (sub-index = process)
  eSoftMet = 4,       ///< per-event soft-MET noise
  eScoreBootstrap = 5,///< bootstrap over sets in scoring
  eGenerator = 6,     ///< built-in event generator
  eTraining = 7,      ///< data splits and shuffles in training
  eToys = 8,          ///< toy experiments in statistical tests
};

using PhiloxBlock = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

/// Philox4x32 with 10 rounds: 128-bit counter -> 128 random bits.
PhiloxBlock philox4x32(PhiloxBlock counter, PhiloxKey key);

/// A 64-bit key naming one stream, derived by hashing its coordinates.
struct StreamKey {
  PhiloxKey key{};
  std::uint32_t sub = 0;  ///< free counter word for sub-streams (nuisance index, process, ...)
};

/// Key for (run seed, set, pseudo-experiment, stream, sub-index). Distinct inputs give distinct keys
/// with overwhelming probability (SplitMix64 finaliser chain).
StreamKey streamKey(std::uint64_t seed, std::uint64_t set, std::uint64_t pseudoExperiment, Stream stream,
                    std::uint32_t sub = 0);

/// Four 32-bit words for draw `index` (counter = {index lo, index hi, sub, 0}).
inline PhiloxBlock blockAt(const StreamKey& k, std::uint64_t index) {
  return philox4x32({static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32), k.sub, 0u},
                    k.key);
}

/// Uniform in (0, 1] with 53 random bits, from words a (high) and b (low); never 0, and exactly 1 only
/// for a = b = 0xFFFFFFFF (2^53 - 0.5 rounds to 2^53), once in 2^53 draws.
inline double uniform53(std::uint32_t a, std::uint32_t b) {
  const std::uint64_t bits = (static_cast<std::uint64_t>(a) << 21) ^ (b >> 11);
  return (static_cast<double>(bits & ((1ULL << 53) - 1)) + 0.5) * 0x1.0p-53;
}

/// Uniform in (0, 1] for draw `index` of a stream (see uniform53).
double uniformAt(const StreamKey& k, std::uint64_t index);

/// Standard normal for draw `index` of a stream (Box-Muller on one Philox block).
double normalAt(const StreamKey& k, std::uint64_t index);

/// Two independent standard normals for draw `index` (both Box-Muller outputs).
std::array<double, 2> normalPairAt(const StreamKey& k, std::uint64_t index);

/// A sequential generator over one stream, for code that needs a variable number of draws
/// (rejection samplers). Still a pure function of (key, start index).
class CounterRng {
 public:
  explicit CounterRng(StreamKey key, std::uint64_t startIndex = 0) : m_key(key), m_index(startIndex) {}
  double uniform();          ///< (0, 1] (see uniform53)
  double normal();           ///< N(0, 1)
  std::uint64_t uniformInt(std::uint64_t n);  ///< uniform in [0, n), unbiased
  std::uint64_t poisson(double lambda);       ///< Poisson(lambda), exact for all lambda >= 0

 private:
  std::uint32_t nextWord();
  StreamKey m_key;
  std::uint64_t m_index;
  PhiloxBlock m_block{};
  int m_used = 4;
};

}  // namespace higgsuq
