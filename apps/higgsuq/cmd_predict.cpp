// higgsuq predict --model DIR FILE: one prediction on an observed dataset (an event file whose weights
// are event multiplicities, e.g. the output of `higgsuq pseudo`), printed as JSON.
#include <fmt/core.h>

#include <cmath>
#include <string>

#include "CliSupport.hpp"
#include "Commands.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/models/ModelFiles.hpp"

namespace higgsuq::cli {
namespace {

std::string number(double v) { return std::isfinite(v) ? fmt::format("{}", v) : "null"; }

}  // namespace

void addPredictCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("predict", "Predict mu_hat and its interval for one observed dataset");
  struct Options {
    std::string model, input;
    int threads = 0;
  };
  auto opt = std::make_shared<Options>();
  cmd->add_option("--model", opt->model, "model directory (from higgsuq train)")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("FILE", opt->input, "observed events (.h5 or .csv); weights = multiplicities")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->callback([opt] {
    const auto control = limitThreads(opt->threads);
    const auto model = loadModel(opt->model);
    PseudoExperiment observed;
    observed.events = readEvents(opt->input, eventFormatFromPath(opt->input));
    const Prediction p = model->predict(observed);
    fmt::print("{{\"model\": \"{}\", \"events\": {}, \"mu_hat\": {}, \"delta_mu_hat\": {}, \"p16\": {}, \"p84\": {}, "
               "\"status\": \"{}\"}}\n",
               model->name(), observed.events.sumWeights(), number(p.muHat), number(p.deltaMuHat), number(p.p16),
               number(p.p84), predictionStatusName(p.status));
  });
}

}  // namespace higgsuq::cli
