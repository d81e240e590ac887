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

/// Removes soft jets of row i in place and returns whether the event survives the event-level cuts.
bool postSelectRow(EventTable& events, std::size_t i, const SystematicsConfig& config);

/// Applies the post-selection to every row (in parallel) and returns the surviving rows, in order,
/// with uninitialised DER columns (the caller recomputes them).
/// If `survivingRows` is given it receives the input row of every surviving event.
EventTable applyPostSelection(EventTable events, const SystematicsConfig& config,
                              std::vector<std::uint32_t>* survivingRows = nullptr);

/// The rows with keep[i] != 0, in their original order (parallel, stable). With primariesOnly the DER
/// columns of the result are left uninitialised (they are about to be recomputed).
EventTable compactRows(const EventTable& events, std::span<const std::uint8_t> keep, bool primariesOnly = false);

}  // namespace higgsuq
