// higgsuq score DIR: scores a results directory (result_*.json + test_settings.json, or
// pseudo_experiments.jsonl) as the reference scoring program does, and writes scores.json with the
// reference keys plus per_set and bootstrap. NaN is written as null; the write is atomic.
#include <fmt/core.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "Commands.hpp"
#include "higgsuq/ingest/ResultsDirectory.hpp"
#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/scoring/Score.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {
namespace {
using nlohmann::json;
using ordered_json = nlohmann::ordered_json;

struct ScoreOptions {
  std::string directory;
  std::string output;
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 42;
  double epsilon = scoring::ScoreConfig{}.epsilon;
};

/// NaN and infinities as null.
ordered_json number(double value) {
  return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr);
}

/// For the human summary: "nan" rather than fmt's "-nan".
std::string shortNumber(double value) {
  return std::isnan(value) ? "nan" : fmt::format("{:.6g}", value);
}

ordered_json perSetJson(const scoring::SetScore& set) {
  return ordered_json{{"set", set.set},
                      {"mu_true", number(set.muTrue)},
                      {"coverage", number(set.quantiles.coverage)},
                      {"interval", number(set.quantiles.interval)},
                      {"quantiles_score", number(set.quantiles.score)},
                      {"rmse", number(set.rmse)},
                      {"mae", number(set.mae)},
                      {"set_size", set.quantiles.n}};
}

ordered_json bootstrapJson(const scoring::BootstrapResult& result) {
  const auto moment = [&](double scoring::Moments::*field) {
    return ordered_json{{"quantiles_score", number(result.quantilesScore.*field)},
                        {"coverage", number(result.coverage.*field)},
                        {"interval", number(result.interval.*field)}};
  };
  return ordered_json{{"n", result.samples.size()},
                      {"seed", result.seed},
                      {"mean", moment(&scoring::Moments::mean)},
                      {"std", moment(&scoring::Moments::std)}};
}

ordered_json scoresJson(const scoring::ScoreReport& report, const ScoreOptions& options,
                        const std::optional<json>& ingestionDuration) {
  ordered_json scores{{"quantiles_score", number(report.pooled.score)},
                      {"coverage", number(report.pooled.coverage)},
                      {"interval", number(report.pooled.interval)},
                      {"rmse", number(report.rmse)},
                      {"mae", number(report.mae)}};
  if (ingestionDuration) scores["ingestion_duration"] = ordered_json::parse(ingestionDuration->dump());
  scores["status"] = std::string(scoring::scoreStatusName(report.status));
  scores["epsilon"] = options.epsilon;
  scores["per_set"] = ordered_json::array();
  for (const scoring::SetScore& set : report.perSet) scores["per_set"].push_back(perSetJson(set));
  if (options.bootstrap > 0) {
    const scoring::ScoreConfig config{scoring::ScoreConfig{}.oneSigma, options.epsilon};
    scores["bootstrap"] =
        bootstrapJson(scoring::bootstrapSets(report.perSet, options.seed, options.bootstrap, config));
  }
  return scores;
}

void printSummary(const scoring::ScoreReport& report, const ordered_json& scores, const std::string& output) {
  fmt::print("sets {}, pseudo-experiments {}, status {}\n", report.perSet.size(), report.pooled.n,
             scoring::scoreStatusName(report.status));
  fmt::print("quantiles_score {}  coverage {}  interval {}  rmse {}  mae {}\n",
             shortNumber(report.pooled.score), shortNumber(report.pooled.coverage),
             shortNumber(report.pooled.interval), shortNumber(report.rmse), shortNumber(report.mae));
  if (scores.contains("bootstrap")) {
    const ordered_json& mean = scores["bootstrap"]["mean"];
    const ordered_json& std = scores["bootstrap"]["std"];
    fmt::print("bootstrap ({} resamples): quantiles_score {} +- {}\n",
               scores["bootstrap"]["n"].get<std::size_t>(), mean["quantiles_score"].dump(),
               std["quantiles_score"].dump());
  }
  fmt::print("wrote {}\n", output);
}

void runScore(ScoreOptions options) {
  namespace fs = std::filesystem;
  if (!(options.epsilon >= 0.0)) throw InputError("--epsilon must be >= 0");
  const fs::path directory = options.directory;
  if (options.output.empty()) options.output = (directory / "scores.json").string();
  const scoring::ScoreConfig config{scoring::ScoreConfig{}.oneSigma, options.epsilon};
  const scoring::ScoreReport report = scoring::scoreResults(ingest::readResultsDirectory(directory), config);
  const ordered_json scores = scoresJson(report, options, ingest::readIngestionDuration(directory));
  writeFileAtomically(options.output, scores.dump(1) + "\n");
  printSummary(report, scores, options.output);
}

}  // namespace

void scoreDirectory(const std::filesystem::path& directory) {
  ScoreOptions options;
  options.directory = directory.string();
  runScore(options);
}

void addScoreCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("score", "Score a results directory as the challenge does; writes scores.json");
  auto options = std::make_shared<ScoreOptions>();
  cmd->add_option("DIR", options->directory, "results directory (result_*.json + test_settings.json)")
      ->required();
  cmd->add_option("--out", options->output, "output file (default: DIR/scores.json)");
  cmd->add_option("--bootstrap", options->bootstrap, "bootstrap resamples over sets (0 = off)")
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "seed of the bootstrap draws")->capture_default_str();
  cmd->add_option("--epsilon", options->epsilon, "epsilon in -ln((interval + epsilon) f)")
      ->capture_default_str();
  cmd->callback([options] { runScore(*options); });
}

}  // namespace higgsuq::cli
