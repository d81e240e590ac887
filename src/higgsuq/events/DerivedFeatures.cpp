#include "higgsuq/events/DerivedFeatures.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <numbers>

namespace higgsuq {
namespace {

constexpr double kPi = std::numbers::pi;

struct Transverse {
  double x = 0.0, y = 0.0;
};

inline Transverse transverse(double pt, double phi) { return {pt * std::cos(phi), pt * std::sin(phi)}; }

inline double sign(double v) { return v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : 0.0); }

/// sqrt of a squared mass clipped at zero, giving -0.0 for negative input like the reference.
inline float clippedSqrt(double m2) { return m2 >= 0.0 ? static_cast<float>(std::sqrt(m2)) : -0.0f; }

/// Invariant mass of two massless objects, free of cancellation.
inline double masslessPairMass(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2) {
  const double m2 = 2.0 * pt1 * pt2 * (std::cosh(eta1 - eta2) - std::cos(phi1 - phi2));
  return std::sqrt(std::max(m2, 0.0));
}

/// The reference's dijet mass, literal form, used when a slot holds the -25 placeholder.
inline float literalPairMass(double pt1, double eta1, double phi1, double pt2, double eta2, double phi2) {
  const double e = pt1 * std::cosh(eta1) + pt2 * std::cosh(eta2);
  const double px = pt1 * std::cos(phi1) + pt2 * std::cos(phi2);
  const double py = pt1 * std::sin(phi1) + pt2 * std::sin(phi2);
  const double pz = pt1 * std::sinh(eta1) + pt2 * std::sinh(eta2);
  return clippedSqrt(e * e - px * px - py * py - pz * pz);
}

inline double deltaPhiAbs(double phi1, double phi2) {
  return std::abs(std::fmod(phi1 - phi2 + 3.0 * kPi, 2.0 * kPi) - kPi);
}

float metPhiCentrality(double phiLep, double phiHad, double phiMet) {
  for (double shift : {0.0, 1e-4}) {
    const double lep = phiLep + shift;
    const double s = sign(std::sin(phiHad - lep));
    const double a = std::sin(phiMet - lep) * s;
    const double b = std::sin(phiHad - phiMet) * s;
    const double den = std::sqrt(a * a + b * b);
    if (den != 0.0) return static_cast<float>((a + b) / den);
  }
  return kMissingValue;
}

float lepEtaCentrality(double etaLep, double eta1, double eta2) {
  double d = (eta1 - eta2) * (eta1 - eta2);
  if (d == 0.0) d += 1e-4;
  const double mid = 0.5 * (eta1 + eta2);
  return static_cast<float>(std::exp(-4.0 / d * (etaLep - mid) * (etaLep - mid)));
}

struct Columns {
  explicit Columns(EventTable& t) : t(t) {}
  std::span<float> operator()(Feature f) const { return t.column(f); }
  EventTable& t;
};

void deriveRow(const Columns& c, std::size_t i) {
  const double lepPt = c(Feature::LepPt)[i], lepEta = c(Feature::LepEta)[i], lepPhi = c(Feature::LepPhi)[i];
  const double hadPt = c(Feature::HadPt)[i], hadEta = c(Feature::HadEta)[i], hadPhi = c(Feature::HadPhi)[i];
  const double j1Pt = c(Feature::JetLeadingPt)[i], j1Eta = c(Feature::JetLeadingEta)[i],
               j1Phi = c(Feature::JetLeadingPhi)[i];
  const double j2Pt = c(Feature::JetSubleadingPt)[i], j2Eta = c(Feature::JetSubleadingEta)[i],
               j2Phi = c(Feature::JetSubleadingPhi)[i];
  const double nJets = c(Feature::NJets)[i];
  const double met = c(Feature::Met)[i], metPhi = c(Feature::MetPhi)[i];

  const Transverse lep = transverse(lepPt, lepPhi);
  const Transverse had = transverse(hadPt, hadPhi);
  const Transverse mv = transverse(met, metPhi);
  const bool hasJ1 = nJets >= 1.0;
  const bool hasJ2 = nJets >= 2.0;
  const Transverse j1 = hasJ1 ? transverse(j1Pt, j1Phi) : Transverse{};
  const Transverse j2 = hasJ2 ? transverse(j2Pt, j2Phi) : Transverse{};

  const double mtA = met + lepPt;
  const double mtB = mv.x + lep.x, mtC = mv.y + lep.y;
  c(Feature::MassTransverseMetLep)[i] = clippedSqrt(mtA * mtA - mtB * mtB - mtC * mtC);
  c(Feature::MassVis)[i] = static_cast<float>(masslessPairMass(lepPt, lepEta, lepPhi, hadPt, hadEta, hadPhi));
  c(Feature::PtH)[i] = static_cast<float>(std::hypot(had.x + lep.x + mv.x, had.y + lep.y + mv.y));
  if (hasJ2) {
    c(Feature::DeltaEtaJetJet)[i] = static_cast<float>(std::abs(j2Eta - j1Eta));
    c(Feature::MassJetJet)[i] = (j1Pt >= 0.0 && j2Pt >= 0.0)
                                    ? static_cast<float>(masslessPairMass(j1Pt, j1Eta, j1Phi, j2Pt, j2Eta, j2Phi))
                                    : literalPairMass(j1Pt, j1Eta, j1Phi, j2Pt, j2Eta, j2Phi);
    c(Feature::ProdEtaJetJet)[i] = static_cast<float>(j1Eta * j2Eta);
    c(Feature::LepEtaCentrality)[i] = lepEtaCentrality(lepEta, j1Eta, j2Eta);
  } else {
    c(Feature::DeltaEtaJetJet)[i] = kMissingValue;
    c(Feature::MassJetJet)[i] = kMissingValue;
    c(Feature::ProdEtaJetJet)[i] = kMissingValue;
    c(Feature::LepEtaCentrality)[i] = kMissingValue;
  }
  const double dEta = lepEta - hadEta;
  const double dPhi = deltaPhiAbs(lepPhi, hadPhi);
  c(Feature::DeltaRHadLep)[i] = static_cast<float>(std::sqrt(dEta * dEta + dPhi * dPhi));
  c(Feature::PtTot)[i] =
      static_cast<float>(std::hypot(had.x + lep.x + mv.x + j1.x + j2.x, had.y + lep.y + mv.y + j1.y + j2.y));
  c(Feature::SumPt)[i] = static_cast<float>(hadPt + lepPt + static_cast<double>(c(Feature::JetAllPt)[i]));
  c(Feature::PtRatioLepHad)[i] = static_cast<float>(lepPt / hadPt);
  c(Feature::MetPhiCentrality)[i] = metPhiCentrality(lepPhi, hadPhi, metPhi);
}

}  // namespace

void computeDerivedRange(EventTable& table, std::size_t begin, std::size_t end) {
  const Columns columns(table);
  for (std::size_t i = begin; i < end; ++i) deriveRow(columns, i);
}

void computeDerived(EventTable& table) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, table.size(), 16384),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      computeDerivedRange(table, r.begin(), r.end());
                    });
}

}  // namespace higgsuq
