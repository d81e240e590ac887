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

/// to[out + j] = from[kept[j]]: independent loads and stores (no chain through a running offset).
template <typename T>
void gatherKept(std::span<T> to, std::span<const T> from, std::span<const std::uint32_t> kept, std::size_t out) {
  T* __restrict dst = to.data() + out;
  const T* __restrict src = from.data();
  for (std::size_t j = 0; j < kept.size(); ++j) dst[j] = src[kept[j]];
}

/// Removes the soft jets of one slot (reference): pT leaves jet_all_pt unrounded, n_jets - 1, slot -25.
void removeSoftSlot(float* __restrict pt, float* __restrict eta, float* __restrict phi, float* __restrict allPt,
                    float* __restrict nJets, std::size_t n, float jetPtMin) {
  for (std::size_t k = 0; k < n; ++k) {
    const bool soft = (pt[k] >= 0.0f) & (pt[k] <= jetPtMin);
    const float allPtWithout = allPt[k] - pt[k], nJetsWithout = nJets[k] - 1.0f;
    allPt[k] = soft ? allPtWithout : allPt[k];
    nJets[k] = soft ? nJetsWithout : nJets[k];
    pt[k] = soft ? kMissingValue : pt[k];
    eta[k] = soft ? kMissingValue : eta[k];
    phi[k] = soft ? kMissingValue : phi[k];
  }
}

void eventCuts(const float* __restrict hadPt, const float* __restrict lepPt, std::uint8_t* __restrict keep,
               std::size_t n, float hadPtMin, float lepPtMin) {
  for (std::size_t k = 0; k < n; ++k) keep[k] = static_cast<std::uint8_t>(!(hadPt[k] < hadPtMin) & !(lepPt[k] < lepPtMin));
}

/// The reference post-selection of rows [begin, end) as column loops (no branches, vectorised): soft
/// jets removed subleading first, then the had-pT and lep-pT cuts. Jets of an event that fails a cut
/// are removed too: the event is dropped anyway.
void postSelectReferenceBlock(EventTable& events, std::size_t begin, std::size_t end,
                              const SystematicsConfig& config, std::uint8_t* keep) {
  const std::size_t n = end - begin;
  auto at = [&](Feature f) { return events.column(f).data() + begin; };
  for (const JetSlot& slot : {kSubleading, kLeading}) {
    removeSoftSlot(at(slot.pt), at(slot.eta), at(slot.phi), at(Feature::JetAllPt), at(Feature::NJets), n,
                   config.jetPtMin);
  }
  eventCuts(at(Feature::HadPt), at(Feature::LepPt), keep, n, config.hadPtMin, config.lepPtMin);
}

}  // namespace

void postSelectRows(EventTable& events, std::size_t begin, std::size_t end, const SystematicsConfig& config,
                    std::uint8_t* keep) {
  if (config.jetRemoval == JetRemoval::Reference) return postSelectReferenceBlock(events, begin, end, config, keep);
  for (std::size_t i = begin; i < end; ++i) keep[i - begin] = postSelectRow(events, i, config);
}

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
                      postSelectRows(events, r.begin(), r.end(), config, keep.data() + r.begin());
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
    const std::size_t begin = b * kBlock, end = std::min(n, (b + 1) * kBlock), first = offsets[b];
    // The block's kept rows, found once for all columns (branch-free: the slot advances when kept).
    std::vector<std::uint32_t> kept(end - begin + 1);
    std::size_t count = 0;
    for (std::size_t i = begin; i < end; ++i) {
      kept[count] = static_cast<std::uint32_t>(i);
      count += keep[i];
    }
    const std::span<const std::uint32_t> rows(kept.data(), count);
    for (std::size_t f = 0; f < (primariesOnly ? kNumPrimary : kNumFeatures); ++f) {
      gatherKept<float>(out.column(featureAt(f)), events.column(featureAt(f)), rows, first);
    }
    gatherKept<double>(out.weights(), events.weights(), rows, first);
    gatherKept<std::uint8_t>(out.labels(), events.labels(), rows, first);
    gatherKept<Process>(out.processes(), events.processes(), rows, first);
  });
  return out;
}

}  // namespace higgsuq
