// The 16 primaries of a table stored row by row, one 64-byte cache line per event. A pass over a
// sparse selection of rows (a pseudo-experiment draws ~1 in 5 rows of its pool) reads one line per
// selected row this way, instead of every line of all 16 columns: 5x less memory traffic.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {

struct alignas(64) PrimaryRow {
  std::array<float, kNumPrimary> values;  ///< in Feature order (featureAt(0 .. 15))
};
static_assert(sizeof(PrimaryRow) == 64);

class RowMajorPrimaries {
 public:
  /// A row-major copy of the primaries of `table` (in parallel).
  explicit RowMajorPrimaries(const EventTable& table);
  std::size_t size() const { return m_rows.size(); }
  const PrimaryRow& row(std::size_t i) const { return m_rows[i]; }

 private:
  std::vector<PrimaryRow> m_rows;
};

}  // namespace higgsuq
