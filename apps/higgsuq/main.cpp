// higgsuq: the FAIR Universe HiggsML Uncertainty Challenge, end to end, in C++.
#include <CLI/CLI.hpp>

#include "CliSupport.hpp"
#include "Commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"higgsuq: H->tautau signal-strength measurement with honest uncertainty intervals"};
  app.require_subcommand(1);
  higgsuq::cli::addImportCommand(app);
  higgsuq::cli::addExportCommand(app);
  higgsuq::cli::addSimulateCommand(app);
  higgsuq::cli::addSystematicsCommand(app);
  higgsuq::cli::addPseudoCommand(app);
  higgsuq::cli::addTrainCommand(app);
  higgsuq::cli::addPredictCommand(app);
  higgsuq::cli::addFitCommand(app);
  higgsuq::cli::addIngestCommand(app);
  higgsuq::cli::addScoreCommand(app);
  higgsuq::cli::addReportCommand(app);
  higgsuq::cli::addRunCommand(app);
  return higgsuq::cli::runApp(app, argc, argv);
}
