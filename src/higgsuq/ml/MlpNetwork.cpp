#include "higgsuq/ml/MlpNetwork.hpp"

#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {
namespace {

constexpr std::size_t kBlock = MlpNetwork::kBlockEvents;
constexpr std::size_t kLanes = 8;
constexpr std::size_t kRegisters = kBlock / kLanes;

// ---- exp, sigmoid, tanh: Cephes' expf (range reduction by ln 2, degree-5 polynomial), written once
// for scalars and once for AVX2 with the same operations in the same order, so both paths round
// identically. Relative error ~2 ulp; the argument is clamped to [-88, 88].
constexpr float kExpHi = 88.0f, kExpLo = -88.0f;
constexpr float kLog2e = 1.44269504088896341f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f;
constexpr float kP0 = 1.9875691500e-4f, kP1 = 1.3981999507e-3f, kP2 = 8.3334519073e-3f,
                kP3 = 4.1665795894e-2f, kP4 = 1.6666665459e-1f, kP5 = 5.0000001201e-1f;

/// The semantics of MINPS / MAXPS (the second operand when either is NaN), spelled out for scalars.
inline float minLikeSse(float a, float b) {
  return a < b ? a : b;
}
inline float maxLikeSse(float a, float b) {
  return a > b ? a : b;
}

inline float expScalar(float x) {
  x = maxLikeSse(minLikeSse(x, kExpHi), kExpLo);
  const float fx = std::floor(std::fma(x, kLog2e, 0.5f));
  float r = std::fma(-fx, kLn2Hi, x);
  r = std::fma(-fx, kLn2Lo, r);
  float y = kP0;
  for (float p : {kP1, kP2, kP3, kP4, kP5}) y = std::fma(y, r, p);
  y = std::fma(y, r * r, r) + 1.0f;
  const auto exponent = static_cast<std::uint32_t>(static_cast<std::int32_t>(fx) + 127) << 23;
  return y * std::bit_cast<float>(exponent);
}

inline float activateScalar(Activation a, float z) {
  switch (a) {
    case Activation::eSigmoid:
      return 1.0f / (1.0f + expScalar(-z));
    case Activation::eTanh:
      return 2.0f / (1.0f + expScalar(-2.0f * z)) - 1.0f;
    case Activation::eRelu:
      return maxLikeSse(z, 0.0f);
  }
  return z;
}

#define HIGGSUQ_AVX2_FMA __attribute__((target("avx2,fma")))

HIGGSUQ_AVX2_FMA inline __m256 expAvx2(__m256 x) {
  x = _mm256_max_ps(_mm256_min_ps(x, _mm256_set1_ps(kExpHi)), _mm256_set1_ps(kExpLo));
  const __m256 fx = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(kLog2e), _mm256_set1_ps(0.5f)));
  __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(kLn2Hi), x);
  r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(kLn2Lo), r);
  __m256 y = _mm256_set1_ps(kP0);
  for (float p : {kP1, kP2, kP3, kP4, kP5}) y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(p));
  y = _mm256_add_ps(_mm256_fmadd_ps(y, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
  const __m256i exponent =
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(fx), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(y, _mm256_castsi256_ps(exponent));
}

HIGGSUQ_AVX2_FMA inline __m256 activateAvx2(Activation a, __m256 z) {
  const __m256 one = _mm256_set1_ps(1.0f);
  switch (a) {
    case Activation::eSigmoid:
      return _mm256_div_ps(one, _mm256_add_ps(one, expAvx2(_mm256_sub_ps(_mm256_setzero_ps(), z))));
    case Activation::eTanh: {
      const __m256 e = expAvx2(_mm256_mul_ps(_mm256_set1_ps(-2.0f), z));
      return _mm256_sub_ps(_mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(one, e)), one);
    }
    case Activation::eRelu:
      return _mm256_max_ps(z, _mm256_setzero_ps());
  }
  return z;
}

// ---- one dense layer on a block: in[k * kBlock + e] -> out[o * kBlock + e], then the activation.

/// Two output neurons at a time over the block's 4 registers: 8 independent FMA chains.
HIGGSUQ_AVX2_FMA void denseBlockAvx2(const DenseLayer& layer, Activation activation, const float* in,
                                     float* out) {
  const std::size_t inputs = layer.inputs;
  std::size_t o = 0;
  for (; o + 2 <= layer.outputs; o += 2) {
    const float* w0 = layer.weights.data() + o * inputs;
    const float* w1 = w0 + inputs;
    __m256 a0[kRegisters], a1[kRegisters];
    for (std::size_t v = 0; v < kRegisters; ++v) {
      a0[v] = _mm256_set1_ps(layer.bias[o]);
      a1[v] = _mm256_set1_ps(layer.bias[o + 1]);
    }
    for (std::size_t k = 0; k < inputs; ++k) {
      const __m256 c0 = _mm256_set1_ps(w0[k]), c1 = _mm256_set1_ps(w1[k]);
      for (std::size_t v = 0; v < kRegisters; ++v) {
        const __m256 x = _mm256_load_ps(in + k * kBlock + v * kLanes);
        a0[v] = _mm256_fmadd_ps(c0, x, a0[v]);
        a1[v] = _mm256_fmadd_ps(c1, x, a1[v]);
      }
    }
    for (std::size_t v = 0; v < kRegisters; ++v) {
      _mm256_store_ps(out + o * kBlock + v * kLanes, activateAvx2(activation, a0[v]));
      _mm256_store_ps(out + (o + 1) * kBlock + v * kLanes, activateAvx2(activation, a1[v]));
    }
  }
  for (; o < layer.outputs; ++o) {
    const float* w = layer.weights.data() + o * inputs;
    __m256 a[kRegisters];
    for (auto& r : a) r = _mm256_set1_ps(layer.bias[o]);
    for (std::size_t k = 0; k < inputs; ++k) {
      const __m256 c = _mm256_set1_ps(w[k]);
      for (std::size_t v = 0; v < kRegisters; ++v) {
        a[v] = _mm256_fmadd_ps(c, _mm256_load_ps(in + k * kBlock + v * kLanes), a[v]);
      }
    }
    for (std::size_t v = 0; v < kRegisters; ++v) {
      _mm256_store_ps(out + o * kBlock + v * kLanes, activateAvx2(activation, a[v]));
    }
  }
}

