#include "higgsuq/ml/TorchClassifier.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <bit>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include "higgsuq/ml/Manifest.hpp"
#include "higgsuq/ml/TorchTraining.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {
namespace {

constexpr const char* kWeightsFile = "weights.bin";
constexpr int kManifestVersion = 1;
constexpr int kMaxLayerWidth = 4096;
/// Events per TBB task in predict(); every event's score is independent of how the range is cut.
constexpr std::size_t kPredictGrain = 8192;

void require(bool ok, const char* field, const std::string& expected) {
  if (!ok) throw std::invalid_argument(std::string("TorchConfig.") + field + ": must be " + expected);
}

torchimpl::PreparedPart preparePart(const EventTable& events, std::span<const std::uint32_t> rows,
                                    const FeatureScaling& scaling) {
  torchimpl::PreparedPart part{labelledRows(events, rows, scaling), {}};
  const double total = std::accumulate(part.balancedWeights.begin(), part.balancedWeights.end(), 0.0);
  const double toMeanOne = static_cast<double>(rows.size()) / total;
  part.lossWeights.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    part.lossWeights[i] = static_cast<float>(part.balancedWeights[i] * toMeanOne);
  }
  return part;
}

std::array<const float*, kRowWidth> columnPointers(const EventTable& events, std::size_t begin) {
  std::array<const float*, kRowWidth> columns;
  for (std::size_t f = 0; f < kRowWidth; ++f) columns[f] = events.column(featureAt(f)).data() + begin;
  return columns;
}

// ---- manifest and weights file

nlohmann::json configToJson(const TorchConfig& c) {
  return {{"hidden_layers", c.hiddenLayers},
          {"activation", std::string(activationName(c.activation))},
          {"l2", c.l2},
          {"batch_size", c.batchSize},
          {"learning_rate", c.learningRate},
          {"epochs", c.epochs},
          {"early_stopping_epochs", c.earlyStoppingEpochs},
          {"validation_fraction", c.validationFraction},
          {"threads", c.threads},
          {"seed", c.seed}};
}

TorchConfig configFromJson(const nlohmann::json& j, const std::filesystem::path& dir) {
  TorchConfig c;
  const auto hidden = manifestField<nlohmann::json>(j, "hidden_layers", dir);
  c.hiddenLayers.clear();
  for (const auto& width : hidden) c.hiddenLayers.push_back(width.get<int>());
  c.activation =
      activationFromName(manifestField<std::string>(j, "activation", dir), "TorchConfig.activation");
  c.l2 = manifestField<double>(j, "l2", dir);
  c.batchSize = manifestField<int>(j, "batch_size", dir);
  c.learningRate = manifestField<double>(j, "learning_rate", dir);
  c.epochs = manifestField<int>(j, "epochs", dir);
  c.earlyStoppingEpochs = manifestField<int>(j, "early_stopping_epochs", dir);
  c.validationFraction = manifestField<double>(j, "validation_fraction", dir);
  c.threads = manifestField<int>(j, "threads", dir);
  c.seed = manifestField<std::uint64_t>(j, "seed", dir);
  return c;
}

nlohmann::json historyToJson(const std::vector<TorchEpoch>& history) {
  nlohmann::json out = nlohmann::json::array();
  for (const TorchEpoch& e : history) {
    out.push_back({{"epoch", e.epoch},
                   {"train_loss", e.trainLoss},
                   {"validation_loss", e.validationLoss},
                   {"validation_auc", e.validationAuc},
                   {"seconds", e.seconds}});
  }
  return out;
}

std::vector<TorchEpoch> historyFromJson(const nlohmann::json& j, const std::filesystem::path& dir) {
  std::vector<TorchEpoch> history;
  for (const auto& e : j) {
    history.push_back({manifestField<int>(e, "epoch", dir), manifestField<double>(e, "train_loss", dir),
                       manifestField<double>(e, "validation_loss", dir),
                       manifestField<double>(e, "validation_auc", dir),
                       manifestField<double>(e, "seconds", dir)});
  }
  return history;
}

/// weights.bin: for each layer, W (outputs x inputs) then b, as little-endian float32; the shapes
/// are in the manifest. Floats are written bit for bit, so a loaded network scores identically.
void writeWeights(const std::filesystem::path& file, const std::vector<DenseLayer>& layers) {
  static_assert(std::endian::native == std::endian::little, "weights.bin is little-endian");
  std::ofstream out(file, std::ios::binary);
  for (const DenseLayer& layer : layers) {
    out.write(reinterpret_cast<const char*>(layer.weights.data()),
              static_cast<std::streamsize>(layer.weights.size() * sizeof(float)));
    out.write(reinterpret_cast<const char*>(layer.bias.data()),
              static_cast<std::streamsize>(layer.bias.size() * sizeof(float)));
  }
  if (!out) throw InputError("cannot write network weights " + file.string());
}

