#include "higgsuq/ml/Classifier.hpp"

#include "higgsuq/ml/Manifest.hpp"
#include "higgsuq/ml/TorchClassifier.hpp"
#include "higgsuq/ml/XgbClassifier.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {

std::unique_ptr<Classifier> loadClassifier(const std::filesystem::path& dir) {
  const auto kind = ml::readClassifierManifest(dir)["kind"].get<std::string>();
  if (kind == "xgboost") return std::make_unique<ml::XgbClassifier>(ml::XgbClassifier::load(dir));
  if (kind == "torch-mlp") return std::make_unique<ml::TorchClassifier>(ml::TorchClassifier::load(dir));
  throw InputError("classifier manifest " + (dir / kClassifierManifest).string() + ": unknown kind \"" + kind +
                   "\" (known: xgboost, torch-mlp)");
}

}  // namespace higgsuq
