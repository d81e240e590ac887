// Parametric ATLAS-like detector (the Delphes 3.5.0 ATLAS card as FAIR ran it, facts §1 and §3) and the
// challenge's preselection (facts §2.3), turning a TruthEvent into the 16 PRI features:
//  - leptons: tracking x identification efficiency (Bernoulli), log-normal pT smearing with the track
//    (muon) or track+ECAL (electron) resolution, isolation from nearby visible objects and a UE efficiency;
//  - jets: partons closer than R = 0.6 merged, raw pT = response x truth smeared log-normally with the
//    HCAL resolution, raw pT > 20, then the card's JES factor s = sqrt((3 - 0.2|eta|)^2 / pT + 1);
//  - hadronic taus are jets: visible tau (+ partons within 0.4, + UE) with the same treatment; the
//    track-counting tau tag (0.70 / 0.60 matched, 0.02 / 0.01 fakes) and track charge;
//  - MET = -(sum of everything the calorimeter sees, raw) + Gaussian soft term per component.
#pragma once

#include <array>
#include <cmath>

#include "higgsuq/events/Feature.hpp"
#include "higgsuq/sim/SimConfig.hpp"
#include "higgsuq/sim/TruthEvent.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::sim {

using PrimaryFeatures = std::array<float, kNumPrimary>;  ///< in Feature order, rounded to 3 decimals

/// False when no truth lepton could reach the lepton pT cut after smearing (pT < 0.7 x cut or |eta| > 2.5):
/// such events are skipped before the detector (exact up to > 10 sigma resolution tails).
bool mayPassSelection(const TruthEvent& event, const GeneratorConfig& config);

/// Simulates the detector and applies the preselection; true and `out` filled if the event is selected.
bool reconstructEvent(const TruthEvent& event, const GeneratorConfig& config, CounterRng& rng, PrimaryFeatures& out);

/// The Delphes card's JES factor for a raw jet.
inline double jetEnergyScaleFactor(double rawPt, double eta) {
  const double a = 3.0 - 0.2 * std::abs(eta);
  return std::sqrt(a * a / rawPt + 1.0);
}

/// Log-normal smearing keeping the mean (Delphes MomentumSmearing::LogNormal): relative resolution `rel`.
double smearLogNormal(CounterRng& rng, double mean, double rel);

/// HCAL sigma(E)/E of the card at energy E and pseudorapidity eta.
double hcalRelativeResolution(double energy, double eta);

}  // namespace higgsuq::sim
