// Uniforms of many consecutive draws of one stream at once, for column kernels (the soft-MET noise
// of every event). Bit-identical to the scalar blockAt/uniform53 path: with AVX2 the Philox rounds run
// on 8 counters per instruction, otherwise it is the scalar loop.
#pragma once

#include <cstddef>
#include <cstdint>

#include "higgsuq/util/Random.hpp"

namespace higgsuq {

/// For i in [0, n): u[i] = float(uniform53(w0, w1)), v[i] = float(uniform53(w2, w3)) where
/// w = blockAt(key, first + i).
void uniformPairsAt(const StreamKey& key, std::uint64_t first, std::size_t n, float* u, float* v);

/// Two uniforms per Philox block for blocks firstBlock .. firstBlock + numBlocks - 1:
/// out[2j] = uniform53(w0, w1), out[2j + 1] = uniform53(w2, w3) with w = blockAt(key, firstBlock + j).
void uniformsAt(const StreamKey& key, std::uint64_t firstBlock, std::size_t numBlocks, double* out);

}  // namespace higgsuq
