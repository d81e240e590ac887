// Reading and writing the `classifier.json` manifest of a classifier directory (internal to ml).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "higgsuq/ml/TrainingData.hpp"

namespace higgsuq::ml {

/// Parses dir/classifier.json; throws InputError naming the file when it is missing or not JSON,
/// or has no string "kind".
nlohmann::json readClassifierManifest(const std::filesystem::path& dir);

/// readClassifierManifest, then checks what every kind's manifest shares: "kind" equals `kind`,
/// "format_version" equals `formatVersion`, and "features" lists the 28 reference features in order.
nlohmann::json readCheckedManifest(const std::filesystem::path& dir, const char* kind, int formatVersion);

/// The 28 feature names in reference order, as manifests store them.
std::vector<std::string> featureNames();

/// {"mean": [...], "std": [...]} and back; the reader throws InputError naming the file when a
/// list does not hold one value per feature.
nlohmann::json scalingToJson(const FeatureScaling& scaling);
FeatureScaling scalingFromJson(const nlohmann::json& j, const std::filesystem::path& dir);

/// Creates `dir` if needed and writes dir/classifier.json; throws InputError naming the file on failure.
void writeClassifierManifest(const std::filesystem::path& dir, const nlohmann::json& manifest);

/// manifest[key] as T; throws InputError naming the file and key when absent or of the wrong type.
template <typename T>
T manifestField(const nlohmann::json& manifest, const char* key, const std::filesystem::path& dir);

}  // namespace higgsuq::ml
