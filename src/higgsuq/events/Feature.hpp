// The 28 features of the challenge in the reference order (16 PRI then 12 DER), the physics
// processes, and their names as they appear in files. Units: GeV for momenta and masses.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace higgsuq {

enum class Feature : std::uint8_t {
  // Primary features (PRI_*), as reconstructed.
  LepPt, LepEta, LepPhi,
  HadPt, HadEta, HadPhi,
  JetLeadingPt, JetLeadingEta, JetLeadingPhi,
  JetSubleadingPt, JetSubleadingEta, JetSubleadingPhi,
  NJets, JetAllPt, Met, MetPhi,
  // Derived features (DER_*), computed from the primaries.
  MassTransverseMetLep, MassVis, PtH, DeltaEtaJetJet, MassJetJet, ProdEtaJetJet,
  DeltaRHadLep, PtTot, SumPt, PtRatioLepHad, MetPhiCentrality, LepEtaCentrality,
};

inline constexpr std::size_t kNumPrimary = 16;
inline constexpr std::size_t kNumDerived = 12;
inline constexpr std::size_t kNumFeatures = kNumPrimary + kNumDerived;

/// The value of a feature that is undefined (absent jet, dijet quantity with < 2 jets).
inline constexpr float kMissingValue = -25.0f;

constexpr std::size_t index(Feature f) { return static_cast<std::size_t>(f); }
constexpr Feature featureAt(std::size_t i) { return static_cast<Feature>(i); }
constexpr bool isPrimary(Feature f) { return index(f) < kNumPrimary; }

/// Column name in the FAIR files, e.g. "PRI_had_pt".
std::string_view featureName(Feature f);
std::optional<Feature> featureFromName(std::string_view name);

/// The physics process an event was simulated from.
enum class Process : std::uint8_t {
  HTauTau,    ///< signal: H -> tau tau
  ZTauTau,    ///< Z -> tau tau
  TTbar,      ///< top pairs (and single top)
  Diboson,    ///< WW, WZ, ZZ
  WJets,      ///< W + jets (the challenge's earlier design only)
  Background, ///< unspecified background (files that only carry a signal/background label)
};

inline constexpr std::size_t kNumProcesses = 6;
inline constexpr std::array<Process, kNumProcesses> kAllProcesses{
    Process::HTauTau, Process::ZTauTau, Process::TTbar, Process::Diboson, Process::WJets, Process::Background};

constexpr std::size_t index(Process p) { return static_cast<std::size_t>(p); }

/// Name as in the `detailed_labels` column ("htautau", "ztautau", "ttbar", "diboson", "wjets", "background").
std::string_view processName(Process p);
std::optional<Process> processFromName(std::string_view name);
constexpr bool isSignal(Process p) { return p == Process::HTauTau; }

}  // namespace higgsuq
