// The challenge's post-selection after the systematic shifts (reference-challenge.md §2.4):
// drop events with had pT < hadPtMin, remove jets with 0 <= pT <= jetPtMin (subleading first),
// drop events with lep pT < lepPtMin. Surviving events keep their input order.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {

/// Whether an event with these primaries after the shifts (rounded, as the shifts leave them) passes
/// the event-level cuts; jet removal never changes it.
inline bool passesEventCuts(float hadPt, float lepPt, const SystematicsConfig& config) {
  return !(hadPt < config.hadPtMin) & !(lepPt < config.lepPtMin);
}

/// Removes soft jets of rows [begin, end) in place and sets keep[i - begin] (0 or 1) for the
/// event-level cuts (column loops for the reference jet removal).
void postSelectRows(EventTable& events, std::size_t begin, std::size_t end, const SystematicsConfig& config,
                    std::uint8_t* keep);

/// Removes soft jets of row i in place and returns whether the event survives the event-level cuts.
bool postSelectRow(EventTable& events, std::size_t i, const SystematicsConfig& config);

/// Applies the post-selection to every row (in parallel) and returns the surviving rows, in order,
/// with uninitialised DER columns (the caller recomputes them).
/// If `survivingRows` is given it receives the input row of every surviving event.
EventTable applyPostSelection(EventTable events, const SystematicsConfig& config,
                              std::vector<std::uint32_t>* survivingRows = nullptr);

/// The rows with keep[i] == 1 (each keep[i] is 0 or 1), in their original order (parallel, stable). With primariesOnly the DER
/// columns of the result are left uninitialised (they are about to be recomputed).
EventTable compactRows(const EventTable& events, std::span<const std::uint8_t> keep, bool primariesOnly = false);

}  // namespace higgsuq
