// Column kernels in float32 (the reference's own precision), written as simple loops over blocks so the
// compiler vectorises them, including sinh/exp/sqrt through glibc's vector math library (this file is
// compiled with -O3 -ffast-math; every input is finite, validated at the readers); sin and cos of the
// azimuths come from util/SinCos.
// Rare cases that need the reference's literal arithmetic (degenerate phi centrality, -25 jet slots
// still counted by n_jets) are redone in a scalar fix-up pass.
#include "higgsuq/events/DerivedFeatures.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>

#include "higgsuq/util/SinCos.hpp"

namespace higgsuq {
namespace {

constexpr std::size_t kGrain = 8192;

/// Pointers to the columns of one table (restrict: columns never alias).
struct Cols {
  explicit Cols(EventTable& t) {
    for (std::size_t f = 0; f < kNumFeatures; ++f) c[f] = t.column(featureAt(f)).data();
  }
  float* operator()(Feature f) const { return c[index(f)]; }
  float* c[kNumFeatures];
};

constexpr std::size_t kBlock = 1024;  // events per scratch block (scratch stays in L1/L2)
constexpr float kPi = std::numbers::pi_v<float>;

/// Per-block scratch: the cosine and sine of the five azimuths (each filled by its own vector loop)
/// and the angle-difference terms built from them. Each array is padded by 96 bytes so that no two
/// start a multiple of 4 KiB apart: a loop that stores to one and loads from others at the same index
/// would otherwise stall on 4K aliasing (measured: a third of this file's time).
struct Scratch {
  static constexpr std::size_t kStride = kBlock + 24;
  float lepCos[kStride], lepSin[kStride], hadCos[kStride], hadSin[kStride], metCos[kStride], metSin[kStride];
  float j1Cos[kStride], j1Sin[kStride], j2Cos[kStride], j2Sin[kStride];
  float halfMetLep2[kStride], halfLepHad2[kStride], shLepHad[kStride], halfJets2[kStride], shJets[kStride];
  float sinMetLep[kStride], sinHadMet[kStride], signHadLep[kStride], expCent[kStride];
};

// One transcendental per loop: these vectorise through libmvec.
#define HIGGSUQ_MAP(out, expr)                               \
  _Pragma("GCC ivdep") for (std::size_t k = 0; k < n; ++k) { \
    const std::size_t i = b + k;                             \
    (out)[k] = (expr);                                       \
  }

/// sin^2((a - b) / 2) from the cosines and sines of a and b, without cancellation: (1 - cos d) / 2
/// where cos d < 0, sin^2 d / (2 (1 + cos d)) elsewhere (absolute error ~1e-7 either way, where the
/// plain (1 - cos d) / 2 would lose everything for small d).
inline float halfAngleSin2(float ca, float sa, float cb, float sb) {
  const float c = ca * cb + sa * sb, s = sa * cb - ca * sb;
  return c < 0.0f ? 0.5f * (1.0f - c) : s * s / (2.0f * (1.0f + c));
}

/// The sign of sin(d) for d = a - b of two azimuths, decided on d itself: where sin d is within
/// rounding of 0, a product of cosines and sines could give either sign. Exact for float d with
/// |d| < 3 pi (azimuths within +-3 pi / 2; 3-decimal azimuths reach +-3.142, so d up to 6.284 > 2 pi):
/// float(pi) lies above pi and float(2 pi) above 2 pi, so sin(float(pi)) < 0, sin(-float(pi)) > 0 and
/// sin(float(2 pi)) > 0, as numpy's float32 sin gives them.
inline float signOfSinDifference(float a, float b) {
  const float d = a - b;
  const bool positive = (d > 0.0f && d < kPi) || (d <= -kPi && d > -2.0f * kPi) || d >= 2.0f * kPi;
  return d == 0.0f ? 0.0f : (positive ? 1.0f : -1.0f);
}

/// sin and cos of the five azimuths (one pass each). Every angle difference below is built from them
/// (sin(a - b) = sa cb - ca sb, ...) instead of more sin calls of differences.
void fillAzimuths(const Cols& c, std::size_t b, std::size_t n, Scratch& s) {
  sinCos(c(Feature::LepPhi) + b, n, s.lepSin, s.lepCos);
  sinCos(c(Feature::HadPhi) + b, n, s.hadSin, s.hadCos);
  sinCos(c(Feature::MetPhi) + b, n, s.metSin, s.metCos);
  sinCos(c(Feature::JetLeadingPhi) + b, n, s.j1Sin, s.j1Cos);
  sinCos(c(Feature::JetSubleadingPhi) + b, n, s.j2Sin, s.j2Cos);
}

void fillScratch(const Cols& c, std::size_t b, std::size_t n, Scratch& s) {
  fillAzimuths(c, b, n, s);
  const float* __restrict lepPhi = c(Feature::LepPhi);
  const float* __restrict hadPhi = c(Feature::HadPhi);
  const float* __restrict lepEta = c(Feature::LepEta);
  const float* __restrict hadEta = c(Feature::HadEta);
  const float* __restrict j1Eta = c(Feature::JetLeadingEta);
  const float* __restrict j2Eta = c(Feature::JetSubleadingEta);
  HIGGSUQ_MAP(s.shLepHad, std::sinh(0.5f * (lepEta[i] - hadEta[i])));
  HIGGSUQ_MAP(s.shJets, std::sinh(0.5f * (j1Eta[i] - j2Eta[i])));
#pragma GCC ivdep
  for (std::size_t k = 0; k < n; ++k) {
    s.halfMetLep2[k] = halfAngleSin2(s.metCos[k], s.metSin[k], s.lepCos[k], s.lepSin[k]);
    s.halfLepHad2[k] = halfAngleSin2(s.lepCos[k], s.lepSin[k], s.hadCos[k], s.hadSin[k]);
    s.halfJets2[k] = halfAngleSin2(s.j1Cos[k], s.j1Sin[k], s.j2Cos[k], s.j2Sin[k]);
    s.sinMetLep[k] = s.metSin[k] * s.lepCos[k] - s.metCos[k] * s.lepSin[k];
    s.sinHadMet[k] = s.hadSin[k] * s.metCos[k] - s.hadCos[k] * s.metSin[k];
    s.signHadLep[k] = signOfSinDifference(hadPhi[b + k], lepPhi[b + k]);
  }
}

/// |phi1 - phi2| wrapped into [0, pi] for inputs in [-pi, pi] (selects, no rounding call).
inline float wrappedAbsDeltaPhi(float a, float b) {
  float d = a - b;
  d = d > kPi ? d - 2.0f * kPi : d;
  d = d < -kPi ? d + 2.0f * kPi : d;
  return std::fabs(d);
}

void leptonHadronFeatures(const Cols& c, std::size_t b, std::size_t n, const Scratch& s) {
  const float* __restrict lepPt = c(Feature::LepPt);
  const float* __restrict lepEta = c(Feature::LepEta);
  const float* __restrict lepPhi = c(Feature::LepPhi);
  const float* __restrict hadPt = c(Feature::HadPt);
  const float* __restrict hadEta = c(Feature::HadEta);
  const float* __restrict hadPhi = c(Feature::HadPhi);
  const float* __restrict met = c(Feature::Met);
  const float* __restrict allPt = c(Feature::JetAllPt);
  float* __restrict mt = c(Feature::MassTransverseMetLep);
  float* __restrict mvis = c(Feature::MassVis);
  float* __restrict dr = c(Feature::DeltaRHadLep);
  float* __restrict sumPt = c(Feature::SumPt);
  float* __restrict ratio = c(Feature::PtRatioLepHad);
  float* __restrict cent = c(Feature::MetPhiCentrality);
#pragma GCC ivdep
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = b + k;
    // Massless pairs: m^2 = 4 pT1 pT2 (sinh^2(deta/2) + sin^2(dphi/2)), free of cancellation.
    mt[i] = std::sqrt(4.0f * met[i] * lepPt[i] * s.halfMetLep2[k]);
    mvis[i] = std::sqrt(4.0f * lepPt[i] * hadPt[i] * (s.shLepHad[k] * s.shLepHad[k] + s.halfLepHad2[k]));
    const float deta = lepEta[i] - hadEta[i], dphi = wrappedAbsDeltaPhi(lepPhi[i], hadPhi[i]);
    dr[i] = std::sqrt(deta * deta + dphi * dphi);
    sumPt[i] = hadPt[i] + lepPt[i] + allPt[i];
    ratio[i] = lepPt[i] / hadPt[i];
    const float sg = s.signHadLep[k];
    const float a = s.sinMetLep[k] * sg, bb = s.sinHadMet[k] * sg;
    const float den2 = a * a + bb * bb;
    // den == 0 is marked -25 here and redone by the fix-up pass.
    cent[i] = den2 > 0.0f ? (a + bb) / std::sqrt(den2 > 0.0f ? den2 : 1.0f) : kMissingValue;
  }
}

void transverseSums(const Cols& c, std::size_t b, std::size_t n, const Scratch& s) {
  const float* __restrict lepPt = c(Feature::LepPt);
  const float* __restrict hadPt = c(Feature::HadPt);
  const float* __restrict met = c(Feature::Met);
  const float* __restrict j1Pt = c(Feature::JetLeadingPt);
  const float* __restrict j2Pt = c(Feature::JetSubleadingPt);
  const float* __restrict nJets = c(Feature::NJets);
  float* __restrict ptH = c(Feature::PtH);
  float* __restrict ptTot = c(Feature::PtTot);
#pragma GCC ivdep
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = b + k;
    const float x = lepPt[i] * s.lepCos[k] + hadPt[i] * s.hadCos[k] + met[i] * s.metCos[k];
    const float y = lepPt[i] * s.lepSin[k] + hadPt[i] * s.hadSin[k] + met[i] * s.metSin[k];
    ptH[i] = std::sqrt(x * x + y * y);
    // Jets enter when n_jets counts them, even a -25 slot (the reference's quirk).
    const float m1 = nJets[i] >= 1.0f ? 1.0f : 0.0f, m2 = nJets[i] >= 2.0f ? 1.0f : 0.0f;
    const float tx = x + m1 * j1Pt[i] * s.j1Cos[k] + m2 * j2Pt[i] * s.j2Cos[k];
    const float ty = y + m1 * j1Pt[i] * s.j1Sin[k] + m2 * j2Pt[i] * s.j2Sin[k];
    ptTot[i] = std::sqrt(tx * tx + ty * ty);
  }
}

