#include "higgsuq/ml/TreeEnsemble.hpp"

#include <immintrin.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "higgsuq/ml/Classifier.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {
namespace {

using nlohmann::json;

constexpr std::uint32_t kNanLeftBit = 0x80000000u;
constexpr std::uint32_t kFeatureMask = 0x7fffffffu;
constexpr std::size_t kBlockRows = 256;  ///< margins kept on the stack per block
constexpr std::size_t kColumnBlockRows = 64;  ///< events per call of the column kernel
constexpr int kLanes = 8;                ///< events walked together through one tree
constexpr std::size_t kTablePadding = 16;  ///< entries after each array so 8-wide loads never leave it

[[noreturn]] void fail(const std::string& what) { throw ClassifierError("XGBoost JSON model: " + what); }

const json& member(const json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) fail("missing \"" + std::string(key) + "\" in " + where);
  return j.at(key);
}

/// One tree as XGBoost stores it: parallel arrays indexed by node id; left == -1 marks a leaf whose
/// value is in splitConditions.
struct RawTree {
  std::vector<int> left, right, feature;
  std::vector<float> condition;
  std::vector<bool> defaultLeft;
};

bool asBool(const json& v) { return v.is_boolean() ? v.get<bool>() : v.get<int>() != 0; }

RawTree readTree(const json& t, std::size_t index) {
  const std::string where = "tree " + std::to_string(index);
  RawTree r;
  r.left = member(t, "left_children", where).get<std::vector<int>>();
  r.right = member(t, "right_children", where).get<std::vector<int>>();
  r.feature = member(t, "split_indices", where).get<std::vector<int>>();
  r.condition = member(t, "split_conditions", where).get<std::vector<float>>();
  for (const json& v : member(t, "default_left", where)) r.defaultLeft.push_back(asBool(v));
  const std::size_t n = r.left.size();
  if (n == 0 || r.right.size() != n || r.feature.size() != n || r.condition.size() != n || r.defaultLeft.size() != n) {
    fail(where + ": node arrays are empty or of different lengths");
  }
  if (t.contains("split_type")) {
    for (const json& s : t.at("split_type")) {
      if (s.get<int>() != 0) fail(where + ": categorical splits are not supported");
    }
  }
  return r;
}

/// Depth of the subtree at `node` (a lone leaf has depth 0); fails on a malformed or cyclic tree.
int treeDepth(const RawTree& t, int node, int level, std::size_t index) {
  if (node < 0 || static_cast<std::size_t>(node) >= t.left.size() || level > TreeEnsemble::kMaxDepth) {
    fail("tree " + std::to_string(index) + ": deeper than " + std::to_string(TreeEnsemble::kMaxDepth) +
         " levels or a child index out of range");
  }
  if (t.left[node] == -1) return 0;
  return 1 + std::max(treeDepth(t, t.left[node], level + 1, index), treeDepth(t, t.right[node], level + 1, index));
}

struct Packer {
  int depth;
  std::size_t numFeatures;
  std::uint32_t* feature;
  float* threshold;
  float* leaf;
  std::uint8_t* padding;  ///< 1 for internal positions that only repeat a shallower leaf

  /// Places raw `node` at heap position `pos` on `level`, padding shallow leaves down to `depth`.
  void place(const RawTree& t, int node, std::uint32_t pos, int level, std::size_t index) {
    const std::uint32_t internal = (1u << depth) - 1;
    if (level == depth) {
      if (t.left[node] != -1) fail("tree " + std::to_string(index) + ": deeper than its measured depth");
      leaf[pos - internal] = t.condition[node];
      return;
    }
    if (t.left[node] == -1) {  // padding: both sides lead to this leaf's value
      feature[pos] = kNanLeftBit;
      threshold[pos] = std::numeric_limits<float>::infinity();
      padding[pos] = 1;
      place(t, node, 2 * pos + 1, level + 1, index);
      place(t, node, 2 * pos + 2, level + 1, index);
      return;
    }
    if (t.feature[node] < 0 || static_cast<std::size_t>(t.feature[node]) >= numFeatures) {
      fail("tree " + std::to_string(index) + ": split on feature " + std::to_string(t.feature[node]) +
           ", the model must use at most " + std::to_string(numFeatures) + " features");
    }
    feature[pos] = static_cast<std::uint32_t>(t.feature[node]) | (t.defaultLeft[node] ? kNanLeftBit : 0u);
    threshold[pos] = t.condition[node];
    place(t, t.left[node], 2 * pos + 1, level + 1, index);
    place(t, t.right[node], 2 * pos + 2, level + 1, index);
  }
};

