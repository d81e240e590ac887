// The data preparation shared by classifier trainers: a deterministic train/validation split,
// the reference's class balancing of weights, optional per-feature standardisation, and the
// column-to-row-major copy that feeds libraries expecting a dense row-major matrix.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq::ml {

/// Row indices of the two parts; each row is in exactly one, in increasing order.
struct TrainValidationSplit {
  std::vector<std::uint32_t> train;
  std::vector<std::uint32_t> validation;
};

/// Row i goes to validation when uniformAt(streamKey(seed, 0, 0, Stream::eTraining), i) < fraction:
/// a pure function of (seed, i), independent of thread count. fraction must be in [0, 1).
TrainValidationSplit splitTrainValidation(std::size_t numEvents, double validationFraction, std::uint64_t seed);

/// Weights rescaled per class so that both classes sum to the larger class's total (reference §6.1).
/// Throws InputError when a class has no positive total weight.
std::vector<double> balancedClassWeights(std::span<const std::uint8_t> labels, std::span<const double> weights);

/// x -> (x - mean) / std per feature, in float.
struct FeatureScaling {
  std::array<float, kNumFeatures> mean{};
  std::array<float, kNumFeatures> std{};

  /// mean 0, std 1: leaves values unchanged.
  static FeatureScaling identity();
  /// Weighted mean and standard deviation of each feature; a constant feature gets std 1.
  static FeatureScaling fit(const EventTable& events, std::span<const double> weights);
  bool isIdentity() const;
};

/// Number of values per row handed to classifiers: all 28 features in the reference order.
inline constexpr std::size_t kRowWidth = kNumFeatures;

/// Writes rows [begin, end) of `events`, scaled, row-major into `out` (size (end-begin) * kRowWidth).
void fillRowMajor(const EventTable& events, std::size_t begin, std::size_t end, const FeatureScaling& scaling,
                  std::span<float> out);

/// Same for an explicit list of rows.
void fillRowMajor(const EventTable& events, std::span<const std::uint32_t> rows, const FeatureScaling& scaling,
                  std::span<float> out);

/// Rows of the training data ready for a classifier library: scaled row-major features, labels
/// (as 0/1 floats and as bytes) and the class-balanced weights (balancedClassWeights, per part as
/// the reference does).
struct LabelledRows {
  std::vector<float> rows;               ///< kRowWidth per event, scaled once (fillRowMajor)
  std::vector<float> labels;             ///< 0 or 1
  std::vector<std::uint8_t> labelBytes;  ///< the same, for the AUC
  std::vector<double> balancedWeights;   ///< class-balanced weights
  std::size_t size() const { return labels.size(); }
};

/// LabelledRows of the listed rows of `events`. Throws InputError when a class has no weight.
LabelledRows labelledRows(const EventTable& events, std::span<const std::uint32_t> rows,
                          const FeatureScaling& scaling);

/// Calls predictBatch(rows, count, out) for consecutive batches of at most `batchRows` events:
/// `rows` holds them scaled and row-major (one buffer reused by every batch), `out` is their part of
/// `scores`. For classifiers whose library wants dense row-major input.
template <typename PredictBatch>
void predictInRowMajorBatches(const EventTable& events, const FeatureScaling& scaling, std::size_t batchRows,
                              std::span<float> scores, PredictBatch&& predictBatch) {
  std::vector<float> rows;
  for (std::size_t begin = 0; begin < events.size(); begin += batchRows) {
    const std::size_t end = std::min(events.size(), begin + batchRows);
    rows.resize((end - begin) * kRowWidth);
    fillRowMajor(events, begin, end, scaling, rows);
    predictBatch(std::span<const float>(rows), end - begin, scores.subspan(begin, end - begin));
  }
}


}  // namespace higgsuq::ml
