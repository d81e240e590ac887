// The classifier seam: anything that turns events into a per-event score in [0, 1] (signal-like
// near 1). The XGBoost adapter (XgbClassifier.hpp) and the LibTorch network (TorchClassifier.hpp) implement it.
// A trained classifier lives in a directory whose `classifier.json` manifest names its kind;
// loadClassifier() reads the manifest and returns the matching implementation.
//
//   auto clf = loadClassifier("models/baseline");
//   std::vector<float> scores(events.size());
//   clf->predict(events, scores);
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {

/// A failure inside a classifier library (XGBoost, LibTorch), translated at the seam; the message
/// names the failing call and carries the library's own error text.
class ClassifierError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Classifier {
 public:
  virtual ~Classifier() = default;

  /// Writes one score in [0, 1] per event into `scores` (size must equal events.size()).
  /// Safe to call concurrently from several threads on the same object.
  virtual void predict(const EventTable& events, std::span<float> scores) const = 0;

  /// Writes the model and its `classifier.json` manifest into `dir` (created if absent).
  virtual void save(const std::filesystem::path& dir) const = 0;

  /// The manifest's "kind": "xgboost" or "torch-mlp".
  virtual std::string kind() const = 0;
};

/// Name of the manifest file inside a classifier directory.
inline constexpr const char* kClassifierManifest = "classifier.json";

/// Loads the classifier saved in `dir`. Throws InputError naming the file when the manifest is
/// missing, unreadable or names an unknown kind, and ClassifierError when the model cannot be loaded.
std::unique_ptr<Classifier> loadClassifier(const std::filesystem::path& dir);

}  // namespace higgsuq
