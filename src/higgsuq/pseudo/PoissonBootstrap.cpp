#include "higgsuq/pseudo/PoissonBootstrap.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/RandomBatch.hpp"

namespace higgsuq {
namespace {

constexpr std::uint64_t kTotalRegion = 1ULL << 40;      // counter offset of the per-chunk totals
constexpr std::uint64_t kTotalBlocksPerChunk = 1024;    // Philox blocks reserved for one total
constexpr std::uint64_t kDrawBlocksPerChunk = 1ULL << 32;  // blocks reserved for one chunk's row draws
constexpr std::size_t kBatchBlocks = 256;               // uniforms are made 2 x this many at a time

/// Vose's alias table for weights w (sum > 0): per slot the probability of keeping its own row.
void buildAlias(std::span<const double> w, double sum, std::span<double> prob, std::span<std::uint32_t> alias) {
  const std::size_t n = w.size();
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = w[i] * static_cast<double>(n) / sum;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left has probability 1 up to rounding.
  for (std::uint32_t i : large) prob[i] = 1.0, alias[i] = i;
  for (std::uint32_t i : small) prob[i] = 1.0, alias[i] = i;
}

/// prob in [0, 1] as a 32-bit threshold: coin < threshold with a uniform 32-bit coin has probability
/// threshold / 2^32; prob = 1 must always keep, which the largest threshold does only up to 2^-32, so
/// such slots alias to themselves (buildAlias does that).
std::uint32_t threshold32(double prob) {
  const double t = std::floor(prob * 4294967296.0);
  return t >= 4294967295.0 ? 0xFFFFFFFFu : static_cast<std::uint32_t>(t);
}

}  // namespace

PoissonBootstrap::PoissonBootstrap(std::span<const double> lambda) : m_slots(lambda.size()) {
  for (std::size_t begin = 0; begin < lambda.size(); begin += kChunkRows) {
    Chunk c{begin, std::min(kChunkRows, lambda.size() - begin), 0.0};
    for (std::size_t i = begin; i < begin + c.size; ++i) {
      HIGGSUQ_ASSERT(std::isfinite(lambda[i]) && lambda[i] >= 0.0, "PoissonBootstrap: means must be finite and >= 0");
      c.sum += lambda[i];
    }
    m_chunks.push_back(c);
  }
  tbb::parallel_for(std::size_t{0}, m_chunks.size(), [&](std::size_t k) {
    const Chunk& c = m_chunks[k];
    if (!(c.sum > 0.0)) return;
    std::vector<double> prob(c.size);
    std::vector<std::uint32_t> alias(c.size);
    buildAlias(lambda.subspan(c.begin, c.size), c.sum, prob, alias);
    for (std::size_t i = 0; i < c.size; ++i) m_slots[c.begin + i] = Slot{threshold32(prob[i]), alias[i]};
  });
}

void PoissonBootstrap::drawChunk(std::size_t k, double norm, const StreamKey& key, std::vector<std::uint32_t>& counts,
                                 std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) const {
  const Chunk& c = m_chunks[k];
  if (!(c.sum > 0.0) || !(norm > 0.0)) return;
  CounterRng totalRng(key, kTotalRegion + k * kTotalBlocksPerChunk);
  const std::uint64_t total = totalRng.poisson(norm * c.sum);
  const Slot* slots = m_slots.data() + c.begin;
  const double size = static_cast<double>(c.size);
  double u[2 * kBatchBlocks];
  const std::uint64_t firstBlock = (kTotalRegion << 1) + k * kDrawBlocksPerChunk;
  for (std::uint64_t done = 0; done < total;) {
    const std::size_t batch = static_cast<std::size_t>(std::min<std::uint64_t>(2 * kBatchBlocks, total - done));
    uniformsAt(key, firstBlock + done / 2, (batch + 1) / 2, u);
    // One uniform (53 bits) gives the slot (integer part of u * size, at most 15 bits) and a 32-bit
    // coin from the fraction's next bits. Slots first, with a prefetch of each (the table is cold).
    std::uint32_t slot[2 * kBatchBlocks], coin[2 * kBatchBlocks];
    for (std::size_t j = 0; j < batch; ++j) {
      const double x = u[j] * size;
      slot[j] = static_cast<std::uint32_t>(std::min(static_cast<std::size_t>(x), c.size - 1));
      // (u can be exactly 1 once in 2^53 draws: the fraction is then 1 and the coin saturates.)
      const double fraction = (x - static_cast<double>(slot[j])) * 4294967296.0;
      coin[j] = fraction < 4294967295.0 ? static_cast<std::uint32_t>(fraction) : 0xFFFFFFFFu;
      __builtin_prefetch(slots + slot[j]);
    }
    for (std::size_t j = 0; j < batch; ++j) {
      const Slot& e = slots[slot[j]];
      // Branch-free select (the coin is unpredictable by design).
      const std::uint32_t own = 0u - static_cast<std::uint32_t>(coin[j] < e.threshold);
      ++counts[(slot[j] & own) | (e.alias & ~own)];
    }
    done += batch;
  }
  // Rows with n > 0, in order, without a branch per row (~1 in 5 rows is drawn: unpredictable).
  out.resize(c.size + 1);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < c.size; ++i) {
    out[kept] = {static_cast<std::uint32_t>(c.begin + i), counts[i]};
    kept += counts[i] != 0;
    counts[i] = 0;
  }
  out.resize(kept);
  out.shrink_to_fit();
}

void PoissonBootstrap::draw(double norm, const StreamKey& key, std::vector<std::uint32_t>& rows,
                            std::vector<std::uint32_t>& counts, std::span<const std::uint32_t> rowMap) const {
  HIGGSUQ_ASSERT(rowMap.empty() || rowMap.size() == size(), "PoissonBootstrap: row map of another size");
  HIGGSUQ_ASSERT(rows.size() == counts.size(), "PoissonBootstrap: rows and counts of different lengths");
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> perChunk(m_chunks.size());
  tbb::enumerable_thread_specific<std::vector<std::uint32_t>> scratch(
      [] { return std::vector<std::uint32_t>(kChunkRows, 0); });
  tbb::parallel_for(std::size_t{0}, m_chunks.size(),
                    [&](std::size_t k) { drawChunk(k, norm, key, scratch.local(), perChunk[k]); });
  // Appended in chunk order (rows increase), each chunk copied by its own task.
  std::vector<std::size_t> offsets(perChunk.size() + 1, rows.size());
  for (std::size_t k = 0; k < perChunk.size(); ++k) offsets[k + 1] = offsets[k] + perChunk[k].size();
  rows.resize(offsets.back());
  counts.resize(offsets.back());
  tbb::parallel_for(std::size_t{0}, perChunk.size(), [&](std::size_t k) {
    std::size_t j = offsets[k];
    for (const auto& [row, n] : perChunk[k]) {
      rows[j] = rowMap.empty() ? row : rowMap[row];
      counts[j++] = n;
    }
  });
}

}  // namespace higgsuq
