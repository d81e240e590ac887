// The last step of the fused systematics pass: a block's surviving rows, packed and written to their
// place in the output table (primaries only).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {

/// Rows k of `block` with keep[k] == 1 (keep.size() rows; block may hold more) written to rows
/// first, first + 1, ... of `out`: the 16 primary features, weight, label and process (the DER are
/// computed afterwards on the output rows). survivingRows, if
/// given (sized to the output), receives sourceBegin + k for each. Returns the number written.
std::size_t storeKeptRows(const EventTable& block, std::span<const std::uint8_t> keep, EventTable& out,
                          std::size_t first, std::size_t sourceBegin, std::vector<std::uint32_t>* survivingRows);

}  // namespace higgsuq
