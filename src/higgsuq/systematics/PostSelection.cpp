#include "higgsuq/systematics/PostSelection.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <vector>

namespace higgsuq {
namespace {

constexpr std::size_t kBlock = 32768;

struct JetSlot {
  Feature pt, eta, phi;
};
constexpr JetSlot kLeading{Feature::JetLeadingPt, Feature::JetLeadingEta, Feature::JetLeadingPhi};
constexpr JetSlot kSubleading{Feature::JetSubleadingPt, Feature::JetSubleadingEta, Feature::JetSubleadingPhi};

void clearSlot(EventTable& events, std::size_t i, const JetSlot& slot) {
  events.value(slot.pt, i) = kMissingValue;
  events.value(slot.eta, i) = kMissingValue;
  events.value(slot.phi, i) = kMissingValue;
}

bool isSoft(float pt, float threshold) { return pt >= 0.0f && pt <= threshold; }

// Reference: the slot becomes -25, its pT leaves jet_all_pt (float32, not re-rounded), n_jets - 1.
void removeJetReference(EventTable& events, std::size_t i, const JetSlot& slot) {
  float& allPt = events.value(Feature::JetAllPt, i);
  allPt = allPt - events.value(slot.pt, i);
  events.value(Feature::NJets, i) -= 1.0f;
  clearSlot(events, i, slot);
}

void removeSoftJetsReference(EventTable& events, std::size_t i, float threshold) {
  if (isSoft(events.value(kSubleading.pt, i), threshold)) removeJetReference(events, i, kSubleading);
  if (isSoft(events.value(kLeading.pt, i), threshold)) removeJetReference(events, i, kLeading);
}

// Corrected: jets are pT ordered and scaled alike, so a soft stored jet means all softer jets are soft.
void removeSoftJetsCorrected(EventTable& events, std::size_t i, float threshold) {
  const float n = events.value(Feature::NJets, i);
  if (n >= 1.0f && isSoft(events.value(kLeading.pt, i), threshold)) {
    clearSlot(events, i, kLeading);
    clearSlot(events, i, kSubleading);
    events.value(Feature::NJets, i) = 0.0f;
    events.value(Feature::JetAllPt, i) = 0.0f;
  } else if (n >= 2.0f && isSoft(events.value(kSubleading.pt, i), threshold)) {
    clearSlot(events, i, kSubleading);
    events.value(Feature::NJets, i) = 1.0f;
    events.value(Feature::JetAllPt, i) = events.value(kLeading.pt, i);
  }
}

template <typename T>
void scatter(std::span<T> to, std::span<const T> from, std::span<const std::uint8_t> keep, std::size_t begin,
             std::size_t end, std::size_t out) {
  for (std::size_t i = begin; i < end; ++i) {
    if (keep[i]) to[out++] = from[i];
  }
}

}  // namespace

bool postSelectRow(EventTable& events, std::size_t i, const SystematicsConfig& config) {
  if (events.value(Feature::HadPt, i) < config.hadPtMin) return false;
  if (config.jetRemoval == JetRemoval::Reference) {
    removeSoftJetsReference(events, i, config.jetPtMin);
  } else {
    removeSoftJetsCorrected(events, i, config.jetPtMin);
  }
  return !(events.value(Feature::LepPt, i) < config.lepPtMin);
}

EventTable applyPostSelection(EventTable events, const SystematicsConfig& config,
                              std::vector<std::uint32_t>* survivingRows) {
  std::vector<std::uint8_t> keep(events.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, events.size(), kBlock),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i) keep[i] = postSelectRow(events, i, config);
                    });
  if (survivingRows) {
    survivingRows->clear();
    for (std::size_t i = 0; i < keep.size(); ++i) {
      if (keep[i]) survivingRows->push_back(static_cast<std::uint32_t>(i));
    }
  }
  return compactRows(events, keep, /*primariesOnly=*/true);
}

EventTable compactRows(const EventTable& events, std::span<const std::uint8_t> keep, bool primariesOnly) {
  const std::size_t n = events.size();
  const std::size_t numBlocks = (n + kBlock - 1) / kBlock;
  std::vector<std::size_t> offsets(numBlocks + 1, 0);
  tbb::parallel_for(std::size_t{0}, numBlocks, [&](std::size_t b) {
    std::size_t c = 0;
    for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) c += keep[i];
    offsets[b + 1] = c;
  });
  for (std::size_t b = 0; b < numBlocks; ++b) offsets[b + 1] += offsets[b];
  EventTable out;
  out.resizeUninitialized(offsets[numBlocks]);
  tbb::parallel_for(std::size_t{0}, numBlocks, [&](std::size_t b) {
    const std::size_t begin = b * kBlock, end = std::min(n, (b + 1) * kBlock);
    for (std::size_t f = 0; f < (primariesOnly ? kNumPrimary : kNumFeatures); ++f) {
      scatter<float>(out.column(featureAt(f)), events.column(featureAt(f)), keep, begin, end, offsets[b]);
    }
    scatter<double>(out.weights(), events.weights(), keep, begin, end, offsets[b]);
    scatter<std::uint8_t>(out.labels(), events.labels(), keep, begin, end, offsets[b]);
    scatter<Process>(out.processes(), events.processes(), keep, begin, end, offsets[b]);
  });
  return out;
}

}  // namespace higgsuq
