#include "higgsuq/io/ChallengeJson.hpp"

#include <nlohmann/json.hpp>

#include <set>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/io/EmbeddedFiles.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

using nlohmann::json;

class JsonReader {
 public:
  explicit JsonReader(std::string source) : m_source(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(m_source + ": " + path + ": " + what);
  }
  const json& member(const json& obj, const std::string& path, const char* key) const {
    if (!obj.contains(key)) fail(path, std::string("missing key '") + key + "'");
    return obj.at(key);
  }
  double number(const json& obj, const std::string& path, const char* key) const {
    const json& v = member(obj, path, key);
    if (!v.is_number()) fail(path + "." + key, "expected a number");
    return v.get<double>();
  }
  int integer(const json& obj, const std::string& path, const char* key) const {
    const json& v = member(obj, path, key);
    if (!v.is_number_integer()) fail(path + "." + key, "expected an integer");
    return v.get<int>();
  }
  std::string text(const json& obj, const std::string& path, const char* key) const {
    const json& v = member(obj, path, key);
    if (!v.is_string()) fail(path + "." + key, "expected a string");
    return v.get<std::string>();
  }
  void onlyKeys(const json& obj, const std::string& path, std::set<std::string> allowed) const {
    if (!obj.is_object()) fail(path, "expected an object");
    for (const auto& [key, value] : obj.items()) {
      if (!allowed.count(key)) fail(path, "unknown key '" + key + "'");
    }
  }

 private:
  std::string m_source;
};

PriorSpec parsePrior(const JsonReader& r, const json& j, const std::string& path) {
  PriorSpec p;
  const std::string kind = r.text(j, path, "prior");
  if (kind == "fixed") {
    r.onlyKeys(j, path, {"prior", "value", "clip"});
    p.kind = PriorSpec::Kind::Fixed;
    p.a = r.number(j, path, "value");
  } else if (kind == "normal") {
    r.onlyKeys(j, path, {"prior", "mean", "sigma", "clip"});
    p = {PriorSpec::Kind::Normal, r.number(j, path, "mean"), r.number(j, path, "sigma"), {}};
  } else if (kind == "lognormal") {
    r.onlyKeys(j, path, {"prior", "mu", "sigma", "clip"});
    p = {PriorSpec::Kind::LogNormal, r.number(j, path, "mu"), r.number(j, path, "sigma"), {}};
  } else if (kind == "uniform") {
    r.onlyKeys(j, path, {"prior", "low", "high", "clip"});
    p = {PriorSpec::Kind::Uniform, r.number(j, path, "low"), r.number(j, path, "high"), {}};
  } else {
    r.fail(path + ".prior", "unknown prior '" + kind + "', expected fixed, normal, lognormal or uniform");
  }
  if (j.contains("clip")) {
    const json& c = j.at("clip");
    if (!c.is_array() || c.size() != 2 || !c[0].is_number() || !c[1].is_number()) {
      r.fail(path + ".clip", "expected [low, high]");
    }
    p.clip = std::array<double, 2>{c[0].get<double>(), c[1].get<double>()};
  }
  return p;
}

MuSpec parseMu(const JsonReader& r, const json& j) {
  MuSpec mu;
  const std::string kind = r.text(j, "mu", "distribution");
  if (kind == "uniform") {
    r.onlyKeys(j, "mu", {"distribution", "low", "high"});
    mu.kind = MuSpec::Kind::Uniform;
    mu.low = r.number(j, "mu", "low");
    mu.high = r.number(j, "mu", "high");
  } else if (kind == "list") {
    r.onlyKeys(j, "mu", {"distribution", "values"});
    mu.kind = MuSpec::Kind::List;
    const json& v = r.member(j, "mu", "values");
    if (!v.is_array()) r.fail("mu.values", "expected an array of numbers");
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number()) r.fail("mu.values[" + std::to_string(i) + "]", "expected a number");
      mu.values.push_back(v[i].get<double>());
    }
  } else {
    r.fail("mu.distribution", "unknown '" + kind + "', expected uniform or list");
  }
  return mu;
}

