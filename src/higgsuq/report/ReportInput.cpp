// Reading a results directory for the report (see Report.hpp).
#include <algorithm>
#include <filesystem>

#include "higgsuq/report/Report.hpp"

namespace higgsuq::report {
namespace {
namespace fs = std::filesystem;

/// pseudo_experiments.jsonl, else the pseudo_experiments.rank<r>.jsonl parts in name order.
std::vector<fs::path> recordFiles(const fs::path& directory) {
  if (fs::exists(directory / ingest::kPseudoExperimentsFile)) return {directory / ingest::kPseudoExperimentsFile};
  std::vector<fs::path> parts;
  if (!fs::is_directory(directory)) return parts;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("pseudo_experiments.rank") && name.ends_with(".jsonl")) parts.push_back(entry.path());
  }
  std::sort(parts.begin(), parts.end());
  return parts;
}

std::vector<ingest::PseudoExperimentRecord> readRecords(const fs::path& directory) {
  std::vector<ingest::PseudoExperimentRecord> records;
  for (const fs::path& file : recordFiles(directory)) {
    std::vector<ingest::PseudoExperimentRecord> part = ingest::readPseudoExperiments(file);
    records.insert(records.end(), part.begin(), part.end());
  }
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return a.set != b.set ? a.set < b.set : a.index < b.index;
  });
  return records;
}

}  // namespace

ReportInput loadReportInput(const fs::path& directory, std::size_t bootstrapResamples, std::uint64_t bootstrapSeed) {
  ReportInput input;
  input.title = directory.string();
  input.sets = ingest::readResultsDirectory(directory);
  input.records = readRecords(directory);
  if (fs::exists(directory / "ingestion.json")) input.configuration = ingest::readJsonFile(directory / "ingestion.json");
  // The whole object: readIngestionDuration gives only the minutes, ingestion_seconds is more precise.
  if (fs::exists(directory / ingest::kIngestionDurationFile))
    input.ingestionDuration = ingest::readJsonFile(directory / ingest::kIngestionDurationFile);
  input.scores = scoring::scoreResults(input.sets);
  if (bootstrapResamples > 0)
    input.bootstrap = scoring::bootstrapSets(input.scores.perSet, bootstrapSeed, bootstrapResamples);
  return input;
}

}  // namespace higgsuq::report
