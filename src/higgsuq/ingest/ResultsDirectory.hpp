// Reads and writes a results directory in the reference layout:
//   result_{set}.json       {"mu_hats", "delta_mu_hats", "p16", "p84"}: lists ordered by PE
//   test_settings.json      {"ground_truth_mus": [mu of set 0, mu of set 1, ...]}
//   ingestion_duration.json {"ingestion_duration": minutes}         (optional)
//   pseudo_experiments.jsonl one PseudoExperimentRecord per line    (optional; used when there
//                            are no result_*.json files)
// Sets are ordered by their integer index (result_2 before result_10; reference PR #169).
// NaN is read from JSON null or the bare NaN / Infinity / -Infinity tokens Python's json writes,
// and written as null. Files are written atomically (temporary file in the same folder, then
// rename). Bad input throws higgsuq::InputError naming the file and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "higgsuq/scoring/Score.hpp"

namespace higgsuq::ingest {

/// Prefix of a nuisance value a model fitted, recorded beside the drawn one ("fitted_tes" beside "tes").
inline constexpr const char* kFittedNuisancePrefix = "fitted_";

/// One pseudo-experiment as ingestion records it (one line of pseudo_experiments.jsonl).
struct PseudoExperimentRecord {
  int set = 0;
  int index = 0;
  std::uint64_t seed = 0;
  double muTrue = 0.0;
  /// The drawn nuisances by name, and the model's fitted ones as "fitted_<name>" (if it fits any).
  std::map<std::string, double> nuisances;
  double muHat = 0.0, deltaMuHat = 0.0, p16 = 0.0, p84 = 0.0;
  std::string status;
  double seconds = 0.0;
};

inline constexpr const char* kTestSettingsFile = "test_settings.json";
inline constexpr const char* kIngestionDurationFile = "ingestion_duration.json";
inline constexpr const char* kPseudoExperimentsFile = "pseudo_experiments.jsonl";

/// "result_{set}.json".
std::string resultFileName(int set);

/// Parses JSON text, accepting the bare NaN / Infinity / -Infinity tokens outside strings.
/// `source` names the text in error messages.
nlohmann::json parseJsonText(const std::string& text, const std::string& source);
nlohmann::json readJsonFile(const std::filesystem::path& path);

/// A number field: JSON number, or null / "NaN" token for NaN, or +-Infinity.
double readNumber(const nlohmann::json& value, const std::string& source, const std::string& field);

/// result_{set}.json of one set; muTrue is filled in by the caller (it is not in the file).
scoring::SetResults readResultFile(const std::filesystem::path& path, int set, double muTrue);
void writeResultFile(const std::filesystem::path& directory, const scoring::SetResults& results);

std::vector<double> readTestSettings(const std::filesystem::path& directory);
void writeTestSettings(const std::filesystem::path& directory, std::span<const double> groundTruthMus);

/// The set indices of the result_*.json files in a directory, sorted as integers.
std::vector<int> listResultSets(const std::filesystem::path& directory);

/// All sets of a results directory. With result_*.json files: needs test_settings.json and exactly
/// the sets 0 .. len(ground_truth_mus) - 1. Without them: pseudo_experiments.jsonl.
std::vector<scoring::SetResults> readResultsDirectory(const std::filesystem::path& directory);

/// ingestion_duration.json's value, if the file exists.
std::optional<nlohmann::json> readIngestionDuration(const std::filesystem::path& directory);

nlohmann::json toJson(const PseudoExperimentRecord& record);
PseudoExperimentRecord recordFromJson(const nlohmann::json& object, const std::string& source);
std::vector<PseudoExperimentRecord> readPseudoExperiments(const std::filesystem::path& path);
void writePseudoExperiments(const std::filesystem::path& path,
                            std::span<const PseudoExperimentRecord> records);

/// Groups records into sets (sorted by set, PEs by index); throws if a set's mu_true differs
/// between its records or an (set, index) pair repeats.
std::vector<scoring::SetResults> resultsFromRecords(std::span<const PseudoExperimentRecord> records,
                                                    const std::string& source);

}  // namespace higgsuq::ingest
