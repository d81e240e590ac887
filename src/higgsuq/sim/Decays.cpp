#include "higgsuq/sim/Decays.hpp"

#include <cmath>
#include <numbers>

#include "higgsuq/sim/TauDecay.hpp"

namespace higgsuq::sim {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;
// Pythia 8 default W and Z branching ratios (facts §5.3).
constexpr double kWToElectron = 0.108166, kWToMuon = 0.108166, kWToTau = 0.10809;
constexpr double kZToElectrons = 0.033576, kZToMuons = 0.033576, kZToTaus = 0.03350, kZToNeutrinos = 0.2;

std::pair<FourMomentum, FourMomentum> decayAtAngle(const FourMomentum& parent, double m1, double m2,
                                                   double cosTheta, double phi) {
  const double mass = parent.mass();
  const FourMomentum d1 = twoBodyDaughter(mass, m1, m2, cosTheta, phi);
  const FourMomentum d2{-d1.px, -d1.py, -d1.pz, mass - d1.e};
  return {d1.boostedBy(parent), d2.boostedBy(parent)};
}

// 1 + cos^2(theta) of a vector boson decaying to fermions (beam axis as the quantisation axis).
double sampleVectorBosonCosTheta(CounterRng& rng) {
  for (;;) {
    const double c = 2.0 * rng.uniform() - 1.0;
    if (2.0 * rng.uniform() <= 1.0 + c * c) return c;
  }
}

void addLeptonPair(TruthEvent& event, const std::pair<FourMomentum, FourMomentum>& pair, bool muon) {
  event.addLepton(pair.first, -1, muon);
  event.addLepton(pair.second, +1, muon);
}

}  // namespace

std::pair<FourMomentum, FourMomentum> decayIsotropic(CounterRng& rng, const FourMomentum& parent, double m1,
                                                     double m2) {
  const double cosTheta = 2.0 * rng.uniform() - 1.0;
  return decayAtAngle(parent, m1, m2, cosTheta, kTwoPi * rng.uniform());
}

void addTauDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& tau, int charge, double polarisation,
                 std::uint8_t mode) {
  const TauDecayMode& decay = tauDecayModes()[mode];
  const FourMomentum visible = tau * sampleVisibleFraction(rng, decay, polarisation);
  event.neutrinos += tau - visible;
  if (decay.kind == TauDecayKind::Hadronic) {
    event.addTau(visible, charge, decay.chargedProngs);
  } else {
    event.addLepton(visible, charge, decay.kind == TauDecayKind::Muon);
  }
}

void addTauDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& tau, int charge, double polarisation) {
  addTauDecay(event, rng, tau, charge, polarisation, sampleTauDecayMode(rng));
}

void addWDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& w, int charge) {
  double u = rng.uniform();
  if (u < kWToElectron + kWToMuon) {
    const auto [lepton, neutrino] = decayIsotropic(rng, w, 0.0, 0.0);
    event.addLepton(lepton, charge, u >= kWToElectron);
    event.neutrinos += neutrino;
    return;
  }
  u -= kWToElectron + kWToMuon;
  if (u < kWToTau) {
    const auto [tau, neutrino] = decayIsotropic(rng, w, kTauMass, 0.0);
    event.neutrinos += neutrino;
    addTauDecay(event, rng, tau, charge, -1.0);  // V-A: P = -1 in formula convention for both charges
    return;
  }
  const auto [q1, q2] = decayIsotropic(rng, w, 0.0, 0.0);
  event.addParton(q1);
  event.addParton(q2);
}

void addZDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& z) {
  double u = rng.uniform();
  if (u < kZToElectrons + kZToMuons) {
    addLeptonPair(event, decayIsotropic(rng, z, 0.0, 0.0), u >= kZToElectrons);
    return;
  }
  u -= kZToElectrons + kZToMuons;
  if (u < kZToTaus) {
    addDitauDecay(event, rng, z, false, -0.1517, {sampleTauDecayMode(rng), sampleTauDecayMode(rng)});
    return;
  }
  u -= kZToTaus;
  const auto [f1, f2] = decayIsotropic(rng, z, 0.0, 0.0);
  if (u < kZToNeutrinos) {
    event.neutrinos += f1 + f2;
  } else {
    event.addParton(f1);
    event.addParton(f2);
  }
}

void addDitauDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& boson, bool scalar, double zPolarisation,
                   const std::array<std::uint8_t, 2>& modes) {
  const double cosTheta = scalar ? 2.0 * rng.uniform() - 1.0 : sampleVectorBosonCosTheta(rng);
  const auto [tauMinus, tauPlus] = decayAtAngle(boson, kTauMass, kTauMass, cosTheta, kTwoPi * rng.uniform());
  // tau- helicity h. Z (vector): opposite helicities -> equal formula-convention P = h for both.
  // H (scalar): equal helicities -> P(tau-) = h, P(tau+) = -h (facts §6.4).
  const double probabilityRight = scalar ? 0.5 : 0.5 * (1.0 + zPolarisation);
  const double h = rng.uniform() < probabilityRight ? 1.0 : -1.0;
  addTauDecay(event, rng, tauMinus, -1, h, modes[0]);
  addTauDecay(event, rng, tauPlus, +1, scalar ? -h : h, modes[1]);
}

void addTopDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& top, int sign, double wMass, double bMass) {
  const auto [w, b] = decayIsotropic(rng, top, wMass, bMass);
  event.addParton(b);
  addWDecay(event, rng, w, sign);
}

}  // namespace higgsuq::sim
