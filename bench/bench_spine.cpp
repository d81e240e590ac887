// Throughput of the spine: systematics + cuts + DER on 1 M events (and on 65,536 in cache; DER alone),
// and one neurips2024 pseudo-experiment (~1.05 M events) built from a pool of 5 M events. Threads: 1 and 2.
//   build/bin/bench_spine --benchmark_filter=. --benchmark_min_time=2
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>

#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/pseudo/PseudoExperiment.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq {
namespace {

const EventTable& sample() {
  static const EventTable t = readCsvEvents(
      std::filesystem::path(HIGGSUQ_SHARED_DIR) / "data/fair-universe-sample/FAIR_Universe_HiggsML_data.csv",
      CsvLayout::FairCsv);
  return t;
}

EventTable replicated(std::size_t events) {
  EventTable t;
  t.reserve(events);
  while (t.size() < events) t.append(sample(), 0, std::min(sample().size(), events - t.size()));
  return t;
}

/// Systematics + cuts + DER on `input` with state.range(0) threads.
void runSystematics(benchmark::State& state, const EventTable& input) {
  tbb::global_control control(tbb::global_control::max_allowed_parallelism, state.range(0));
  const Systematics systematics{SystematicsConfig{}};
  const NuisanceValues values{
      .tes = 1.01, .jes = 0.99, .softMet = 1.5, .ttbarScale = 1.02, .bkgScale = 1.001};
  for (auto _ : state) {
    EventTable out = systematics.apply(input, values, SoftMetNoise::fromSeed(31415));
    benchmark::DoNotOptimize(out.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_SystematicsCutsDer(benchmark::State& state) {
  static const EventTable input = replicated(1'000'000);
  runSystematics(state, input);
}
BENCHMARK(BM_SystematicsCutsDer)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The same pass on 65,536 events, whose input and output (11 MB) stay in the 32 MB last-level cache:
/// its arithmetic without the DRAM traffic of the 1 M-event benchmark.
void BM_SystematicsInCache(benchmark::State& state) {
  static const EventTable input = replicated(65'536);
  runSystematics(state, input);
}
BENCHMARK(BM_SystematicsInCache)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond)->UseRealTime();

/// DER alone on 65,536 events of the FAIR sample (the fused pass's per-block work without its memory
/// traffic: the table stays in the last-level cache).
void BM_DerivedFeatures(benchmark::State& state) {
  tbb::global_control control(tbb::global_control::max_allowed_parallelism, 1);
  EventTable table = replicated(65'536);
  for (auto _ : state) {
    computeDerived(table);
    benchmark::DoNotOptimize(table.column(Feature::MassVis).data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * table.size()));
}
BENCHMARK(BM_DerivedFeatures)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_BuildNeurips2024PseudoExperiment(benchmark::State& state) {
  tbb::global_control control(tbb::global_control::max_allowed_parallelism, state.range(0));
  static const EventTable pool = replicated(5'000'000);
  static const PseudoExperimentFactory factory(pool, loadChallengeDefinition("neurips2024"));
  int pe = 0;
  std::size_t events = 0;
  for (auto _ : state) {
    PseudoExperiment built = factory.build({31415, pe % 10, pe});
    events += built.events.size();
    ++pe;
  }
  state.counters["events_per_pe"] = static_cast<double>(events) / static_cast<double>(state.iterations());
  state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_BuildNeurips2024PseudoExperiment)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// The memory floor of both benchmarks above: allocating and writing an output table of 1 M events
/// (28 float columns, weights, labels, processes: ~122 MB) and nothing else.
void BM_WriteOutputTableFloor(benchmark::State& state) {
  tbb::global_control control(tbb::global_control::max_allowed_parallelism, state.range(0));
  constexpr std::size_t kEvents = 1'000'000;
  for (auto _ : state) {
    EventTable out;
    out.resizeUninitialized(kEvents);
    tbb::parallel_for(std::size_t{0}, kNumFeatures + 3, [&](std::size_t c) {
      if (c < kNumFeatures) {
        std::fill_n(out.column(featureAt(c)).data(), kEvents, 1.0f);
      } else if (c == kNumFeatures) {
        std::fill_n(out.weights().data(), kEvents, 1.0);
      } else if (c == kNumFeatures + 1) {
        std::fill_n(out.labels().data(), kEvents, std::uint8_t{1});
      } else {
        std::fill_n(out.processes().data(), kEvents, Process::ZTauTau);
      }
    });
    benchmark::DoNotOptimize(out.column(Feature::Met).data());
  }
  state.counters["threads"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_WriteOutputTableFloor)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace higgsuq
