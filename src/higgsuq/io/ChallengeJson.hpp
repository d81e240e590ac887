// Challenge definitions from JSON (format "higgsuq-challenge", version 1; docs/challenges.md).
// Unknown keys, wrong types and inconsistent values throw InputError naming the JSON path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "higgsuq/pseudo/ChallengeDefinition.hpp"

namespace higgsuq {

/// Parses JSON text; `source` names it in error messages.
ChallengeDefinition parseChallengeDefinition(std::string_view jsonText, const std::string& source);

/// A shipped preset by name ("neurips2024", "pilot2024") or a path to a JSON file.
ChallengeDefinition loadChallengeDefinition(const std::string& nameOrPath);

/// Names of the shipped presets.
std::vector<std::string> challengePresetNames();

/// The JSON text of a preset; InputError if there is none of that name.
std::string_view challengePresetJson(std::string_view name);

namespace detail {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedChallenges();
}

}  // namespace higgsuq
