#include "higgsuq/events/RowMajorPrimaries.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace higgsuq {

RowMajorPrimaries::RowMajorPrimaries(const EventTable& table) : m_rows(table.size()) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table.size(), 1 << 14),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t f = 0; f < kNumPrimary; ++f) {
                        const float* col = table.column(featureAt(f)).data();
                        for (std::size_t i = r.begin(); i < r.end(); ++i) m_rows[i].values[f] = col[i];
                      }
                    });
}

}  // namespace higgsuq
