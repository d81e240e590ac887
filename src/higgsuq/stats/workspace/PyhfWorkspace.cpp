#include "higgsuq/stats/workspace/PyhfWorkspace.hpp"

#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {
namespace {
using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw InputError((path.empty() ? std::string("workspace") : path) + ": " + message);
}

std::string at(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

/// An object with only the allowed keys and all of the required ones.
const json& object(const json& node, const std::string& path, std::initializer_list<const char*> required,
                   std::initializer_list<const char*> optional = {}) {
  if (!node.is_object()) fail(path, "expected an object");
  for (const char* key : required) {
    if (!node.contains(key)) fail(path, std::string("missing key \"") + key + "\"");
  }
  for (const auto& item : node.items()) {
    bool known = false;
    for (const char* key : required) known = known || item.key() == key;
    for (const char* key : optional) known = known || item.key() == key;
    if (!known) fail(path, "unexpected key \"" + item.key() + "\"");
  }
  return node;
}

const json& array(const json& node, const std::string& path) {
  if (!node.is_array()) fail(path, "expected an array");
  return node;
}

std::string string(const json& node, const std::string& path) {
  if (!node.is_string()) fail(path, "expected a string");
  return node.get<std::string>();
}

double number(const json& node, const std::string& path) {
  if (!node.is_number()) fail(path, "expected a number");
  return node.get<double>();
}

std::vector<double> numbers(const json& node, const std::string& path) {
  std::vector<double> out;
  for (std::size_t idx = 0; idx < array(node, path).size(); ++idx) out.push_back(number(node[idx], at(path, idx)));
  return out;
}

ModifierSpec readModifier(const json& node, const std::string& path) {
  object(node, path, {"name", "type", "data"});
  ModifierSpec mod;
  mod.name = string(node["name"], at(path, "name"));
  const std::string type = string(node["type"], at(path, "type"));
  const json& data = node["data"];
  if (type == "normfactor" || type == "lumi") {
    if (!data.is_null()) fail(at(path, "data"), "expected null for a " + type + " modifier");
    mod.type = type == "lumi" ? ModifierType::eLumi : ModifierType::eNormfactor;
  } else if (type == "normsys") {
    object(data, at(path, "data"), {"hi", "lo"});
    mod.type = ModifierType::eNormsys;
    mod.hi = number(data["hi"], at(path, "data.hi"));
    mod.lo = number(data["lo"], at(path, "data.lo"));
  } else if (type == "histosys") {
    object(data, at(path, "data"), {"hi_data", "lo_data"});
    mod.type = ModifierType::eHistosys;
    mod.hiData = numbers(data["hi_data"], at(path, "data.hi_data"));
    mod.loData = numbers(data["lo_data"], at(path, "data.lo_data"));
  } else if (type == "staterror" || type == "shapesys" || type == "shapefactor") {
    fail(path, "modifier type \"" + type + "\" is not supported by higgsuq (supported: normfactor, normsys, "
               "histosys, lumi)");
  } else {
    fail(path, "unknown type \"" + type + "\"");
  }
  return mod;
}

ChannelSpec readChannel(const json& node, const std::string& path) {
  object(node, path, {"name", "samples"});
  ChannelSpec channel{string(node["name"], at(path, "name")), {}};
  const json& samples = array(node["samples"], at(path, "samples"));
  for (std::size_t sampleIdx = 0; sampleIdx < samples.size(); ++sampleIdx) {
    const std::string samplePath = at(at(path, "samples"), sampleIdx);
    const json& sample = object(samples[sampleIdx], samplePath, {"name", "data", "modifiers"});
    SampleSpec spec{string(sample["name"], at(samplePath, "name")), numbers(sample["data"], at(samplePath, "data")), {}};
    const json& modifiers = array(sample["modifiers"], at(samplePath, "modifiers"));
    for (std::size_t modIdx = 0; modIdx < modifiers.size(); ++modIdx) {
      spec.modifiers.push_back(readModifier(modifiers[modIdx], at(at(samplePath, "modifiers"), modIdx)));
    }
    channel.samples.push_back(std::move(spec));
  }
  return channel;
}

/// The first element of a one-element array of numbers (pyhf writes inits, auxdata, sigmas as lists).
double single(const json& node, const std::string& path) {
  if (array(node, path).size() != 1) fail(path, "expected exactly one value (multi-bin parameters unsupported)");
  return number(node[0], at(path, 0));
}

ParameterSettings readParameterSettings(const json& node, const std::string& path) {
  object(node, path, {"name"}, {"inits", "bounds", "fixed", "auxdata", "sigmas", "factors"});
  ParameterSettings settings;
  settings.name = string(node["name"], at(path, "name"));
  if (node.contains("inits")) settings.init = single(node["inits"], at(path, "inits"));
  if (node.contains("auxdata")) settings.auxdata = single(node["auxdata"], at(path, "auxdata"));
  if (node.contains("sigmas")) settings.sigma = single(node["sigmas"], at(path, "sigmas"));
  if (node.contains("fixed")) {
    if (!node["fixed"].is_boolean()) fail(at(path, "fixed"), "expected true or false");
    settings.fixed = node["fixed"].get<bool>();
  }
  if (node.contains("bounds")) {
    const std::string boundsPath = at(path, "bounds");
    if (array(node["bounds"], boundsPath).size() != 1) fail(boundsPath, "expected [[lo, hi]]");
    const auto pair = numbers(node["bounds"][0], at(boundsPath, 0));
    if (pair.size() != 2 || !(pair[0] <= pair[1])) fail(at(boundsPath, 0), "expected [lo, hi] with lo <= hi");
    settings.lo = pair[0];
    settings.hi = pair[1];
  }
  return settings;
}

/// Selects the measurement and fills poi and parameter settings; returns its name.
std::string readMeasurement(const json& doc, const WorkspaceOptions& options, HistFactorySpec& spec) {
  const json& measurements = array(doc["measurements"], "measurements");
  for (std::size_t idx = 0; idx < measurements.size(); ++idx) {
    const std::string path = at("measurements", idx);
    const json& measurement = object(measurements[idx], path, {"name", "config"});
    const std::string name = string(measurement["name"], at(path, "name"));
    if (!options.measurement.empty() && name != options.measurement) continue;
    const json& config = object(measurement["config"], at(path, "config"), {"poi", "parameters"});
    spec.poi = options.poi.empty() ? string(config["poi"], at(path, "config.poi")) : options.poi;
    const json& parameters = array(config["parameters"], at(path, "config.parameters"));
    for (std::size_t parIdx = 0; parIdx < parameters.size(); ++parIdx) {
      spec.settings.push_back(readParameterSettings(parameters[parIdx], at(at(path, "config.parameters"), parIdx)));
    }
    return name;
  }
  fail("measurements", options.measurement.empty() ? "no measurement"
                                                   : "no measurement named \"" + options.measurement + "\"");
}

Eigen::VectorXd readObservations(const json& doc, const HistFactoryModel& model) {
  const json& observations = array(doc["observations"], "observations");
  Eigen::VectorXd observed = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(model.nBins()));
  for (const auto& channel : model.channels()) {
    bool found = false;
    for (std::size_t idx = 0; idx < observations.size() && !found; ++idx) {
      const std::string path = at("observations", idx);
      const json& obs = object(observations[idx], path, {"name", "data"});
      if (string(obs["name"], at(path, "name")) != channel.name) continue;
      const auto counts = numbers(obs["data"], at(path, "data"));
      if (counts.size() != channel.nBins) {
        fail(at(path, "data"), "expected " + std::to_string(channel.nBins) + " bins, got " + std::to_string(counts.size()));
      }
      for (std::size_t binIdx = 0; binIdx < counts.size(); ++binIdx) {
        if (!(counts[binIdx] >= 0.0)) fail(at(at(path, "data"), binIdx), "observed counts must be >= 0");
        observed[static_cast<Eigen::Index>(channel.offset + binIdx)] = counts[binIdx];
      }
      found = true;
    }
    if (!found) fail("observations", "no observation for channel \"" + channel.name + "\"");
  }
  return observed;
}

}  // namespace

