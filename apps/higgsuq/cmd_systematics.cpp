// higgsuq systematics IN [nuisance options] [--seed S] [--no-cuts] --out OUT: the challenge's
// systematics() on an event file, streamed in chunks (soft-MET noise indexed by input row).
#include <fmt/core.h>

#include <optional>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "NuisanceOptions.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq::cli {

std::string nuisancesJson(const NuisanceValues& values) {
  std::string out = "{";
  for (Nuisance n : kAllNuisances) {
    out += fmt::format("{}\"{}\": {}", out.size() > 1 ? ", " : "", nuisanceName(n), values.get(n));
  }
  return out + "}";
}

namespace {

struct SystematicsOptions {
  std::string input, output;
  std::optional<std::string> format;
  NuisanceValues values;
  std::uint64_t seed = 31415;
  bool noCuts = false;
  std::string jetRemoval = "reference";
  std::size_t chunkRows = 1 << 18;
  int threads = 0;
};

void runSystematics(const SystematicsOptions& opt) {
  const auto control = limitThreads(opt.threads);
  SystematicsConfig config;
  config.applyCuts = !opt.noCuts;
  config.jetRemoval = opt.jetRemoval == "corrected" ? JetRemoval::Corrected : JetRemoval::Reference;
  const Systematics systematics(config);
  validateNuisanceValues(opt.values);
  EventChunkReader reader(opt.input, resolveEventFormat(opt.input, opt.format));
  EventChunkWriter writer(opt.output, eventFormatFromPath(opt.output));
  EventTable chunk;
  std::size_t in = 0, out = 0;
  while (reader.next(chunk, opt.chunkRows)) {
    SoftMetNoise noise = SoftMetNoise::fromSeed(opt.seed);
    noise.firstIndex = in;
    const EventTable shifted = systematics.apply(chunk, opt.values, noise);
    writer.append(shifted);
    in += chunk.size();
    out += shifted.size();
  }
  writer.commit();
  fmt::print("{{\"input_events\": {}, \"output_events\": {}, \"seed\": {}, \"nuisances\": {}}}\n", in, out, opt.seed,
             nuisancesJson(opt.values));
}

}  // namespace

void addSystematicsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("systematics", "Apply TES/JES/soft-MET shifts, normalisations and post-cuts");
  auto opt = std::make_shared<SystematicsOptions>();
  cmd->add_option("IN", opt->input, "input event file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", opt->format, "input format (default: from extension)");
  cmd->add_option("--out", opt->output, "output event file (.h5 or .csv)")->required();
  addNuisanceOptions(*cmd, opt->values);
  cmd->add_option("--seed", opt->seed, "seed of the soft-MET noise stream (default 31415, as the reference)");
  cmd->add_flag("--no-cuts", opt->noCuts, "skip the post-selection (had pT 26, jets 26, lep pT 20)");
  cmd->add_option("--jet-removal", opt->jetRemoval, "reference (default, as the challenge) or corrected")
      ->check(CLI::IsMember({"reference", "corrected"}));
  cmd->add_option("--chunk-rows", opt->chunkRows, "events per chunk")->check(CLI::PositiveNumber);
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->callback([opt] { runSystematics(*opt); });
}

}  // namespace higgsuq::cli
