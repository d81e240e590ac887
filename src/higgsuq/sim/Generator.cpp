#include "higgsuq/sim/Generator.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <string>

#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/io/EventFiles.hpp"
#include "higgsuq/sim/Detector.hpp"
#include "higgsuq/sim/HardProcesses.hpp"
#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::sim {
namespace {

constexpr std::uint64_t kMaxBlocksWithoutSelection = 20000;

struct BlockResult {
  std::vector<PrimaryFeatures> rows;
  std::vector<std::uint32_t> attemptOfRow;  // index within the block of each selected attempt
};

void runBlock(Process process, std::size_t processIndex, const SimulationRequest& request, std::uint64_t block,
              BlockResult& out) {
  out.rows.clear();
  out.attemptOfRow.clear();
  CounterRng rng(streamKey(request.seed, processIndex, block, Stream::eGenerator));
  TruthEvent truth;
  PrimaryFeatures row;
  for (std::uint32_t attempt = 0; attempt < request.blockAttempts; ++attempt) {
    generateTruthEvent(process, request.physics, rng, truth);
    if (!mayPassSelection(truth, request.physics)) continue;
    if (!reconstructEvent(truth, request.physics, rng, row)) continue;
    out.rows.push_back(row);
    out.attemptOfRow.push_back(attempt);
  }
}

// Collects rows of one process into chunks, hands each chunk (DER computed) to the sink.
class ChunkBuilder {
 public:
  ChunkBuilder(const ChunkSink& sink, std::size_t chunkRows) : m_sink(sink), m_chunkRows(chunkRows) {
    m_pending.reserve(chunkRows);
  }
  void add(const PrimaryFeatures& row, Process process, double weight) {
    m_pending.push_back({row, process, weight});
    if (m_pending.size() >= m_chunkRows) flush();
  }
  void flush() {
    if (m_pending.empty()) return;
    m_table.resize(m_pending.size());
    for (std::size_t f = 0; f < kNumPrimary; ++f) {
      auto column = m_table.column(featureAt(f));
      for (std::size_t i = 0; i < m_pending.size(); ++i) column[i] = m_pending[i].row[f];
    }
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
      m_table.weights()[i] = m_pending[i].weight;
      m_table.processes()[i] = m_pending[i].process;
      m_table.labels()[i] = isSignal(m_pending[i].process) ? 1 : 0;
    }
    computeDerived(m_table);
    m_sink(m_table);
    m_pending.clear();
  }

 private:
  struct Pending {
    PrimaryFeatures row;
    Process process;
    double weight;
  };
  const ChunkSink& m_sink;
  std::size_t m_chunkRows;
  std::vector<Pending> m_pending;
  EventTable m_table;
};

std::vector<double> resolveFractions(const SimulationRequest& request) {
  const auto& processes = request.preset.processes;
  std::vector<double> fractions;
  for (const auto& p : processes) fractions.push_back(p.generatedShare);
  if (request.processFractions) {
    if (request.processFractions->size() != processes.size())
      throw InputError("--process-fractions: expected " + std::to_string(processes.size()) + " values for preset " +
                       request.preset.name);
    fractions = *request.processFractions;
  }
  double sum = 0.0;
  for (double f : fractions) {
    if (!(f >= 0.0) || !std::isfinite(f)) throw InputError("process fractions must be finite and >= 0");
    sum += f;
  }
  if (!(sum > 0.0)) throw InputError("process fractions sum to 0");
  for (double& f : fractions) f /= sum;
  return fractions;
}

void validateRequest(const SimulationRequest& request) {
  if (request.events == 0) throw InputError("--events must be at least 1");
  if (request.blockAttempts == 0) throw InputError("block size must be at least 1");
  if (request.chunkRows == 0) throw InputError("--chunk-rows must be at least 1");
  if (!(request.luminosityFb > 0.0)) throw InputError("luminosity must be positive");
  validateGeneratorConfig(request.physics);
}

struct ProcessRun {
  Process process;
  std::size_t index;
  std::uint64_t wanted;
  double weight;
};