const json& boosterModel(const json& root) {
  const json& learner = member(root, "learner", "the model");
  const json& booster = member(learner, "gradient_booster", "learner");
  if (member(booster, "name", "gradient_booster") != "gbtree") fail("only the gbtree booster is supported");
  const json& objective = member(learner, "objective", "learner");
  if (member(objective, "name", "objective") != "binary:logistic") fail("only binary:logistic is supported");
  const json& model = member(booster, "model", "gradient_booster");
  const json& param = member(model, "gbtree_model_param", "model");
  if (param.contains("num_parallel_tree") && param.at("num_parallel_tree") != "1") {
    fail("num_parallel_tree must be 1");
  }
  return model;
}

float readBaseMargin(const json& root) {
  const json& param = member(member(root, "learner", "the model"), "learner_model_param", "learner");
  const std::string text = member(param, "base_score", "learner_model_param").get<std::string>();
  float p = 0.0f;
  try {
    p = std::stof(text);
  } catch (const std::logic_error&) {  // invalid_argument, out_of_range
    fail("base_score '" + text + "' is not a number");
  }
  if (!(p > 0.0f && p < 1.0f)) fail("base_score must be a probability in (0, 1)");
  return -std::log(1.0f / p - 1.0f);  // XGBoost's ProbToMargin for the logistic objective, in float
}

/// XGBoost 1.7's common::Sigmoid, operation for operation.
inline float sigmoid(float margin) {
  const float x = std::min(-margin, 88.7f);
  return 1.0f / (std::exp(x) + 1.0f + 1e-16f);
}

// ---- AVX2: 8 events per register. A level with at most 16 nodes is looked up by permuting the
// level's table held in one or two registers; deeper levels and the leaves use gathers. Compiled
// for AVX2 whatever the build flags; used only when the CPU reports AVX2.
#define HIGGSUQ_AVX2 __attribute__((target("avx2"), always_inline))

/// table[node - base] for the 2^Level entries of one level (or the leaves), as 32-bit patterns.
template <int Level>
HIGGSUQ_AVX2 inline __m256i levelLookup(const std::int32_t* table, __m256i local) {
  constexpr int kEntries = 1 << Level;
  if constexpr (kEntries <= 8) {
    return _mm256_permutevar8x32_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(table)), local);
  } else if constexpr (kEntries == 16) {
    const __m256i lo =
        _mm256_permutevar8x32_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(table)), local);
    const __m256i hi =
        _mm256_permutevar8x32_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + 8)), local);
    return _mm256_blendv_epi8(lo, hi, _mm256_cmpgt_epi32(local, _mm256_set1_epi32(7)));
  } else if constexpr (kEntries == 32) {
    const __m256i low = levelLookup<4>(table, local);
    const __m256i high = levelLookup<4>(table + 16, _mm256_sub_epi32(local, _mm256_set1_epi32(16)));
    return _mm256_blendv_epi8(low, high, _mm256_cmpgt_epi32(local, _mm256_set1_epi32(15)));
  } else {
    return _mm256_i32gather_epi32(reinterpret_cast<const int*>(table), local, 4);
  }
}

/// Moves kGroups x 8 events from level Level down to the leaves (heap node indices at depth Depth).
/// The groups are independent chains of look-ups and gathers, interleaved so their latencies overlap.
constexpr int kGroups = 4;

