#include "higgsuq/io/CrossSectionJson.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/io/EmbeddedFiles.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "higgsuq-cross-sections";

/// Typed access to JSON members; every failure names the source and the JSON path.
class TableReader {
 public:
  explicit TableReader(std::string source) : m_source(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(m_source + ": " + path + ": " + what);
  }
  void onlyKeys(const json& obj, const std::string& path, const std::set<std::string>& allowed) const {
    if (!obj.is_object()) fail(path, "expected an object");
    for (const auto& [key, value] : obj.items()) {
      if (!allowed.count(key)) fail(path, "unknown key '" + key + "'");
    }
  }
  const json& member(const json& obj, const std::string& path, const char* key) const {
    if (!obj.contains(key)) fail(path, std::string("missing key '") + key + "'");
    return obj.at(key);
  }
  std::string text(const json& obj, const std::string& path, const char* key) const {
    const json& v = member(obj, path, key);
    if (!v.is_string()) fail(field(path, key), "expected a string");
    return v.get<std::string>();
  }
  int integer(const json& obj, const std::string& path, const char* key) const {
    const json& v = member(obj, path, key);
    if (!v.is_number_integer()) fail(field(path, key), "expected an integer");
    return v.get<int>();
  }
  double positive(const json& obj, const std::string& path, const char* key) const {
    const double v = number(obj, path, key);
    if (!(v > 0.0)) fail(field(path, key), "must be > 0, got " + std::to_string(v));
    return v;
  }
  /// An optional member >= 0 (`fallback` when absent).
  double nonNegative(const json& obj, const std::string& path, const char* key, double fallback) const {
    if (!obj.contains(key)) return fallback;
    const double v = number(obj, path, key);
    if (!(v >= 0.0)) fail(field(path, key), "must be >= 0, got " + std::to_string(v));
    return v;
  }

 private:
  static std::string field(const std::string& path, const char* key) {
    return path == "$" ? std::string(key) : path + "." + key;
  }
  double number(const json& obj, const std::string& path, const char* key) const {
    const json& v = member(obj, path, key);
    if (!v.is_number()) fail(field(path, key), "expected a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(field(path, key), "expected a finite number");
    return d;
  }

  std::string m_source;
};

json parseJson(std::string_view jsonText, const std::string& source) {
  try {
    return json::parse(jsonText);
  } catch (const json::parse_error& e) {
    throw InputError(source + ": malformed JSON: " + e.what());
  }
}

Process parseProcessName(const TableReader& r, const json& entry, const std::string& path) {
  const std::string name = r.text(entry, path, "name");
  const auto process = processFromName(name);
  if (!process || *process == Process::Background) {
    r.fail(path + ".name",
           "unknown process '" + name + "', expected htautau, ztautau, ttbar, diboson or wjets");
  }
  return *process;
}

sim::ProcessSpec parseProcess(const TableReader& r, const json& entry, const std::string& path) {
  r.onlyKeys(entry, path,
             {"name", "cross_section_fb", "expected_yield", "generated_share", "normalisation_uncertainty"});
  sim::ProcessSpec spec;
  spec.process = parseProcessName(r, entry, path);
  spec.crossSectionFb = r.positive(entry, path, "cross_section_fb");
  spec.expectedYield = r.positive(entry, path, "expected_yield");
  spec.generatedShare = r.nonNegative(entry, path, "generated_share", 1.0);
  spec.normalisationUncertainty = r.nonNegative(entry, path, "normalisation_uncertainty", 0.0);
  return spec;
}

std::vector<sim::ProcessSpec> parseProcesses(const TableReader& r, const json& list) {
  if (!list.is_array() || list.empty()) r.fail("processes", "expected a non-empty array of processes");
  std::vector<sim::ProcessSpec> specs;
  double shares = 0.0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = "processes[" + std::to_string(i) + "]";
    const sim::ProcessSpec spec = parseProcess(r, list[i], path);
    for (const auto& earlier : specs) {
      if (earlier.process == spec.process) {
        r.fail(path + ".name", "process '" + std::string(processName(spec.process)) + "' listed twice");
      }
    }
    shares += spec.generatedShare;
    specs.push_back(spec);
  }
  if (!(shares > 0.0)) r.fail("processes", "the generated_share values sum to 0");
  return specs;
}

}  // namespace

sim::SimulationPreset parseCrossSectionTable(std::string_view jsonText, const std::string& source) {
  const TableReader r(source);
  const json j = parseJson(jsonText, source);
  r.onlyKeys(j, "$", {"format", "version", "name", "description", "reference_luminosity_fb", "processes"});
  if (r.text(j, "$", "format") != kFormat) r.fail("format", std::string("expected \"") + kFormat + "\"");
  if (r.integer(j, "$", "version") != 1) r.fail("version", "unsupported version, expected 1");
  if (j.contains("description")) r.text(j, "$", "description");
  sim::SimulationPreset table;
  table.name = r.text(j, "$", "name");
  if (table.name.empty()) r.fail("name", "must not be empty");
  table.referenceLuminosityFb = r.positive(j, "$", "reference_luminosity_fb");
  table.processes = parseProcesses(r, r.member(j, "$", "processes"));
  return table;
}

sim::SimulationPreset readCrossSectionTable(const std::filesystem::path& path) {
  return parseCrossSectionTable(readFileText(path), path.string());
}

std::vector<std::string> crossSectionPresetNames() { return detail::embeddedNames(detail::embeddedCrossSections()); }

sim::SimulationPreset crossSectionPreset(std::string_view name) {
  if (const auto text = detail::findEmbedded(detail::embeddedCrossSections(), name)) {
    return parseCrossSectionTable(*text, "preset " + std::string(name));
  }
  throw InputError("unknown simulation preset '" + std::string(name) + "' (expected " +
                   detail::joinedNames(detail::embeddedCrossSections()) + ", or pass --cross-sections FILE)");
}

}  // namespace higgsuq
