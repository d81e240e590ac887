// The generator-level content of one event, as the parametric detector sees it: light leptons
// (prompt or from tau decays), visible hadronic taus, quarks/gluons that become jets, the summed
// neutrino momentum and the unresolved hadronic recoil. Fixed capacity, so filling one allocates nothing;
// both the built-in generator and the HepMC3 reader fill it.
#pragma once

#include <array>
#include <cstdint>

#include "higgsuq/sim/FourMomentum.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::sim {

struct TruthLepton {
  FourMomentum momentum;
  int charge = -1;
  bool muon = false;
  bool isolatedAtTruth = true;  ///< false when a generator-level isolation sum already fails (HepMC3 input)
};

struct TruthHadronicTau {
  FourMomentum visible;  ///< sum of the decay products except neutrinos
  int charge = -1;
  int chargedProngs = 1;
};

struct TruthParton {
  FourMomentum momentum;
};

struct TruthEvent {
  static constexpr int kMaxLeptons = 8, kMaxTaus = 4, kMaxPartons = 24;
  std::array<TruthLepton, kMaxLeptons> leptons;
  std::array<TruthHadronicTau, kMaxTaus> taus;
  std::array<TruthParton, kMaxPartons> partons;
  int numLeptons = 0, numTaus = 0, numPartons = 0;
  FourMomentum neutrinos;    ///< sum of all neutrinos (true MET source)
  FourMomentum softRecoil;   ///< transverse hadronic recoil not resolved into partons
  bool applyIsolationEfficiency = true;  ///< false for HepMC3 input (isolation computed from particles)

  void clear() {
    numLeptons = numTaus = numPartons = 0;
    neutrinos = softRecoil = FourMomentum{};
  }
  void addLepton(const FourMomentum& p, int charge, bool muon) {
    HIGGSUQ_ASSERT(numLeptons < kMaxLeptons, "too many truth leptons");
    leptons[numLeptons++] = {p, charge, muon, true};
  }
  void addTau(const FourMomentum& visible, int charge, int prongs) {
    HIGGSUQ_ASSERT(numTaus < kMaxTaus, "too many hadronic taus");
    taus[numTaus++] = {visible, charge, prongs};
  }
  /// Partons beyond the capacity are folded into the soft recoil (never happens for the built-in processes).
  void addParton(const FourMomentum& p) {
    if (numPartons < kMaxPartons) {
      partons[numPartons++] = {p};
    } else {
      softRecoil += FourMomentum{p.px, p.py, 0.0, 0.0};
    }
  }
};

}  // namespace higgsuq::sim
