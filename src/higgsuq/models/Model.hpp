// The model seam of the challenge: a method is fitted once, then predicts an interval on mu for each
// pseudo-experiment. predict() is const and must be safe to call from many threads at once.
// Expected failures (a fit that does not converge) are reported in Prediction::status, never thrown.
//
//   const Model& model = ...;
//   Prediction p = model.predict(pseudoExperiment);   // {mu_hat, delta_mu_hat, p16, p84, status, fitted}
#pragma once

#include <algorithm>
#include <array>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>

#include "higgsuq/pseudo/PseudoExperiment.hpp"
#include "higgsuq/systematics/Nuisance.hpp"

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
