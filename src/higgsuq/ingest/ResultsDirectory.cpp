#include "higgsuq/ingest/ResultsDirectory.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ingest {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kResultPrefix = "result_";
constexpr const char* kResultSuffix = ".json";

/// Replaces the bare NaN / Infinity / -Infinity tokens (outside strings) by quoted strings.
std::string quoteNonFiniteTokens(const std::string& text) {
  static constexpr std::pair<const char*, std::size_t> kTokens[] = {
      {"NaN", 3}, {"-Infinity", 9}, {"Infinity", 8}};
  std::string out;
  out.reserve(text.size());
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      out += c;
      if (c == '\\' && i + 1 < text.size())
        out += text[++i];
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') inString = true;
    bool replaced = false;
    for (const auto& [token, length] : kTokens) {
      if (text.compare(i, length, token) == 0) {
        out += '"';
        out += token;
        out += '"';
        i += length - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

const json& requireKey(const json& object, const std::string& key, const std::string& source) {
  if (!object.is_object()) throw InputError(source + ": expected a JSON object");
  const auto it = object.find(key);
  if (it == object.end()) throw InputError(source + ": missing field '" + key + "'");
  return *it;
}

std::vector<double> readNumberList(const json& object, const std::string& key, const std::string& source) {
  const json& list = requireKey(object, key, source);
  if (!list.is_array()) throw InputError(source + ": field '" + key + "' must be a list of numbers");
  std::vector<double> values;
  values.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    values.push_back(readNumber(list[i], source, key + "[" + std::to_string(i) + "]"));
  }
  return values;
}

/// The set index of a file name result_<digits>.json, or nothing.
std::optional<int> resultSetOf(const std::string& name) {
  const std::string prefix = kResultPrefix, suffix = kResultSuffix;
  if (name.size() <= prefix.size() + suffix.size()) return std::nullopt;
  if (name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  if (name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return std::nullopt;
  const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 9 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(digits);
}

/// JSON for a double: NaN and infinities as null.
json numberJson(double value) {
  return std::isfinite(value) ? json(value) : json(nullptr);
}

json numberListJson(const std::vector<double>& values) {
  json list = json::array();
  for (double v : values) list.push_back(numberJson(v));
  return list;
}

std::vector<scoring::SetResults> readFromResultFiles(const fs::path& directory,
                                                     const std::vector<int>& sets) {
  const std::vector<double> mus = readTestSettings(directory);
  const std::string settings = (directory / kTestSettingsFile).string();
  for (std::size_t position = 0; position < std::max(mus.size(), sets.size()); ++position) {
    if (position >= sets.size() || sets[position] != static_cast<int>(position)) {
      throw InputError(settings + ": field 'ground_truth_mus' has " + std::to_string(mus.size()) +
                       " entries but " + (directory / resultFileName(static_cast<int>(position))).string() +
                       " is missing");
    }
    if (position >= mus.size()) {
      throw InputError(settings + ": field 'ground_truth_mus' has " + std::to_string(mus.size()) +
                       " entries, fewer than the result_*.json files (" + std::to_string(sets.size()) + ")");
    }
  }
  std::vector<scoring::SetResults> results;
  for (int set : sets) {
    results.push_back(
        readResultFile(directory / resultFileName(set), set, mus[static_cast<std::size_t>(set)]));
  }
  return results;
}

}  // namespace

std::string resultFileName(int set) {
  return kResultPrefix + std::to_string(set) + kResultSuffix;
}

json parseJsonText(const std::string& text, const std::string& source) {
  try {
    return json::parse(quoteNonFiniteTokens(text));
  } catch (const json::parse_error& e) {
    throw InputError(source + ": malformed JSON: " + e.what());
  }
}

json readJsonFile(const fs::path& path) {
  return parseJsonText(readFileText(path), path.string());
}

double readNumber(const json& value, const std::string& source, const std::string& field) {
  if (value.is_number()) return value.get<double>();
  if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (value.is_string()) {
    const std::string& token = value.get_ref<const std::string&>();
    if (token == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (token == "Infinity") return std::numeric_limits<double>::infinity();
    if (token == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  throw InputError(source + ": field '" + field + "' must be a number (or null for NaN), got " +
                   value.dump());
}

scoring::SetResults readResultFile(const fs::path& path, int set, double muTrue) {
  const json document = readJsonFile(path);
  const std::string source = path.string();
  scoring::SetResults results;
  results.set = set;
  results.muTrue = muTrue;
  results.muHats = readNumberList(document, "mu_hats", source);
  results.deltaMuHats = readNumberList(document, "delta_mu_hats", source);
  results.p16 = readNumberList(document, "p16", source);
  results.p84 = readNumberList(document, "p84", source);
  const auto check = [&](const std::vector<double>& list, const char* field) {
    if (list.size() != results.muHats.size()) {
      throw InputError(source + ": field '" + field + "' has " + std::to_string(list.size()) +
                       " entries but 'mu_hats' has " + std::to_string(results.muHats.size()));
    }
  };
  check(results.deltaMuHats, "delta_mu_hats");
  check(results.p16, "p16");
  check(results.p84, "p84");
  return results;
}

void writeResultFile(const fs::path& directory, const scoring::SetResults& results) {
  json document;
  document["mu_hats"] = numberListJson(results.muHats);
  document["delta_mu_hats"] = numberListJson(results.deltaMuHats);
  document["p16"] = numberListJson(results.p16);
  document["p84"] = numberListJson(results.p84);
  writeFileAtomically(directory / resultFileName(results.set), document.dump() + "\n");
}

std::vector<double> readTestSettings(const fs::path& directory) {
  const fs::path path = directory / kTestSettingsFile;
  return readNumberList(readJsonFile(path), "ground_truth_mus", path.string());
}

void writeTestSettings(const fs::path& directory, std::span<const double> groundTruthMus) {
  json document;
  document["ground_truth_mus"] = numberListJson({groundTruthMus.begin(), groundTruthMus.end()});
  writeFileAtomically(directory / kTestSettingsFile, document.dump() + "\n");
}

std::vector<int> listResultSets(const fs::path& directory) {
  if (!fs::is_directory(directory)) throw InputError(directory.string() + ": not a directory");
  std::vector<int> sets;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    if (!entry.is_regular_file()) continue;
    if (const auto set = resultSetOf(entry.path().filename().string())) sets.push_back(*set);
  }
  std::sort(sets.begin(), sets.end());  // integer order: result_2 before result_10
  return sets;
}

std::vector<scoring::SetResults> readResultsDirectory(const fs::path& directory) {
  const std::vector<int> sets = listResultSets(directory);
  if (!sets.empty()) return readFromResultFiles(directory, sets);
  const fs::path records = directory / kPseudoExperimentsFile;
  if (fs::exists(records)) return resultsFromRecords(readPseudoExperiments(records), records.string());
  throw InputError(directory.string() + ": no result_*.json files and no " + kPseudoExperimentsFile);
}

std::optional<json> readIngestionDuration(const fs::path& directory) {
  const fs::path path = directory / kIngestionDurationFile;
  if (!fs::exists(path)) return std::nullopt;
  return requireKey(readJsonFile(path), "ingestion_duration", path.string());
}

json toJson(const PseudoExperimentRecord& record) {
  json nuisances = json::object();
  for (const auto& [name, value] : record.nuisances) nuisances[name] = numberJson(value);
  return json{{"set", record.set},
              {"index", record.index},
              {"seed", record.seed},
              {"mu_true", numberJson(record.muTrue)},
              {"nuisances", nuisances},
              {"mu_hat", numberJson(record.muHat)},
              {"delta_mu_hat", numberJson(record.deltaMuHat)},
              {"p16", numberJson(record.p16)},
              {"p84", numberJson(record.p84)},
              {"status", record.status},
              {"seconds", numberJson(record.seconds)}};
}

PseudoExperimentRecord recordFromJson(const json& object, const std::string& source) {
  const auto integer = [&](const char* key) {
    const json& value = requireKey(object, key, source);
    if (!value.is_number_integer()) throw InputError(source + ": field '" + key + "' must be an integer");
    return value;
  };
  const auto number = [&](const char* key) {
    return readNumber(requireKey(object, key, source), source, key);
  };
  PseudoExperimentRecord record;
  record.set = integer("set").get<int>();
  record.index = integer("index").get<int>();
  record.seed = integer("seed").get<std::uint64_t>();
  record.muTrue = number("mu_true");
  const json& nuisances = requireKey(object, "nuisances", source);
  if (!nuisances.is_object()) throw InputError(source + ": field 'nuisances' must be an object");
  for (const auto& [name, value] : nuisances.items())
    record.nuisances[name] = readNumber(value, source, "nuisances." + name);
  record.muHat = number("mu_hat");
  record.deltaMuHat = number("delta_mu_hat");
  record.p16 = number("p16");
  record.p84 = number("p84");
  const json& status = requireKey(object, "status", source);
  if (!status.is_string()) throw InputError(source + ": field 'status' must be a string");
  record.status = status.get<std::string>();
  record.seconds = number("seconds");
  return record;
}

std::vector<PseudoExperimentRecord> readPseudoExperiments(const fs::path& path) {
  std::istringstream lines(readFileText(path));
  std::vector<PseudoExperimentRecord> records;
  std::string line;
  for (int lineNumber = 1; std::getline(lines, line); ++lineNumber) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string source = path.string() + ":" + std::to_string(lineNumber);
    records.push_back(recordFromJson(parseJsonText(line, source), source));
  }
  return records;
}

void writePseudoExperiments(const fs::path& path, std::span<const PseudoExperimentRecord> records) {
  std::string content;
  for (const PseudoExperimentRecord& record : records) content += toJson(record).dump() + "\n";
  writeFileAtomically(path, content);
}

std::vector<scoring::SetResults> resultsFromRecords(std::span<const PseudoExperimentRecord> records,
                                                    const std::string& source) {
  std::map<int, std::map<int, const PseudoExperimentRecord*>> bySet;
  for (const PseudoExperimentRecord& record : records) {
    auto& pes = bySet[record.set];
    if (!pes.emplace(record.index, &record).second) {
      throw InputError(source + ": set " + std::to_string(record.set) + " index " +
                       std::to_string(record.index) + " appears twice");
    }
  }
  std::vector<scoring::SetResults> results;
  for (const auto& [set, pes] : bySet) {
    scoring::SetResults setResults;
    setResults.set = set;
    setResults.muTrue = pes.begin()->second->muTrue;
    for (const auto& [index, record] : pes) {
      if (!(record->muTrue == setResults.muTrue)) {
        throw InputError(source + ": field 'mu_true' differs between the records of set " +
                         std::to_string(set));
      }
      setResults.muHats.push_back(record->muHat);
      setResults.deltaMuHats.push_back(record->deltaMuHat);
      setResults.p16.push_back(record->p16);
      setResults.p84.push_back(record->p84);
    }
    results.push_back(std::move(setResults));
  }
  return results;
}

}  // namespace higgsuq::ingest