void dijetFeatures(const Cols& c, std::size_t b, std::size_t n, Scratch& s) {
  const float* __restrict j1Pt = c(Feature::JetLeadingPt);
  const float* __restrict j1Eta = c(Feature::JetLeadingEta);
  const float* __restrict j2Pt = c(Feature::JetSubleadingPt);
  const float* __restrict j2Eta = c(Feature::JetSubleadingEta);
  const float* __restrict nJets = c(Feature::NJets);
  const float* __restrict lepEta = c(Feature::LepEta);
  float* __restrict deta = c(Feature::DeltaEtaJetJet);
  float* __restrict mjj = c(Feature::MassJetJet);
  float* __restrict prod = c(Feature::ProdEtaJetJet);
  float* __restrict cent = c(Feature::LepEtaCentrality);
  HIGGSUQ_MAP(s.expCent, [&] {
    const float d = (j1Eta[i] - j2Eta[i]) * (j1Eta[i] - j2Eta[i]);
    const float off = lepEta[i] - 0.5f * (j1Eta[i] + j2Eta[i]);
    // Far outside the jets the exponent reaches -1e9; lanes below ln(FLT_MIN) = -87.34 would send
    // libmvec to its slow scalar path (underflow): they are 0 (float32 exp gives a denormal or 0 there).
    constexpr float kLogFltMin = -87.33f;
    const float arg = -4.0f / (d == 0.0f ? 1e-4f : d) * off * off;
    const float e = std::exp(std::max(arg, kLogFltMin));
    return arg < kLogFltMin ? 0.0f : e;
  }());
#pragma GCC ivdep
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = b + k;
    const bool two = nJets[i] >= 2.0f;
    const float m2 = 4.0f * std::fabs(j1Pt[i] * j2Pt[i]) * (s.shJets[k] * s.shJets[k] + s.halfJets2[k]);
    deta[i] = two ? std::fabs(j2Eta[i] - j1Eta[i]) : kMissingValue;
    prod[i] = two ? j1Eta[i] * j2Eta[i] : kMissingValue;
    mjj[i] = two ? std::sqrt(m2) : kMissingValue;
    cent[i] = two ? s.expCent[k] : kMissingValue;
  }
}

