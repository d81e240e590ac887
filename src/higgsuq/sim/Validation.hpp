// Comparison of simulated events with the official FAIR sample, per process: quantiles of the key
// features, jet multiplicity, post-cut pass fraction; and the Markdown report (docs/validation.md)
// written by `higgsuq simulate-validate`, optionally with the H-vs-Z AUC of a classifier trained on
// simulated events (the numbers come from the caller: this core module does no machine learning).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/sim/Generator.hpp"

namespace higgsuq::sim {

struct Quantiles {
  double q25 = 0.0, median = 0.0, q75 = 0.0;
};

/// Unweighted quantiles of `feature` over the events of `process` (NaN if there are none).
Quantiles processQuantiles(const EventTable& events, Process process, Feature feature);

/// The features compared in the report.
inline constexpr std::array<Feature, 6> kValidatedFeatures{Feature::MassVis, Feature::MassTransverseMetLep,
                                                           Feature::HadPt, Feature::LepPt, Feature::Met, Feature::PtH};

struct ProcessComparison {
  Process process = Process::HTauTau;
  std::size_t simulatedEvents = 0, sampleEvents = 0;
  std::array<Quantiles, kValidatedFeatures.size()> simulated{}, sample{};
  std::array<double, 4> simulatedJets{}, sampleJets{};  ///< fractions with 0, 1, 2, >= 3 jets
  double simulatedPostCut = 0.0, samplePostCut = 0.0;   ///< fraction with PRI_had_pt >= 26, PRI_lep_pt >= 20
};

std::vector<ProcessComparison> compareWithSample(const EventTable& simulated, const EventTable& sample,
                                                 const std::vector<Process>& processes);

/// How well a classifier trained on simulated events separates htautau from ztautau, on simulated
/// events it did not see and on the FAIR sample (both after the nominal post-selection).
struct AucMeasurement {
  std::size_t higgsEvents = 0, zEvents = 0;  ///< htautau and ztautau events it uses
  double auc = 0.0;                          ///< weighted AUC, htautau vs ztautau
};

struct ClassifierSeparation {
  std::string classifier;          ///< description, e.g. "XGBoost, 37 of at most 150 trees"
  std::size_t trainingEvents = 0;  ///< simulated events it was trained on (all processes)
  AucMeasurement heldOut, sample;  ///< on simulated events not trained on, and on the FAIR sample
};

/// Hanley-McNeil (1982) standard error of an AUC from its event counts (unweighted approximation).
double aucStandardError(const AucMeasurement& m);

std::string validationMarkdown(const std::vector<ProcessComparison>& comparisons, const SimulationSummary& summary,
                               const std::string& commandLine,
                               const std::optional<ClassifierSeparation>& separation = std::nullopt);

}  // namespace higgsuq::sim
