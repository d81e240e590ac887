#include <array>

#include "higgsuq/systematics/ShiftKernel.hpp"

namespace higgsuq {
namespace {

/// The primaries that are rounded (all but PRI_n_jets).
constexpr std::array<Feature, 15> kRoundedPrimaries{
    Feature::LepPt,         Feature::LepEta,          Feature::LepPhi,           Feature::HadPt,
    Feature::HadEta,        Feature::HadPhi,          Feature::JetLeadingPt,     Feature::JetLeadingEta,
    Feature::JetLeadingPhi, Feature::JetSubleadingPt, Feature::JetSubleadingEta, Feature::JetSubleadingPhi,
    Feature::JetAllPt,      Feature::Met,             Feature::MetPhi};

}  // namespace

void roundPrimaries(EventTable& events, std::size_t begin, std::size_t end) {
  for (Feature f : kRoundedPrimaries) {
    float* col = events.column(f).data();
    for (std::size_t i = begin; i < end; ++i) col[i] = roundTo3Decimals(col[i]);
  }
}

}  // namespace higgsuq
