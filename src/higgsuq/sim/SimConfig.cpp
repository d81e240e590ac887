#include "higgsuq/sim/SimConfig.hpp"

#include <cmath>
#include <string>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::sim {

namespace {

// Final public dataset (facts §5.1, §5.4): sigma x BR in fb from FAIR's crosssection.json, the average
// selected yield per pseudo-experiment at 10 fb^-1, and the number of generated events (Zenodo).
SimulationPreset neurips2024() {
  return {"neurips2024", 10.0,
          {{Process::HTauTau, 2045.57, 1015.0, 52.040227e6, 0.0},
           {Process::ZTauTau, 6.563e6, 1002395.0, 160.383358e6, 0.0},
           {Process::TTbar, 697066.0, 44190.0, 7.070398e6, 0.0},
           {Process::Diboson, 92902.0, 3783.0, 0.605118e6, 0.0}}};
}

// May 2024 configuration (facts §5.4, HEPC commit 49ad8730, LUMINOCITY = 140 fb^-1) with W+jets.
// The W cross section is Pythia's f f' -> W + W+jet (222 + 251 + 252, facts §5.1). The generated shares
// of H, Z, tt, VV are the final dataset's; W gets the same share as Z (a choice, not a published number).
// The W normalisation uncertainty of 10% is a placeholder chosen here: the facts file has no value.
SimulationPreset early2024() {
  return {"early2024", 140.0,
          {{Process::HTauTau, 2045.57, 9220.0, 52.040227e6, 0.0},
           {Process::ZTauTau, 6.563e6, 2569787.0, 160.383358e6, 0.0},
           {Process::TTbar, 697066.0, 320318.0, 7.070398e6, 0.0},
           {Process::Diboson, 92902.0, 9220.0, 0.605118e6, 0.0},
           {Process::WJets, 141.4e6 + 93.02e6 + 85.83e6, 2964267.0, 160.383358e6, 0.10}}};
}

void requirePositive(double value, const char* name) {
  if (!(value > 0.0) || !std::isfinite(value))
    throw InputError(std::string("generator config: ") + name + " must be positive and finite");
}

void requireFraction(double value, const char* name) {
  if (!(value >= 0.0 && value <= 1.0))
    throw InputError(std::string("generator config: ") + name + " must lie in [0, 1]");
}

}  // namespace

SimulationPreset presetByName(std::string_view name) {
  if (name == "neurips2024") return neurips2024();
  if (name == "early2024") return early2024();
  throw InputError("unknown simulation preset '" + std::string(name) + "' (expected neurips2024 or early2024)");
}

std::vector<std::string> presetNames() { return {"neurips2024", "early2024"}; }

void validateGeneratorConfig(const GeneratorConfig& c) {
  for (auto [v, n] : {std::pair{c.higgsMass, "higgsMass"}, {c.higgsWidth, "higgsWidth"}, {c.zMass, "zMass"},
                      {c.zWidth, "zWidth"}, {c.wMass, "wMass"}, {c.wWidth, "wWidth"}, {c.topMass, "topMass"},
                      {c.topWidth, "topWidth"}, {c.alphaS, "alphaS"}, {c.primordialKt, "primordialKt"},
                      {c.pdfLargeXPower, "pdfLargeXPower"}, {c.isrJetPtMin, "isrJetPtMin"},
                      {c.isrJetEtaWidth, "isrJetEtaWidth"}, {c.topPtScale, "topPtScale"},
                      {c.topRapidityWidth, "topRapidityWidth"}, {c.dibosonMassExcessScale, "dibosonMassExcessScale"},
                      {c.jetResponse, "jetResponse"}, {c.tauResponse, "tauResponse"},
                      {c.jetResolutionScale, "jetResolutionScale"}, {c.softMetSigma, "softMetSigma"},
                      {c.leptonPtMin, "leptonPtMin"}, {c.jetPtMin, "jetPtMin"}}) {
    requirePositive(v, n);
  }
  if (!(c.isrJetPtPower > 1.0)) throw InputError("generator config: isrJetPtPower must exceed 1");
  for (auto [v, n] : {std::pair{c.vbfFraction, "vbfFraction"}, {c.singleTopFraction, "singleTopFraction"},
                      {c.whFraction, "whFraction"}, {c.zhFraction, "zhFraction"},
                      {c.tthFraction, "tthFraction"}, {c.ffbarHiggsFraction, "ffbarHiggsFraction"},
                      {c.softRecoilResponse, "softRecoilResponse"}, {c.isolationEfficiency, "isolationEfficiency"},
                      {c.fakeJetZeroTrackProb, "fakeJetZeroTrackProb"}, {c.fakeJetOneTrackProb, "fakeJetOneTrackProb"},
                      {c.dibosonWwShare, "dibosonWwShare"}, {c.dibosonWzShare, "dibosonWzShare"}}) {
    requireFraction(v, n);
  }
  if (c.vbfFraction + c.whFraction + c.zhFraction + c.tthFraction + c.ffbarHiggsFraction > 1.0)
    throw InputError("generator config: VBF + WH + ZH + ttH + f fbar -> H fractions exceed 1");
  if (c.dibosonWwShare + c.dibosonWzShare > 1.0) throw InputError("generator config: WW + WZ shares exceed 1");
  if (c.fakeJetZeroTrackProb + c.fakeJetOneTrackProb > 1.0)
    throw InputError("generator config: fake-jet track probabilities exceed 1");
  for (auto [v, n] : {std::pair{c.isrJetsQuarkInitiated, "isrJetsQuarkInitiated"},
                      {c.isrJetsGluonInitiated, "isrJetsGluonInitiated"}, {c.isrJetsTopPair, "isrJetsTopPair"},
                      {c.isrJetsWJets, "isrJetsWJets"}, {c.tauConeUnderlyingEvent, "tauConeUnderlyingEvent"},
                      {c.fakeJetExtraTrackMean, "fakeJetExtraTrackMean"}, {c.zMassMin, "zMassMin"}}) {
    if (!(v >= 0.0) || !std::isfinite(v)) throw InputError(std::string("generator config: ") + n + " must be >= 0");
  }
  if (c.isrShapeQuarkInitiated < 1 || c.isrShapeGluonInitiated < 1 || c.isrShapeQuarkInitiated > 50 ||
      c.isrShapeGluonInitiated > 50)
    throw InputError("generator config: ISR multiplicity shapes must lie in [1, 50]");
  if (c.leptonCountPtMin > c.leptonPtMin) throw InputError("generator config: leptonCountPtMin > leptonPtMin");
}

}  // namespace higgsuq::sim
