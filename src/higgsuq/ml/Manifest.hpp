// Reading and writing the `classifier.json` manifest of a classifier directory (internal to ml).
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

namespace higgsuq::ml {

/// Parses dir/classifier.json; throws InputError naming the file when it is missing or not JSON,
/// or has no string "kind".
nlohmann::json readClassifierManifest(const std::filesystem::path& dir);

/// Creates `dir` if needed and writes dir/classifier.json; throws InputError naming the file on failure.
void writeClassifierManifest(const std::filesystem::path& dir, const nlohmann::json& manifest);

/// manifest[key] as T; throws InputError naming the file and key when absent or of the wrong type.
template <typename T>
T manifestField(const nlohmann::json& manifest, const char* key, const std::filesystem::path& dir);

}  // namespace higgsuq::ml
