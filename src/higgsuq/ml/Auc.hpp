// Weighted area under the ROC curve: the probability that a signal event (label 1) scores above a
// background event (label 0), each drawn with probability proportional to its weight; ties count 1/2.
// Rescaling all weights of one class leaves it unchanged.
#pragma once

#include <cstdint>
#include <span>

namespace higgsuq::ml {

/// Weighted AUC in [0, 1]. Throws std::invalid_argument when the spans differ in size, a weight is
/// negative, or either class has zero total weight.
double weightedAuc(std::span<const float> scores, std::span<const std::uint8_t> labels,
                   std::span<const double> weights);

}  // namespace higgsuq::ml