PyhfWorkspace readPyhfWorkspace(const json& doc, const WorkspaceOptions& options) {
  object(doc, "", {"channels", "observations", "measurements", "version"});
  PyhfWorkspace out;
  out.version = string(doc["version"], "version");
  if (out.version != "1.0.0") fail("version", "unsupported version \"" + out.version + "\" (expected \"1.0.0\")");
  HistFactorySpec spec;
  spec.normsysCode = options.normsysCode;
  spec.histosysCode = options.histosysCode;
  const json& channels = array(doc["channels"], "channels");
  for (std::size_t channelIdx = 0; channelIdx < channels.size(); ++channelIdx) {
    spec.channels.push_back(readChannel(channels[channelIdx], at("channels", channelIdx)));
  }
  out.measurement = readMeasurement(doc, options, spec);
  out.poi = spec.poi;
  out.model = std::make_shared<const HistFactoryModel>(spec);
  out.observed = readObservations(doc, *out.model);
  return out;
}

PyhfWorkspace parsePyhfWorkspace(const std::string& text, const std::string& sourceName,
                                 const WorkspaceOptions& options) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InputError(sourceName + ": invalid JSON: " + e.what());
  }
  try {
    return readPyhfWorkspace(doc, options);
  } catch (const InputError& e) {
    throw InputError(sourceName + ": " + e.what());
  }
}

PyhfWorkspace loadPyhfWorkspace(const std::filesystem::path& path, const WorkspaceOptions& options) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": cannot open the workspace file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parsePyhfWorkspace(buffer.str(), path.string(), options);
}

}  // namespace higgsuq::stats
