// A minimal four-momentum (px, py, pz, E in GeV) for the built-in generator: construction from
// (pT, eta, phi, m), boosts, and the transverse/angular accessors the detector model needs.
// Written here because the generator's hot loop must not allocate or pull in a framework (ROOT's
// TLorentzVector is not in Debian; FastJet's PseudoJet caches and allocates).
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

namespace higgsuq::sim {

struct FourMomentum {
  double px = 0.0, py = 0.0, pz = 0.0, e = 0.0;

  static FourMomentum fromPtEtaPhiM(double pt, double eta, double phi, double m) {
    const double pz = pt * std::sinh(eta);
    const double p2 = pt * pt + pz * pz;
    return {pt * std::cos(phi), pt * std::sin(phi), pz, std::sqrt(p2 + m * m)};
  }
  /// From transverse momentum, rapidity (not pseudorapidity), azimuth and mass.
  static FourMomentum fromPtRapidityPhiM(double pt, double y, double phi, double m) {
    const double mt = std::sqrt(pt * pt + m * m);
    return {pt * std::cos(phi), pt * std::sin(phi), mt * std::sinh(y), mt * std::cosh(y)};
  }

  FourMomentum operator+(const FourMomentum& o) const { return {px + o.px, py + o.py, pz + o.pz, e + o.e}; }
  FourMomentum operator-(const FourMomentum& o) const { return {px - o.px, py - o.py, pz - o.pz, e - o.e}; }
  FourMomentum operator*(double s) const { return {px * s, py * s, pz * s, e * s}; }
  FourMomentum& operator+=(const FourMomentum& o) {
    px += o.px; py += o.py; pz += o.pz; e += o.e;
    return *this;
  }

  double pt() const { return std::hypot(px, py); }
  double p() const { return std::sqrt(px * px + py * py + pz * pz); }
  double phi() const { return std::atan2(py, px); }
  double mass() const {
    const double m2 = e * e - px * px - py * py - pz * pz;
    return m2 > 0.0 ? std::sqrt(m2) : 0.0;
  }
  double eta() const {
    const double pTransverse = pt();
    if (pTransverse <= 0.0) return pz >= 0.0 ? 20.0 : -20.0;
    return std::asinh(pz / pTransverse);
  }

  /// This momentum (given in the rest frame of `frame`) boosted to the frame where `frame` has its momentum.
  FourMomentum boostedBy(const FourMomentum& frame) const {
    const double m = frame.mass();
    const double bx = frame.px / frame.e, by = frame.py / frame.e, bz = frame.pz / frame.e;
    const double gamma = frame.e / m;
    const double bp = bx * px + by * py + bz * pz;
    const double b2 = bx * bx + by * by + bz * bz;
    const double factor = b2 > 0.0 ? (gamma - 1.0) * bp / b2 + gamma * e : 0.0;
    return {px + factor * bx, py + factor * by, pz + factor * bz, gamma * (e + bp)};
  }
};

/// Azimuthal difference wrapped to (-pi, pi].
inline double deltaPhi(double phi1, double phi2) {
  double d = phi1 - phi2;
  while (d > std::numbers::pi) d -= 2.0 * std::numbers::pi;
  while (d <= -std::numbers::pi) d += 2.0 * std::numbers::pi;
  return d;
}

inline double deltaR(double eta1, double phi1, double eta2, double phi2) {
  return std::hypot(eta1 - eta2, deltaPhi(phi1, phi2));
}

/// Two-body decay of a particle at rest into massses m1, m2 along direction (cosTheta, phi); returns the
/// first daughter (the second is its mirror with energy M - E1).
inline FourMomentum twoBodyDaughter(double parentMass, double m1, double m2, double cosTheta, double phi) {
  const double mSum = m1 + m2, mDiff = m1 - m2;
  const double arg = (parentMass * parentMass - mSum * mSum) * (parentMass * parentMass - mDiff * mDiff);
  const double p = arg > 0.0 ? std::sqrt(arg) / (2.0 * parentMass) : 0.0;
  const double sinTheta = std::sqrt(std::max(0.0, 1.0 - cosTheta * cosTheta));
  return {p * sinTheta * std::cos(phi), p * sinTheta * std::sin(phi), p * cosTheta, std::sqrt(p * p + m1 * m1)};
}

}  // namespace higgsuq::sim
