// higgsuq ingest --model DIR --pool FILE --challenge NAME --out DIR [--sets N --pes M --seed S
// --threads T --resume]: evaluates a model on sets x pseudo-experiments and writes the results directory.
#include <fmt/core.h>

#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "Progress.hpp"
#include "higgsuq/ingest/Ingestion.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/models/ModelFiles.hpp"

namespace higgsuq::cli {
namespace {

struct IngestOptions {
  std::string model, pool, challenge = "neurips2024", out;
  int sets = 0, pes = 0, threads = 0;
  std::uint64_t seed = 31415;
  bool resume = false, keepPoolWeights = false;
};

void runIngest(const IngestOptions& opt) {
  const auto control = limitThreads(opt.threads);
  const ChallengeDefinition def = loadChallengeDefinition(opt.challenge);
  const auto model = loadModel(opt.model);
  const EventTable pool = readEvents(opt.pool, eventFormatFromPath(opt.pool));
  const PseudoExperimentFactory factory(pool, def, {.rescaleToExpectedYields = !opt.keepPoolWeights});
  ingest::IngestionConfig config{opt.out, opt.sets > 0 ? opt.sets : def.sets,
                                 opt.pes > 0 ? opt.pes : def.pseudoExperiments, opt.seed, opt.resume};
  ProgressReporter reporter("ingest");
  const auto summary = ingest::runIngestion(*model, factory, config, [&](const ingest::IngestionProgress& p) {
    reporter.update(p.done, p.total, p.seconds);
  });
  ingest::finalizeIngestion(config, summary.seconds);
  fmt::print("{{\"out\": \"{}\", \"model\": \"{}\", \"sets\": {}, \"pseudo_experiments\": {}, \"computed\": {}, "
             "\"resumed\": {}, \"not_ok\": {}, \"seconds\": {:.3f}, \"seconds_per_pe\": {:.4f}}}\n",
             opt.out, model->name(), config.sets, config.pseudoExperiments, summary.computed, summary.resumed,
             summary.failed, summary.seconds,
             summary.computed ? summary.seconds / static_cast<double>(summary.computed) : 0.0);
}

}  // namespace

void addIngestCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("ingest", "Evaluate a model on sets x pseudo-experiments");
  auto opt = std::make_shared<IngestOptions>();
  cmd->add_option("--model", opt->model, "model directory (from higgsuq train)")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--pool", opt->pool, "test pool event file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--challenge", opt->challenge, "challenge preset or JSON file");
  cmd->add_option("--sets", opt->sets, "number of sets (default: the challenge's)");
  cmd->add_option("--pes", opt->pes, "pseudo-experiments per set (default: the challenge's)");
  cmd->add_option("--seed", opt->seed, "run seed");
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->add_option("--out", opt->out, "results directory")->required();
  cmd->add_flag("--resume", opt->resume, "complete an interrupted run in --out");
  cmd->add_flag("--keep-pool-weights", opt->keepPoolWeights, "do not rescale the pool to the challenge yields");
  cmd->callback([opt] { runIngest(*opt); });
}

}  // namespace higgsuq::cli
