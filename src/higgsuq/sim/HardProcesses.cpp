#include "higgsuq/sim/HardProcesses.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "higgsuq/sim/Decays.hpp"
#include "higgsuq/sim/TauDecay.hpp"

namespace higgsuq::sim {
namespace {

double sampleWMass(const GeneratorConfig& c, CounterRng& rng) {
  return sampleBreitWigner(rng, c.wMass, c.wWidth, c.wMass - 30.0, c.wMass + 30.0);
}

double sampleTopMass(const GeneratorConfig& c, CounterRng& rng) {
  return sampleBreitWigner(rng, c.topMass, c.topWidth, c.topMass - 20.0, c.topMass + 20.0);
}

constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kColourFactorQuark = 4.0 / 3.0, kColourFactorGluon = 3.0;
constexpr int kMaxIsrJets = 8;

// Rapidity of a 2 -> 1 system of mass m: density prop. to x1 f(x1) x2 f(x2) with x f(x) = x^-lambda (1-x)^n.
// At fixed x1 x2 = m^2/s the power-law factors cancel, leaving ((1 - x1)(1 - x2))^n, sampled by rejection.
double sampleRapidity(CounterRng& rng, double mass, double largeXPower) {
  const double rootTau = std::min(mass / kCentreOfMassEnergy, 0.999);
  const double yMax = -std::log(rootTau);
  for (;;) {
    const double y = yMax * (2.0 * rng.uniform() - 1.0);
    const double w = std::pow((1.0 - rootTau * std::exp(y)) * (1.0 - rootTau * std::exp(-y)), largeXPower);
    if (rng.uniform() <= w) return y;
  }
}

// Unresolved recoil: q_T from the double-leading-log Sudakov form S(q_T) = exp(-a ln^2(Q^2/q_T^2)),
// a = alphaS C / (2 pi), solved for S = u (facts §6.1), plus a Gaussian primordial kT per component.
FourMomentum sampleSoftKick(CounterRng& rng, double scale, double colourFactor, const GeneratorConfig& c) {
  const double a = c.alphaS * colourFactor / (2.0 * std::numbers::pi);
  const double qt = scale * std::exp(-0.5 * std::sqrt(-std::log(rng.uniform()) / a));
  const double phi = kTwoPi * rng.uniform();
  return {qt * std::cos(phi) + c.primordialKt * rng.normal(),
          qt * std::sin(phi) + c.primordialKt * rng.normal(), 0.0, 0.0};
}

// Resolved ISR jets: negative-binomial count (Poisson with a Gamma(shape) mean), pT = ptMin u^(-1/(power-1)),
// eta ~ N(0, width). Returns their pT sum.
FourMomentum addIsrJets(TruthEvent& event, CounterRng& rng, double meanCount, int shape,
                        const GeneratorConfig& c) {
  FourMomentum sum;
  double product = 1.0;  // Gamma(shape, 1) = -ln(prod of `shape` uniforms)
  for (int i = 0; i < shape; ++i) product *= rng.uniform();
  const double mean = meanCount * (-std::log(product)) / shape;
  const auto count = std::min<std::uint64_t>(rng.poisson(mean), kMaxIsrJets);
  for (std::uint64_t i = 0; i < count; ++i) {
    const double pt = c.isrJetPtMin * std::pow(rng.uniform(), -1.0 / (c.isrJetPtPower - 1.0));
    const FourMomentum jet = FourMomentum::fromPtEtaPhiM(
        std::min(pt, 2000.0), c.isrJetEtaWidth * rng.normal(), kTwoPi * rng.uniform(), 0.0);
    event.addParton(jet);
    sum += jet;
  }
  return sum;
}

// A colour-singlet system of the given mass recoiling against ISR jets and the soft kick.
FourMomentum produceSinglet(TruthEvent& event, CounterRng& rng, double mass, bool gluons, double isrMean,
                            const GeneratorConfig& c) {
  const FourMomentum kick = sampleSoftKick(rng, mass, gluons ? kColourFactorGluon : kColourFactorQuark, c);
  const FourMomentum jets =
      addIsrJets(event, rng, isrMean, gluons ? c.isrShapeGluonInitiated : c.isrShapeQuarkInitiated, c);
  event.softRecoil += FourMomentum{-kick.px, -kick.py, 0.0, 0.0};
  const double px = kick.px - jets.px, py = kick.py - jets.py;
  return FourMomentum::fromPtRapidityPhiM(std::hypot(px, py), sampleRapidity(rng, mass, c.pdfLargeXPower),
                                          std::atan2(py, px), mass);
}

// VBF: each tag quark's pT from the effective-W form k dk / (k^2 + M_W^2)^2 (inverse CDF), the tags in
// opposite hemispheres at |eta| ~ N(mean, width); the Higgs balances them (facts §6.5).
FourMomentum produceVbfHiggs(TruthEvent& event, CounterRng& rng, double mass, const GeneratorConfig& c) {
  FourMomentum tags;
  const double side = rng.uniform() < 0.5 ? 1.0 : -1.0;
  for (double sign : {side, -side}) {
    const double u = std::min(rng.uniform(), 0.98);
    const double kt = c.wMass * std::sqrt(u / (1.0 - u));
    const double eta = sign * std::abs(c.vbfTagEtaMean + c.vbfTagEtaWidth * rng.normal());
    const FourMomentum tag = FourMomentum::fromPtEtaPhiM(kt, eta, kTwoPi * rng.uniform(), 0.0);
    event.addParton(tag);
    tags += tag;
  }
  // The tag quark lines radiate (Pythia showers VBF like any q -> q' V line, with the default global
  // recoil): extra ISR/FSR jets as for q qbar -> Z at a similar scale Q ~ M_V. The Higgs takes the recoil.
  tags += addIsrJets(event, rng, c.isrJetsQuarkInitiated, c.isrShapeQuarkInitiated, c);
  const double px = c.primordialKt * rng.normal() - tags.px, py = c.primordialKt * rng.normal() - tags.py;
  return FourMomentum::fromPtRapidityPhiM(std::hypot(px, py), 0.5 * rng.normal(), std::atan2(py, px), mass);
}

// VH: a q qbar -> V* -> VH system (mass excess ~ Gamma(2, dibosonMassExcessScale)) decayed isotropically;
// the W or Z decays with all its modes.
FourMomentum produceAssociatedHiggs(TruthEvent& event, CounterRng& rng, double higgsMass, bool withW,
                                    const GeneratorConfig& c) {
  const double vMass = withW ? sampleWMass(c, rng) : sampleBreitWigner(rng, c.zMass, c.zWidth, 60.0, 120.0);
  const double mass = higgsMass + vMass + sampleGamma2(rng, c.dibosonMassExcessScale);
  const FourMomentum system = produceSinglet(event, rng, mass, false, c.isrJetsQuarkInitiated, c);
  const auto [higgs, vector] = decayIsotropic(rng, system, higgsMass, vMass);
  if (withW) {
    addWDecay(event, rng, vector, rng.uniform() < 0.6 ? 1 : -1);
  } else {
    addZDecay(event, rng, vector);
  }
  return higgs;
}

// ttH (gg/qqbar -> t tbar H): Higgs and top-pair relative pT each ~ Gamma(2, topPtScale), Gaussian
// rapidities; the tops share the recoil of the Higgs and of the ISR jets equally (as in generateTop).
FourMomentum produceTopPairHiggs(TruthEvent& event, CounterRng& rng, double higgsMass,
                                 const GeneratorConfig& c) {
  const FourMomentum higgs = FourMomentum::fromPtRapidityPhiM(
      sampleGamma2(rng, c.topPtScale), c.topRapidityWidth * rng.normal(), kTwoPi * rng.uniform(), higgsMass);
  const FourMomentum recoil = higgs + addIsrJets(event, rng, c.isrJetsTopPair, c.isrShapeGluonInitiated, c);
  const double pt = sampleGamma2(rng, c.topPtScale), phi = kTwoPi * rng.uniform();
  const int sign = rng.uniform() < 0.5 ? 1 : -1;
  for (int which : {1, -1}) {
    const double mass = sampleTopMass(c, rng);
    const double tx = which * pt * std::cos(phi) - 0.5 * recoil.px,
                 ty = which * pt * std::sin(phi) - 0.5 * recoil.py;
    const FourMomentum top = FourMomentum::fromPtRapidityPhiM(
        std::hypot(tx, ty), c.topRapidityWidth * rng.normal(), std::atan2(ty, tx), mass);
    const double wMass = sampleWMass(c, rng);
    addTopDecay(event, rng, top, which * sign, wMass, c.bottomMass);
  }
  return higgs;
}

// The tau decay modes are drawn first: without a light lepton no event can be selected (no fake leptons
// are simulated), so those events stop here (exact; saves ~40% of the work). For the Higgs, a W or Z
// produced with it may still give the lepton, so VH events always continue.
bool sampleDitauModes(CounterRng& rng, std::array<std::uint8_t, 2>& modes) {
  modes = {sampleTauDecayMode(rng), sampleTauDecayMode(rng)};
  return tauDecayModes()[modes[0]].kind != TauDecayKind::Hadronic ||
         tauDecayModes()[modes[1]].kind != TauDecayKind::Hadronic;
}

void generateHiggs(const GeneratorConfig& c, CounterRng& rng, TruthEvent& event) {
  std::array<std::uint8_t, 2> modes{};
  const bool hasLepton = sampleDitauModes(rng, modes);
  const double mode = rng.uniform();
  const double vhEnd = c.vbfFraction + c.whFraction + c.zhFraction, tthEnd = vhEnd + c.tthFraction;
  const bool associated = mode >= c.vbfFraction && mode < tthEnd;  // VH or ttH
  // Only a W/Z/top produced with the Higgs could still give the lepton.
  if (!hasLepton && !associated) return;
  const double mass = sampleBreitWigner(rng, c.higgsMass, c.higgsWidth, c.higgsMass - 1.0, c.higgsMass + 1.0);
  FourMomentum higgs;
  if (mode < c.vbfFraction) {
    higgs = produceVbfHiggs(event, rng, mass, c);
  } else if (mode < vhEnd) {
    higgs = produceAssociatedHiggs(event, rng, mass, mode < c.vbfFraction + c.whFraction, c);
  } else if (mode < tthEnd) {
    higgs = produceTopPairHiggs(event, rng, mass, c);
  } else if (mode < tthEnd + c.ffbarHiggsFraction) {  // f fbar -> H (mostly b bbar): quark-initiated
    higgs = produceSinglet(event, rng, mass, false, c.isrJetsQuarkInitiated, c);
  } else {
    higgs = produceSinglet(event, rng, mass, true, c.isrJetsGluonInitiated, c);
  }
  addDitauDecay(event, rng, higgs, true, 0.0, modes);
}

void generateZ(const GeneratorConfig& c, CounterRng& rng, TruthEvent& event) {
  std::array<std::uint8_t, 2> modes{};
  if (!sampleDitauModes(rng, modes)) return;
  const double mass = sampleBreitWigner(rng, c.zMass, c.zWidth, c.zMassMin, 500.0);
  const FourMomentum z = produceSinglet(event, rng, mass, false, c.isrJetsQuarkInitiated, c);
  addDitauDecay(event, rng, z, false, -0.1517, modes);  // SM <P_tau> for 66-116 GeV (facts §6.4)
}

// tt: tops back to back in the transverse plane with pT ~ Gamma(2, scale), independent Gaussian
// rapidities; ISR jets' recoil shared equally. Single top (t-channel): the top recoils against a forward
// quark.
void generateTop(const GeneratorConfig& c, CounterRng& rng, TruthEvent& event) {
  const double m1 = sampleTopMass(c, rng);
  const double phi = kTwoPi * rng.uniform();
  const int sign = rng.uniform() < 0.5 ? 1 : -1;
  if (rng.uniform() < c.singleTopFraction) {
    const double pt = sampleGamma2(rng, 0.6 * c.topPtScale);
    const FourMomentum top = FourMomentum::fromPtRapidityPhiM(pt, c.topRapidityWidth * rng.normal(), phi, m1);
    const double etaQuark = (rng.uniform() < 0.5 ? 1.0 : -1.0) * std::abs(2.3 + rng.normal());
    event.addParton(FourMomentum::fromPtEtaPhiM(pt, etaQuark, phi + std::numbers::pi, 0.0));
    addTopDecay(event, rng, top, sign, sampleWMass(c, rng), c.bottomMass);
    return;
  }
  const double m2 = sampleTopMass(c, rng);
  const FourMomentum isr = addIsrJets(event, rng, c.isrJetsTopPair, c.isrShapeGluonInitiated, c);
  const double pt = sampleGamma2(rng, c.topPtScale);
  const double px = pt * std::cos(phi), py = pt * std::sin(phi);
  for (int which : {1, -1}) {
    const double tx = which * px - 0.5 * isr.px, ty = which * py - 0.5 * isr.py;
    const FourMomentum top = FourMomentum::fromPtRapidityPhiM(
        std::hypot(tx, ty), c.topRapidityWidth * rng.normal(), std::atan2(ty, tx), which > 0 ? m1 : m2);
    addTopDecay(event, rng, top, which * sign, sampleWMass(c, rng), c.bottomMass);
  }
}

void generateDiboson(const GeneratorConfig& c, CounterRng& rng, TruthEvent& event) {
  const double u = rng.uniform();
  const bool firstIsW = u < c.dibosonWwShare + c.dibosonWzShare;
  const bool secondIsW = u < c.dibosonWwShare;
  const double m1 = firstIsW ? sampleWMass(c, rng) : sampleBreitWigner(rng, c.zMass, c.zWidth, 60.0, 120.0);
  const double m2 = secondIsW ? sampleWMass(c, rng) : sampleBreitWigner(rng, c.zMass, c.zWidth, 60.0, 120.0);
  const double mass = m1 + m2 + sampleGamma2(rng, c.dibosonMassExcessScale);
  const FourMomentum system = produceSinglet(event, rng, mass, false, c.isrJetsQuarkInitiated, c);
  const auto [v1, v2] = decayIsotropic(rng, system, m1, m2);
  const int wCharge = rng.uniform() < 0.6 ? 1 : -1;  // W+ : W- about 60 : 40 in pp (u-quark excess)
  if (firstIsW) {
    addWDecay(event, rng, v1, secondIsW ? 1 : wCharge);
  } else {
    addZDecay(event, rng, v1);
  }
  if (secondIsW) {
    addWDecay(event, rng, v2, -1);
  } else {
    addZDecay(event, rng, v2);
  }
}

void generateWJets(const GeneratorConfig& c, CounterRng& rng, TruthEvent& event) {
  const double mass = sampleBreitWigner(rng, c.wMass, c.wWidth, 20.0, 500.0);
  const FourMomentum w = produceSinglet(event, rng, mass, false, c.isrJetsWJets, c);
  addWDecay(event, rng, w, rng.uniform() < 0.58 ? 1 : -1);
}

}  // namespace

double sampleBreitWigner(CounterRng& rng, double mass, double width, double lo, double hi) {
  const double halfWidth = 0.5 * width;
  const double a = std::atan((lo - mass) / halfWidth), b = std::atan((hi - mass) / halfWidth);
  return mass + halfWidth * std::tan(a + (b - a) * rng.uniform());
}

void generateTruthEvent(Process process, const GeneratorConfig& config, CounterRng& rng, TruthEvent& event) {
  event.clear();
  // One line per process.
  // clang-format off
  switch (process) {
    case Process::HTauTau: generateHiggs(config, rng, event); return;
    case Process::ZTauTau: generateZ(config, rng, event); return;
    case Process::TTbar: generateTop(config, rng, event); return;
    case Process::Diboson: generateDiboson(config, rng, event); return;
    case Process::WJets: generateWJets(config, rng, event); return;
    case Process::Background: break;
  }
  // clang-format on
  HIGGSUQ_ASSERT(false, "no generator for this process");
}

}  // namespace higgsuq::sim
