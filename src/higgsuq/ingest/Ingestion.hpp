// Ingestion: a model evaluated on sets x pseudo-experiments, as the challenge's ingestion program does.
// Pseudo-experiments are built and predicted in parallel (threads share the read-only pool and model;
// at most one pseudo-experiment per worker thread is in memory). Each result is appended to
// OUT/pseudo_experiments.jsonl and flushed as soon as it is known, so a run killed at any moment
// (even kill -9) loses at most the PEs in flight; `resume` completes it without losing or duplicating
// one. At the end the reference layout is written: result_{set}.json, test_settings.json,
// ingestion_duration.json (docs/ingestion.md).
//
// Work can be split over processes: process `rank` of `ranks` takes the PEs with
// (set * pes + index) % ranks == rank and appends to its own pseudo_experiments.rank<r>.jsonl; the
// merge step (finalizeIngestion) reads all parts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "higgsuq/ingest/ResultsDirectory.hpp"
#include "higgsuq/models/Model.hpp"
#include "higgsuq/pseudo/PseudoExperiment.hpp"

namespace higgsuq::ingest {

struct IngestionConfig {
  std::filesystem::path outDir;
  int sets = 0;                 ///< number of sets (mu values)
  int pseudoExperiments = 0;    ///< per set
  std::uint64_t seed = 31415;   ///< run seed: every draw is a function of (seed, set, pe, stream)
  bool resume = false;          ///< continue a run whose outDir already holds results
  int rank = 0;                 ///< this process's share of the work
  int ranks = 1;
  void validate() const;
};

struct IngestionProgress {
  std::size_t done = 0;    ///< PEs finished in this process (including resumed ones)
  std::size_t total = 0;   ///< PEs this process is responsible for
  double seconds = 0.0;    ///< since this process started
};

struct IngestionSummary {
  std::size_t computed = 0;  ///< PEs computed now
  std::size_t resumed = 0;   ///< PEs found already done
  std::size_t failed = 0;    ///< PEs whose prediction status is not ok
  double seconds = 0.0;
};

using ProgressCallback = std::function<void(const IngestionProgress&)>;

/// Runs this process's share of the pseudo-experiments. Throws InputError if outDir holds results of
/// another configuration, or holds results and resume is off.
IngestionSummary runIngestion(const Model& model, const PseudoExperimentFactory& factory,
                              const IngestionConfig& config, const ProgressCallback& progress = {});

/// Merges every part file of outDir, checks each (set, pe) is present exactly once and writes the
/// reference layout. Throws InputError naming what is missing or duplicated.
void finalizeIngestion(const IngestionConfig& config, double ingestionSeconds);

/// The record file of one rank (ranks == 1: pseudo_experiments.jsonl).
std::filesystem::path recordFile(const IngestionConfig& config, int rank);

}  // namespace higgsuq::ingest
