// "baseline": the challenge organisers' systematic-aware method (reference-challenge.md §6.1), rebuilt
// correctly: a classifier (XGBoost trees, or a LibTorch network: BaselineConfig::classifierKind), a
// histogram of its score, templates per process with polynomial responses to every shape nuisance
// (combined additively), exact normalisation nuisances, a binned Poisson likelihood with the
// challenge's priors as constraints, and the profile-likelihood interval on mu.
//
//   BaselineModel model = BaselineModel::fit(trainingEvents, challenge, BaselineConfig{});
//   Prediction p = model.predict(pseudoExperiment);    // thread-safe
#pragma once

#include <memory>
#include <vector>

#include "higgsuq/ml/Classifier.hpp"
#include "higgsuq/ml/TorchClassifier.hpp"
#include "higgsuq/ml/XgbClassifier.hpp"
#include "higgsuq/models/Model.hpp"
#include "higgsuq/models/TemplateModel.hpp"
#include "higgsuq/pseudo/ChallengeDefinition.hpp"

namespace higgsuq {

/// Which classifier the baseline trains: XGBoost trees (the reference's §6.1) or a LibTorch network (§6.5).
enum class BaselineClassifier { eXgboost, eNetwork };

struct BaselineConfig {
  std::vector<double> binEdges;  ///< classifier-score bins; empty = 20 equal bins on [0, 1] (the reference's)
  static constexpr double kDefaultHoldoutFraction = 0.6;  ///< the reference's
  double holdoutFraction = kDefaultHoldoutFraction;  ///< share of the training events used for templates
  std::vector<double> tesGrid{0.96, 0.97, 0.98, 0.99, 1.0, 1.01, 1.02, 1.03, 1.04};
  std::vector<double> jesGrid{0.96, 0.97, 0.98, 0.99, 1.0, 1.01, 1.02, 1.03, 1.04};
  std::vector<double> softMetGrid{0.0, 1.0, 2.0, 3.0, 4.0, 5.0};
  int polynomialDegree = 3;
  /// Adjacent score bins are merged (from the top) until each holds at least this many background
  /// events of the holdout: the templates' own statistical fluctuations must stay small against the
  /// data's, or the fit is biased (the likelihood treats templates as exact).
  std::size_t minBackgroundEventsPerBin = 400;
  /// Model the templates' own statistical uncertainty (one constrained gamma per bin, as HistFactory's
  /// staterror): with training sets far smaller than the challenge's, ignoring it biases mu.
  bool templateStatErrors = true;
  std::uint64_t seed = 42;
  BaselineClassifier classifierKind = BaselineClassifier::eXgboost;
  ml::XgbConfig classifier;                                 ///< used with eXgboost
  ml::TorchConfig network = ml::TorchConfig::preset("nn");  ///< used with eNetwork
  ml::TorchProgress networkProgress;                        ///< called after each epoch (eNetwork)
  void validate() const;  ///< throws std::invalid_argument naming the field
};

class BaselineModel final : public Model {
 public:
  BaselineModel(std::shared_ptr<const Classifier> classifier, std::vector<double> binEdges, TemplateModelSpec spec);

  /// Trains the classifier and builds the templates from the weighted training events (10 fb^-1
  /// weights), calling access.systematics for the nominal training copy and every template grid point.
  static BaselineModel fit(const TrainingAccess& access, const BaselineConfig& config);
  /// The same with the challenge's own systematics (TrainingAccess::standard).
  static BaselineModel fit(const EventTable& training, const ChallengeDefinition& challenge,
                           const BaselineConfig& config);
  static BaselineModel load(const std::filesystem::path& dir);

  std::string name() const override { return "baseline"; }
  Prediction predict(const PseudoExperiment& pe) const override;
  void save(const std::filesystem::path& dir) const override;

  /// Weighted histogram of classifier scores (exposed for tests and the template builder).
  Eigen::VectorXd histogram(std::span<const float> scores, std::span<const double> weights) const;
  const TemplateModel& templates() const { return *m_templates; }
  const Classifier& classifier() const { return *m_classifier; }
  /// Prediction from an observed histogram (the statistical part alone).
  Prediction fitHistogram(const Eigen::VectorXd& observed) const;

 private:
  std::shared_ptr<const Classifier> m_classifier;
  std::vector<double> m_binEdges;
  std::shared_ptr<const TemplateModel> m_templates;
};

/// Merges adjacent bins from the highest one down so that each holds >= minEvents of the given scores.
std::vector<double> mergeSparseBins(const std::vector<double>& edges, std::span<const float> backgroundScores,
                                    std::size_t minEvents);

/// Uniform bin edges on [0, 1].
std::vector<double> uniformEdges(std::size_t bins);

/// Parameters (bounds from the clip ranges, fixed if the challenge does not float them) and constraints
/// (Gaussian for normal priors; log-normal for soft_met) of the template model for a challenge.
void templateParametersFor(const ChallengeDefinition& challenge, TemplateModelSpec& spec);

}  // namespace higgsuq
