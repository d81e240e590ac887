// higgsuq simulate: the built-in generator (H -> tau tau and backgrounds, ATLAS-like detector) writing
// N selected events to HDF5 or CSV; and higgsuq simulate-validate: generates, compares with the FAIR
// sample and writes the Markdown validation report (docs/validation.md). The per-process cross-section
// table is a shipped one (--preset, embedded from config/cross-sections/) or a JSON file (--cross-sections).
// With --auc, simulate-validate also trains the baseline's XGBoost classifier on 4/5 of the simulated
// events and reports its H-vs-Z AUC on the other 1/5 and on the FAIR sample.
#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ClassifierAuc.hpp"
#include "CliSupport.hpp"
#include "Commands.hpp"
#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CrossSectionJson.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/ml/XgbClassifier.hpp"
#include "higgsuq/sim/Generator.hpp"
#include "higgsuq/sim/Validation.hpp"

namespace higgsuq::cli {
namespace {

struct SimulateOptions {
  std::uint64_t events = 0, seed = 0;
  std::string preset = "neurips2024", output, sample;
  std::optional<std::string> crossSections;  ///< JSON cross-section table replacing the preset
  std::optional<std::vector<double>> fractions;
  double luminosity = 10.0;
  std::size_t chunkRows = 1 << 16;
  int threads = 0;
  bool auc = false;      ///< simulate-validate: also train a classifier and report its H-vs-Z AUC
  int aucTrees = 150;    ///< its maximum boosting rounds (XgbConfig's default)
};

/// Every `kHeldOutEvery`-th simulated row is held out from the classifier's training (rows are
/// independent events, so this is a random split).
constexpr std::size_t kHeldOutEvery = 5;

void addCommonOptions(CLI::App* cmd, SimulateOptions& opt) {
  cmd->add_option("--events", opt.events, "number of selected events to write (N)")->required();
  cmd->add_option("--seed", opt.seed, "random seed (output is a function of the seed only)")->required();
  auto* preset =
      cmd->add_option("--preset", opt.preset, "process table: neurips2024 (default) or early2024 (with W+jets)");
  cmd->add_option("--cross-sections", opt.crossSections,
                  "JSON cross-section table to use instead of a preset (schema: docs/simulation.md)")
      ->check(CLI::ExistingFile)
      ->excludes(preset);
  cmd->add_option("--process-fractions", opt.fractions,
                  "share of the N events per preset process, in preset order (default: FAIR generated shares)");
  cmd->add_option("--luminosity", opt.luminosity, "integrated luminosity the weights represent, fb^-1 (default 10)");
  cmd->add_option("--threads", opt.threads, "worker threads (0 = all cores)");
}

/// The shipped table named by --preset, or the file given with --cross-sections.
sim::SimulationPreset crossSectionTable(const SimulateOptions& opt) {
  return opt.crossSections ? readCrossSectionTable(*opt.crossSections) : crossSectionPreset(opt.preset);
}

sim::SimulationRequest makeRequest(const SimulateOptions& opt) {
  sim::SimulationRequest request;
  request.events = opt.events;
  request.seed = opt.seed;
  request.preset = crossSectionTable(opt);
  request.processFractions = opt.fractions;
  request.luminosityFb = opt.luminosity;
  request.chunkRows = opt.chunkRows;
  return request;
}

sim::ProgressCallback progressBar() {
  if (!isatty(STDERR_FILENO)) return {};
  return [](std::uint64_t done, std::uint64_t total) {
    const int width = 40;
    const double f = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
    const int filled = static_cast<int>(f * width);
    std::fprintf(stderr, "\r[%s%s] %5.1f%% %llu/%llu", std::string(filled, '#').c_str(),
                 std::string(width - filled, ' ').c_str(), 100.0 * f, static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total));
    if (done >= total) std::fprintf(stderr, "\n");
  };
}

nlohmann::json summaryJson(const sim::SimulationSummary& summary, const sim::SimulationRequest& request,
                           const SimulateOptions& opt) {
  nlohmann::json processes = nlohmann::json::array();
  std::uint64_t total = 0;
  for (const auto& p : summary.processes) {
    total += p.selected;
    processes.push_back({{"process", processName(p.process)}, {"events", p.selected}, {"attempted", p.attempted},
                         {"weight", p.weight}, {"sum_weights", p.sumWeights}, {"expected_yield", p.expectedYield},
                         {"cross_section_yield", p.crossSectionYield}});
  }
  return {{"output", opt.output}, {"preset", request.preset.name},
          {"cross_sections", opt.crossSections ? nlohmann::json(*opt.crossSections) : nlohmann::json()},
          {"seed", opt.seed}, {"events", total},
          {"luminosity_fb", opt.luminosity}, {"seconds", summary.seconds},
          {"events_per_second", summary.seconds > 0 ? static_cast<double>(total) / summary.seconds : 0.0},
          {"processes", processes}};
}

/// The command line recorded in the validation report (so it can be rerun).
std::string validateCommandLine(const SimulateOptions& opt) {
  const std::string table =
      opt.crossSections ? "--cross-sections " + *opt.crossSections : "--preset " + opt.preset;
  const std::string auc = opt.auc ? fmt::format(" --auc --auc-trees {}", opt.aucTrees) : "";
  return fmt::format("higgsuq simulate-validate --events {} --seed {} {}{} --sample {} --out {}", opt.events,
                     opt.seed, table, auc, opt.sample, opt.output);
}

/// Rows [0, n) split into the classifier's training rows and the held-out rows.
std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>> trainingAndHeldOutRows(std::size_t n) {
  std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>> rows;
  for (std::size_t i = 0; i < n; ++i) {
    (i % kHeldOutEvery == 0 ? rows.second : rows.first).push_back(static_cast<std::uint32_t>(i));
  }
  return rows;
}

sim::AucMeasurement higgsVsZAuc(const Classifier& classifier, const EventTable& events) {
  return {events.count(Process::HTauTau), events.count(Process::ZTauTau), htautauVsZtautauAuc(classifier, events)};
}

/// Trains the baseline's classifier (XgbConfig defaults, --auc-trees rounds at most) on simulated events
/// and measures its H-vs-Z AUC on held-out simulated events and on the FAIR sample.
sim::ClassifierSeparation classifierSeparation(const SimulateOptions& opt, const EventTable& simulated,
                                               const EventTable& sample) {
  const SystematicsConfig postSelection = loadChallengeDefinition("neurips2024").postSelection;
  const auto [trainingRows, heldOutRows] = trainingAndHeldOutRows(simulated.size());
  const EventTable training = nominalPostSelected(simulated.gather(trainingRows), postSelection);
  const EventTable heldOut = nominalPostSelected(simulated.gather(heldOutRows), postSelection);
  const EventTable sampleSelected = nominalPostSelected(sample, postSelection);
  ml::XgbConfig config;
  config.nEstimators = opt.aucTrees;
  config.threads = opt.threads;
  config.seed = opt.seed;
  const ml::XgbClassifier classifier = ml::XgbClassifier::train(training, config);
  sim::ClassifierSeparation separation;
  separation.classifier = fmt::format("The baseline's XGBoost classifier (default `XgbConfig`, {} of at most {} trees "
                                      "after early stopping, seed {})",
                                      classifier.summary().roundsTrained, opt.aucTrees, opt.seed);
  separation.trainingEvents = training.size();
  separation.heldOut = higgsVsZAuc(classifier, heldOut);
  separation.sample = higgsVsZAuc(classifier, sampleSelected);
  return separation;
}

void addValidateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("simulate-validate",
                                 "Simulate, compare with the FAIR 1,000-event sample, write the Markdown report");
  auto opt = std::make_shared<SimulateOptions>();
  addCommonOptions(cmd, *opt);
  cmd->add_option("--sample", opt->sample, "FAIR sample CSV (FAIR_Universe_HiggsML_data.csv)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", opt->output, "Markdown report to write (e.g. docs/validation.md)")->required();
  cmd->add_flag("--auc", opt->auc,
                "also train the baseline's XGBoost classifier on 4/5 of the simulated events and report its "
                "H-vs-Z AUC on the other 1/5 and on the sample");
  cmd->add_option("--auc-trees", opt->aucTrees, "with --auc: maximum boosting rounds (default 150)")
      ->check(CLI::Range(1, 100000));
  cmd->callback([opt] {
    const auto control = limitThreads(opt->threads);
    const sim::SimulationRequest request = makeRequest(*opt);
    sim::SimulationSummary summary;
    const EventTable simulated = sim::simulateToTable(request, &summary);
    const EventTable sample = readCsvEvents(opt->sample, CsvLayout::FairCsv);
    std::vector<Process> processes;
    for (const auto& p : summary.processes) processes.push_back(p.process);
    std::optional<sim::ClassifierSeparation> separation;
    if (opt->auc) separation = classifierSeparation(*opt, simulated, sample);
    writeFileAtomically(opt->output, sim::validationMarkdown(sim::compareWithSample(simulated, sample, processes),
                                                             summary, validateCommandLine(*opt), separation));
    auto json = summaryJson(summary, request, *opt);
    if (separation) {
      json["auc_heldout_htautau_vs_ztautau"] = separation->heldOut.auc;
      json["auc_sample_htautau_vs_ztautau"] = separation->sample.auc;
    }
    fmt::print("{}\n", json.dump());
  });
}

}  // namespace

void addSimulateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("simulate", "Generate H->tautau and background events with an ATLAS-like detector");
  auto opt = std::make_shared<SimulateOptions>();
  addCommonOptions(cmd, *opt);
  cmd->add_option("--out", opt->output, "output file (.h5 or .csv)")->required();
  cmd->add_option("--chunk-rows", opt->chunkRows, "events per written chunk (bounds memory)")
      ->check(CLI::PositiveNumber);
  cmd->callback([opt] {
    const auto control = limitThreads(opt->threads);
    const sim::SimulationRequest request = makeRequest(*opt);
    const auto summary = sim::simulateToFile(request, opt->output, progressBar());
    fmt::print("{}\n", summaryJson(summary, request, *opt).dump());
  });
  addValidateCommand(app);
}

}  // namespace higgsuq::cli
