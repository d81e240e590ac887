// higgsuq report DIR: writes one self-contained HTML page (inline CSS and SVG) describing a results
// directory: coverage, intervals, pulls, nuisances, the scores, configuration and timing
// (docs/report.md). The write is atomic; the path written is printed.
#include <fmt/core.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "Commands.hpp"
#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/report/Report.hpp"

namespace higgsuq::cli {
namespace {

struct ReportOptions {
  std::string directory;
  std::string output;
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 42;
};

void runReport(ReportOptions options) {
  const std::filesystem::path directory = options.directory;
  if (options.output.empty()) options.output = (directory / "report.html").string();
  const report::ReportInput input = report::loadReportInput(directory, options.bootstrap, options.seed);
  writeFileAtomically(options.output, report::renderReport(input));
  fmt::print("{}\n", options.output);
}

}  // namespace

void addReportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", "Write a self-contained HTML report of a results directory");
  auto options = std::make_shared<ReportOptions>();
  cmd->add_option("DIR", options->directory, "results directory (as for `higgsuq score`)")->required();
  cmd->add_option("--out", options->output, "output file (default: DIR/report.html)");
  cmd->add_option("--bootstrap", options->bootstrap, "bootstrap resamples over sets (0 = off)")
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "seed of the bootstrap draws")->capture_default_str();
  cmd->callback([options] { runReport(*options); });
}

}  // namespace higgsuq::cli
