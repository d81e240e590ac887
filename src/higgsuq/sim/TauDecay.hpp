// Tau lepton decays for the built-in generator: the decay mode with Pythia 8's default branching
// ratios (simulation-facts.md §5.3, grouped by final state), and the visible energy fraction
// x = E_vis / E_tau in the collinear limit with the polarisation-dependent densities of §6.4.
//
// Polarisation convention ("formula convention" of §6.4): P is the tau- helicity; for a tau+ pass
// minus its helicity. Then W -> tau nu gives P = -1 for both charges, Z gives equal P for the pair,
// H gives opposite P for the pair.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "higgsuq/util/Random.hpp"

namespace higgsuq::sim {

enum class TauDecayKind : std::uint8_t { Electron, Muon, Hadronic };

struct TauDecayMode {
  std::string_view name;
  TauDecayKind kind;
  double branchingRatio;   ///< Pythia 8 default table (normalised to sum 1 in tauDecayModes())
  int chargedProngs;       ///< charged tracks at generation (5-prong counted as 3; leptons count 1)
  double visibleMass;      ///< GeV: 0 for leptons, resonance mass for hadronic modes
  double analysingPower;   ///< alpha of the x density: 1 (pi), (1-2r)/(1+2r) (rho, a1), 0 (multi-body)
};

inline constexpr std::size_t kNumTauDecayModes = 9;

/// The modes, in a fixed order; BRs sum to 1.
const std::array<TauDecayMode, kNumTauDecayModes>& tauDecayModes();

struct TauDecay {
  std::uint8_t mode = 0;         ///< index into tauDecayModes()
  TauDecayKind kind = TauDecayKind::Hadronic;
  int chargedProngs = 1;
  double visibleFraction = 1.0;  ///< x = E_vis / E_tau in (0, 1]
};

/// Picks a decay mode by branching ratio.
std::uint8_t sampleTauDecayMode(CounterRng& rng);

/// Visible energy fraction of `mode` for polarisation P in [-1, 1].
double sampleVisibleFraction(CounterRng& rng, const TauDecayMode& mode, double polarisation);

/// Leptonic density f(x) = [5 - 9x^2 + 4x^3 + P(1 - 9x^2 + 8x^3)] / 3 on [0, 1] (massless lepton).
double leptonicFractionDensity(double x, double polarisation);

/// Mode and visible fraction in one call.
TauDecay decayTau(CounterRng& rng, double polarisation);

inline constexpr double kTauMass = 1.77682;

}  // namespace higgsuq::sim
