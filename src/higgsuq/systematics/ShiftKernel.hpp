// The feature shifts of systematics() on a block of rows, in float32 column loops (the reference's
// precision): TES and JES with their MET corrections, soft-MET noise, MET rebuilt from its components,
// every non-count PRI rounded to 3 decimals.
#pragma once

#include <cstddef>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {

/// Shifts rows [begin, end) of `events` in place (one thread; call from parallel blocks).
void shiftRows(EventTable& events, std::size_t begin, std::size_t end, const NuisanceValues& values,
               const SoftMetNoise& noise);

/// Rounds every non-count PRI of rows [begin, end) to 3 decimals exactly as the reference
/// (roundTo3Decimals). Compiled without fast-math: the division by 1000 must stay exact.
void roundPrimaries(EventTable& events, std::size_t begin, std::size_t end);

}  // namespace higgsuq