template <int Level, int Depth>
HIGGSUQ_AVX2 inline void walkLevels(const std::int32_t* feat, const std::int32_t* thr, const float* rows,
                                    std::size_t groupStride, __m256i laneOffset, __m256i* node) {
  if constexpr (Level < Depth) {
    constexpr int kBase = (1 << Level) - 1;
    for (int j = 0; j < kGroups; ++j) {
      const __m256i local = _mm256_sub_epi32(node[j], _mm256_set1_epi32(kBase));
      const __m256i code = levelLookup<Level>(feat + kBase, local);
      const __m256 threshold = _mm256_castsi256_ps(levelLookup<Level>(thr + kBase, local));
      const __m256i column = _mm256_and_si256(code, _mm256_set1_epi32(static_cast<int>(kFeatureMask)));
      const __m256 x = _mm256_i32gather_ps(rows + j * groupStride, _mm256_add_epi32(laneOffset, column), 4);
      const __m256i ge = _mm256_castps_si256(_mm256_cmp_ps(x, threshold, _CMP_GE_OQ));
      const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
      // NaN goes right unless the node's default is left (bit 31 of its code).
      const __m256i right = _mm256_or_si256(ge, _mm256_andnot_si256(_mm256_srai_epi32(code, 31), nan));
      // right is -1 or 0: child = 2 * node + 1 + (right ? 1 : 0).
      node[j] = _mm256_sub_epi32(_mm256_add_epi32(_mm256_add_epi32(node[j], node[j]), _mm256_set1_epi32(1)), right);
    }
    walkLevels<Level + 1, Depth>(feat, thr, rows, groupStride, laneOffset, node);
  }
}

/// Adds each tree's leaf value to the margins of `groups` x 8 events (groups a multiple of kGroups
/// or the remainder handled by the caller).
template <int Depth>
__attribute__((target("avx2"))) void walkBlockAvx2(const std::int32_t* feat, const std::int32_t* thr,
                                                   const std::int32_t* leaf, std::size_t numTrees, const float* rows,
                                                   std::size_t groups, std::size_t stride, float* margin) {
  constexpr int kInternal = (1 << Depth) - 1, kLeaves = 1 << Depth;
  const std::size_t groupStride = kLanes * stride;
  const __m256i laneOffset = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                                _mm256_set1_epi32(static_cast<int>(stride)));
  for (std::size_t t = 0; t < numTrees; ++t) {
    const std::int32_t* f = feat + t * kInternal;
    const std::int32_t* h = thr + t * kInternal;
    const std::int32_t* l = leaf + t * kLeaves;
    for (std::size_t g = 0; g < groups; g += kGroups) {
      __m256i node[kGroups];
      for (int j = 0; j < kGroups; ++j) node[j] = _mm256_setzero_si256();
      walkLevels<0, Depth>(f, h, rows + g * groupStride, groupStride, laneOffset, node);
      for (int j = 0; j < kGroups; ++j) {
        const __m256i local = _mm256_sub_epi32(node[j], _mm256_set1_epi32(kInternal));
        const __m256 value = _mm256_castsi256_ps(levelLookup<Depth>(l, local));
        float* m = margin + (g + j) * kLanes;
        _mm256_storeu_ps(m, _mm256_add_ps(_mm256_loadu_ps(m), value));
      }
    }
  }
}

