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

/// Removes soft jets of rows [begin, end) in place and sets keep[i - begin] (0 or 1) for the
/// event-level cuts (column loops for the reference jet removal).
void postSelectRows(EventTable& events, std::size_t begin, std::size_t end, const SystematicsConfig& config,
                    std::uint8_t* keep);

}  // namespace higgsuq
