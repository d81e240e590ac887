// The model seam of the challenge: a method is fitted once, then predicts an interval on mu for each
// pseudo-experiment. predict() is const and must be safe to call from many threads at once.
// Expected failures (a fit that does not converge) are reported in Prediction::status, never thrown.
// A model is fitted from a TrainingAccess (the reference's Model(get_train_set, systematics)): the
// training events, the challenge, and the systematics function to build shifted copies.
//
//   TrainingAccess access = TrainingAccess::standard(trainingEvents, challenge);
//   std::unique_ptr<Model> model = fitModel(ModelKind::Baseline, access, ModelOptions{});  // ModelFiles.hpp
//   const Model& model = ...;
//   Prediction p = model.predict(pseudoExperiment);   // {mu_hat, delta_mu_hat, p16, p84, status, fitted}
#pragma once

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

#include "higgsuq/pseudo/ChallengeDefinition.hpp"
#include "higgsuq/pseudo/PseudoExperiment.hpp"
#include "higgsuq/systematics/Nuisance.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {

enum class PredictionStatus {
  Ok,              ///< interval found
  IntervalClipped, ///< a bound of the interval reached the model's parameter limit
  FitFailed,       ///< the fit did not converge; values are NaN
  Error,           ///< predict raised an error; values are NaN (message recorded by the caller)
};

std::string_view predictionStatusName(PredictionStatus s);

/// The nuisance values a model's fit found (the baseline's profile fit). Only the entries marked in
/// `floated` were fitted; a model without nuisance parameters (counting) leaves every mark false.
struct FittedNuisances {
  NuisanceValues values;
  std::array<bool, kNumNuisances> floated{};

  void set(Nuisance n, double value) {
    values.set(n, value);
    floated[index(n)] = true;
  }
  bool empty() const { return std::none_of(floated.begin(), floated.end(), [](bool f) { return f; }); }
};

struct Prediction {
  double muHat = std::numeric_limits<double>::quiet_NaN();
  double deltaMuHat = std::numeric_limits<double>::quiet_NaN();  ///< uncertainty on mu_hat (RMSE/MAE)
  double p16 = std::numeric_limits<double>::quiet_NaN();
  double p84 = std::numeric_limits<double>::quiet_NaN();
  PredictionStatus status = PredictionStatus::FitFailed;
  FittedNuisances fitted;  ///< the fitted nuisances, if the model fits any
};

/// The systematics a model may call while fitting: a shifted, post-selected copy of `events` with
/// DER recomputed (the reference's systematics()). Must be safe to call from several threads.
using SystematicsFunction =
    std::function<EventTable(const EventTable& events, const NuisanceValues& values, const SoftMetNoise& noise)>;

/// Everything fit() is given. The references must outlive the fit.
struct TrainingAccess {
  const EventTable& events;             ///< weighted training events (labels, processes, 10 fb^-1 weights)
  const ChallengeDefinition& challenge;  ///< processes, nuisance priors, post-selection
  SystematicsFunction systematics;       ///< shifted copies of any part of the training data

  /// Access with the challenge's own systematics (Systematics with its post-selection thresholds).
  static TrainingAccess standard(const EventTable& events, const ChallengeDefinition& challenge) {
    const Systematics syst(challenge.postSelection);
    return TrainingAccess{events, challenge,
                          [syst](const EventTable& e, const NuisanceValues& v, const SoftMetNoise& n) {
                            return syst.apply(e, v, n);
                          }};
  }
};

class Model {
 public:
  virtual ~Model() = default;
  /// The model's kind, e.g. "counting".
  virtual std::string name() const = 0;
  virtual Prediction predict(const PseudoExperiment& pe) const = 0;
  /// Writes the fitted model to `dir` (created if missing) so that loadModel(dir) restores it exactly.
  virtual void save(const std::filesystem::path& dir) const = 0;
};

}  // namespace higgsuq
