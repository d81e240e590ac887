#include "higgsuq/ml/TrainingData.hpp"

#include <cmath>
#include <stdexcept>

#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::ml {

TrainValidationSplit splitTrainValidation(std::size_t numEvents, double validationFraction, std::uint64_t seed) {
  if (!(validationFraction >= 0.0 && validationFraction < 1.0)) {
    throw std::invalid_argument("splitTrainValidation: validationFraction must be in [0, 1)");
  }
  const StreamKey key = streamKey(seed, 0, 0, Stream::eTraining);
  TrainValidationSplit split;
  split.validation.reserve(static_cast<std::size_t>(numEvents * validationFraction * 1.1) + 16);
  split.train.reserve(numEvents);
  for (std::size_t i = 0; i < numEvents; ++i) {
    auto& part = uniformAt(key, i) < validationFraction ? split.validation : split.train;
    part.push_back(static_cast<std::uint32_t>(i));
  }
  return split;
}

std::vector<double> balancedClassWeights(std::span<const std::uint8_t> labels, std::span<const double> weights) {
  if (labels.size() != weights.size()) {
    throw std::invalid_argument("balancedClassWeights: labels and weights differ in size");
  }
  std::array<double, 2> classTotal{0.0, 0.0};
  for (std::size_t i = 0; i < labels.size(); ++i) classTotal[labels[i] != 0] += weights[i];
  if (!(classTotal[0] > 0.0) || !(classTotal[1] > 0.0)) {
    throw InputError("class balancing: training data need positive total weight in both classes (background " +
                     std::to_string(classTotal[0]) + ", signal " + std::to_string(classTotal[1]) + ")");
  }
  const double target = std::max(classTotal[0], classTotal[1]);
  const std::array<double, 2> factor{target / classTotal[0], target / classTotal[1]};
  std::vector<double> balanced(weights.size());
  for (std::size_t i = 0; i < labels.size(); ++i) balanced[i] = weights[i] * factor[labels[i] != 0];
  return balanced;
}

FeatureScaling FeatureScaling::identity() {
  FeatureScaling s;
  s.mean.fill(0.0f);
  s.std.fill(1.0f);
  return s;
}

bool FeatureScaling::isIdentity() const {
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    if (mean[f] != 0.0f || std[f] != 1.0f) return false;
  }
  return true;
}

FeatureScaling FeatureScaling::fit(const EventTable& events, std::span<const double> weights) {
  if (weights.size() != events.size()) throw std::invalid_argument("FeatureScaling::fit: one weight per event");
  double total = 0.0;
  for (double w : weights) total += w;
  if (!(total > 0.0)) throw InputError("feature standardisation: total weight must be positive");
  FeatureScaling s;
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    const auto column = events.column(featureAt(f));
    double sum = 0.0, sumSquares = 0.0;
    for (std::size_t i = 0; i < column.size(); ++i) sum += weights[i] * column[i];
    const double mean = sum / total;
    for (std::size_t i = 0; i < column.size(); ++i) sumSquares += weights[i] * (column[i] - mean) * (column[i] - mean);
    const double sd = std::sqrt(sumSquares / total);
    s.mean[f] = static_cast<float>(mean);
    s.std[f] = sd > 0.0 && std::isfinite(sd) ? static_cast<float>(sd) : 1.0f;
  }
  return s;
}

void fillRowMajor(const EventTable& events, std::size_t begin, std::size_t end, const FeatureScaling& scaling,
                  std::span<float> out) {
  HIGGSUQ_ASSERT(end >= begin && end <= events.size() && out.size() == (end - begin) * kRowWidth,
                 "fillRowMajor: row range and output size disagree");
  for (std::size_t f = 0; f < kRowWidth; ++f) {
    const float* column = events.column(featureAt(f)).data();
    const float mean = scaling.mean[f], sd = scaling.std[f];
    for (std::size_t r = begin; r < end; ++r) out[(r - begin) * kRowWidth + f] = (column[r] - mean) / sd;
  }
}

void fillRowMajor(const EventTable& events, std::span<const std::uint32_t> rows, const FeatureScaling& scaling,
                  std::span<float> out) {
  HIGGSUQ_ASSERT(out.size() == rows.size() * kRowWidth, "fillRowMajor: output size disagrees with rows");
  for (std::size_t f = 0; f < kRowWidth; ++f) {
    const float* column = events.column(featureAt(f)).data();
    const float mean = scaling.mean[f], sd = scaling.std[f];
    for (std::size_t r = 0; r < rows.size(); ++r) out[r * kRowWidth + f] = (column[rows[r]] - mean) / sd;
  }
}

LabelledRows labelledRows(const EventTable& events, std::span<const std::uint32_t> rows,
                          const FeatureScaling& scaling) {
  LabelledRows part;
  part.labelBytes.resize(rows.size());
  std::vector<double> raw(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    part.labelBytes[i] = events.labels()[rows[i]] != 0;
    raw[i] = events.weights()[rows[i]];
  }
  part.balancedWeights = balancedClassWeights(part.labelBytes, raw);
  part.labels.assign(part.labelBytes.begin(), part.labelBytes.end());
  part.rows.resize(rows.size() * kRowWidth);
  fillRowMajor(events, rows, scaling, part.rows);
  return part;
}

}  // namespace higgsuq::ml
