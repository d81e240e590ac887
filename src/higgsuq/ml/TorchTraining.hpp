// The LibTorch side of TorchClassifier (internal to ml): the training loop and LibTorch's own forward.
// TorchTraining.cpp is the only file that includes LibTorch. It is built into a plugin,
// libhiggsuq_torch.so, that TorchClassifier loads (dlopen) on the first training or library forward:
// loading libtorch costs ~1 s of static initialisation and ~160 MB per process, which every other
// `higgsuq` command and test would otherwise pay (inference needs no LibTorch, see MlpNetwork.hpp).
// No LibTorch type and no exception crosses the plugin boundary: every failure (c10::Error or other)
// comes back as a message, which the host throws as ClassifierError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "higgsuq/ml/MlpNetwork.hpp"
#include "higgsuq/ml/TorchClassifier.hpp"

namespace higgsuq::ml::torchimpl {

/// One part (training or validation) of the data, standardised, row-major, ready for LibTorch.
struct PreparedPart : LabelledRows {
  std::vector<float> lossWeights;  ///< class-balanced weights rescaled to mean 1 (the loss's scale)
};

/// The plugin's entry points; each returns an empty string on success, else the error message.
struct TorchPluginApi {
  int version;  ///< kTorchPluginVersion
  std::string (*train)(const PreparedPart& train, const PreparedPart& validation, const TorchConfig& config,
                       const TorchProgress& progress, TorchTrainingSummary& summary,
                       std::vector<DenseLayer>& layers);
  std::string (*forward)(const MlpNetwork& network, std::span<const float> rowMajor, std::size_t rows,
                         std::span<float> out);
};
inline constexpr int kTorchPluginVersion = 1;
/// The symbol the plugin exports (extern "C", returns a pointer to its TorchPluginApi).
inline constexpr const char* kTorchPluginSymbol = "higgsuq_torch_plugin";

/// Host side (TorchPlugin.cpp): the plugin's API, loaded once per process (thread-safe). Searched in
/// $HIGGSUQ_TORCH_PLUGIN, then beside the executable and in ../lib, then in the build tree. Throws
/// ClassifierError naming every place tried and dlopen's message when it cannot be loaded.
const TorchPluginApi& torchPlugin();

/// Trains the configured network with Adam and returns its layers at the epoch with the lowest
/// validation loss; fills `summary` (history, best epoch, AUC) and calls `progress` after each epoch.
/// Sets LibTorch's intra-op thread count for the duration (restored after) and seeds its global
/// generator: two trainings must not run concurrently in one process.
std::vector<DenseLayer> trainNetwork(const PreparedPart& train, const PreparedPart& validation,
                                     const TorchConfig& config, const TorchProgress& progress,
                                     TorchTrainingSummary& summary);

/// (Both through torchPlugin(); a failure inside LibTorch is thrown as ClassifierError.)
/// LibTorch forward (addmm + activation per layer, a sigmoid at the end) of `rows` standardised
/// row-major events, under c10::InferenceMode; the weights are wrapped, not copied, and only read.
void forwardWithLibrary(const MlpNetwork& network, std::span<const float> rowMajor, std::size_t rows,
                        std::span<float> out);

}  // namespace higgsuq::ml::torchimpl
