#include "higgsuq/sim/Detector.hpp"

#include <algorithm>
#include <cmath>

namespace higgsuq::sim {
namespace {

constexpr double kJetRadius = 0.6, kTauConeRadius = 0.4, kIsolationRadius = 0.5;
constexpr double kTrackerEtaMax = 2.5, kCalorimeterEtaMax = 4.9;

struct Candidate {  // a calorimeter jet (tau or q/g) before the raw pT cut
  FourMomentum raw;
  double rawPt = 0.0, eta = 0.0, phi = 0.0;
  bool tauMatched = false;
  int tracks = 0, charge = 0;
};
struct RecoLepton {
  double pt = 0.0, eta = 0.0, phi = 0.0;
  int charge = 0;
  bool muon = false;
};
struct Scratch {  // per-event working storage on the stack (no allocation)
  std::array<FourMomentum, TruthEvent::kMaxPartons> partons;
  std::array<double, TruthEvent::kMaxPartons> eta{}, phi{};
  std::array<Candidate, TruthEvent::kMaxPartons + TruthEvent::kMaxTaus> candidates;
  std::array<RecoLepton, TruthEvent::kMaxLeptons> leptons;
  int numPartons = 0, numCandidates = 0, numLeptons = 0;
  FourMomentum calorimeter;  // everything the towers (incl. muons) see, for MET
};

float round3(double v) { return static_cast<float>(std::round(v * 1000.0) / 1000.0); }

void refreshDirection(Scratch& s, int i) {
  s.eta[i] = s.partons[i].eta();
  s.phi[i] = s.partons[i].phi();
}

// Partons closer than R are one jet (a cheap stand-in for anti-kt on towers).
void mergePartons(const TruthEvent& event, Scratch& s) {
  s.numPartons = event.numPartons;
  for (int i = 0; i < s.numPartons; ++i) {
    s.partons[i] = event.partons[i].momentum;
    refreshDirection(s, i);
  }
  for (bool merged = true; merged;) {
    merged = false;
    for (int i = 0; i < s.numPartons && !merged; ++i) {
      for (int j = i + 1; j < s.numPartons && !merged; ++j) {
        if (deltaR(s.eta[i], s.phi[i], s.eta[j], s.phi[j]) >= kJetRadius) continue;
        s.partons[i] += s.partons[j];
        refreshDirection(s, i);
        s.partons[j] = s.partons[--s.numPartons];
        s.eta[j] = s.eta[s.numPartons];
        s.phi[j] = s.phi[s.numPartons];
        merged = true;
      }
    }
  }
}

double chargedHadronTrackingEfficiency(double eta) { return std::abs(eta) <= 1.5 ? 0.95 : 0.85; }

// Raw calorimeter jet from a truth momentum: response, log-normal HCAL smearing, direction kept.
Candidate makeCandidate(CounterRng& rng, const FourMomentum& truth, double response, double offset,
                        const GeneratorConfig& c) {
  Candidate cand;
  cand.eta = truth.eta();
  cand.phi = truth.phi();
  const double mean = truth.pt() * response + offset;
  const double rel = c.jetResolutionScale * hcalRelativeResolution(mean * std::cosh(cand.eta), cand.eta);
  cand.rawPt = smearLogNormal(rng, mean, rel);
  cand.raw = FourMomentum::fromPtEtaPhiM(cand.rawPt, cand.eta, cand.phi, 0.0);
  return cand;
}

void buildTauCandidates(const TruthEvent& event, const GeneratorConfig& c, CounterRng& rng, Scratch& s) {
  for (int t = 0; t < event.numTaus; ++t) {
    const TruthHadronicTau& tau = event.taus[t];
    FourMomentum cone = tau.visible;
    const double etaVis = tau.visible.eta(), phiVis = tau.visible.phi();
    for (int i = 0; i < s.numPartons; ++i) {  // partons inside the tau cone join the tau jet
      if (deltaR(etaVis, phiVis, s.eta[i], s.phi[i]) >= kTauConeRadius) continue;
      cone += s.partons[i];
      s.partons[i] = s.partons[--s.numPartons];
      s.eta[i] = s.eta[s.numPartons];
      s.phi[i] = s.phi[s.numPartons];
      --i;
    }
    if (std::abs(etaVis) > kCalorimeterEtaMax) continue;
    Candidate cand = makeCandidate(rng, cone, c.tauResponse, c.tauConeUnderlyingEvent, c);
    // Matching and track counting both use dR <= 0.2 between the jet axis and the visible tau / its prongs.
    cand.tauMatched = std::abs(etaVis) <= kTrackerEtaMax && deltaR(cand.eta, cand.phi, etaVis, phiVis) <= 0.2;
    if (cand.tauMatched) {  // prongs of a tau-: (-) for 1-prong, (-, -, +) for 3-prong
      const double eff = chargedHadronTrackingEfficiency(etaVis);
      for (int p = 0; p < tau.chargedProngs; ++p) {
        if (rng.uniform() >= eff) continue;
        ++cand.tracks;
        cand.charge += (p == 2 ? -tau.charge : tau.charge);
      }
    }
    // The UE in the cone is in towers that the tau already lifts over threshold, so it is measured in full;
    // the UE elsewhere that balances it is soft and seen only with softRecoilResponse (facts §1.5, §6.6),
    // so (1 - softRecoilResponse) of the cone UE is a MET imbalance opposite the tau.
    const double balancingUe = c.softRecoilResponse * c.tauConeUnderlyingEvent;
    s.calorimeter += cand.raw * (std::max(0.0, cand.rawPt - balancingUe) / cand.rawPt);
    s.candidates[s.numCandidates++] = cand;
  }
}

// Tracks within dR 0.2 of a quark/gluon jet: 0, 1 or 2 + Poisson; charges random.
void assignFakeTracks(CounterRng& rng, const GeneratorConfig& c, Candidate& cand) {
  if (std::abs(cand.eta) > kTrackerEtaMax) return;
  const double u = rng.uniform();
  if (u < c.fakeJetZeroTrackProb) return;
  cand.tracks = u < c.fakeJetZeroTrackProb + c.fakeJetOneTrackProb
                    ? 1
                    : 2 + static_cast<int>(rng.poisson(c.fakeJetExtraTrackMean));
  for (int i = 0; i < cand.tracks; ++i) cand.charge += rng.uniform() < 0.5 ? 1 : -1;
}

void buildJetCandidates(const GeneratorConfig& c, CounterRng& rng, Scratch& s) {
  for (int i = 0; i < s.numPartons; ++i) {
    if (std::abs(s.eta[i]) > kCalorimeterEtaMax) continue;
    Candidate cand = makeCandidate(rng, s.partons[i], c.jetResponse, 0.0, c);
    s.calorimeter += cand.raw;
    if (cand.rawPt < c.jetPtMin) continue;
    assignFakeTracks(rng, c, cand);
    s.candidates[s.numCandidates++] = cand;
  }
}


// Tracking x identification efficiency of the card (facts §1.2, §1.7) for pT > 10 and |eta| <= 2.5.
double leptonEfficiency(bool muon, double pt, double eta) {
  const bool central = std::abs(eta) <= 1.5;
  const double identification = central ? 0.95 : 0.85;
  const double tracking = muon ? (central ? 0.99 : 0.98)
                               : (central ? (pt > 100.0 ? 0.99 : 0.95) : (pt > 100.0 ? 0.90 : 0.83));
  return identification * tracking;
}

// sigma(pT)/pT: muon track (facts §1.3); electron: track and ECAL (§1.4) combined as 1/s^2 = 1/s_t^2 + 1/s_c^2.
double leptonRelativeResolution(bool muon, double pt, double eta) {
  const double a = std::abs(eta);
  if (muon) {
    const auto [c, s] = a <= 0.5 ? std::pair{0.01, 1.0e-4} : a <= 1.5 ? std::pair{0.015, 1.5e-4} : std::pair{0.025, 3.5e-4};
    return std::sqrt(c * c + pt * pt * s * s);
  }
  const auto [c, s] = a <= 0.5 ? std::pair{0.03, 1.3e-3} : a <= 1.5 ? std::pair{0.05, 1.7e-3} : std::pair{0.15, 3.1e-3};
  const double track = std::min(1.0, std::sqrt(c * c + pt * pt * s * s));
  const double energy = pt * std::cosh(eta);
  const double ecal = std::sqrt(0.0017 * 0.0017 + 0.101 * 0.101 / energy);
  return 1.0 / std::sqrt(1.0 / (track * track) + 1.0 / (ecal * ecal));
}

// Sum of visible (non-lepton) pT within dR 0.5 over the lepton pT: cut 0.12 (e) / 0.25 (mu) (facts §1.7).
bool passesIsolation(const TruthEvent& event, const Scratch& s, const TruthLepton& lepton, double eta, double phi) {
  double sum = 0.0;
  for (int i = 0; i < s.numPartons; ++i) {
    if (deltaR(eta, phi, s.eta[i], s.phi[i]) < kIsolationRadius) sum += s.partons[i].pt();
  }
  for (int t = 0; t < event.numTaus; ++t) {
    const FourMomentum& v = event.taus[t].visible;
    if (deltaR(eta, phi, v.eta(), v.phi()) < kIsolationRadius) sum += v.pt();
  }
  return sum <= (lepton.muon ? 0.25 : 0.12) * lepton.momentum.pt();
}

void reconstructLeptons(const TruthEvent& event, const GeneratorConfig& c, CounterRng& rng, Scratch& s) {
  for (int l = 0; l < event.numLeptons; ++l) {
    const TruthLepton& lepton = event.leptons[l];
    const double truePt = lepton.momentum.pt(), eta = lepton.momentum.eta(), phi = lepton.momentum.phi();
    const bool inTracker = std::abs(eta) <= kTrackerEtaMax;
    const double pt = inTracker ? smearLogNormal(rng, truePt, leptonRelativeResolution(lepton.muon, truePt, eta)) : truePt;
    if (std::abs(eta) <= (lepton.muon ? kTrackerEtaMax : kCalorimeterEtaMax))
      s.calorimeter += FourMomentum::fromPtEtaPhiM(pt, eta, phi, 0.0);
    if (!inTracker || truePt <= 10.0) continue;
    if (rng.uniform() > leptonEfficiency(lepton.muon, truePt, eta)) continue;
    const bool isolated = lepton.isolatedAtTruth && passesIsolation(event, s, lepton, eta, phi) &&
                          (!event.applyIsolationEfficiency || rng.uniform() < c.isolationEfficiency);
    if (isolated) s.leptons[s.numLeptons++] = {pt, eta, phi, lepton.charge, lepton.muon};
  }
}

// Exactly one isolated e or mu above leptonCountPtMin (n_e != n_mu, each <= 1), then pT >= leptonPtMin.
int chooseLepton(const Scratch& s, const GeneratorConfig& c) {
  int electrons = 0, muons = 0, chosen = -1;
  for (int l = 0; l < s.numLeptons; ++l) {
    if (s.leptons[l].pt <= c.leptonCountPtMin) continue;
    (s.leptons[l].muon ? muons : electrons) += 1;
    chosen = l;
  }
  if (electrons > 1 || muons > 1 || electrons == muons) return -1;
  return s.leptons[chosen].pt >= c.leptonPtMin ? chosen : -1;
}

// Track-counting tau tag (facts §1.10): identifier +-ntrk clipped to 2; returns the single tagged
// candidate above the raw cut, or -1 unless exactly one is tagged.
int tagTau(const GeneratorConfig& c, CounterRng& rng, const Scratch& s) {
  int tagged = -1, count = 0;
  for (int i = 0; i < s.numCandidates; ++i) {
    const Candidate& cand = s.candidates[i];
    if (cand.rawPt < c.jetPtMin || cand.tracks == 0) continue;
    const double probability = cand.tauMatched ? (cand.tracks == 1 ? 0.70 : 0.60) : (cand.tracks == 1 ? 0.02 : 0.01);
    if (rng.uniform() < probability) {
      tagged = i;
      ++count;
    }
  }
  return count == 1 ? tagged : -1;
}

void fillJets(const GeneratorConfig& c, const Scratch& s, int tau, PrimaryFeatures& out) {
  int lead = -1, sub = -1, count = 0;
  double leadPt = 0.0, subPt = 0.0, sumPt = 0.0;
  for (int i = 0; i < s.numCandidates; ++i) {
    const Candidate& cand = s.candidates[i];
    if (i == tau || cand.rawPt < c.jetPtMin) continue;
    const double pt = cand.rawPt * jetEnergyScaleFactor(cand.rawPt, cand.eta);
    ++count;
    sumPt += pt;
    if (pt > leadPt) {
      sub = lead, subPt = leadPt, lead = i, leadPt = pt;
    } else if (pt > subPt) {
      sub = i, subPt = pt;
    }
  }
  out[index(Feature::JetLeadingPt)] = lead >= 0 ? round3(leadPt) : kMissingValue;
  out[index(Feature::JetLeadingEta)] = lead >= 0 ? round3(s.candidates[lead].eta) : kMissingValue;
  out[index(Feature::JetLeadingPhi)] = lead >= 0 ? round3(s.candidates[lead].phi) : kMissingValue;
  out[index(Feature::JetSubleadingPt)] = sub >= 0 ? round3(subPt) : kMissingValue;
  out[index(Feature::JetSubleadingEta)] = sub >= 0 ? round3(s.candidates[sub].eta) : kMissingValue;
  out[index(Feature::JetSubleadingPhi)] = sub >= 0 ? round3(s.candidates[sub].phi) : kMissingValue;
  out[index(Feature::NJets)] = static_cast<float>(count);
  out[index(Feature::JetAllPt)] = round3(sumPt);
}

void fillFeatures(const TruthEvent& event, const GeneratorConfig& c, CounterRng& rng, const Scratch& s, int lepton,
                  int tau, PrimaryFeatures& out) {
  const RecoLepton& lep = s.leptons[lepton];
  const Candidate& had = s.candidates[tau];
  out[index(Feature::LepPt)] = round3(lep.pt);
  out[index(Feature::LepEta)] = round3(lep.eta);
  out[index(Feature::LepPhi)] = round3(lep.phi);
  out[index(Feature::HadPt)] = round3(had.rawPt * jetEnergyScaleFactor(had.rawPt, had.eta));
  out[index(Feature::HadEta)] = round3(had.eta);
  out[index(Feature::HadPhi)] = round3(had.phi);
  fillJets(c, s, tau, out);
  const double metX = -(s.calorimeter.px + c.softRecoilResponse * event.softRecoil.px) + c.softMetSigma * rng.normal();
  const double metY = -(s.calorimeter.py + c.softRecoilResponse * event.softRecoil.py) + c.softMetSigma * rng.normal();
  out[index(Feature::Met)] = round3(std::hypot(metX, metY));
  out[index(Feature::MetPhi)] = round3(std::atan2(metY, metX));
}

}  // namespace

bool mayPassSelection(const TruthEvent& event, const GeneratorConfig& config) {
  for (int l = 0; l < event.numLeptons; ++l) {
    const FourMomentum& p = event.leptons[l].momentum;
    if (p.pt() > 0.7 * config.leptonPtMin && std::abs(p.eta()) <= kTrackerEtaMax) return true;
  }
  return false;
}

bool reconstructEvent(const TruthEvent& event, const GeneratorConfig& config, CounterRng& rng, PrimaryFeatures& out) {
  Scratch s;
  mergePartons(event, s);
  buildTauCandidates(event, config, rng, s);
  reconstructLeptons(event, config, rng, s);
  buildJetCandidates(config, rng, s);
  const int lepton = chooseLepton(s, config);
  if (lepton < 0) return false;
  const int tau = tagTau(config, rng, s);
  if (tau < 0 || s.candidates[tau].charge + s.leptons[lepton].charge != 0) return false;
  fillFeatures(event, config, rng, s, lepton, tau, out);
  return true;
}
double smearLogNormal(CounterRng& rng, double mean, double rel) {
  if (mean <= 0.0) return 0.0;
  const double b = std::sqrt(std::log1p(rel * rel));
  return mean * std::exp(b * rng.normal() - 0.5 * b * b);
}

double hcalRelativeResolution(double energy, double eta) {
  const double e = std::max(energy, 1e-3), a = std::abs(eta);
  if (a <= 1.7) return std::sqrt(0.0302 * 0.0302 + 0.5205 * 0.5205 / e + 1.59 * 1.59 / (e * e));
  if (a <= 3.2) return std::sqrt(0.05 * 0.05 + 0.706 * 0.706 / e);
  return std::sqrt(0.0942 * 0.0942 + 1.0 / e);
}

}  // namespace higgsuq::sim
