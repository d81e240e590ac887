// higgsuq export IN --out OUT.csv: writes an event file in the FAIR CSV layout (28 features, weights,
// labels, detailed_labels), in chunks.
#include <fmt/core.h>

#include <optional>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "higgsuq/io/EventFiles.hpp"

namespace higgsuq::cli {

void addExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write an event file as FAIR-layout CSV (or HDF5)");
  struct Options {
    std::string input, output;
    std::optional<std::string> format;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("IN", opt->input, "input event file (.h5 or .csv)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", opt->output, "output file")->required();
  cmd->add_option("--format", opt->format, "output format: fair-csv or hdf5 (default: from extension)");
  cmd->callback([opt] {
    const EventFormat in = eventFormatFromPath(opt->input);
    const EventFormat out = resolveEventFormat(opt->output, opt->format);
    const std::size_t n = convertEvents(opt->input, in, opt->output, out);
    fmt::print("{{\"output\": \"{}\", \"format\": \"{}\", \"events\": {}}}\n", opt->output, eventFormatName(out), n);
  });
}

}  // namespace higgsuq::cli
