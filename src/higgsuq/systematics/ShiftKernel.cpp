// Compiled with -O3 -ffast-math so the column loops vectorise through glibc's vector math library
// (log, sqrt, atan2); inputs are finite (validated by the readers). sin and cos of one argument come
// from util/SinCos in one pass.
#include "higgsuq/systematics/ShiftKernel.hpp"

#include <cmath>
#include <memory>
#include <numbers>

#include "higgsuq/util/Random.hpp"
#include "higgsuq/util/RandomBatch.hpp"
#include "higgsuq/util/SinCos.hpp"

namespace higgsuq {
namespace {

constexpr std::size_t kBlock = 1024;

struct Scratch {
  float mx[kBlock], my[kBlock], c[kBlock], s[kBlock], u1[kBlock], u2[kBlock], r[kBlock];
};

#define HIGGSUQ_LOOP _Pragma("GCC ivdep") for (std::size_t k = 0; k < n; ++k)

/// pT *= scale where the object exists (mask) and MET += (1 - scale) * old pT * (cos, sin).
void scaleObject(float* __restrict pt, const float* __restrict phi, const float* __restrict nJets,
                 float minJets, float scale, std::size_t n, Scratch& s) {
  sinCos(phi, n, s.s, s.c);
  const float back = 1.0f - scale;
  HIGGSUQ_LOOP {
    const float present = nJets == nullptr || nJets[k] >= minJets ? 1.0f : 0.0f;
    const float old = pt[k];
    s.mx[k] += present * back * old * s.c[k];
    s.my[k] += present * back * old * s.s[k];
    pt[k] = present > 0.0f ? scale * old : old;
  }
}

void addSoftMet(std::size_t first, std::size_t n, const NuisanceValues& v, const SoftMetNoise& noise,
                Scratch& s) {
  if (!noise.x.empty()) {
    for (std::size_t k = 0; k < n; ++k) {
      s.mx[k] += static_cast<float>(noise.x[first + k]);
      s.my[k] += static_cast<float>(noise.y[first + k]);
    }
    return;
  }
  // Box-Muller on one Philox block per event: the draw depends only on (key, row index).
  uniformPairsAt(noise.key, noise.firstIndex + first, n, s.u1, s.u2);
  HIGGSUQ_LOOP s.u2[k] *= 2.0f * std::numbers::pi_v<float>;
  const float sigma = static_cast<float>(v.softMet);
  HIGGSUQ_LOOP s.r[k] = sigma * std::sqrt(-2.0f * std::log(s.u1[k]));
  sinCos(s.u2, n, s.s, s.c);
  HIGGSUQ_LOOP s.mx[k] += s.r[k] * s.c[k];
  HIGGSUQ_LOOP s.my[k] += s.r[k] * s.s[k];
}

void shiftBlock(EventTable& t, std::size_t b, std::size_t n, const NuisanceValues& v,
                const SoftMetNoise& noise, Scratch& s) {
  float* __restrict met = t.column(Feature::Met).data() + b;
  float* __restrict metPhi = t.column(Feature::MetPhi).data() + b;
  const float* __restrict nJets = t.column(Feature::NJets).data() + b;
  sinCos(metPhi, n, s.s, s.c);
  HIGGSUQ_LOOP s.mx[k] = met[k] * s.c[k];
  HIGGSUQ_LOOP s.my[k] = met[k] * s.s[k];
  if (v.tes != 1.0) {
    scaleObject(t.column(Feature::HadPt).data() + b, t.column(Feature::HadPhi).data() + b, nullptr, 0.0f,
                static_cast<float>(v.tes), n, s);
  }
  if (v.jes != 1.0) {
    const float jes = static_cast<float>(v.jes);
    scaleObject(t.column(Feature::JetLeadingPt).data() + b, t.column(Feature::JetLeadingPhi).data() + b,
                nJets, 1.0f, jes, n, s);
    scaleObject(t.column(Feature::JetSubleadingPt).data() + b, t.column(Feature::JetSubleadingPhi).data() + b,
                nJets, 2.0f, jes, n, s);
    float* __restrict allPt = t.column(Feature::JetAllPt).data() + b;
    HIGGSUQ_LOOP allPt[k] *= jes;
  }
  if (v.softMet > 0.0) addSoftMet(b, n, v, noise, s);
  HIGGSUQ_LOOP met[k] = std::sqrt(s.mx[k] * s.mx[k] + s.my[k] * s.my[k]);
  HIGGSUQ_LOOP metPhi[k] = std::atan2(s.my[k], s.mx[k]);
  roundPrimaries(t, b, b + n);
}

#undef HIGGSUQ_LOOP

}  // namespace

void shiftRows(EventTable& events, std::size_t begin, std::size_t end, const NuisanceValues& values,
               const SoftMetNoise& noise) {
  auto scratch = std::make_unique_for_overwrite<Scratch>();  // every slot is written before it is read
  for (std::size_t b = begin; b < end; b += kBlock) {
    shiftBlock(events, b, std::min(kBlock, end - b), values, noise, *scratch);
  }
}

}  // namespace higgsuq
