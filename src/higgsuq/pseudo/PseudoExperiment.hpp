// Pseudo-experiments as in the challenge (reference-challenge.md §3.1): for set s and index k,
// mu_true of the set and nuisances drawn from their priors; every pool event of process p gets a
// multiplicity n_i ~ Poisson(norm_p * w_i) (norm: mu for signal, bkg x ttbar for ttbar, ...);
// then TES/JES/soft-MET, the post-selection and DER. Every draw is a pure function of
// (seed, set, pe, stream), so threads and MPI ranks never change a result.
//
// Multiplicities are carried instead of copies where that is exact: with soft_met = 0 every copy of a
// row is identical after the shifts, so the events are the unique rows with weight = multiplicity;
// with soft_met > 0 each copy gets its own noise, so rows are repeated and weights are 1.
// Events come out grouped by process in pool order (the reference shuffles; no model depends on order).
#pragma once

#include <cstdint>
#include <vector>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/events/RowMajorPrimaries.hpp"
#include "higgsuq/pseudo/ChallengeDefinition.hpp"
#include "higgsuq/pseudo/PoissonBootstrap.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {

/// Identifies one pseudo-experiment of a run.
struct PseudoExperimentId {
  std::uint64_t seed = 0;
  int set = 0;
  int index = 0;
};

struct PseudoExperiment {
  PseudoExperimentId id;
  double muTrue = 1.0;
  NuisanceValues nuisances;
  EventTable events;  ///< 28 features; weights are multiplicities (1 when rows are repeated)
  double expectedEvents() const { return events.sumWeights(); }
};

/// Multiplicities of pool rows drawn for one pseudo-experiment, in pool order.
struct Multiplicities {
  std::vector<std::uint32_t> rows;
  std::vector<std::uint32_t> counts;
  std::uint64_t total() const;
  /// Each row repeated `count` times.
  std::vector<std::uint32_t> expanded() const;
};

class PseudoExperimentFactory {
 public:
  struct Config {
    /// Rescale pool weights per process so each process sums to the definition's expected yield
    /// (what the reference's test pool represents). Off: pool weights are used as they are.
    bool rescaleToExpectedYields = true;
  };

  /// Indexes the pool (kept by reference: it must outlive the factory). Throws InputError if a process
  /// of the definition has no event in the pool or non-positive total weight.
  PseudoExperimentFactory(const EventTable& pool, ChallengeDefinition definition, const Config& config);
  PseudoExperimentFactory(const EventTable& pool, ChallengeDefinition definition)
      : PseudoExperimentFactory(pool, std::move(definition), Config{}) {}

  const ChallengeDefinition& definition() const { return m_definition; }

  /// The complete pseudo-experiment (s, k): mu, nuisances, bootstrap, systematics, cuts, DER.
  PseudoExperiment build(const PseudoExperimentId& id) const;

  /// The bootstrap alone, for given mu and nuisances (multiplicity draws use stream eBootstrap).
  Multiplicities bootstrap(const PseudoExperimentId& id, double mu, const NuisanceValues& values) const;

  /// Expected number of events before cuts: sum over processes of norm * sum of (rescaled) weights.
  double expectedEvents(double mu, const NuisanceValues& values) const;

 private:
  struct ProcessRows {
    Process process;
    std::vector<std::uint32_t> rows;  ///< pool rows of the process
    double sumLambda = 0.0;           ///< sum of the per-row means at norm = 1 (rescaled weights)
    PoissonBootstrap bootstrap;       ///< multiplicities of the process-local rows
  };
  /// Appends the rows of process p drawn with n > 0, and their n, to m (pool order).
  void drawProcess(const ProcessRows& p, const PseudoExperimentId& id, double norm, Multiplicities& m) const;

  const EventTable& m_pool;
  RowMajorPrimaries m_rowMajor;  ///< the pool's primaries row by row (64 B per pool row)
  ChallengeDefinition m_definition;
  Config m_config;
  Systematics m_systematics;
  std::vector<ProcessRows> m_processes;
};

}  // namespace higgsuq