std::vector<DenseLayer> readWeights(const std::filesystem::path& file, const nlohmann::json& shapes,
                                    const std::filesystem::path& dir) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("missing network weights file " + file.string());
  std::vector<DenseLayer> layers;
  for (const auto& shape : shapes) {
    DenseLayer layer;
    layer.inputs = manifestField<std::uint64_t>(shape, "inputs", dir);
    layer.outputs = manifestField<std::uint64_t>(shape, "outputs", dir);
    if (layer.inputs > kMaxLayerWidth || layer.outputs > kMaxLayerWidth) {
      throw InputError("classifier manifest " + (dir / kClassifierManifest).string() + ": layer wider than " +
                       std::to_string(kMaxLayerWidth));
    }
    layer.weights.resize(layer.inputs * layer.outputs);
    layer.bias.resize(layer.outputs);
    in.read(reinterpret_cast<char*>(layer.weights.data()),
            static_cast<std::streamsize>(layer.weights.size() * sizeof(float)));
    in.read(reinterpret_cast<char*>(layer.bias.data()),
            static_cast<std::streamsize>(layer.bias.size() * sizeof(float)));
    if (!in) throw InputError("network weights file " + file.string() + " is shorter than its manifest says");
    layers.push_back(std::move(layer));
  }
  if (in.peek() != std::char_traits<char>::eof()) {
    throw InputError("network weights file " + file.string() + " is longer than its manifest says");
  }
  return layers;
}

nlohmann::json layerShapes(const std::vector<DenseLayer>& layers) {
  nlohmann::json shapes = nlohmann::json::array();
  for (const DenseLayer& l : layers) shapes.push_back({{"inputs", l.inputs}, {"outputs", l.outputs}});
  return shapes;
}

}  // namespace

void TorchConfig::validate() const {
  require(!hiddenLayers.empty(), "hiddenLayers", "non-empty (at least one hidden layer)");
  require(std::all_of(hiddenLayers.begin(), hiddenLayers.end(),
                      [](int w) { return w >= 1 && w <= kMaxLayerWidth; }),
          "hiddenLayers", "widths in [1, " + std::to_string(kMaxLayerWidth) + "]");
  require(l2 >= 0.0 && std::isfinite(l2), "l2", ">= 0");
  require(batchSize >= 1, "batchSize", ">= 1");
  require(learningRate > 0.0 && learningRate <= 1.0, "learningRate", "in (0, 1]");
  require(epochs >= 1, "epochs", ">= 1");
  require(earlyStoppingEpochs >= 0, "earlyStoppingEpochs", ">= 0 (0 = off)");
  require(validationFraction > 0.0 && validationFraction < 1.0, "validationFraction", "in (0, 1)");
  require(threads >= 0, "threads", ">= 0 (0 = all cores)");
}

TorchConfig TorchConfig::preset(std::string_view name) {
  if (name == "nn") return TorchConfig{};
  if (name == "nn-reference") {
    // reference-challenge.md §6.5: n -> 200 -> 200 -> 200 -> 1, sigmoid throughout, Adam lr 1e-3,
    // weight_decay 1e-4, batch 1000, <= 100 epochs, a 10% holdout. The "4 x 200" counts the
    // four weight layers; the reference network has three hidden layers of 200 (docs/classifier.md).
    TorchConfig c;
    c.hiddenLayers = {200, 200, 200};
    c.activation = Activation::eSigmoid;
    c.l2 = 1e-4;
    c.batchSize = 1000;
    c.learningRate = 1e-3;
    c.epochs = 100;
    c.earlyStoppingEpochs = 5;
    c.validationFraction = 0.1;
    return c;
  }
  throw std::invalid_argument("network preset: must be \"nn\" or \"nn-reference\" (got \"" +
                              std::string(name) + "\")");
}

TorchClassifier::TorchClassifier(TorchConfig config, MlpNetwork network, FeatureScaling scaling,
                                 TorchTrainingSummary summary)
    : m_config(std::move(config)),
      m_network(std::move(network)),
      m_scaling(scaling),
      m_summary(std::move(summary)) {
  m_config.validate();
}

