// Decays of the heavy states into the TruthEvent: taus (TauDecay.hpp in the collinear limit), W, Z and
// top, and two-body decays in the parent's rest frame. Spin correlations are kept only where they
// matter for the visible tau energy (tau polarisation, facts §6.4); W/Z/top angular distributions are
// otherwise isotropic in the rest frame (an approximation, docs/simulation.md).
#pragma once

#include <array>
#include <cstdint>
#include <utility>

#include "higgsuq/sim/FourMomentum.hpp"
#include "higgsuq/sim/TruthEvent.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::sim {

/// Lab momenta of the two daughters (masses m1, m2) of `parent`, decayed at an isotropic angle.
std::pair<FourMomentum, FourMomentum> decayIsotropic(CounterRng& rng, const FourMomentum& parent, double m1,
                                                     double m2);

/// Decays a tau of lab momentum `tau` and charge q; P in formula convention (TauDecay.hpp).
/// Collinear limit: visible = x * tau, neutrinos = (1 - x) * tau, so momentum is conserved exactly.
void addTauDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& tau, int charge, double polarisation);
/// Same with the decay mode already chosen (index into tauDecayModes()).
void addTauDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& tau, int charge, double polarisation,
                 std::uint8_t mode);

/// W of charge q: e/mu/tau nu with Pythia's BRs (0.108166 each for e and mu, 0.10809 for tau), else q q'.
void addWDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& w, int charge);

/// Z0 with all decays open: ee, mumu (0.033576), tautau (0.0335), nu nu (0.2), else q qbar.
void addZDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& z);

/// Z/H -> tau tau with the pair's polarisation correlation (equal P for Z with <P> = zPolarisation,
/// opposite for H). `modes` are the tau- and tau+ decay modes, drawn by the caller.
void addDitauDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& boson, bool scalar, double zPolarisation,
                   const std::array<std::uint8_t, 2>& modes);

/// t (charge sign q = +1 for t, -1 for tbar) -> W b -> ...; wMass sampled by the caller.
void addTopDecay(TruthEvent& event, CounterRng& rng, const FourMomentum& top, int sign, double wMass, double bMass);

}  // namespace higgsuq::sim
