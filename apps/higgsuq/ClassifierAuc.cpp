#include "ClassifierAuc.hpp"

#include <cstdint>
#include <vector>

#include "higgsuq/ml/Auc.hpp"

namespace higgsuq::cli {

EventTable nominalPostSelected(const EventTable& events, const SystematicsConfig& postSelection) {
  return Systematics(postSelection).apply(events, NuisanceValues{}, SoftMetNoise::fromSeed(0));
}

double htautauVsZtautauAuc(const Classifier& classifier, const EventTable& events) {
  std::vector<float> scores(events.size()), higgsOrZScores;
  classifier.predict(events, scores);
  std::vector<std::uint8_t> labels;
  std::vector<double> weights;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events.processes()[i] != Process::HTauTau && events.processes()[i] != Process::ZTauTau) continue;
    higgsOrZScores.push_back(scores[i]);
    labels.push_back(events.labels()[i]);
    weights.push_back(events.weights()[i]);
  }
  return ml::weightedAuc(higgsOrZScores, labels, weights);
}

}  // namespace higgsuq::cli
