// Configuration of the built-in generator:
//  - ProcessSpec / SimulationPreset: the per-process cross-section table (sigma x BR as FAIR's Pythia
//    run used it) and the expected selected yields that set the event weights (simulation-facts.md §5);
//    the presets are compiled in (presetByName) for library callers; the same tables ship as JSON in
//    config/cross-sections/ (read by io/CrossSectionJson, used by `higgsuq simulate`), and a test keeps
//    the two identical;
//  - GeneratorConfig: every tuned physics and detector constant in one place, with where it comes from.
//    It is validated when an EventSimulator is constructed (validateGeneratorConfig).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "higgsuq/events/Feature.hpp"

namespace higgsuq::sim {

struct ProcessSpec {
  Process process = Process::HTauTau;
  double crossSectionFb = 0.0;        ///< sigma x BR (fb), FAIR's Pythia value (facts §5.1)
  double expectedYield = 0.0;         ///< selected events expected at referenceLuminosityFb (facts §5.4)
  double generatedShare = 0.0;        ///< default share of the N written events (facts §5.4 "generated")
  double normalisationUncertainty = 0.0;  ///< relative sigma of a normalisation nuisance (0 = none)
};

struct SimulationPreset {
  std::string name;
  double referenceLuminosityFb = 10.0;  ///< luminosity the expectedYield values refer to
  std::vector<ProcessSpec> processes;
};

/// "neurips2024" (final challenge: H, Z, tt, VV at 10 fb^-1) or "early2024" (May 2024 config with W+jets).
/// InputError for any other name.
SimulationPreset presetByName(std::string_view name);
std::vector<std::string> presetNames();

struct GeneratorConfig {
  // --- Resonances (Pythia 8 defaults, facts §5.3) ---
  double higgsMass = 125.0, higgsWidth = 0.00374;
  double zMass = 91.1876, zWidth = 2.4952, zMassMin = 10.0;  ///< Z0 only (gmZmode 2), Pythia mMin 10
  double wMass = 80.385, wWidth = 2.085;
  double topMass = 173.0, topWidth = 1.40;
  double bottomMass = 4.8;
  // --- Boson production (facts §6.1-6.2) ---
  /// Effective coupling in the Sudakov exponent alphaS*C/(2 pi) of the *unresolved* recoil only: the
  /// resolved ISR jets below carry the hard recoil, so this is tuned (Z/H DER_pt_h) below the physical 0.118.
  double alphaS = 0.085;
  double primordialKt = 1.75;        ///< GeV per transverse component (ATLAS AZNLO primordialKThard)
  double pdfLargeXPower = 5.0;       ///< n of (1-x)^n in the analytic parton luminosity for the rapidity
  // --- Resolved ISR jets: count, pT ~ ptMin (pT/ptMin)^-power, eta ~ N(0, etaWidth). Tuned to n_jets. ---
  // The count is negative binomial (Poisson with a Gamma(k)-distributed mean): showers give wider
  // multiplicity distributions than Poisson; k = 1 (geometric) reproduces the Z sample's 0/1/2/>=3 shape.
  double isrJetsQuarkInitiated = 0.9;   ///< mean count for q qbar -> Z/W/VV (tuned to Z n_jets, pt_h)
  double isrJetsGluonInitiated = 1.9;   ///< mean count for g g -> H (C_A/C_F larger; tuned to H n_jets)
  double isrJetsTopPair = 2.4;          ///< mean count for tt
  int isrShapeQuarkInitiated = 1;       ///< Gamma shape k of the mean for q qbar (integer)
  int isrShapeGluonInitiated = 3;       ///< Gamma shape k for gg -> H and tt
  double isrJetsWJets = 0.9;            ///< W + parton is on in the W+jets card (facts §2.2)
  double isrJetPtMin = 15.0;
  double isrJetPtPower = 2.8;
  double isrJetEtaWidth = 2.0;
  // --- Higgs production modes (facts §5.1, shares of 2045.6 fb: WW+ZZ fusion 223.2, WH 69.79, ZH 38.17,
  //     gg/qqbar -> ttH 16.09 + 6.577, f fbar -> H 57.65; the rest, gg -> H and gamma gamma -> H, is gg -> H).
  //     The VBF tag quarks radiate like the q qbar -> Z lines (isrJetsQuarkInitiated), f fbar -> H
  //     (mostly b bbar -> H) is quark-initiated. ---
  double vbfFraction = 223.24 / 2045.57;
  double whFraction = 69.79 / 2045.57, zhFraction = 38.17 / 2045.57;
  double tthFraction = (16.09 + 6.577) / 2045.57;
  double ffbarHiggsFraction = 57.65 / 2045.57;
  double vbfTagEtaMean = 2.3, vbfTagEtaWidth = 1.0;  ///< |eta| of each tag jet (opposite hemispheres)
  // --- Top (facts §6.3) ---
  double singleTopFraction = 0.227;  ///< single top share of Top:all (t- and s-channel)
  double topPtScale = 60.0;          ///< top pT ~ Gamma(2, scale): mean 100 GeV
  double topRapidityWidth = 1.1;
  // --- Diboson shares (facts §5.1: WW 59810, WZ 25900, ZZ 7192 fb) ---
  double dibosonWwShare = 59810.0 / 92902.0, dibosonWzShare = 25900.0 / 92902.0;
  double dibosonMassExcessScale = 40.0;  ///< m_VV - m1 - m2 ~ Gamma(2, scale)
  // --- Detector (Delphes ATLAS card, facts §1; the response/noise terms are tuned) ---
  double jetResponse = 0.92;         ///< mean raw-jet / truth-jet pT (energy lost under tower thresholds)
  /// Raw calorimeter response to the visible hadronic tau (< 1: energy under the tower thresholds; the JES
  /// factor brings PRI_had_pt back up). Together with the UE below it sets had_pt, and through the raw
  /// tau energy in MET it sets the MET direction and so m_T (tuned on Z/H m_T and had_pt).
  /// 0.98: the visible tau (pi+- in one or two HCAL towers well above threshold, pi0 photons in the fine
  /// ECAL with a 0.5 GeV threshold) is almost fully measured (facts §1.4-1.6).
  double tauResponse = 0.98;
  /// GeV of UE in the R = 0.6 tau cone. It sits in towers already above threshold (the tau's), so it is
  /// measured in full, while the UE elsewhere that balances it is seen only with softRecoilResponse:
  /// (1 - softRecoilResponse) of it is a MET imbalance pointing away from the tau.
  double tauConeUnderlyingEvent = 2.5;
  double jetResolutionScale = 1.0;   ///< multiplies the HCAL formula used for jets
  /// Calorimeter response to the unresolved hadronic recoil and to the soft UE: soft charged hadrons go to
  /// the HCAL, whose towers need ~3.8 GeV (|eta| < 1.7, facts §1.5), so mostly only their pi0 photons
  /// (ECAL, 0.5 GeV threshold) are seen.
  double softRecoilResponse = 0.4;
  /// GeV per MET component from UE/threshold fluctuations; k sqrt(sum ET) with k ~ 0.5 GeV^1/2 (facts §3)
  /// for a soft sum ET ~ 200 GeV. Tuned with softRecoilResponse on the Z/H MET and m_T.
  double softMetSigma = 7.0;
  double isolationEfficiency = 0.96;  ///< UE-driven isolation efficiency of a lepton far from jets
  double fakeJetZeroTrackProb = 0.05, fakeJetOneTrackProb = 0.17;  ///< tracks in dR 0.2 of a q/g jet
  double fakeJetExtraTrackMean = 2.0;  ///< mean of (ntrk - 2) for jets with >= 2 tracks
  // --- Selection (facts §2.3) ---
  double leptonCountPtMin = 15.0, leptonPtMin = 20.0, jetPtMin = 20.0;
};

/// InputError naming the first invalid field.
void validateGeneratorConfig(const GeneratorConfig& config);

}  // namespace higgsuq::sim
