// A trained multilayer perceptron (dense layers, one hidden activation, a sigmoid output) held as
// plain float arrays and evaluated without LibTorch: the inference path of TorchClassifier.
//
// Why not LibTorch's forward: on Debian's libtorch 1.13 each layer is one BLAS call on a row-major
// copy plus elementwise passes, each with OpenMP threads that `--threads` and TBB arenas do not
// govern; a 28->32->32->1 network ran at ~1.2 M events/s on one core with OpenBLAS and ~0.4 M/s
// with the reference BLAS that `--no-install-recommends` leaves. This kernel reads the EventTable
// columns directly, standardises on the fly, and keeps 32 events per block in AVX2 registers
// (4 x 8 lanes), one FMA chain per event and output neuron, so an event's score depends only on
// its own inputs (not on the batch or the thread count). A portable scalar walk does the same
// operations in the same order (std::fma, the same exp polynomial) and gives bit-identical scores.
//
//   MlpNetwork net({DenseLayer{28, 64, w1, b1}, ..., DenseLayer{64, 1, w3, b3}}, Activation::eRelu);
//   net.predictColumns(columns, rows, scaling, scores);   // P(signal) per event; const, thread-safe
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "higgsuq/ml/TrainingData.hpp"

namespace higgsuq::ml {

/// The activation of every hidden layer (the output layer always ends in a sigmoid).
enum class Activation { eSigmoid, eRelu, eTanh };

std::string_view activationName(Activation a);
/// "sigmoid", "relu" or "tanh"; throws std::invalid_argument naming `field` otherwise.
Activation activationFromName(std::string_view name, const std::string& field = "activation");

/// y = W x + b with W row-major (outputs x inputs).
struct DenseLayer {
  std::size_t inputs = 0;
  std::size_t outputs = 0;
  std::vector<float> weights;  ///< outputs * inputs, row o holds the weights into output o
  std::vector<float> bias;     ///< outputs
};

class MlpNetwork {
 public:
  /// Events evaluated together by the kernel (4 AVX2 registers of 8 lanes).
  static constexpr std::size_t kBlockEvents = 32;

  /// Throws std::invalid_argument when shapes do not chain, the first layer does not take
  /// kRowWidth inputs, the last does not have one output, or a weight is not finite.
  MlpNetwork(std::vector<DenseLayer> layers, Activation hidden);

  /// P(signal) of `rows` events: columns[f] points at `rows` raw values of feature f, which are
  /// standardised as (x - mean) / std (fillRowMajor's arithmetic) before the first layer.
  /// Single-threaded; allocates one scratch buffer per call; safe to call concurrently.
  void predictColumns(std::span<const float* const> columns, std::size_t rows, const FeatureScaling& scaling,
                      std::span<float> out) const;

  /// The same network evaluated by the portable scalar walk only (cross-checks and benchmarks).
  MlpNetwork scalarOnly() const {
    MlpNetwork n = *this;
    n.m_avx2 = false;
    return n;
  }
  bool vectorised() const { return m_avx2; }

  const std::vector<DenseLayer>& layers() const { return m_layers; }
  Activation activation() const { return m_activation; }
  /// Multiply-adds per event (sum of inputs * outputs over the layers).
  std::size_t multiplyAdds() const;

 private:
  std::vector<DenseLayer> m_layers;
  Activation m_activation;
  std::size_t m_maxWidth = 0;
  bool m_avx2 = false;
};

}  // namespace higgsuq::ml
