// The LibTorch adapter of the classifier seam: a dense network (multilayer perceptron) trained with
// LibTorch (Adam, weighted binary cross-entropy, L2 as Adam's weight decay, early stopping on a
// validation split), as in the challenge's first baseline (reference-challenge.md §6.5). The data
// preparation is the tree model's: the same split (splitTrainValidation), the same class balancing
// (balancedClassWeights), and a weighted standardisation (FeatureScaling::fit) stored with the model
// and applied once, at the network's input (the reference's PyTorch example scaled twice, §6.3).
//
//   TorchClassifier clf = TorchClassifier::train(events, TorchConfig::preset("nn"), printEpoch);
//   clf.predict(events, scores);      // P(signal) per event, thread-safe, no LibTorch involved
//   clf.save("models/nn");            // weights.bin + classifier.json (kind "torch-mlp")
//
// Prediction uses MlpNetwork (a compiled kernel on the EventTable columns); predictWithLibrary()
// runs LibTorch's own forward on the same weights, as the cross-check.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "higgsuq/ml/Classifier.hpp"
#include "higgsuq/ml/MlpNetwork.hpp"
#include "higgsuq/ml/TrainingData.hpp"

namespace higgsuq::ml {

struct TorchConfig {
  std::vector<int> hiddenLayers{64, 64};      ///< widths of the hidden layers, input to output
  Activation activation = Activation::eRelu;  ///< of every hidden layer; the output is a sigmoid
  double l2 = 1e-4;                           ///< Adam weight_decay (L2 added to the gradient)
  int batchSize = 1000;                       ///< events per Adam step
  double learningRate = 1e-3;                 ///< Adam lr
  int epochs = 20;                            ///< maximum passes over the training part
  int earlyStoppingEpochs = 3;      ///< stop after this many epochs without a lower validation loss; 0 = off
  double validationFraction = 0.1;  ///< share held out for early stopping and the AUC, in (0, 1)
  int threads = 0;                  ///< LibTorch intra-op threads during training; 0 = all cores
  std::uint64_t seed = 42;          ///< split seed (as XgbConfig) and torch::manual_seed

  /// Throws std::invalid_argument naming the first bad field ("TorchConfig.<field>: ...").
  void validate() const;
  /// "nn" (the default above, sized so inference costs no more than the tree model's) or
  /// "nn-reference" (the challenge's network, reference-challenge.md §6.5). Throws
  /// std::invalid_argument for another name.
  static TorchConfig preset(std::string_view name);
};

/// One epoch of training, as reported to the progress callback and kept in the summary.
struct TorchEpoch {
  int epoch = 0;                ///< 1-based
  double trainLoss = 0.0;       ///< mean weighted BCE over the epoch's batches
  double validationLoss = 0.0;  ///< weighted BCE on the validation part after the epoch
  double validationAuc = 0.0;   ///< weighted AUC on the validation part after the epoch
  double seconds = 0.0;         ///< wall time of the epoch (training and validation)
};

using TorchProgress = std::function<void(const TorchEpoch&)>;

struct TorchTrainingSummary {
  int epochsTrained = 0;
  int bestEpoch = 0;  ///< 1-based epoch with the lowest validation loss; its weights are kept
  std::vector<TorchEpoch> history;
  double validationAuc = 0.0;  ///< at the best epoch
  std::size_t trainEvents = 0;
  std::size_t validationEvents = 0;
};

class TorchClassifier final : public Classifier {
 public:
  /// Rows per LibTorch call in predictWithLibrary().
  static constexpr std::size_t kLibraryBatchRows = 65536;

  /// Trains on `events` (labels 0/1, weights >= 0); `progress` (if set) is called after each epoch.
  /// Throws std::invalid_argument for a bad config, InputError for unusable data (a class without
  /// weight), ClassifierError for LibTorch failures.
  static TorchClassifier train(const EventTable& events, const TorchConfig& config = {},
                               const TorchProgress& progress = {});

  /// Loads what save() wrote (bit-identical scores). Throws InputError naming the file.
  static TorchClassifier load(const std::filesystem::path& dir);

  /// A classifier from given weights (tests, tools); the summary is empty.
  TorchClassifier(TorchConfig config, MlpNetwork network, FeatureScaling scaling,
                  TorchTrainingSummary summary = {});

  /// The compiled network on the columns, in parallel over blocks of events (TBB, so an enclosing
  /// task arena bounds the threads). No LibTorch call, no autograd, no shared mutable state.
  void predict(const EventTable& events, std::span<float> scores) const override;
  /// LibTorch's forward on the same weights: batches of kLibraryBatchRows scaled rows, under
  /// c10::InferenceMode (no autograd graph). The cross-check of predict(); agrees to float rounding.
  void predictWithLibrary(const EventTable& events, std::span<float> scores) const;
  void save(const std::filesystem::path& dir) const override;
  std::string kind() const override { return "torch-mlp"; }

  const TorchConfig& config() const { return m_config; }
  const TorchTrainingSummary& summary() const { return m_summary; }
  const FeatureScaling& scaling() const { return m_scaling; }
  const MlpNetwork& network() const { return m_network; }

 private:
  TorchConfig m_config;
  MlpNetwork m_network;
  FeatureScaling m_scaling;
  TorchTrainingSummary m_summary;
};

}  // namespace higgsuq::ml