/// The column kernel: for each tree, every real node is compared for 8 events with one load from
/// its feature's column; outcome i (1 = right) goes to bit i of a per-event word, and the leaf is then
/// reached by Depth shift-and-step moves on that word. HasNan adds the default-direction rule.
template <int Depth, bool HasNan>
__attribute__((target("avx2"))) void walkColumnsAvx2(const std::uint32_t* feat, const float* thr,
                                                     const std::int32_t* leaf, const std::uint32_t* nodeBegin,
                                                     const std::uint8_t* nodes, std::size_t numTrees,
                                                     const float* const* columns, float* margin) {
  constexpr int kInternal = (1 << Depth) - 1, kLeaves = 1 << Depth;
  constexpr int kColumnGroups = 8;  // 64 events per call: the bit words stay in registers
  const __m256i one = _mm256_set1_epi32(1);
  for (std::size_t t = 0; t < numTrees; ++t) {
    __m256i bits[kColumnGroups];
    for (int g = 0; g < kColumnGroups; ++g) bits[g] = _mm256_setzero_si256();
    for (std::uint32_t k = nodeBegin[t]; k < nodeBegin[t + 1]; ++k) {
      const std::uint32_t i = nodes[k];
      const std::uint32_t code = feat[t * kInternal + i];
      const float* column = columns[code & kFeatureMask];
      const __m256 threshold = _mm256_set1_ps(thr[t * kInternal + i]);
      const __m256i bit = _mm256_set1_epi32(static_cast<int>(1u << i));
      const __m256i nanRight = _mm256_set1_epi32((code & kNanLeftBit) ? 0 : -1);
      for (int g = 0; g < kColumnGroups; ++g) {
        const __m256 x = _mm256_loadu_ps(column + g * kLanes);
        __m256i right = _mm256_castps_si256(_mm256_cmp_ps(x, threshold, _CMP_GE_OQ));
        if constexpr (HasNan) {
          right = _mm256_or_si256(right, _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q)), nanRight));
        }
        bits[g] = _mm256_or_si256(bits[g], _mm256_and_si256(right, bit));
      }
    }
    const std::int32_t* l = leaf + t * kLeaves;
    for (int g = 0; g < kColumnGroups; ++g) {
      __m256i node = _mm256_setzero_si256();
      for (int d = 0; d < Depth; ++d) {
        const __m256i right = _mm256_and_si256(_mm256_srlv_epi32(bits[g], node), one);
        node = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(node, node), one), right);
      }
      const __m256i local = _mm256_sub_epi32(node, _mm256_set1_epi32(kInternal));
      const __m256 value = _mm256_castsi256_ps(levelLookup<Depth>(l, local));
      float* m = margin + g * kLanes;
      _mm256_storeu_ps(m, _mm256_add_ps(_mm256_loadu_ps(m), value));
    }
  }
}

/// True when any of the first n values of any column is NaN.
__attribute__((target("avx2"))) bool anyNan(const float* const* columns, std::size_t numColumns, std::size_t n) {
  __m256 acc = _mm256_setzero_ps();
  for (std::size_t c = 0; c < numColumns; ++c) {
    for (std::size_t i = 0; i + kLanes <= n; i += kLanes) {
      const __m256 x = _mm256_loadu_ps(columns[c] + i);
      acc = _mm256_or_ps(acc, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
    }
    for (std::size_t i = n - n % kLanes; i < n; ++i) {
      if (std::isnan(columns[c][i])) return true;
    }
  }
  return _mm256_movemask_ps(acc) != 0;
}
#undef HIGGSUQ_AVX2

}  // namespace

TreeEnsemble TreeEnsemble::fromXgboostJson(std::string_view text, int treeEnd, std::size_t numFeatures) {
  if (numFeatures == 0 || numFeatures > 32) fail("the evaluator takes 1 to 32 features");
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {
    fail(std::string("not valid JSON: ") + e.what());
  }
  try {
    const json& trees = member(boosterModel(root), "trees", "model");
    if (treeEnd < 1 || static_cast<std::size_t>(treeEnd) > trees.size()) {
      fail("asked for " + std::to_string(treeEnd) + " trees, the model has " + std::to_string(trees.size()));
    }
    std::vector<RawTree> raw;
    TreeEnsemble e;
    for (int i = 0; i < treeEnd; ++i) {
      raw.push_back(readTree(trees.at(i), i));
      e.m_depth = std::max(e.m_depth, treeDepth(raw.back(), 0, 0, i));
    }
    e.m_depth = std::max(e.m_depth, 1);
    e.m_numTrees = raw.size();
    e.m_numFeatures = numFeatures;
    e.m_baseMargin = readBaseMargin(root);
    const std::size_t internal = (std::size_t{1} << e.m_depth) - 1, leaves = std::size_t{1} << e.m_depth;
    e.m_nodeFeature.assign(internal * raw.size() + kTablePadding, 0);
    e.m_nodeThreshold.assign(internal * raw.size() + kTablePadding, 0.0f);
    e.m_leafValue.assign(leaves * raw.size() + kTablePadding, 0.0f);
    e.m_avx2 = __builtin_cpu_supports("avx2");
    std::vector<std::uint8_t> padding(internal * raw.size(), 0);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      Packer p{e.m_depth, numFeatures, &e.m_nodeFeature[i * internal], &e.m_nodeThreshold[i * internal],
               &e.m_leafValue[i * leaves], &padding[i * internal]};
      p.place(raw[i], 0, 0, 0, i);
    }
    e.indexRealNodes(padding);
    return e;
  } catch (const json::exception& ex) {
    fail(std::string("unexpected structure: ") + ex.what());
  }
}

