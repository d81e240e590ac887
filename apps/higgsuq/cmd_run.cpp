// higgsuq run: the main job, end to end on the built-in simulation — simulate (or reuse from the cache)
// a training set and a test pool, train the model, ingest a neurips2024-design evaluation, score it and
// write the HTML report; prints where everything is.
#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "BaselineClassifierChoice.hpp"
#include "CliSupport.hpp"
#include "Commands.hpp"
#include "Progress.hpp"
#include "higgsuq/ingest/Ingestion.hpp"
#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/models/CountingModel.hpp"
#include "higgsuq/models/ModelFiles.hpp"
#include "higgsuq/report/Report.hpp"
#include "higgsuq/sim/Generator.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {
namespace {

namespace fs = std::filesystem;

struct RunOptions {
  std::string out = "higgsuq-run", cache, challenge = "neurips2024", model = "baseline";
  ClassifierChoice classifier;
  std::uint64_t trainEvents = 1'000'000, poolEvents = 5'000'000, seed = 31415;
  int sets = 10, pes = 20, threads = 0, trees = 150;
};

/// The simulated file for (events, seed), generated once and reused from the cache afterwards.
fs::path simulated(const RunOptions& opt, const std::string& role, std::uint64_t events, std::uint64_t seed) {
  const fs::path file = fs::path(opt.cache) / fmt::format("{}_{}_seed{}.h5", role, events, seed);
  if (fs::exists(file)) {
    fmt::print("[run] {}: reusing {}\n", role, file.string());
    return file;
  }
  fmt::print("[run] {}: simulating {} selected events -> {}\n", role, events, file.string());
  std::fflush(stdout);
  sim::SimulationRequest request;
  request.events = events;
  request.seed = seed;
  ProgressReporter reporter("simulate " + role);
  const auto t0 = std::chrono::steady_clock::now();
  sim::simulateToFile(request, file, [&](std::uint64_t done, std::uint64_t total) {
    reporter.update(done, total,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  });
  return file;
}

void trainModel(const RunOptions& opt, ModelKind kind, const fs::path& trainFile,
                const ChallengeDefinition& def, const fs::path& modelDir) {
  fmt::print("[run] training the {} model -> {}\n", opt.model, modelDir.string());
  std::fflush(stdout);
  const EventTable training = readEvents(trainFile, EventFormat::Hdf5);
  ModelOptions options;
  options.baseline.classifier.nEstimators = opt.trees;
  options.baseline.classifier.threads = opt.threads;
  options.baseline.seed = opt.seed;
  chooseClassifier(opt.classifier, opt.threads, opt.seed, options.baseline);
  fitModel(kind, TrainingAccess::standard(training, def), options)->save(modelDir);
}

/// What limits the calibration of a run this small: the templates and the pool are finite samples whose
/// statistical fluctuation is one offset shared by every pseudo-experiment of the run.
/// The template size is known only when this run trained the model (60% of its training events).
void printSampleSizeNote(const RunOptions& o, ModelKind kind, bool trainedNow,
                         const PseudoExperimentFactory& factory, std::size_t poolEvents) {
  const double expected = factory.expectedEvents(1.0, NuisanceValues{});
  const double templateEvents = BaselineConfig::kDefaultHoldoutFraction * static_cast<double>(o.trainEvents);
  const bool templates = kind == ModelKind::Baseline && trainedNow;
  fmt::print("[run] note: a pseudo-experiment expects {:.0f} events; the pool holds {}", expected,
             poolEvents);
  if (templates) fmt::print(" and the templates come from {:.0f}", templateEvents);
  if (kind == ModelKind::Baseline && !trainedNow) fmt::print(" (the model was trained by an earlier run)");
  fmt::print(
      ".\n[run] note: their statistical fluctuations, the same for every pseudo-experiment of this run, "
      "are about {:.2f}",
      expected / static_cast<double>(poolEvents));
  if (templates) fmt::print(" and {:.2f}", expected / templateEvents);
  fmt::print(
      " times a pseudo-experiment's own variance:\n[run] note: this run's coverage is one draw around the "
      "method's; --train-events and --pool-events narrow it (BENCHMARKS.md, \"The main job\").\n");
}

void runPipeline(const RunOptions& opt) {
  const auto control = limitThreads(opt.threads);
  const RunOptions o = [&] {
    RunOptions copy = opt;
    if (copy.cache.empty()) copy.cache = (fs::path(copy.out) / "cache").string();
    return copy;
  }();
  const ModelKind kind = requireModelKind(o.model);
  fs::create_directories(o.cache);
  const ChallengeDefinition def = loadChallengeDefinition(o.challenge);
  const fs::path trainFile = simulated(o, "train", o.trainEvents, o.seed + 1);
  const fs::path poolFile = simulated(o, "pool", o.poolEvents, o.seed + 2);
  // One directory per kind whatever name chose it ("stat-only" and "counting" share model-counting).
  // The baseline's network variants get their own directory: model-baseline is the trees'.
  const std::string variant =
      kind == ModelKind::Baseline && o.classifier.name != "xgboost" ? "-" + o.classifier.name : "";
  const fs::path modelDir = fs::path(o.out) / ("model-" + std::string(savedKindName(kind)) + variant);
  const bool trainedNow = !fs::exists(modelDir / "model.json");
  if (trainedNow) trainModel(o, kind, trainFile, def, modelDir);
  const auto model = loadModel(modelDir);
  const EventTable pool = readEvents(poolFile, EventFormat::Hdf5);
  const PseudoExperimentFactory factory(pool, def);
  const fs::path results = fs::path(o.out) / "results";
  ingest::IngestionConfig config{results, o.sets, o.pes, o.seed, fs::exists(results / "ingestion.json")};
  fmt::print("[run] ingesting {} sets x {} pseudo-experiments -> {}\n", o.sets, o.pes, results.string());
  std::fflush(stdout);
  ProgressReporter reporter("ingest");
  const auto summary = ingest::runIngestion(*model, factory, config, [&](const ingest::IngestionProgress& p) {
    reporter.update(p.done, p.total, p.seconds);
  });
  ingest::finalizeIngestion(config, summary.seconds);
  scoreDirectory(results);
  const fs::path report = results / "report.html";
  writeFileAtomically(report, report::renderReport(report::loadReportInput(results)));
  printSampleSizeNote(o, kind, trainedNow, factory, pool.size());
  fmt::print("[run] done: results and scores in {}, report {}\n", results.string(), report.string());
}

}  // namespace

void addRunCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "The main job: simulate, train, ingest, score (built-in simulation)");
  auto opt = std::make_shared<RunOptions>();
  cmd->add_option("--out", opt->out, "output directory")->capture_default_str();
  cmd->add_option("--cache", opt->cache, "where simulated files are kept and reused (default OUT/cache)");
  cmd->add_option("--challenge", opt->challenge, "challenge preset or JSON")->capture_default_str();
  cmd->add_option("--model", opt->model, "baseline or stat-only (alias: counting)")->capture_default_str();
  cmd->add_option("--train-events", opt->trainEvents, "simulated training events")->capture_default_str();
  cmd->add_option("--pool-events", opt->poolEvents, "simulated test-pool events")->capture_default_str();
  cmd->add_option("--sets", opt->sets, "sets (mu values); the full final phase is 10")->capture_default_str();
  cmd->add_option("--pes", opt->pes, "pseudo-experiments per set; the full final phase is 1000")
      ->capture_default_str();
  cmd->add_option("--trees", opt->trees, "baseline: maximum boosting rounds")->capture_default_str();
  cmd->add_option("--classifier", opt->classifier.name, kClassifierHelp)
      ->check(CLI::IsMember({"xgboost", "nn", "nn-reference"}))
      ->capture_default_str();
  cmd->add_option("--epochs", opt->classifier.epochs,
                  "baseline with a network: maximum epochs (default: the preset's)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", opt->seed, "run seed")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->callback([opt] { runPipeline(*opt); });
}

}  // namespace higgsuq::cli
