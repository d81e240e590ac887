// higgsuq import IN [--format F] --out OUT: converts event files (FAIR CSV, ATLAS 2014 CSV, HDF5)
// in chunks; a FAIR CSV with only the 16 PRI columns gets its DER computed.
#include <fmt/core.h>

#include <filesystem>
#include <optional>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "higgsuq/hepmc/HepMC3Events.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {

namespace {

/// HepMC3 ASCII: tau decays, FastJet anti-kt 0.6 jets, the built-in detector and selection.
template <typename Options>
void importHepMC3(const Options& opt) {
  HepMC3ReadOptions options;
  options.seed = opt.seed;
  const auto process = processFromName(opt.process);
  if (!process) throw InputError("--process: unknown process '" + opt.process + "'");
  options.process = *process;
  HepMC3ReadStats stats;
  const EventTable events = readHepMC3Events(opt.input, options, &stats);
  writeEvents(opt.output, events, eventFormatFromPath(opt.output));
  fmt::print("{{\"input\": \"{}\", \"format\": \"hepmc3\", \"output\": \"{}\", \"events_read\": {}, "
             "\"events\": {}}}\n",
             opt.input, opt.output, stats.eventsRead, events.size());
}

}  // namespace

void addImportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Convert an event file (FAIR CSV, ATLAS 2014 CSV, HDF5) to HDF5 or CSV");
  struct Options {
    std::string input, output;
    std::optional<std::string> format;
    std::size_t chunkRows = 1 << 16;
    int threads = 0;
    std::uint64_t seed = 0;
    std::string process = "background";
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("IN", opt->input, "input event file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", opt->format,
                  "input format: fair-csv, atlas2014-csv, hdf5 or hepmc3 (default: from extension)");
  cmd->add_option("--seed", opt->seed, "hepmc3: seed of the tau decays and detector simulation");
  cmd->add_option("--process", opt->process, "hepmc3: process written for every event (detailed_labels)");
  cmd->add_option("--out", opt->output, "output file (.h5 or .csv)")->required();
  cmd->add_option("--chunk-rows", opt->chunkRows, "events per chunk (bounds memory)")->check(CLI::PositiveNumber);
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->callback([opt] {
    const auto control = limitThreads(opt->threads);
    const std::string ext = std::filesystem::path(opt->input).extension().string();
    if (opt->format == "hepmc3" || (!opt->format && (ext == ".hepmc3" || ext == ".hepmc"))) {
      return importHepMC3(*opt);
    }
    const EventFormat in = resolveEventFormat(opt->input, opt->format);
    const EventFormat out = eventFormatFromPath(opt->output);
    const std::size_t n = convertEvents(opt->input, in, opt->output, out, opt->chunkRows);
    fmt::print("{{\"input\": \"{}\", \"format\": \"{}\", \"output\": \"{}\", \"events\": {}}}\n", opt->input,
               eventFormatName(in), opt->output, n);
  });
}

}  // namespace higgsuq::cli
