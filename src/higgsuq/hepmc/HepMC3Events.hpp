// Reading HepMC3 ASCII events (HepMC3 3.1.2's ReaderAscii) into challenge features:
//  - undecayed (status 1) taus are decayed with the built-in tau decays (polarisation from the parent:
//    W -> -1, Z/gamma* -> correlated pair with <P> = -0.15, H -> anti-correlated pair, else 0);
//    generator-decayed (status 2) hadronic taus give their visible momentum from their stable descendants;
//  - prompt e/mu get a generator-level isolation (sum pT of other visible particles in dR 0.5);
//  - the other visible stable particles are clustered with FastJet anti-kt R = 0.6;
//  - then the built-in parametric detector and the challenge selection (sim/Detector.hpp).
// Malformed files (not HepMC3 ASCII, truncated, unparsable) throw InputError naming the file and event.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/sim/SimConfig.hpp"

namespace higgsuq {

struct HepMC3ReadStats {
  std::uint64_t eventsRead = 0;
  std::uint64_t leptonHadronicEvents = 0;  ///< events with >= 1 truth e/mu and >= 1 visible hadronic tau
  std::uint64_t selected = 0;
  std::uint64_t tausDecayed = 0;           ///< status-1 taus decayed by the built-in decay code
  /// Per event: max |component| of (sum of final-state 4-momenta after tau decays - sum of beams), GeV.
  std::vector<double> momentumResidual;
  /// Per event: pT of the anti-kt R = 0.6 jets that become partons (pT >= 3 GeV), descending, GeV.
  std::vector<std::vector<double>> jetPts;
  /// Per event: max |component| of (sum of all anti-kt jets - sum of the particles clustered), GeV
  /// (E-scheme recombination conserves four-momentum, so this is rounding only).
  std::vector<double> clusteringResidual;
};

struct HepMC3ReadOptions {
  std::uint64_t seed = 0;
  Process process = Process::Background;  ///< written to `detailed_labels` for every event
  sim::GeneratorConfig detector;          ///< the detector/selection constants (same defaults as simulate)
};

/// Reads every event of a HepMC3 ASCII file; returns the selected events (DER computed, weights = the
/// HepMC3 event weight 0, or 1 without weights). Deterministic for a seed.
EventTable readHepMC3Events(const std::filesystem::path& path, const HepMC3ReadOptions& options,
                            HepMC3ReadStats* stats = nullptr);

/// Convenience overload with default options and the given seed.
EventTable readHepMC3Events(const std::filesystem::path& path, std::uint64_t seed, HepMC3ReadStats* stats = nullptr);

/// Checks the file's structure (header, each event's declared vertex/particle counts, end marker)
/// without HepMC3; InputError naming the file and event on the first problem. Returns the event count.
std::uint64_t checkHepMC3Structure(const std::filesystem::path& path);

}  // namespace higgsuq
