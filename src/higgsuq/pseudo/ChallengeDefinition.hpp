// A challenge definition as a value: processes and their expected yields, nuisance priors with clip
// ranges, the mu of each set, sets x pseudo-experiments, post-selection thresholds, score constants.
// Read from JSON by io/ChallengeJson (docs/challenges.md); presets neurips2024 and pilot2024 ship
// in challenges/ and are embedded in the program.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "higgsuq/events/Feature.hpp"
#include "higgsuq/systematics/Nuisance.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {

/// A prior from which a nuisance (or mu) is drawn, optionally clipped to [clipLow, clipHigh].
struct PriorSpec {
  enum class Kind { Fixed, Normal, LogNormal, Uniform };
  Kind kind = Kind::Fixed;
  double a = 0.0;  ///< Fixed: value; Normal: mean; LogNormal: mu of ln x; Uniform: low
  double b = 0.0;  ///< Normal: sigma; LogNormal: sigma of ln x; Uniform: high
  std::optional<std::array<double, 2>> clip;

  /// Maps a standard normal z and a uniform u in (0,1) to a draw (each kind uses one of them).
  double transform(double z, double u) const;
};

struct ProcessSpec {
  Process process = Process::HTauTau;
  double expectedYield = 0.0;  ///< weighted events per pseudo-experiment at mu = 1, before post-cuts
};

struct MuSpec {
  enum class Kind { List, Uniform };
  Kind kind = Kind::Uniform;
  std::vector<double> values;  ///< List: one per set
  double low = 0.1, high = 3.0;
};

struct ScoreConstants {
  double oneSigma = 0.6827;
  double epsilon = 1e-3;
};

struct ChallengeDefinition {
  std::string name;
  std::string description;
  double luminosityFb = 10.0;
  std::vector<ProcessSpec> processes;
  std::array<std::optional<PriorSpec>, kNumNuisances> nuisancePriors;  ///< empty = fixed at nominal
  MuSpec mu;
  int sets = 10;
  int pseudoExperiments = 1000;
  SystematicsConfig postSelection;
  ScoreConstants score;

  /// Throws InputError naming the field if the definition is inconsistent.
  void validate() const;
  const ProcessSpec* find(Process p) const;
  bool floats(Nuisance n) const { return nuisancePriors[index(n)].has_value(); }
};

/// The normalisation factor of a process for given mu and nuisances:
/// signal mu; ztautau bkg; ttbar ttbar*bkg; diboson diboson*bkg; wjets wjets*bkg; other bkg.
double processNormalisation(Process p, double mu, const NuisanceValues& values);

/// mu of a set: the list entry, or U(low, high) from the stream (seed, set, eMu).
double drawMu(const ChallengeDefinition& def, std::uint64_t seed, int set);

/// Nuisances of pseudo-experiment (set, pe): each from its own sub-stream (seed, set, pe, eNuisance, n).
NuisanceValues drawNuisances(const ChallengeDefinition& def, std::uint64_t seed, int set, int pe);

}  // namespace higgsuq
