// Synthetic classification problems for the ml tests: 28 standard-normal features; signal events are
// shifted by +shift and background by -shift in the first `informative` features.
#pragma once

#include <cstdint>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::ml::test {

struct BlobSpec {
  std::size_t events = 20000;
  double signalFraction = 0.3;
  float shift = 1.5f;
  std::size_t informative = 3;
  bool randomLabels = false;  ///< labels independent of the features (nothing to learn)
  std::uint64_t seed = 7;
};

inline EventTable makeBlobs(const BlobSpec& spec) {
  EventTable t(spec.events);
  const StreamKey labelKey = streamKey(spec.seed, 1, 0, Stream::eGenerator);
  const StreamKey featureKey = streamKey(spec.seed, 2, 0, Stream::eGenerator);
  for (std::size_t i = 0; i < spec.events; ++i) {
    const bool signal = uniformAt(labelKey, i) < spec.signalFraction;
    t.labels()[i] = signal ? 1 : 0;
    t.processes()[i] = signal ? Process::HTauTau : Process::ZTauTau;
    // Uneven weights, and a much smaller signal weight, as in the challenge.
    t.weights()[i] = (signal ? 0.01 : 1.0) * (0.5 + uniformAt(labelKey, i + spec.events));
    const bool shiftUp = spec.randomLabels ? uniformAt(labelKey, i + 2 * spec.events) < 0.5 : signal;
    for (std::size_t f = 0; f < kNumFeatures; ++f) {
      float x = static_cast<float>(normalAt(featureKey, i * kNumFeatures + f));
      if (f < spec.informative) x += shiftUp ? spec.shift : -spec.shift;
      t.column(featureAt(f))[i] = x;
    }
  }
  return t;
}

}  // namespace higgsuq::ml::test
