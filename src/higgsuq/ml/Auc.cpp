#include "higgsuq/ml/Auc.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace higgsuq::ml {
namespace {

void checkInputs(std::span<const float> scores, std::span<const std::uint8_t> labels,
                 std::span<const double> weights) {
  if (scores.size() != labels.size() || scores.size() != weights.size()) {
    throw std::invalid_argument("weightedAuc: scores, labels and weights differ in size");
  }
  for (double w : weights) {
    if (!(w >= 0.0)) throw std::invalid_argument("weightedAuc: weights must be >= 0");
  }
}

}  // namespace

double weightedAuc(std::span<const float> scores, std::span<const std::uint8_t> labels,
                   std::span<const double> weights) {
  checkInputs(scores, labels, weights);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });

  // Walk groups of equal score from low to high; a signal event beats all background below its
  // group and half of the background inside it.
  double backgroundBelow = 0.0, signalTotal = 0.0, pairsWon = 0.0;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    double signalInGroup = 0.0, backgroundInGroup = 0.0;
    while (end < order.size() && scores[order[end]] == scores[order[begin]]) {
      const std::size_t i = order[end++];
      (labels[i] != 0 ? signalInGroup : backgroundInGroup) += weights[i];
    }
    pairsWon += signalInGroup * (backgroundBelow + 0.5 * backgroundInGroup);
    backgroundBelow += backgroundInGroup;
    signalTotal += signalInGroup;
    begin = end;
  }
  if (signalTotal <= 0.0 || backgroundBelow <= 0.0) {
    throw std::invalid_argument("weightedAuc: both classes need a positive total weight");
  }
  return pairsWon / (signalTotal * backgroundBelow);
}

}  // namespace higgsuq::ml