std::optional<TreeEnsemble> TreeEnsemble::tryFromXgboostJson(std::string_view json, int treeEnd,
                                                              std::size_t numFeatures) {
  try {
    return fromXgboostJson(json, treeEnd, numFeatures);
  } catch (const ClassifierError&) {
    return std::nullopt;
  }
}

template <int Depth>
void TreeEnsemble::predictBlock(const float* rows, std::size_t n, float* out) const {
  constexpr std::uint32_t kInternal = (1u << Depth) - 1, kLeaves = 1u << Depth;
  const std::size_t stride = m_numFeatures;
  float margin[kBlockRows];
  std::fill(margin, margin + n, m_baseMargin);
  for (std::size_t t = 0; t < m_numTrees; ++t) {
    const std::uint32_t* feat = m_nodeFeature.data() + t * kInternal;
    const float* thr = m_nodeThreshold.data() + t * kInternal;
    const float* leaf = m_leafValue.data() + t * kLeaves;
    auto step = [&](std::uint32_t node, const float* x) {
      const std::uint32_t code = feat[node];
      const float v = x[code & kFeatureMask];
      const std::uint32_t right = static_cast<std::uint32_t>(v >= thr[node]) |
                                  (static_cast<std::uint32_t>(v != v) & ~(code >> 31) & 1u);
      return 2 * node + 1 + right;
    };
    std::size_t e = 0;
    for (; e + kLanes <= n; e += kLanes) {
      std::uint32_t node[kLanes] = {};
      for (int d = 0; d < Depth; ++d) {
        for (int j = 0; j < kLanes; ++j) node[j] = step(node[j], rows + (e + j) * stride);
      }
      for (int j = 0; j < kLanes; ++j) margin[e + j] += leaf[node[j] - kInternal];
    }
    for (; e < n; ++e) {
      std::uint32_t node = 0;
      for (int d = 0; d < Depth; ++d) node = step(node, rows + e * stride);
      margin[e] += leaf[node - kInternal];
    }
  }
  for (std::size_t e = 0; e < n; ++e) out[e] = sigmoid(margin[e]);
}

void TreeEnsemble::indexRealNodes(const std::vector<std::uint8_t>& padding) {
  const std::size_t internal = (std::size_t{1} << m_depth) - 1;
  m_treeNodeBegin.assign(1, 0);
  m_treeNodes.clear();
  for (std::size_t t = 0; t < m_numTrees; ++t) {
    if (m_depth <= kMaxBitDepth) {
      for (std::size_t i = 0; i < internal; ++i) {
        if (!padding[t * internal + i]) m_treeNodes.push_back(static_cast<std::uint8_t>(i));
      }
    }
    m_treeNodeBegin.push_back(static_cast<std::uint32_t>(m_treeNodes.size()));
  }
}

template <int Depth>
void TreeEnsemble::predictBlockAvx2(const float* rows, std::size_t n, float* out) const {
  float margin[kBlockRows];
  std::fill(margin, margin + n, m_baseMargin);
  HIGGSUQ_ASSERT(n % (kLanes * kGroups) == 0, "predictBlockAvx2: rows must fill whole lane groups");
  walkBlockAvx2<Depth>(reinterpret_cast<const std::int32_t*>(m_nodeFeature.data()),
                       reinterpret_cast<const std::int32_t*>(m_nodeThreshold.data()),
                       reinterpret_cast<const std::int32_t*>(m_leafValue.data()), m_numTrees, rows, n / kLanes,
                       m_numFeatures, margin);
  for (std::size_t e = 0; e < n; ++e) out[e] = sigmoid(margin[e]);
}

