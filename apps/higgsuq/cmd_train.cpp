// higgsuq train --model NAME --train FILE --out DIR: fits a model on a weighted training file and saves it.
#include <fmt/core.h>

#include <string>

#include "BaselineClassifierChoice.hpp"
#include "ClassifierAuc.hpp"
#include "CliSupport.hpp"
#include "Commands.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/models/CountingModel.hpp"
#include "higgsuq/models/ModelFiles.hpp"
#include "higgsuq/ml/TorchClassifier.hpp"
#include "higgsuq/ml/XgbClassifier.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {
namespace {

struct TrainOptions {
  std::string model = "baseline", train, out, challenge = "neurips2024";
  int threads = 0, bins = 20, trees = 150, degree = 3;
  std::uint64_t seed = 42;
  std::string aucSample;
  ClassifierChoice classifier;
};

/// (validation AUC, rounds or epochs trained) of the baseline's classifier.
std::pair<double, int> classifierSummary(const Classifier& classifier) {
  if (const auto* net = dynamic_cast<const ml::TorchClassifier*>(&classifier)) {
    return {net->summary().validationAuc, net->summary().epochsTrained};
  }
  const auto& xgb = dynamic_cast<const ml::XgbClassifier&>(classifier);
  return {xgb.summary().validationAuc, xgb.summary().roundsTrained};
}

void trainBaseline(const TrainOptions& opt, const EventTable& training, const ChallengeDefinition& def) {
  BaselineConfig config;
  config.binEdges = uniformEdges(static_cast<std::size_t>(opt.bins));
  config.classifier.nEstimators = opt.trees;
  config.classifier.threads = opt.threads;
  config.classifier.seed = opt.seed;
  config.polynomialDegree = opt.degree;
  config.seed = opt.seed;
  chooseClassifier(opt.classifier, opt.threads, opt.seed, config);
  const BaselineModel model = BaselineModel::fit(training, def, config);
  model.save(opt.out);
  const auto [validationAuc, rounds] = classifierSummary(model.classifier());
  std::string sampleAuc = "null";
  if (!opt.aucSample.empty()) {
    // H vs Z AUC of the trained classifier on another file (e.g. the official FAIR sample), nominal cuts.
    const EventTable sample =
        nominalPostSelected(readEvents(opt.aucSample, eventFormatFromPath(opt.aucSample)), def.postSelection);
    sampleAuc = fmt::format("{}", htautauVsZtautauAuc(model.classifier(), sample));
  }
  fmt::print("{{\"model\": \"baseline\", \"out\": \"{}\", \"bins\": {}, \"classifier\": \"{}\", "
             "\"classifier_validation_auc\": {}, \"classifier_rounds\": {}, "
             "\"auc_sample_htautau_vs_ztautau\": {}}}\n",
             opt.out, model.templates().nBins(), model.classifier().kind(), validationAuc, rounds, sampleAuc);
}

void trainStatOnly(const TrainOptions& opt, const EventTable& training, const ChallengeDefinition& def) {
  const CountingModel model = CountingModel::fit(training, def.postSelection);
  model.save(opt.out);
  fmt::print("{{\"model\": \"counting\", \"out\": \"{}\", \"expected_signal\": {}, \"expected_background\": {}}}\n",
             opt.out, model.expectedSignal(), model.expectedBackground());
}

void runTrain(const TrainOptions& opt) {
  const ModelKind kind = requireModelKind(opt.model);  // before reading a large file
  const auto control = limitThreads(opt.threads);
  const ChallengeDefinition def = loadChallengeDefinition(opt.challenge);
  const EventTable training = readEvents(opt.train, eventFormatFromPath(opt.train));
  if (kind == ModelKind::Baseline) return trainBaseline(opt, training, def);
  trainStatOnly(opt, training, def);
}

}  // namespace

void addTrainCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Fit a model on a weighted training file and save it");
  auto opt = std::make_shared<TrainOptions>();
  cmd->add_option("--model", opt->model, "model kind: baseline (default) or stat-only (alias: counting)");
  cmd->add_option("--bins", opt->bins, "baseline: classifier-score bins on [0, 1]")->check(CLI::Range(1, 1000));
  cmd->add_option("--trees", opt->trees, "baseline: maximum boosting rounds")->check(CLI::Range(1, 100000));
  cmd->add_option("--degree", opt->degree, "baseline: polynomial degree of the nuisance responses")->check(CLI::Range(1, 6));
  cmd->add_option("--classifier", opt->classifier.name, kClassifierHelp)
      ->check(CLI::IsMember({"xgboost", "nn", "nn-reference"}));
  cmd->add_option("--epochs", opt->classifier.epochs, "baseline with a network: maximum epochs (default: the preset's)")
      ->check(CLI::Range(1, 100000));
  cmd->add_option("--hidden", opt->classifier.hidden,
                  "baseline with a network: hidden-layer widths, e.g. --hidden 64,64")
      ->delimiter(',')
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--seed", opt->seed, "seed of the data split and classifier");
  cmd->add_option("--auc-sample", opt->aucSample,
                  "baseline: also print the classifier's H-vs-Z AUC on this event file (e.g. the FAIR sample)");
  cmd->add_option("--train", opt->train, "training event file (.h5 or .csv), weights for the luminosity")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--challenge", opt->challenge, "challenge preset or JSON (post-selection thresholds)");
  cmd->add_option("--out", opt->out, "model directory to write")->required();
  cmd->add_option("--threads", opt->threads, "worker threads (0 = all cores)");
  cmd->callback([opt] { runTrain(*opt); });
}

}  // namespace higgsuq::cli
