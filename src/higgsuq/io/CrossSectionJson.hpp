// Cross-section tables of the built-in generator from JSON (format "higgsuq-cross-sections", version 1;
// schema in docs/simulation.md). The shipped tables (config/cross-sections/*.json) are embedded in the
// program; `higgsuq simulate --cross-sections FILE` reads any other. Unknown keys, wrong types and
// invalid values throw InputError naming the source and the JSON path (e.g. processes[1].expected_yield).
//
// The result is the sim module's SimulationPreset, a plain aggregate: only its header is used here, so
// the simulation core stays free of file I/O and io does not link against it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "higgsuq/sim/SimConfig.hpp"

namespace higgsuq {

/// Parses JSON text; `source` (a path, or "preset NAME") names it in error messages.
sim::SimulationPreset parseCrossSectionTable(std::string_view jsonText, const std::string& source);

/// Reads and parses a JSON file; InputError naming the file if it cannot be read or is invalid.
sim::SimulationPreset readCrossSectionTable(const std::filesystem::path& path);

/// A shipped table by name ("neurips2024", "early2024"); InputError listing the names otherwise.
sim::SimulationPreset crossSectionPreset(std::string_view name);

/// Names of the shipped tables.
std::vector<std::string> crossSectionPresetNames();

namespace detail {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedCrossSections();
}

}  // namespace higgsuq
