// Throughput of the built-in generator: selected events per second (default neurips2024 process mix,
// no file output), with TBB limited to 1 and 2 threads. items_per_second = selected events per second.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include "higgsuq/sim/Generator.hpp"

namespace {

void BM_SimulateSelectedEvents(benchmark::State& state) {
  const auto threads = static_cast<std::size_t>(state.range(0));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  higgsuq::sim::SimulationRequest request;
  request.events = 200000;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    request.seed = seed++;
    std::size_t rows = 0;
    higgsuq::sim::simulateEvents(request, [&](const higgsuq::EventTable& chunk) { rows += chunk.size(); });
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(request.events));
  state.counters["threads"] = static_cast<double>(threads);
}

}  // namespace

BENCHMARK(BM_SimulateSelectedEvents)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

