// Independent multiplicities n_i ~ Poisson(norm * lambda_i) for every row of a weighted pool, drawn
// the way a Poisson process is split: per fixed chunk of rows, the chunk's total N ~ Poisson(norm *
// sum lambda), then N rows chosen with probability lambda_i / sum by an alias table (Walker/Vose)
// built once for the pool. The split of a Poisson total by a multinomial gives exactly independent
// Poisson counts per row, and the cost is per drawn event (one uniform, two table reads), not per
// pool row: a pseudo-experiment touches ~1 M of a 5 M pool. Every draw is a pure function of (key,
// chunk, draw index), so threads never change a result.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "higgsuq/util/Random.hpp"

namespace higgsuq {

class PoissonBootstrap {
 public:
  /// Rows per chunk (fixed: results never depend on threads); a chunk's alias table (256 KB) and
  /// counters (128 KB) stay in L2 while its events are drawn.
  static constexpr std::size_t kChunkRows = 1 << 15;

  /// Per-row means at norm = 1 (finite, >= 0).
  explicit PoissonBootstrap(std::span<const double> lambda);

  /// Appends (row, n) of every row with n > 0 to rows/counts, rows in increasing order; with a
  /// rowMap (one entry per row) rowMap[row] is appended instead of row.
  void draw(double norm, const StreamKey& key, std::vector<std::uint32_t>& rows,
            std::vector<std::uint32_t>& counts, std::span<const std::uint32_t> rowMap = {}) const;

  std::size_t size() const { return m_slots.size(); }

 private:
  struct Chunk {
    std::size_t begin = 0, size = 0;
    double sum = 0.0;  ///< sum of lambda over the chunk
  };
  void drawChunk(std::size_t c, double norm, const StreamKey& key, std::vector<std::uint32_t>& counts,
                 std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) const;

  /// Alias table entry of a slot: keep the slot's row if the coin (32 bits) is below `threshold`
  /// (its probability x 2^32, so per-row probabilities are exact to 2^-32 of a slot), else `alias`.
  struct Slot {
    std::uint32_t threshold;
    std::uint32_t alias;  ///< chunk-local row
  };
  std::vector<Chunk> m_chunks;
  std::vector<Slot> m_slots;
};

}  // namespace higgsuq
