// One neurips2024 pseudo-experiment through the baseline, split into its parts: PE build (bootstrap,
// systematics, cuts, DER), classifier scores, template fit + profile interval; plus the baseline's
// fit() on a simulated training set, and the fit validity over toy histograms drawn from the trained
// template model with nuisances from the challenge priors.
//   build/bin/bench_pipeline --benchmark_min_time=1
// Environment: HIGGSUQ_BENCH_TRAIN (training events, default 600000), HIGGSUQ_BENCH_POOL (default 5000000).
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/sim/Generator.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
namespace {

std::uint64_t envOr(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

EventTable simulate(std::uint64_t events, std::uint64_t seed) {
  sim::SimulationRequest r;
  r.events = events;
  r.seed = seed;
  return sim::simulateToTable(r);
}

struct Fixture {
  ChallengeDefinition def = loadChallengeDefinition("neurips2024");
  EventTable training = simulate(envOr("HIGGSUQ_BENCH_TRAIN", 600'000), 11);
  EventTable pool = simulate(envOr("HIGGSUQ_BENCH_POOL", 5'000'000), 12);
  double fitSeconds = 0.0;
  BaselineModel model = [this] {
    const auto t0 = std::chrono::steady_clock::now();
    const BaselineConfig config;
    BaselineModel m = BaselineModel::fit(training, def, config);
    fitSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "baseline fit() on " << training.size() << " events: " << fitSeconds << " s\n";
    return m;
  }();
  PseudoExperimentFactory factory{pool, def};
  PseudoExperiment pe = factory.build({31415, 0, 0});
};

// Never destroyed: XGBoost's thread-local stores, created while the fixture is built, are destroyed
// before a function-local static would be, and its booster's destructor then frees freed memory.
Fixture& fixture() {
  static Fixture* f = new Fixture;
  return *f;
}

void BM_BaselineFit(benchmark::State& state) {
  for (auto _ : state) state.SetIterationTime(fixture().fitSeconds);
  state.counters["training_events"] = static_cast<double>(fixture().training.size());
}
BENCHMARK(BM_BaselineFit)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

void BM_PeBuild(benchmark::State& state) {
  tbb::global_control c(tbb::global_control::max_allowed_parallelism, state.range(0));
  int k = 0;
  for (auto _ : state) benchmark::DoNotOptimize(fixture().factory.build({31415, 1, k++}).events.size());
}
BENCHMARK(BM_PeBuild)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ClassifierScores(benchmark::State& state) {
  tbb::global_control c(tbb::global_control::max_allowed_parallelism, state.range(0));
  const EventTable& events = fixture().pe.events;
  std::vector<float> scores(events.size());
  const Classifier& classifier = fixture().model.classifier();
  for (auto _ : state) classifier.predict(events, scores);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
}

BENCHMARK(BM_ClassifierScores)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Predict(benchmark::State& state) {
  tbb::global_control c(tbb::global_control::max_allowed_parallelism, state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(fixture().model.predict(fixture().pe).muHat);
  state.counters["events"] = static_cast<double>(fixture().pe.events.size());
}
BENCHMARK(BM_Predict)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Toy histograms from the trained template model at nuisances drawn from the priors.
void BM_TemplateFitOnToys(benchmark::State& state) {
  const auto& model = fixture().model;
  const TemplateModel& rates = model.templates();
  int toy = 0, valid = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const NuisanceValues v = drawNuisances(fixture().def, 7, toy % 10, toy);
    Eigen::VectorXd theta = stats::initialValues(rates.parameters());
    theta << drawMu(fixture().def, 7, toy % 10), v.tes, v.jes, std::max(v.softMet, 1e-3), v.ttbarScale,
        v.dibosonScale, v.bkgScale;
    Eigen::VectorXd n = stats::asimovData(rates, theta);
    CounterRng rng(streamKey(7, 0, static_cast<std::uint64_t>(toy), Stream::eToys));
    for (Eigen::Index b = 0; b < n.size(); ++b) n[b] = static_cast<double>(rng.poisson(n[b]));
    ++toy;
    state.ResumeTiming();
    const Prediction p = model.fitHistogram(n);
    valid += p.status == PredictionStatus::Ok || p.status == PredictionStatus::IntervalClipped;
  }
  state.counters["valid_fraction"] = static_cast<double>(valid) / static_cast<double>(toy);
  state.counters["toys"] = toy;
}
BENCHMARK(BM_TemplateFitOnToys)->Iterations(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace higgsuq

