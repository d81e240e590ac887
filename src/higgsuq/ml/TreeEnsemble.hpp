// A trained XGBoost tree ensemble compiled into flat arrays for fast, branch-free inference.
//
// Why this exists instead of calling XGBoosterPredictFromDense: Debian's libxgboost 1.7 is built
// without NDEBUG and predicts ~0.7 M events/s on this machine, which made the classifier 80% of a
// pseudo-experiment's cost. Its threads are also OpenMP threads that `--threads` cannot govern.
// This evaluator reads the model XGBoost itself wrote (its JSON format), pads every tree to one
// complete depth D (a leaf above depth D becomes a subtree whose 2^k leaves all hold its value), and
// walks 8 events at once per tree with no data-dependent branches (AVX2 lanes where the CPU has
// them: table look-ups by permutation for the upper levels, gathers below; scalar otherwise). The arithmetic is XGBoost's:
// `x < threshold` goes left, NaN follows the node's default direction, leaf values are added in
// float in tree order onto the base margin, and the probability is 1 / (1 + expf(-margin)). Tests
// compare it with XGBoost's own predictions on the same model (tests/unit/ml/test_tree_ensemble.cpp).
//
//   TreeEnsemble forest = TreeEnsemble::fromXgboostJson(jsonText, bestIteration + 1);
//   forest.predictRows(rowMajor, n, probabilities);    // rows of kRowWidth floats
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace higgsuq::ml {

class TreeEnsemble {
 public:
  /// Deepest tree this evaluator pads to; deeper models stay on XGBoost's own predictor.
  static constexpr int kMaxDepth = 12;

  /// Compiles trees [0, treeEnd) of an XGBoost JSON model (XGBoosterSaveModelToBuffer, format json)
  /// of a binary:logistic gbtree with one tree per round. Throws ClassifierError naming what is
  /// missing or unsupported (another objective or booster, categorical splits, a tree deeper than
  /// kMaxDepth, a feature index >= numFeatures).
  static TreeEnsemble fromXgboostJson(std::string_view json, int treeEnd, std::size_t numFeatures);

  /// The same, or nothing when the model is one this class cannot compile (the caller then keeps
  /// XGBoost's own predictor).
  static std::optional<TreeEnsemble> tryFromXgboostJson(std::string_view json, int treeEnd, std::size_t numFeatures);

  /// P(signal) for `rows` row-major events of numFeatures() floats each; out.size() == rows.
  /// Single-threaded and allocation-free; safe to call concurrently.
  void predictRows(std::span<const float> rowMajor, std::size_t rows, std::span<float> out) const;

  /// The same from columns: columns[f] points at `rows` contiguous values of feature f. For trees of
  /// depth <= kMaxBitDepth on AVX2 every node of a tree is compared for 8 events with one load from its
  /// column, the 31 outcomes packed into bits, and the leaf found by shifts (no gathers until the
  /// leaf); otherwise the rows are transposed and walked as in predictRows. Allocation-free.
  void predictColumns(std::span<const float* const> columns, std::size_t rows, std::span<float> out) const;

  /// Deepest tree the column (bit-packed) kernel handles: 2^5 - 1 = 31 node outcomes in 32-bit lanes.
  static constexpr int kMaxBitDepth = 5;

  /// The same ensemble evaluated by the portable scalar walk only (for cross-checks and benchmarks).
  TreeEnsemble scalarOnly() const {
    TreeEnsemble e = *this;
    e.m_avx2 = false;
    return e;
  }
  bool vectorised() const { return m_avx2; }

  std::size_t numTrees() const { return m_numTrees; }
  int depth() const { return m_depth; }
  std::size_t numFeatures() const { return m_numFeatures; }
  float baseMargin() const { return m_baseMargin; }

 private:
  TreeEnsemble() = default;
  template <int Depth>
  void predictBlock(const float* rows, std::size_t n, float* out) const;
  template <int Depth>
  void predictBlockAvx2(const float* rows, std::size_t n, float* out) const;
  template <int Depth>
  void predictAll(const float* rows, std::size_t n, float* out) const;
  void predictColumnBlock(const float* const* columns, std::size_t n, float* out) const;
  void indexRealNodes(const std::vector<std::uint8_t>& padding);

  int m_depth = 0;
  std::size_t m_numTrees = 0;
  std::size_t m_numFeatures = 0;
  float m_baseMargin = 0.0f;
  bool m_avx2 = false;  ///< this CPU runs the 8-lane AVX2 walk (checked once, at compile time of the model)
  /// Internal nodes, (2^D - 1) per tree in heap order (children of i: 2i+1, 2i+2): feature index
  /// in the low 31 bits, bit 31 set when NaN goes left.
  std::vector<std::uint32_t> m_nodeFeature;
  std::vector<float> m_nodeThreshold;
  std::vector<float> m_leafValue;  ///< 2^D per tree, left to right
  /// Per tree, the heap positions of its real (not padding) internal nodes, for the column kernel:
  /// m_treeNodes[m_treeNodeBegin[t] .. m_treeNodeBegin[t + 1]).
  std::vector<std::uint32_t> m_treeNodeBegin;
  std::vector<std::uint8_t> m_treeNodes;
};

}  // namespace higgsuq::ml