#undef HIGGSUQ_MAP

// ---- scalar fix-ups, in double, for the reference's literal behaviour in rare rows ----

float literalPairMass(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2) {
  const double en = pt1 * std::cosh(eta1) + pt2 * std::cosh(eta2);
  const double px = pt1 * std::cos(phi1) + pt2 * std::cos(phi2);
  const double py = pt1 * std::sin(phi1) + pt2 * std::sin(phi2);
  const double pz = pt1 * std::sinh(eta1) + pt2 * std::sinh(eta2);
  const double m2 = en * en - px * px - py * py - pz * pz;
  return m2 >= 0.0 ? static_cast<float>(std::sqrt(m2)) : -0.0f;
}

inline double signOf(double v) {
  return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0);
}

float metPhiCentralityRetry(double phiLep, double phiHad, double phiMet) {
  for (double shift : {0.0, 1e-4}) {
    const double lep = phiLep + shift;
    const double s = signOf(std::sin(phiHad - lep));
    const double a = std::sin(phiMet - lep) * s, b = std::sin(phiHad - phiMet) * s;
    const double den = std::sqrt(a * a + b * b);
    if (den != 0.0) return static_cast<float>((a + b) / den);
  }
  return kMissingValue;
}

/// The two rare cases redone below: a degenerate phi centrality (marked -25 by the vector loop), and
/// m_jj of an event whose n_jets still counts a -25 jet slot.
inline bool centralityNeedsRetry(float centrality) {
  return centrality == kMissingValue;
}
inline bool massNeedsLiteral(float nJets, float leadingPt, float subleadingPt) {
  return nJets >= 2.0f && std::min(leadingPt, subleadingPt) < 0.0f;
}

