// The challenge's post-selection after the systematic shifts (reference-challenge.md §2.4):
// drop events with had pT < hadPtMin, remove jets with 0 <= pT <= jetPtMin (subleading first),
// drop events with lep pT < lepPtMin. Surviving events keep their input order.
#pragma once

#include <cstdint>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {

/// Whether an event with these primaries after the shifts (rounded, as the shifts leave them) passes
/// the event-level cuts; jet removal never changes it.
inline bool passesEventCuts(float hadPt, float lepPt, const SystematicsConfig& config) {
  return !(hadPt < config.hadPtMin) & !(lepPt < config.lepPtMin);
}

/// How many of the rows (rows[k] for k < n, or rows 0 .. n - 1 when rows is null) pass the event-level
/// cuts after TES: had pT scaled by tes (when tes != 1) and both rounded, as the shift kernel leaves
/// them. The contiguous form is a vector loop (the fused pass's survivor count over a whole table).
std::size_t countEventCutSurvivors(const float* hadPt, const float* lepPt, const std::uint32_t* rows,
                                   std::size_t n, double tes, const SystematicsConfig& config);

/// Removes soft jets of rows [begin, end) in place and sets keep[i - begin] (0 or 1) for the
/// event-level cuts (column loops for the reference jet removal).
void postSelectRows(EventTable& events, std::size_t begin, std::size_t end, const SystematicsConfig& config,
                    std::uint8_t* keep);

}  // namespace higgsuq