void parseProcesses(const JsonReader& r, const json& j, ChallengeDefinition& def) {
  if (!j.is_array()) r.fail("processes", "expected an array");
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string path = "processes[" + std::to_string(i) + "]";
    r.onlyKeys(j[i], path, {"name", "expected_yield"});
    const std::string name = r.text(j[i], path, "name");
    const auto p = processFromName(name);
    if (!p) r.fail(path + ".name", "unknown process '" + name + "'");
    if (def.find(*p)) r.fail(path + ".name", "process '" + name + "' listed twice");
    def.processes.push_back({*p, r.number(j[i], path, "expected_yield")});
  }
}

void parseNuisances(const JsonReader& r, const json& j, ChallengeDefinition& def) {
  if (!j.is_object()) r.fail("nuisances", "expected an object");
  for (const auto& [key, value] : j.items()) {
    const auto n = nuisanceFromName(key);
    if (!n) r.fail("nuisances." + key, "unknown nuisance");
    def.nuisancePriors[index(*n)] = parsePrior(r, value, "nuisances." + key);
  }
}

void parseThresholds(const JsonReader& r, const json& j, ChallengeDefinition& def) {
  r.onlyKeys(j, "post_selection", {"had_pt_min", "jet_pt_min", "lep_pt_min"});
  def.postSelection.hadPtMin = static_cast<float>(r.number(j, "post_selection", "had_pt_min"));
  def.postSelection.jetPtMin = static_cast<float>(r.number(j, "post_selection", "jet_pt_min"));
  def.postSelection.lepPtMin = static_cast<float>(r.number(j, "post_selection", "lep_pt_min"));
}

}  // namespace

ChallengeDefinition parseChallengeDefinition(std::string_view jsonText, const std::string& source) {
  const JsonReader r(source);
  json j;
  try {
    j = json::parse(jsonText);
  } catch (const json::parse_error& e) {
    throw InputError(source + ": malformed JSON: " + e.what());
  }
  r.onlyKeys(j, "$", {"format", "version", "name", "description", "luminosity_fb", "processes", "nuisances",
                      "mu", "sets", "pseudo_experiments", "post_selection", "score"});
  if (r.text(j, "$", "format") != "higgsuq-challenge") r.fail("format", "expected \"higgsuq-challenge\"");
  if (r.integer(j, "$", "version") != 1) r.fail("version", "unsupported version, expected 1");
  ChallengeDefinition def;
  def.name = r.text(j, "$", "name");
  if (j.contains("description")) def.description = r.text(j, "$", "description");
  def.luminosityFb = r.number(j, "$", "luminosity_fb");
  parseProcesses(r, r.member(j, "$", "processes"), def);
  parseNuisances(r, r.member(j, "$", "nuisances"), def);
  def.mu = parseMu(r, r.member(j, "$", "mu"));
  def.sets = r.integer(j, "$", "sets");
  def.pseudoExperiments = r.integer(j, "$", "pseudo_experiments");
  parseThresholds(r, r.member(j, "$", "post_selection"), def);
  const json& score = r.member(j, "$", "score");
  r.onlyKeys(score, "score", {"one_sigma", "epsilon"});
  def.score = {r.number(score, "score", "one_sigma"), r.number(score, "score", "epsilon")};
  try {
    def.validate();
  } catch (const InputError& e) {
    throw InputError(source + ": " + e.what());
  }
  return def;
}

std::vector<std::string> challengePresetNames() { return detail::embeddedNames(detail::embeddedChallenges()); }

std::string_view challengePresetJson(std::string_view name) {
  if (const auto text = detail::findEmbedded(detail::embeddedChallenges(), name)) return *text;
  throw InputError("no challenge preset named '" + std::string(name) + "'");
}

ChallengeDefinition loadChallengeDefinition(const std::string& nameOrPath) {
  for (const auto& [preset, text] : detail::embeddedChallenges()) {
    if (preset == nameOrPath) return parseChallengeDefinition(text, "preset " + nameOrPath);
  }
  if (!std::filesystem::exists(nameOrPath)) {
    std::string names;
    for (const auto& n : challengePresetNames()) names += (names.empty() ? "" : ", ") + n;
    throw InputError("--challenge: '" + nameOrPath + "' is neither a preset (" + names + ") nor a file");
  }
  return parseChallengeDefinition(readFileText(nameOrPath), nameOrPath);
}

}  // namespace higgsuq