/// Whether any row of [b, e) needs a fix-up (a vector reduction: almost no block has one).
bool anyFixUps(const Cols& c, std::size_t b, std::size_t e) {
  const float* __restrict cent = c(Feature::MetPhiCentrality);
  const float* __restrict nJets = c(Feature::NJets);
  const float* __restrict j1Pt = c(Feature::JetLeadingPt);
  const float* __restrict j2Pt = c(Feature::JetSubleadingPt);
  float flagged = 0.0f;  // a max over float selects keeps the loop vectorised
  for (std::size_t i = b; i < e; ++i) {
    const bool fix = centralityNeedsRetry(cent[i]) | massNeedsLiteral(nJets[i], j1Pt[i], j2Pt[i]);
    flagged = std::max(flagged, fix ? 1.0f : 0.0f);
  }
  return flagged > 0.0f;
}

void fixUps(const Cols& c, std::size_t b, std::size_t e) {
  if (!anyFixUps(c, b, e)) return;
  for (std::size_t i = b; i < e; ++i) {
    if (centralityNeedsRetry(c(Feature::MetPhiCentrality)[i])) {
      c(Feature::MetPhiCentrality)[i] =
          metPhiCentralityRetry(c(Feature::LepPhi)[i], c(Feature::HadPhi)[i], c(Feature::MetPhi)[i]);
    }
    if (massNeedsLiteral(c(Feature::NJets)[i], c(Feature::JetLeadingPt)[i], c(Feature::JetSubleadingPt)[i])) {
      c(Feature::MassJetJet)[i] = literalPairMass(
          c(Feature::JetLeadingPt)[i], c(Feature::JetLeadingEta)[i], c(Feature::JetLeadingPhi)[i],
          c(Feature::JetSubleadingPt)[i], c(Feature::JetSubleadingEta)[i], c(Feature::JetSubleadingPhi)[i]);
    }
  }
}

}  // namespace

void computeDerivedRange(EventTable& table, std::size_t begin, std::size_t end) {
  const Cols cols(table);
  auto scratch = std::make_unique_for_overwrite<Scratch>();  // every slot is written before it is read
  for (std::size_t b = begin; b < end; b += kBlock) {
    const std::size_t n = std::min(end - b, kBlock);
    fillScratch(cols, b, n, *scratch);
    leptonHadronFeatures(cols, b, n, *scratch);
    transverseSums(cols, b, n, *scratch);
    dijetFeatures(cols, b, n, *scratch);
    fixUps(cols, b, b + n);
  }
}

void computeDerived(EventTable& table) {
  // Fixed blocks, whatever the threads: with fast-math a row's last bit may depend on whether it falls
  // in the vector body or the remainder of a block, so block boundaries must not move with threads.
  const std::size_t blocks = (table.size() + kGrain - 1) / kGrain;
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    computeDerivedRange(table, b * kGrain, std::min(table.size(), (b + 1) * kGrain));
  });
}

}  // namespace higgsuq
