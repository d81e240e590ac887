// The synthetic classification problem of the classifier benchmarks: 28 standard-normal features;
// 30% signal (weight 0.01), signal shifted by +0.5 and background by -0.5 in the first 5 features.
#pragma once

#include <cstdint>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::bench {

inline EventTable syntheticEvents(std::size_t n, std::uint64_t seed) {
  EventTable t(n);
  const StreamKey key = streamKey(seed, 0, 0, Stream::eGenerator);
  for (std::size_t i = 0; i < n; ++i) {
    const bool signal = uniformAt(key, i) < 0.3;
    t.labels()[i] = signal;
    t.weights()[i] = signal ? 0.01 : 1.0;
    for (std::size_t f = 0; f < kNumFeatures; ++f) {
      const float x = static_cast<float>(normalAt(key, n + i * kNumFeatures + f));
      t.column(featureAt(f))[i] = f < 5 ? x + (signal ? 0.5f : -0.5f) : x;
    }
  }
  return t;
}

}  // namespace higgsuq::bench