template <int Depth>
void TreeEnsemble::predictAll(const float* rows, std::size_t n, float* out) const {
  for (std::size_t begin = 0; begin < n; begin += kBlockRows) {
    const std::size_t count = std::min(kBlockRows, n - begin);
    const float* x = rows + begin * m_numFeatures;
    if (!m_avx2) {
      predictBlock<Depth>(x, count, out + begin);
      continue;
    }
    const std::size_t vectorRows = count - count % (kLanes * kGroups);
    if (vectorRows > 0) predictBlockAvx2<Depth>(x, vectorRows, out + begin);
    if (vectorRows < count) {
      predictBlock<Depth>(x + vectorRows * m_numFeatures, count - vectorRows, out + begin + vectorRows);
    }
  }
}

void TreeEnsemble::predictColumnBlock(const float* const* columns, std::size_t n, float* out) const {
  if (n == kColumnBlockRows && m_avx2 && m_depth <= kMaxBitDepth) {
    float margin[kColumnBlockRows];
    std::fill(margin, margin + n, m_baseMargin);
    const bool nan = anyNan(columns, m_numFeatures, n);
    auto run = [&]<int Depth>() {
      const auto* leaf = reinterpret_cast<const std::int32_t*>(m_leafValue.data());
      if (nan) {
        walkColumnsAvx2<Depth, true>(m_nodeFeature.data(), m_nodeThreshold.data(), leaf, m_treeNodeBegin.data(),
                                     m_treeNodes.data(), m_numTrees, columns, margin);
      } else {
        walkColumnsAvx2<Depth, false>(m_nodeFeature.data(), m_nodeThreshold.data(), leaf, m_treeNodeBegin.data(),
                                      m_treeNodes.data(), m_numTrees, columns, margin);
      }
    };
    switch (m_depth) {
      case 1: run.template operator()<1>(); break;
      case 2: run.template operator()<2>(); break;
      case 3: run.template operator()<3>(); break;
      case 4: run.template operator()<4>(); break;
      default: run.template operator()<5>(); break;
    }
    for (std::size_t e = 0; e < n; ++e) out[e] = sigmoid(margin[e]);
    return;
  }
  // Other shapes: transpose to rows (on the stack) and walk.
  float rows[kColumnBlockRows * 32];
  HIGGSUQ_ASSERT(n <= kColumnBlockRows && m_numFeatures <= 32, "predictColumnBlock: block too large");
  for (std::size_t f = 0; f < m_numFeatures; ++f) {
    for (std::size_t e = 0; e < n; ++e) rows[e * m_numFeatures + f] = columns[f][e];
  }
  predictRows(std::span<const float>(rows, n * m_numFeatures), n, std::span<float>(out, n));
}

void TreeEnsemble::predictColumns(std::span<const float* const> columns, std::size_t rows,
                                  std::span<float> out) const {
  HIGGSUQ_ASSERT(columns.size() == m_numFeatures && out.size() == rows && m_numFeatures <= 32,
                 "TreeEnsemble::predictColumns: column count or output size does not match");
  const float* block[32];
  for (std::size_t begin = 0; begin < rows; begin += kColumnBlockRows) {
    const std::size_t n = std::min(kColumnBlockRows, rows - begin);
    for (std::size_t f = 0; f < m_numFeatures; ++f) block[f] = columns[f] + begin;
    predictColumnBlock(block, n, out.data() + begin);
  }
}

void TreeEnsemble::predictRows(std::span<const float> rowMajor, std::size_t rows, std::span<float> out) const {
  HIGGSUQ_ASSERT(rowMajor.size() == rows * m_numFeatures && out.size() == rows,
                 "TreeEnsemble::predictRows: buffer sizes do not match the row count");
  const float* x = rowMajor.data();
  float* y = out.data();
  switch (m_depth) {
    case 1: predictAll<1>(x, rows, y); break;
    case 2: predictAll<2>(x, rows, y); break;
    case 3: predictAll<3>(x, rows, y); break;
    case 4: predictAll<4>(x, rows, y); break;
    case 5: predictAll<5>(x, rows, y); break;
    case 6: predictAll<6>(x, rows, y); break;
    case 7: predictAll<7>(x, rows, y); break;
    case 8: predictAll<8>(x, rows, y); break;
    case 9: predictAll<9>(x, rows, y); break;
    case 10: predictAll<10>(x, rows, y); break;
    case 11: predictAll<11>(x, rows, y); break;
    default: predictAll<kMaxDepth>(x, rows, y); break;
  }
}

}  // namespace higgsuq::ml
