// higgsuq ingest --model DIR --pool FILE --challenge NAME --out DIR [--sets N --pes M --seed S
// --threads T --resume]: evaluates a model on sets x pseudo-experiments and writes the results directory.
#include <fmt/core.h>

#include <optional>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "Progress.hpp"
#include "higgsuq/ingest/Ingestion.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/models/ModelFiles.hpp"
#include "higgsuq/mpi/MpiSession.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {
namespace {

struct IngestOptions {
  std::string model, pool, challenge = "neurips2024", out;
  int sets = 0, pes = 0, threads = 0;
  std::uint64_t seed = 31415;
  bool resume = false, keepPoolWeights = false, mpi = false;
};

/// This process's share: everything, or with --mpi the PEs of its MPI rank (rank 0 merges).
struct Share {
  int rank = 0, ranks = 1;
};

/// Totals over the ranks (with MPI), the merge into the reference layout (rank 0) and the JSON summary.
void reportRun(const IngestOptions& opt, const Model& model, const ingest::IngestionConfig& config,
               ingest::IngestionSummary summary, const MpiSession* mpi) {
  const double seconds = mpi ? mpi->maxOverRanks(summary.seconds) : summary.seconds;
  if (mpi) {
    summary.computed = static_cast<std::size_t>(mpi->sumOverRanks(static_cast<double>(summary.computed)));
    summary.resumed = static_cast<std::size_t>(mpi->sumOverRanks(static_cast<double>(summary.resumed)));
    summary.failed = static_cast<std::size_t>(mpi->sumOverRanks(static_cast<double>(summary.failed)));
  }
  if (config.rank != 0) return;
  ingest::finalizeIngestion(config, seconds);
  fmt::print("{{\"out\": \"{}\", \"model\": \"{}\", \"sets\": {}, \"pseudo_experiments\": {}, \"computed\": {}, "
             "\"resumed\": {}, \"not_ok\": {}, \"seconds\": {:.3f}, \"seconds_per_pe\": {:.4f}}}\n",
             opt.out, model.name(), config.sets, config.pseudoExperiments, summary.computed, summary.resumed,
             summary.failed, seconds, summary.computed ? seconds / static_cast<double>(summary.computed) : 0.0);
}

void runIngest(const IngestOptions& opt, const MpiSession* mpi) {
  const auto control = limitThreads(opt.threads);
  const ChallengeDefinition def = loadChallengeDefinition(opt.challenge);
  const auto model = loadModel(opt.model);
  const EventTable pool = readEvents(opt.pool, eventFormatFromPath(opt.pool));
  const PseudoExperimentFactory factory(pool, def, {.rescaleToExpectedYields = !opt.keepPoolWeights});
  ingest::IngestionConfig config{opt.out, opt.sets > 0 ? opt.sets : def.sets,
                                 opt.pes > 0 ? opt.pes : def.pseudoExperiments, opt.seed, opt.resume};
  if (mpi) {
    config.rank = mpi->rank();
    config.ranks = mpi->size();
  }
  ProgressReporter reporter(mpi ? fmt::format("ingest rank {}/{}", config.rank, config.ranks) : "ingest");
  const auto runShare = [&] {
    return ingest::runIngestion(*model, factory, config, [&](const ingest::IngestionProgress& p) {
      reporter.update(p.done, p.total, p.seconds);
    });
  };
  if (!mpi) return reportRun(opt, *model, config, runShare(), nullptr);
  // Under MPI an error must not skip the collective steps the other ranks wait in.
  std::optional<ingest::IngestionSummary> summary;
  std::string failure;
  try {
    summary = runShare();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  if (!mpi->allTrue(summary.has_value())) {
    throw InputError(failure.empty() ? "another MPI rank failed (see its message)" : failure);
  }
  reportRun(opt, *model, config, *summary, mpi);
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
  cmd->add_flag("--mpi", opt->mpi, "split the work over the MPI ranks (mpirun -np K higgsuq ingest ... --mpi)");
  cmd->add_flag("--keep-pool-weights", opt->keepPoolWeights, "do not rescale the pool to the challenge yields");
  cmd->callback([opt] {
    if (!opt->mpi) return runIngest(*opt, nullptr);
    const MpiSession session(nullptr, nullptr);
    runIngest(*opt, &session);
  });
}

}  // namespace higgsuq::cli
