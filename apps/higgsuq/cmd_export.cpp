// higgsuq export IN [--in-format F] --out OUT.csv [--format F]: writes an event file in the FAIR CSV
// layout (28 features, weights, labels, detailed_labels), in chunks. Formats come from the extensions
// unless forced: --in-format for IN (the names of import --format), --format for OUT.
#include <fmt/core.h>

#include <optional>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {
namespace {

/// `message` with every "--format" replaced by `option`: the io layer names the flag --format, which
/// here is the output's.
std::string renameFormatOption(std::string message, const std::string& option) {
  const std::string flag = "--format";
  for (auto at = message.find(flag); at != std::string::npos; at = message.find(flag, at + option.size())) {
    message.replace(at, flag.size(), option);
  }
  return message;
}

EventFormat inputFormat(const std::string& input, const std::optional<std::string>& forced) {
  try {
    return resolveEventFormat(input, forced);
  } catch (const InputError& e) {
    throw InputError(renameFormatOption(e.what(), "--in-format"));
  }
}

}  // namespace

void addExportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write an event file as FAIR-layout CSV (or HDF5)");
  struct Options {
    std::string input, output;
    std::optional<std::string> format, inFormat;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("IN", opt->input, "input event file (.h5 or .csv)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", opt->output, "output file")->required();
  cmd->add_option("--in-format", opt->inFormat,
                  "input format: hdf5, fair-csv or atlas2014-csv (default: from extension)");
  cmd->add_option("--format", opt->format, "output format: fair-csv or hdf5 (default: from extension)");
  cmd->callback([opt] {
    const EventFormat in = inputFormat(opt->input, opt->inFormat);
    const EventFormat out = resolveEventFormat(opt->output, opt->format);
    const std::size_t n = convertEvents(opt->input, in, opt->output, out);
    fmt::print("{{\"output\": \"{}\", \"format\": \"{}\", \"events\": {}}}\n", opt->output, eventFormatName(out), n);
  });
}

}  // namespace higgsuq::cli