void denseBlockScalar(const DenseLayer& layer, Activation activation, const float* in, float* out) {
  for (std::size_t o = 0; o < layer.outputs; ++o) {
    const float* w = layer.weights.data() + o * layer.inputs;
    for (std::size_t e = 0; e < kBlock; ++e) {
      float acc = layer.bias[o];
      for (std::size_t k = 0; k < layer.inputs; ++k) acc = std::fma(w[k], in[k * kBlock + e], acc);
      out[o * kBlock + e] = activateScalar(activation, acc);
    }
  }
}

/// Standardised inputs of events [begin, begin + n) in block layout; lanes past n are zero.
void fillInputBlock(std::span<const float* const> columns, std::size_t begin, std::size_t n,
                    const FeatureScaling& scaling, float* block) {
  for (std::size_t f = 0; f < kRowWidth; ++f) {
    const float* column = columns[f] + begin;
    const float mean = scaling.mean[f], sd = scaling.std[f];
    float* row = block + f * kBlock;
    for (std::size_t e = 0; e < n; ++e) row[e] = (column[e] - mean) / sd;  // as fillRowMajor
    std::fill(row + n, row + kBlock, 0.0f);
  }
}

void requireShape(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("MlpNetwork: " + what);
}

}  // namespace

std::string_view activationName(Activation a) {
  switch (a) {
    case Activation::eSigmoid:
      return "sigmoid";
    case Activation::eRelu:
      return "relu";
    case Activation::eTanh:
      return "tanh";
  }
  return "?";
}

Activation activationFromName(std::string_view name, const std::string& field) {
  for (Activation a : {Activation::eSigmoid, Activation::eRelu, Activation::eTanh}) {
    if (activationName(a) == name) return a;
  }
  throw std::invalid_argument(field + ": must be \"sigmoid\", \"relu\" or \"tanh\" (got \"" +
                              std::string(name) + "\")");
}

MlpNetwork::MlpNetwork(std::vector<DenseLayer> layers, Activation hidden)
    : m_layers(std::move(layers)), m_activation(hidden) {
  requireShape(!m_layers.empty(), "needs at least one layer");
  requireShape(m_layers.front().inputs == kRowWidth, "the first layer must take the 28 features");
  requireShape(m_layers.back().outputs == 1, "the last layer must have one output");
  for (std::size_t l = 0; l < m_layers.size(); ++l) {
    const DenseLayer& layer = m_layers[l];
    const std::string name = "layer " + std::to_string(l);
    requireShape(layer.outputs >= 1, name + " has no outputs");
    requireShape(l == 0 || layer.inputs == m_layers[l - 1].outputs,
                 name + " inputs differ from the previous outputs");
    requireShape(layer.weights.size() == layer.inputs * layer.outputs,
                 name + " weights are not outputs x inputs");
    requireShape(layer.bias.size() == layer.outputs, name + " bias is not one per output");
    const auto finite = [](float x) { return std::isfinite(x); };
    requireShape(std::all_of(layer.weights.begin(), layer.weights.end(), finite) &&
                     std::all_of(layer.bias.begin(), layer.bias.end(), finite),
                 name + " holds a non-finite weight");
    m_maxWidth = std::max({m_maxWidth, layer.inputs, layer.outputs});
  }
  m_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

std::size_t MlpNetwork::multiplyAdds() const {
  std::size_t total = 0;
  for (const DenseLayer& layer : m_layers) total += layer.inputs * layer.outputs;
  return total;
}

void MlpNetwork::predictColumns(std::span<const float* const> columns, std::size_t rows,
                                const FeatureScaling& scaling, std::span<float> out) const {
  HIGGSUQ_ASSERT(columns.size() == kRowWidth && out.size() == rows,
                 "MlpNetwork::predictColumns: sizes disagree");
  // Two ping-pong activation buffers of maxWidth x kBlock floats, 32-byte aligned for the AVX2 loads.
  const std::size_t bufferFloats = m_maxWidth * kBlock;
  std::vector<float> scratch(2 * bufferFloats + kLanes);
  float* base = scratch.data();
  while (reinterpret_cast<std::uintptr_t>(base) % 32 != 0) ++base;
  float* buffers[2] = {base, base + bufferFloats};
  for (std::size_t begin = 0; begin < rows; begin += kBlock) {
    const std::size_t n = std::min(kBlock, rows - begin);
    fillInputBlock(columns, begin, n, scaling, buffers[0]);
    int current = 0;
    for (std::size_t l = 0; l < m_layers.size(); ++l) {
      const Activation a = l + 1 == m_layers.size() ? Activation::eSigmoid : m_activation;
      if (m_avx2) {
        denseBlockAvx2(m_layers[l], a, buffers[current], buffers[1 - current]);
      } else {
        denseBlockScalar(m_layers[l], a, buffers[current], buffers[1 - current]);
      }
      current = 1 - current;
    }
    std::copy(buffers[current], buffers[current] + n, out.begin() + static_cast<std::ptrdiff_t>(begin));
  }
}

}  // namespace higgsuq::ml