// Generates one process block batch after block batch; returns the attempts consumed.
std::uint64_t generateProcess(const SimulationRequest& request, const ProcessRun& run, ChunkBuilder& chunks,
                              std::uint64_t& done, const ProgressCallback& progress) {
  const std::size_t batch = std::max<std::size_t>(4, 4 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()));
  std::vector<BlockResult> results(batch);
  std::uint64_t taken = 0, attempted = 0, firstBlock = 0;
  while (taken < run.wanted) {
    tbb::parallel_for(std::size_t{0}, batch, [&](std::size_t i) {
      runBlock(run.process, run.index, request, firstBlock + i, results[i]);
    });
    for (std::size_t i = 0; i < batch && taken < run.wanted; ++i) {
      const BlockResult& block = results[i];
      const std::size_t use = static_cast<std::size_t>(std::min<std::uint64_t>(block.rows.size(), run.wanted - taken));
      for (std::size_t r = 0; r < use; ++r) chunks.add(block.rows[r], run.process, run.weight);
      taken += use;
      attempted += use < block.rows.size() ? block.attemptOfRow[use - 1] + 1 : request.blockAttempts;
    }
    firstBlock += batch;
    if (taken == 0 && firstBlock >= kMaxBlocksWithoutSelection)
      throw InputError("process " + std::string(processName(run.process)) + " selected no event in " +
                       std::to_string(firstBlock * request.blockAttempts) + " attempts; check the generator config");
    if (progress) progress(done + taken, request.events);
  }
  done += taken;
  return attempted;
}

}  // namespace

std::vector<std::uint64_t> splitEvents(std::uint64_t total, const std::vector<double>& fractions) {
  std::vector<std::uint64_t> counts(fractions.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < fractions.size(); ++i) {
    const double exact = fractions[i] * static_cast<double>(total);
    counts[i] = static_cast<std::uint64_t>(std::floor(exact));
    assigned += counts[i];
    remainders.emplace_back(-(exact - std::floor(exact)), i);
  }
  std::sort(remainders.begin(), remainders.end());
  for (std::size_t k = 0; assigned < total && k < remainders.size(); ++k, ++assigned) ++counts[remainders[k].second];
  return counts;
}

SimulationSummary simulateEvents(const SimulationRequest& request, const ChunkSink& sink,
                                 const ProgressCallback& progress) {
  validateRequest(request);
  const auto start = std::chrono::steady_clock::now();
  const auto counts = splitEvents(request.events, resolveFractions(request));
  ChunkBuilder chunks(sink, request.chunkRows);
  SimulationSummary summary;
  std::uint64_t done = 0;
  for (std::size_t i = 0; i < request.preset.processes.size(); ++i) {
    const ProcessSpec& spec = request.preset.processes[i];
    ProcessSummary s;
    s.process = spec.process;
    s.selected = counts[i];
    s.expectedYield = spec.expectedYield * request.luminosityFb / request.preset.referenceLuminosityFb;
    s.weight = counts[i] > 0 ? s.expectedYield / static_cast<double>(counts[i]) : 0.0;
    s.sumWeights = s.weight * static_cast<double>(counts[i]);
    if (counts[i] > 0) {
      s.attempted = generateProcess(request, {spec.process, i, counts[i], s.weight}, chunks, done, progress);
      s.crossSectionYield = spec.crossSectionFb * request.luminosityFb * static_cast<double>(s.selected) /
                            static_cast<double>(s.attempted);
    }
    summary.processes.push_back(s);
  }
  chunks.flush();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

EventTable simulateToTable(const SimulationRequest& request, SimulationSummary* summary) {
  EventTable all;
  const auto s = simulateEvents(request, [&](const EventTable& chunk) { all.append(chunk); });
  if (summary) *summary = s;
  return all;
}

SimulationSummary simulateToFile(const SimulationRequest& request, const std::filesystem::path& path,
                                 const ProgressCallback& progress) {
  EventChunkWriter writer(path, eventFormatFromPath(path));
  const auto summary = simulateEvents(request, [&](const EventTable& chunk) { writer.append(chunk); }, progress);
  writer.commit();
  return summary;
}

}  // namespace higgsuq::sim
