// `higgsuq report`: one self-contained HTML page (inline CSS and SVG, no scripts, no external
// resources) describing a results directory: coverage per set with its binomial band, mu-hat and
// its [p16, p84] interval against mu_true, the interval width and pull distributions, the drawn
// (and, when recorded, fitted) nuisances, a summary table whose numbers come from the scoring
// module, and the run's configuration and timing (docs/report.md).
//
// NaN values are skipped in plots and counted in the table; all text is HTML-escaped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "higgsuq/ingest/ResultsDirectory.hpp"
#include "higgsuq/scoring/Score.hpp"

namespace higgsuq::report {

/// Everything the report shows.
struct ReportInput {
  std::string title;                                    ///< usually the results directory
  std::vector<scoring::SetResults> sets;
  std::vector<ingest::PseudoExperimentRecord> records;  ///< empty when the run kept none
  scoring::ScoreReport scores;
  std::optional<scoring::BootstrapResult> bootstrap;
  nlohmann::json configuration;                         ///< ingestion.json, or null
  std::optional<nlohmann::json> ingestionDuration;      ///< ingestion_duration.json
};

/// Prefix of a recorded nuisance that a model fitted ("fitted_tes" beside the drawn "tes").
inline constexpr const char* kFittedPrefix = ingest::kFittedNuisancePrefix;

/// Reads a results directory: its sets (as the scoring does), its pseudo-experiment records
/// (pseudo_experiments.jsonl or the pseudo_experiments.rank<r>.jsonl parts, if any), ingestion.json
/// and ingestion_duration.json, and scores it (bootstrap off when bootstrapResamples is 0).
/// Bad input throws higgsuq::InputError naming the file.
ReportInput loadReportInput(const std::filesystem::path& directory, std::size_t bootstrapResamples = 1000,
                            std::uint64_t bootstrapSeed = 42);

/// The number of plots (<svg> elements) renderReport draws for this input: four, plus one per
/// drawn nuisance, plus one per fitted-vs-true pair.
std::size_t plotCount(const ReportInput& input);

/// The whole HTML document.
std::string renderReport(const ReportInput& input);

}  // namespace higgsuq::report
