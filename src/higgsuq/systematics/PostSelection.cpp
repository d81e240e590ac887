#include "higgsuq/systematics/PostSelection.hpp"

namespace higgsuq {
namespace {

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

template <bool Scaled, bool Indexed>
std::size_t countSurvivors(const float* __restrict hadPt, const float* __restrict lepPt,
                           const std::uint32_t* __restrict rows, std::size_t n, float tes,
                           const SystematicsConfig& config) {
  const SystematicsConfig cuts = config;  // a local copy: nothing in the loop can alias it
  std::size_t count = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = Indexed ? rows[k] : k;
    const float had = roundTo3Decimals(Scaled ? tes * hadPt[r] : hadPt[r]);
    count += passesEventCuts(had, roundTo3Decimals(lepPt[r]), cuts) ? 1u : 0u;
  }
  return count;
}

void eventCuts(const float* __restrict hadPt, const float* __restrict lepPt, std::uint8_t* __restrict keep,
               std::size_t n, const SystematicsConfig& config) {
  const SystematicsConfig cuts = config;  // a local copy: stores to keep cannot alias it
  for (std::size_t k = 0; k < n; ++k) keep[k] = static_cast<std::uint8_t>(passesEventCuts(hadPt[k], lepPt[k], cuts));
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
  eventCuts(at(Feature::HadPt), at(Feature::LepPt), keep, n, config);
}

/// Corrected jet removal for row i, then the event-level cuts (jet removal never changes them).
bool postSelectCorrectedRow(EventTable& events, std::size_t i, const SystematicsConfig& config) {
  removeSoftJetsCorrected(events, i, config.jetPtMin);
  return passesEventCuts(events.value(Feature::HadPt, i), events.value(Feature::LepPt, i), config);
}

}  // namespace

std::size_t countEventCutSurvivors(const float* hadPt, const float* lepPt, const std::uint32_t* rows,
                                   std::size_t n, double tes, const SystematicsConfig& config) {
  const float t = static_cast<float>(tes);
  const bool scaled = tes != 1.0;
  if (rows != nullptr) {
    return scaled ? countSurvivors<true, true>(hadPt, lepPt, rows, n, t, config)
                  : countSurvivors<false, true>(hadPt, lepPt, rows, n, t, config);
  }
  return scaled ? countSurvivors<true, false>(hadPt, lepPt, rows, n, t, config)
                : countSurvivors<false, false>(hadPt, lepPt, rows, n, t, config);
}

void postSelectRows(EventTable& events, std::size_t begin, std::size_t end, const SystematicsConfig& config,
                    std::uint8_t* keep) {
  if (config.jetRemoval == JetRemoval::Reference) return postSelectReferenceBlock(events, begin, end, config, keep);
  for (std::size_t i = begin; i < end; ++i) keep[i - begin] = postSelectCorrectedRow(events, i, config);
}

}  // namespace higgsuq
