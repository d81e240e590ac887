// LibTorch network classifier cost, on bench_classifier's synthetic problem (28 N(0, 1) features,
// 30% signal, signal +0.5 / background -0.5 in the first 5):
//  - BM_NetworkEpoch600k/<preset>/<threads>: one training epoch on 600 k events (90% of them train,
//    10% validate); the counter `epoch_s` is the epoch's own time (Adam steps + validation loss/AUC),
//    `valid_auc` the validation AUC after it;
//  - BM_NetworkPredict1M/<architecture>/<threads>: predict() (the compiled MlpNetwork kernel, TBB)
//    on 1 M events, for the presets and the candidate sizes the default `nn` was chosen from
//    (random weights: the cost does not depend on their values);
//  - BM_NetworkPredictLibrary1M/<preset>/<threads>: LibTorch's own forward (predictWithLibrary).
//   build/bin/bench_torch --benchmark_filter=Predict
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cmath>
#include <string>
#include <vector>

#include "SyntheticProblem.hpp"
#include "higgsuq/ml/TorchClassifier.hpp"

namespace higgsuq::ml {
namespace {

using bench::syntheticEvents;

const EventTable& predictionEvents() {
  static const EventTable events = syntheticEvents(1'000'000, 2);
  return events;
}

struct Architecture {
  const char* name;
  std::vector<int> hidden;
  Activation activation;
};

const std::vector<Architecture>& architectures() {
  static const std::vector<Architecture> list{
      {"nn", TorchConfig::preset("nn").hiddenLayers, TorchConfig::preset("nn").activation},
      {"nn-reference", TorchConfig::preset("nn-reference").hiddenLayers,
       TorchConfig::preset("nn-reference").activation},
      {"16x16-relu", {16, 16}, Activation::eRelu},
      {"32x32-sigmoid", {32, 32}, Activation::eSigmoid},
      {"32x32x32-relu", {32, 32, 32}, Activation::eRelu},
      {"32x32-relu", {32, 32}, Activation::eRelu},
      {"64x64-sigmoid", {64, 64}, Activation::eSigmoid},
      {"64x64x64-relu", {64, 64, 64}, Activation::eRelu},
      {"128x128-relu", {128, 128}, Activation::eRelu},
  };
  return list;
}

/// A network of the given shape with deterministic pseudo-random weights (scale 1/sqrt(inputs)).
MlpNetwork randomNetwork(const Architecture& a) {
  std::vector<DenseLayer> layers;
  std::size_t inputs = kRowWidth;
  std::vector<int> widths = a.hidden;
  widths.push_back(1);
  const StreamKey key = streamKey(5, 0, 0, Stream::eGenerator);
  std::uint64_t counter = 0;
  for (int width : widths) {
    DenseLayer layer{inputs, static_cast<std::size_t>(width), {}, {}};
    const float scale = 1.0f / std::sqrt(static_cast<float>(inputs));
    for (std::size_t i = 0; i < inputs * layer.outputs; ++i) {
      layer.weights.push_back(scale * static_cast<float>(normalAt(key, counter++)));
    }
    layer.bias.assign(layer.outputs, 0.01f);
    inputs = layer.outputs;
    layers.push_back(std::move(layer));
  }
  return MlpNetwork(std::move(layers), a.activation);
}

void BM_NetworkPredict1M(benchmark::State& state) {
  const Architecture& a = architectures()[static_cast<std::size_t>(state.range(0))];
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism, state.range(1));
  const TorchClassifier clf(TorchConfig{}, randomNetwork(a), FeatureScaling::identity());
  const EventTable& events = predictionEvents();
  std::vector<float> scores(events.size());
  for (auto _ : state) {
    clf.predict(events, scores);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetLabel(a.name);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
  state.counters["madds"] = static_cast<double>(clf.network().multiplyAdds());
}

void BM_NetworkPredictLibrary1M(benchmark::State& state) {
  const Architecture& a = architectures()[static_cast<std::size_t>(state.range(0))];
  const TorchClassifier clf(TorchConfig{}, randomNetwork(a), FeatureScaling::identity());
  const EventTable& events = predictionEvents();
  std::vector<float> scores(events.size());
  // LibTorch's intra-op threads are set by training only; this measures its default (all cores).
  for (auto _ : state) {
    clf.predictWithLibrary(events, scores);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetLabel(a.name);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events.size()));
}

void BM_NetworkEpoch600k(benchmark::State& state) {
  static const EventTable events = syntheticEvents(600'000, 1);
  TorchConfig config = TorchConfig::preset(state.range(0) == 0 ? "nn" : "nn-reference");
  config.epochs = 1;
  config.threads = static_cast<int>(state.range(1));
  double epochSeconds = 0.0, auc = 0.0;
  for (auto _ : state) {
    const TorchClassifier clf = TorchClassifier::train(events, config);
    epochSeconds = clf.summary().history.front().seconds;
    auc = clf.summary().validationAuc;
  }
  state.SetLabel(state.range(0) == 0 ? "nn" : "nn-reference");
  state.counters["epoch_s"] = epochSeconds;
  state.counters["valid_auc"] = auc;
}

void predictArguments(benchmark::internal::Benchmark* b) {
  for (std::int64_t a = 0; a < static_cast<std::int64_t>(architectures().size()); ++a) {
    for (std::int64_t t : {1, 2}) b->Args({a, t});
  }
}

BENCHMARK(BM_NetworkPredict1M)->Apply(predictArguments)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NetworkPredictLibrary1M)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);
BENCHMARK(BM_NetworkEpoch600k)
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace higgsuq::ml
