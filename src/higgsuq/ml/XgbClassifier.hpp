// The XGBoost adapter of the classifier seam: a gradient-boosted-trees binary classifier trained as in
// the challenge's reference baseline (reference-challenge.md §6.1): class-balanced weights, weighted
// validation set, binary logistic loss, early stopping on the validation logloss, all 28 features.
//
//   XgbClassifier clf = XgbClassifier::train(trainingEvents, XgbConfig{});
//   clf.predict(events, scores);      // P(signal) per event, thread-safe
//   clf.save("models/xgb");           // model.json + classifier.json
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "higgsuq/ml/Classifier.hpp"
#include "higgsuq/ml/TreeEnsemble.hpp"
#include "higgsuq/ml/TrainingData.hpp"

namespace higgsuq::ml {

class XgbBooster;  // XgbHandles.hpp (internal)

struct XgbConfig {
  int nEstimators = 150;            ///< maximum boosting rounds
  int maxDepth = 5;                 ///< tree depth
  double learningRate = 0.15;       ///< eta
  int earlyStoppingRounds = 10;     ///< stop after this many rounds without a better validation logloss; 0 = off
  double validationFraction = 0.2;  ///< share of events held out for early stopping and the AUC, in (0, 1)
  int threads = 0;                  ///< XGBoost nthread for training and prediction; 0 = all cores
  std::uint64_t seed = 42;          ///< split seed (counter RNG stream eTraining) and XGBoost seed
  bool standardise = false;         ///< weighted StandardScaler; trees do not need it (see docs/classifier.md)
  std::string treeMethod = "hist";  ///< "hist", "approx" or "exact"

  /// Throws std::invalid_argument naming the first bad field.
  void validate() const;
};

struct XgbTrainingSummary {
  int roundsTrained = 0;                   ///< rounds boosted before stopping
  int bestIteration = 0;                   ///< 0-based round with the lowest validation logloss; predict uses [0, best]
  std::vector<double> validationLogloss;   ///< weighted validation logloss after each round
  double validationAuc = 0.0;              ///< weighted AUC on the validation part at the best iteration
  std::size_t trainEvents = 0;
  std::size_t validationEvents = 0;
};

class XgbClassifier final : public Classifier {
 public:
  /// Rows converted per call into XGBoost during prediction.
  static constexpr std::size_t kPredictBatchRows = 65536;

  /// Trains on `events` (labels 0/1, weights >= 0). Throws std::invalid_argument for a bad config,
  /// InputError for unusable data (a class without weight), ClassifierError for XGBoost failures.
  static XgbClassifier train(const EventTable& events, const XgbConfig& config = {});

  /// Loads what save() wrote; `threads` overrides the saved thread count for prediction.
  static XgbClassifier load(const std::filesystem::path& dir, std::optional<int> threads = std::nullopt);

  XgbClassifier(XgbClassifier&&) noexcept;
  XgbClassifier& operator=(XgbClassifier&&) noexcept;
  ~XgbClassifier() override;

  /// Scores with the compiled TreeEnsemble when the model allows it (depth <= 12, the usual case),
  /// in parallel over blocks of events (TBB, so an enclosing task arena bounds the threads);
  /// otherwise with XGBoost's own predictor.
  void predict(const EventTable& events, std::span<float> scores) const override;
  /// Always XGBoost's own predictor (XGBoosterPredictFromDense): the cross-check of the compiled path.
  void predictWithLibrary(const EventTable& events, std::span<float> scores) const;
  /// The compiled ensemble, or nullptr when predict() uses XGBoost's predictor.
  const TreeEnsemble* compiledEnsemble() const { return m_forest ? &*m_forest : nullptr; }
  void save(const std::filesystem::path& dir) const override;
  std::string kind() const override { return "xgboost"; }

  const XgbConfig& config() const { return m_config; }
  const XgbTrainingSummary& summary() const { return m_summary; }
  const FeatureScaling& scaling() const { return m_scaling; }

 private:
  XgbClassifier(XgbConfig config, std::unique_ptr<XgbBooster> booster, FeatureScaling scaling,
                XgbTrainingSummary summary);

  XgbConfig m_config;
  std::unique_ptr<XgbBooster> m_booster;
  FeatureScaling m_scaling;
  XgbTrainingSummary m_summary;
  std::optional<TreeEnsemble> m_forest;
};

}  // namespace higgsuq::ml
