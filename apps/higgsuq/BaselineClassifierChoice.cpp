#include "BaselineClassifierChoice.hpp"

#include <fmt/core.h>

namespace higgsuq::cli {

void chooseClassifier(const ClassifierChoice& choice, int threads, std::uint64_t seed, BaselineConfig& config) {
  if (choice.name == "xgboost") return;
  config.classifierKind = BaselineClassifier::eNetwork;
  config.network = ml::TorchConfig::preset(choice.name);  // "nn" or "nn-reference"
  config.network.threads = threads;
  config.network.seed = seed;
  if (choice.epochs > 0) config.network.epochs = choice.epochs;
  if (!choice.hidden.empty()) config.network.hiddenLayers = choice.hidden;
  config.networkProgress = [epochs = config.network.epochs](const ml::TorchEpoch& e) {
    fmt::print(stderr, "epoch {}/{}: loss {:.5f}, validation loss {:.5f}, validation AUC {:.5f} ({:.1f} s)\n",
               e.epoch, epochs, e.trainLoss, e.validationLoss, e.validationAuc, e.seconds);
  };
}

}  // namespace higgsuq::cli