TorchClassifier TorchClassifier::train(const EventTable& events, const TorchConfig& config,
                                       const TorchProgress& progress) {
  config.validate();
  const TrainValidationSplit split =
      splitTrainValidation(events.size(), config.validationFraction, config.seed);
  const EventTable trainEvents = events.gather(split.train);
  const FeatureScaling scaling =
      FeatureScaling::fit(trainEvents, balancedClassWeights(trainEvents.labels(), trainEvents.weights()));
  const torchimpl::PreparedPart trainPart = preparePart(events, split.train, scaling);
  const torchimpl::PreparedPart validPart = preparePart(events, split.validation, scaling);
  TorchTrainingSummary summary;
  summary.trainEvents = trainPart.size();
  summary.validationEvents = validPart.size();
  std::vector<DenseLayer> layers = torchimpl::trainNetwork(trainPart, validPart, config, progress, summary);
  try {
    MlpNetwork network(std::move(layers), config.activation);
    return TorchClassifier(config, std::move(network), scaling, std::move(summary));
  } catch (const std::invalid_argument& e) {  // e.g. weights that diverged to NaN
    throw ClassifierError(std::string("LibTorch training produced an unusable network: ") + e.what());
  }
}

void TorchClassifier::predict(const EventTable& events, std::span<float> scores) const {
  if (scores.size() != events.size()) {
    throw std::invalid_argument("TorchClassifier::predict: scores must have one entry per event");
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, events.size(), kPredictGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      const auto columns = columnPointers(events, r.begin());
                      m_network.predictColumns(columns, r.size(), m_scaling,
                                               scores.subspan(r.begin(), r.size()));
                    });
}

void TorchClassifier::predictWithLibrary(const EventTable& events, std::span<float> scores) const {
  if (scores.size() != events.size()) {
    throw std::invalid_argument("TorchClassifier::predict: scores must have one entry per event");
  }
  predictInRowMajorBatches(events, m_scaling, kLibraryBatchRows, scores,
                           [&](std::span<const float> rows, std::size_t n, std::span<float> out) {
                             torchimpl::forwardWithLibrary(m_network, rows, n, out);
                           });

}

void TorchClassifier::save(const std::filesystem::path& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  writeWeights(dir / kWeightsFile, m_network.layers());
  const nlohmann::json manifest = {{"kind", kind()},
                                   {"format_version", kManifestVersion},
                                   {"weights_file", kWeightsFile},
                                   {"features", featureNames()},
                                   {"config", configToJson(m_config)},
                                   {"layers", layerShapes(m_network.layers())},
                                   {"activation", std::string(activationName(m_network.activation()))},
                                   {"scaling", scalingToJson(m_scaling)},
                                   {"epochs_trained", m_summary.epochsTrained},
                                   {"best_epoch", m_summary.bestEpoch},
                                   {"validation_auc", m_summary.validationAuc},
                                   {"train_events", m_summary.trainEvents},
                                   {"validation_events", m_summary.validationEvents},
                                   {"history", historyToJson(m_summary.history)}};
  writeClassifierManifest(dir, manifest);
}

TorchClassifier TorchClassifier::load(const std::filesystem::path& dir) {
  const nlohmann::json manifest = readCheckedManifest(dir, "torch-mlp", kManifestVersion);
  const std::string manifestFile = (dir / kClassifierManifest).string();
  try {
    TorchConfig config = configFromJson(manifestField<nlohmann::json>(manifest, "config", dir), dir);
    const Activation activation = activationFromName(manifestField<std::string>(manifest, "activation", dir));
    const auto weightsFile = dir / manifestField<std::string>(manifest, "weights_file", dir);
    std::vector<DenseLayer> layers =
        readWeights(weightsFile, manifestField<nlohmann::json>(manifest, "layers", dir), dir);
    TorchTrainingSummary summary;
    summary.epochsTrained = manifestField<int>(manifest, "epochs_trained", dir);
    summary.bestEpoch = manifestField<int>(manifest, "best_epoch", dir);
    summary.validationAuc = manifestField<double>(manifest, "validation_auc", dir);
    summary.trainEvents = manifestField<std::uint64_t>(manifest, "train_events", dir);
    summary.validationEvents = manifestField<std::uint64_t>(manifest, "validation_events", dir);
    summary.history = historyFromJson(manifestField<nlohmann::json>(manifest, "history", dir), dir);
    const FeatureScaling scaling =
        scalingFromJson(manifestField<nlohmann::json>(manifest, "scaling", dir), dir);
    return TorchClassifier(std::move(config), MlpNetwork(std::move(layers), activation), scaling,
                           std::move(summary));
  } catch (const std::invalid_argument& e) {
    throw InputError(manifestFile + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(manifestFile + ": " + e.what());
  }
}

}  // namespace higgsuq::ml
