#include "higgsuq/ml/Manifest.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <string>
#include <vector>

#include "higgsuq/ml/Classifier.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {

nlohmann::json readClassifierManifest(const std::filesystem::path& dir) {
  const auto file = dir / kClassifierManifest;
  std::ifstream in(file);
  if (!in) throw InputError("cannot open classifier manifest " + file.string());
  nlohmann::json manifest = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object()) {
    throw InputError("classifier manifest " + file.string() + " is not a JSON object");
  }
  if (!manifest.contains("kind") || !manifest["kind"].is_string()) {
    throw InputError("classifier manifest " + file.string() + ": missing string field \"kind\"");
  }
  return manifest;
}

void writeClassifierManifest(const std::filesystem::path& dir, const nlohmann::json& manifest) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto file = dir / kClassifierManifest;
  std::ofstream out(file);
  out << manifest.dump(2) << '\n';
  if (!out) throw InputError("cannot write classifier manifest " + file.string());
}

template <typename T>
T manifestField(const nlohmann::json& manifest, const char* key, const std::filesystem::path& dir) {
  try {
    return manifest.at(key).get<T>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError("classifier manifest " + (dir / kClassifierManifest).string() + ": field \"" + key +
                     "\": " + e.what());
  }
}

nlohmann::json readCheckedManifest(const std::filesystem::path& dir, const char* kind, int formatVersion) {
  const nlohmann::json manifest = readClassifierManifest(dir);
  const std::string manifestFile = (dir / kClassifierManifest).string();
  if (manifest["kind"] != kind) throw InputError(manifestFile + ": kind is not \"" + kind + "\"");
  if (manifestField<int>(manifest, "format_version", dir) != formatVersion) {
    throw InputError(manifestFile + ": unsupported format_version");
  }
  if (manifestField<std::vector<std::string>>(manifest, "features", dir) != featureNames()) {
    throw InputError(manifestFile + ": feature list differs from the 28 reference features");
  }
  return manifest;
}

std::vector<std::string> featureNames() {
  std::vector<std::string> names;
  for (std::size_t f = 0; f < kNumFeatures; ++f) names.emplace_back(featureName(featureAt(f)));
  return names;
}

nlohmann::json scalingToJson(const FeatureScaling& scaling) {
  return {{"mean", scaling.mean}, {"std", scaling.std}};
}

FeatureScaling scalingFromJson(const nlohmann::json& j, const std::filesystem::path& dir) {
  const auto mean = manifestField<std::vector<float>>(j, "mean", dir);
  const auto sd = manifestField<std::vector<float>>(j, "std", dir);
  if (mean.size() != kNumFeatures || sd.size() != kNumFeatures) {
    throw InputError("classifier manifest " + (dir / kClassifierManifest).string() +
                     ": scaling needs one mean and std per feature");
  }
  FeatureScaling s;
  std::copy(mean.begin(), mean.end(), s.mean.begin());
  std::copy(sd.begin(), sd.end(), s.std.begin());
  return s;
}

template int manifestField<int>(const nlohmann::json&, const char*, const std::filesystem::path&);
template double manifestField<double>(const nlohmann::json&, const char*, const std::filesystem::path&);
template bool manifestField<bool>(const nlohmann::json&, const char*, const std::filesystem::path&);
template std::uint64_t manifestField<std::uint64_t>(const nlohmann::json&, const char*, const std::filesystem::path&);
template std::string manifestField<std::string>(const nlohmann::json&, const char*, const std::filesystem::path&);
template nlohmann::json manifestField<nlohmann::json>(const nlohmann::json&, const char*,
                                                      const std::filesystem::path&);
template std::vector<float> manifestField<std::vector<float>>(const nlohmann::json&, const char*,
                                                              const std::filesystem::path&);
template std::vector<double> manifestField<std::vector<double>>(const nlohmann::json&, const char*,
                                                                const std::filesystem::path&);
template std::vector<std::string> manifestField<std::vector<std::string>>(const nlohmann::json&, const char*,
                                                                          const std::filesystem::path&);

}  // namespace higgsuq::ml
