// XGBoost classifier cost: training with the default XgbConfig on a synthetic 600 k-event,
// 28-feature problem, and prediction throughput on 1 M events with 1 and 2 threads: predict() (the
// compiled TreeEnsemble, TBB threads) and predictWithLibrary() (XGBoost's predictor, nthread).
//   build/bin/bench_classifier --benchmark_filter=.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <filesystem>
#include <vector>

#include "SyntheticProblem.hpp"
#include "higgsuq/ml/XgbClassifier.hpp"

namespace higgsuq::ml {
namespace {

using bench::syntheticEvents;

const std::filesystem::path& trainedModelDir() {
  static const std::filesystem::path dir = [] {
    const auto d = std::filesystem::temp_directory_path() / "higgsuq_bench_classifier_model";
    XgbClassifier::train(syntheticEvents(600'000, 1), XgbConfig{}).save(d);
    return d;
  }();
  return dir;
}

void BM_TrainDefault600k(benchmark::State& state) {
  const EventTable events = syntheticEvents(600'000, 1);
  int rounds = 0;
  double auc = 0.0;
  for (auto _ : state) {
    const XgbClassifier clf = XgbClassifier::train(events, XgbConfig{});
    rounds = clf.summary().roundsTrained;
    auc = clf.summary().validationAuc;
  }
  state.counters["rounds"] = rounds;
  state.counters["valid_auc"] = auc;
}
BENCHMARK(BM_TrainDefault600k)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

template <bool Library>
void BM_Predict1M(benchmark::State& state) {
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism, state.range(0));
  const XgbClassifier clf = XgbClassifier::load(trainedModelDir(), static_cast<int>(state.range(0)));
  static const EventTable events = syntheticEvents(1'000'000, 2);
  std::vector<float> scores(events.size());
  for (auto _ : state) {
    if constexpr (Library) {
      clf.predictWithLibrary(events, scores);
    } else {
      clf.predict(events, scores);
    }
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.counters["trees"] = clf.summary().bestIteration + 1;
}
BENCHMARK(BM_Predict1M<false>)->Name("BM_Predict1M_compiled")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Predict1M<true>)->Name("BM_Predict1M_xgboost")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace higgsuq::ml
