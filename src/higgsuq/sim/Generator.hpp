// The built-in event generator: N selected events of the preset's processes, with weights such that
// each process sums to its expected yield at the target luminosity (10 fb^-1 by default):
//   weight_p = expectedYield_p x (luminosity / referenceLuminosity) / N_p.
// N is split over processes by the preset's generated shares (largest remainder), or by explicit
// fractions. Work is cut into blocks of `blockAttempts` generated events; block b of process p draws
// from the Philox stream (seed, p, b), and selected events are taken in block order until N_p is
// reached, so the output is identical for any thread count. Rows come grouped by process (preset order).
// Output is handed over in chunks (bounded memory); simulateToFile streams to HDF5/CSV.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/sim/SimConfig.hpp"

namespace higgsuq::sim {

struct SimulationRequest {
  std::uint64_t events = 0;   ///< selected events to write (N)
  std::uint64_t seed = 0;
  SimulationPreset preset = presetByName("neurips2024");
  GeneratorConfig physics;
  double luminosityFb = 10.0;
  std::optional<std::vector<double>> processFractions;  ///< one per preset process; default: generated shares
  std::uint32_t blockAttempts = 4096;
  std::size_t chunkRows = 1 << 16;
};

struct ProcessSummary {
  Process process = Process::HTauTau;
  std::uint64_t selected = 0;
  std::uint64_t attempted = 0;       ///< generated events consumed to get `selected`
  double weight = 0.0;               ///< per-event weight
  double sumWeights = 0.0;
  double expectedYield = 0.0;        ///< at the target luminosity (sets the weights)
  double crossSectionYield = 0.0;    ///< sigma x L x (selected / attempted): this generator's own prediction
};

struct SimulationSummary {
  std::vector<ProcessSummary> processes;
  double seconds = 0.0;
};

/// Called with (selected so far, N) after each batch of blocks.
using ProgressCallback = std::function<void(std::uint64_t, std::uint64_t)>;
/// Receives consecutive chunks of rows (DER computed).
using ChunkSink = std::function<void(const EventTable&)>;

/// Validates the request (InputError) and generates; chunks go to `sink` in order.
SimulationSummary simulateEvents(const SimulationRequest& request, const ChunkSink& sink,
                                 const ProgressCallback& progress = {});

/// All events in one table (for tests and validation; memory grows with N).
EventTable simulateToTable(const SimulationRequest& request, SimulationSummary* summary = nullptr);

/// Streams to an HDF5 or CSV file (by extension), written atomically.
SimulationSummary simulateToFile(const SimulationRequest& request, const std::filesystem::path& path,
                                 const ProgressCallback& progress = {});

/// Selected events per process: N split by `fractions` with the largest-remainder rule.
std::vector<std::uint64_t> splitEvents(std::uint64_t total, const std::vector<double>& fractions);

}  // namespace higgsuq::sim
