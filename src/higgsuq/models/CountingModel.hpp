// "counting": the simplest honest model — a Poisson counting experiment on all selected events.
// fit: expected signal S and background B after the nominal post-selection, from a weighted training
// sample (weights normalised to the challenge luminosity). predict: N = number of events of the
// pseudo-experiment; mu_hat = (N - B) / S; [p16, p84] = the profile-likelihood interval where
// 2 * [NLL(mu) - NLL(mu_hat)] = 1 for N ~ Poisson(mu S + B), mu >= 0 allowed down to -B/S.
// It ignores systematics (stat-only): its coverage under the neurips2024 nuisances is what a counting
// analysis that ignores them gets. The reference's stat-only baseline additionally cuts on a
// classifier score; that selection arrives with the classifier (docs/models.md).
#pragma once

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/models/Model.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {

class CountingModel final : public Model {
 public:
  CountingModel(double expectedSignal, double expectedBackground);

  /// S and B from a weighted sample after the nominal systematics and post-selection.
  static CountingModel fit(const EventTable& training, const SystematicsConfig& postSelection);
  /// The same through the access's systematics function, at nominal.
  static CountingModel fit(const TrainingAccess& access);
  static CountingModel load(const std::filesystem::path& dir);

  std::string name() const override { return "counting"; }
  Prediction predict(const PseudoExperiment& pe) const override;
  void save(const std::filesystem::path& dir) const override;

  double expectedSignal() const { return m_signal; }
  double expectedBackground() const { return m_background; }

  /// The interval for an observed count (exposed for tests).
  Prediction intervalFor(double observed) const;

 private:
  double m_signal;
  double m_background;
};

}  // namespace higgsuq
