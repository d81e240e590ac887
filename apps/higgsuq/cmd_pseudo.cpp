// higgsuq pseudo --pool IN [--format F] --challenge NAME --set S --pe K --seed SEED --out OUT: builds one
// pseudo-experiment and prints its mu and nuisances as JSON. The pool's format comes from its extension
// unless --format names it (as for import and systematics).
#include <fmt/core.h>

#include <optional>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "NuisanceOptions.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/pseudo/PseudoExperiment.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {
namespace {

struct PseudoOptions {
  std::string pool, challenge = "neurips2024", output;
  std::optional<std::string> poolFormat;  ///< forces the pool's format (default: from the extension)
  int set = 0, pe = 0;
  std::uint64_t seed = 31415;
  bool keepPoolWeights = false;
  int threads = 0;
};

void runPseudo(const PseudoOptions& opt) {
  const auto control = limitThreads(opt.threads);
  const ChallengeDefinition def = loadChallengeDefinition(opt.challenge);
  if (opt.set < 0 || opt.set >= def.sets) {
    throw InputError(fmt::format("--set {} is out of range: challenge {} has sets 0..{}", opt.set, def.name, def.sets - 1));
  }
  if (opt.pe < 0) throw InputError("--pe must be >= 0");
  const EventFormat outFormat = eventFormatFromPath(opt.output);
  const EventTable pool = readEvents(opt.pool, resolveEventFormat(opt.pool, opt.poolFormat));
  const PseudoExperimentFactory factory(pool, def, {.rescaleToExpectedYields = !opt.keepPoolWeights});
  const PseudoExperiment pe = factory.build({opt.seed, opt.set, opt.pe});
  writeEvents(opt.output, pe.events, outFormat);
  fmt::print("{{\"challenge\": \"{}\", \"seed\": {}, \"set\": {}, \"pe\": {}, \"mu_true\": {}, \"nuisances\": {}, "
             "\"events\": {}, \"sum_weights\": {}, \"expected_events_before_cuts\": {}}}\n",
             def.name, opt.seed, opt.set, opt.pe, pe.muTrue, nuisancesJson(pe.nuisances), pe.events.size(),
             pe.events.sumWeights(), factory.expectedEvents(pe.muTrue, pe.nuisances));
}

}  // namespace

void addPseudoCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("pseudo", "Build one pseudo-experiment from a test pool");
  auto opt = std::make_shared<PseudoOptions>();
  cmd->add_option("--pool", opt->pool, "test pool event file (.h5 or .csv)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", opt->poolFormat,
                  "pool format: hdf5, fair-csv or atlas2014-csv (default: from extension)");
  cmd->add_option("--challenge", opt->challenge, "preset (neurips2024, pilot2024) or challenge JSON file");
  cmd->add_option("--set", opt->set, "set index (its mu)")->required();
  cmd->add_option("--pe", opt->pe, "pseudo-experiment index within the set")->required();
  cmd->add_option("--seed", opt->seed, "run seed");
  cmd->add_option("--out", opt->output, "output event file (.h5 or .csv)")->required();
  cmd->add_flag("--keep-pool-weights", opt->keepPoolWeights,
                "use pool weights as they are instead of rescaling each process to the challenge yield");
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->callback([opt] { runPseudo(*opt); });
}

}  // namespace higgsuq::cli
