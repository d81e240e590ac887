// higgsuq import IN [--format F] --out OUT: converts event files (FAIR CSV, ATLAS 2014 CSV, HDF5)
// in chunks; a FAIR CSV with only the 16 PRI columns gets its DER computed.
#include <fmt/core.h>

#include <optional>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "higgsuq/io/EventFiles.hpp"

namespace higgsuq::cli {

void addImportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("import", "Convert an event file (FAIR CSV, ATLAS 2014 CSV, HDF5) to HDF5 or CSV");
  struct Options {
    std::string input, output;
    std::optional<std::string> format;
    std::size_t chunkRows = 1 << 16;
    int threads = 0;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("IN", opt->input, "input event file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", opt->format, "input format: fair-csv, atlas2014-csv or hdf5 (default: from extension)");
  cmd->add_option("--out", opt->output, "output file (.h5 or .csv)")->required();
  cmd->add_option("--chunk-rows", opt->chunkRows, "events per chunk (bounds memory)")->check(CLI::PositiveNumber);
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->callback([opt] {
    const auto control = limitThreads(opt->threads);
    const EventFormat in = resolveEventFormat(opt->input, opt->format);
    const EventFormat out = eventFormatFromPath(opt->output);
    const std::size_t n = convertEvents(opt->input, in, opt->output, out, opt->chunkRows);
    fmt::print("{{\"input\": \"{}\", \"format\": \"{}\", \"output\": \"{}\", \"events\": {}}}\n", opt->input,
               eventFormatName(in), opt->output, n);
  });
}

}  // namespace higgsuq::cli
