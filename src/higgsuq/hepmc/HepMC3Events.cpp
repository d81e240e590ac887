#include "higgsuq/hepmc/HepMC3Events.hpp"

#include <HepMC3/GenEvent.h>
#include <HepMC3/GenParticle.h>
#include <HepMC3/GenVertex.h>
#include <HepMC3/ReaderAscii.h>
#include <fastjet/ClusterSequence.hh>

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/sim/Decays.hpp"
#include "higgsuq/sim/Detector.hpp"
#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
namespace {

using HepMC3::ConstGenParticlePtr;
using sim::FourMomentum;

constexpr double kJetRadius = 0.6, kIsolationRadius = 0.5, kSoftJetPt = 3.0;

FourMomentum toFour(const HepMC3::FourVector& v) { return {v.px(), v.py(), v.pz(), v.e()}; }
bool isNeutrino(int absPid) { return absPid == 12 || absPid == 14 || absPid == 16; }
bool isLightLepton(int absPid) { return absPid == 11 || absPid == 13; }
int chargeOf(int pid) {  // charged stable particles that make tracks (leptons, pi, K, p)
  const int a = std::abs(pid);
  if (a == 11 || a == 13) return pid > 0 ? -1 : 1;
  if (a == 211 || a == 321 || a == 2212) return pid > 0 ? 1 : -1;
  return 0;
}

// The first ancestor with a different PDG id (the tau's parent boson), or null.
ConstGenParticlePtr parentOf(const ConstGenParticlePtr& p) {
  for (ConstGenParticlePtr current = p;;) {
    const auto vertex = current->production_vertex();
    if (!vertex || vertex->particles_in().empty()) return nullptr;
    const auto parent = vertex->particles_in().front();
    if (parent->pid() != current->pid()) return parent;
    current = parent;
  }
}

// Formula-convention polarisation (TauDecay.hpp): W -> -1; Z/gamma* pair equal with <P> = -0.15;
// H pair opposite; unknown parent 0. One helicity per parent, so the pair is correlated.
class TauPolarisations {
 public:
  double polarisation(const ConstGenParticlePtr& tau, CounterRng& rng) {
    const auto parent = parentOf(tau);
    const int parentPid = parent ? parent->abs_pid() : 0;
    if (parentPid == 24) return -1.0;
    if (parentPid != 22 && parentPid != 23 && parentPid != 25) return 0.0;
    const double h = helicityOf(parent->id(), parentPid == 25 ? 0.5 : 0.5 * (1.0 - 0.1517), rng);
    return (parentPid == 25 && tau->pid() < 0) ? -h : h;
  }

 private:
  double helicityOf(int parentId, double probabilityRight, CounterRng& rng) {
    for (const auto& [id, h] : m_drawn) {
      if (id == parentId) return h;
    }
    m_drawn.emplace_back(parentId, rng.uniform() < probabilityRight ? 1.0 : -1.0);
    return m_drawn.back().second;
  }
  std::vector<std::pair<int, double>> m_drawn;
};

struct EventWork {
  sim::TruthEvent truth;
  std::vector<fastjet::PseudoJet> clusterInputs;
  std::vector<char> used;      // by particle id: already accounted for (tau descendants, isolated leptons)
  FourMomentum finalState;     // bookkeeping: every final-state 4-momentum after tau decays
  std::uint64_t tausDecayed = 0;
  std::vector<double> jetPts;  // of the jets that become partons, descending
  double clusteringResidual = 0.0;
};

// Stable descendants of a generator-decayed tau: visible sum, neutrinos, charged prongs; marks them used.
void collectDescendants(const ConstGenParticlePtr& p, EventWork& w, FourMomentum& visible, int& prongs) {
  const auto vertex = p->end_vertex();
  if (!vertex) return;
  for (const auto& child : vertex->particles_out()) {
    if (child->status() == 1) {
      w.used[child->id()] = 1;
      const FourMomentum m = toFour(child->momentum());
      w.finalState += m;
      if (isNeutrino(child->abs_pid())) {
        w.truth.neutrinos += m;
      } else {
        visible += m;
        prongs += chargeOf(child->pid()) != 0 ? 1 : 0;
      }
    } else {
      collectDescendants(child, w, visible, prongs);
    }
  }
}

bool hasLeptonChild(const ConstGenParticlePtr& tau) {
  const auto vertex = tau->end_vertex();
  if (!vertex) return false;
  return std::any_of(vertex->particles_out().begin(), vertex->particles_out().end(),
                     [](const auto& c) { return isLightLepton(c->abs_pid()) || c->abs_pid() == 15; });
}

void addGeneratorDecayedTaus(const HepMC3::GenEvent& event, EventWork& w) {
  for (const auto& p : event.particles()) {
    if (p->abs_pid() != 15 || p->status() != 2 || hasLeptonChild(p)) continue;
    FourMomentum visible;
    int prongs = 0;
    collectDescendants(p, w, visible, prongs);
    if (w.truth.numTaus < sim::TruthEvent::kMaxTaus) w.truth.addTau(visible, p->pid() > 0 ? -1 : 1, prongs);
  }
}

bool isIsolatedAtTruth(const HepMC3::GenEvent& event, const ConstGenParticlePtr& lepton) {
  const auto& m = lepton->momentum();
  double sum = 0.0;
  for (const auto& p : event.particles()) {
    if (p->status() != 1 || p == lepton || isNeutrino(p->abs_pid()) || isLightLepton(p->abs_pid())) continue;
    if (p->momentum().pt() <= 0.5) continue;
    if (sim::deltaR(m.eta(), m.phi(), p->momentum().eta(), p->momentum().phi()) <= kIsolationRadius)
      sum += p->momentum().pt();
  }
  return sum <= (lepton->abs_pid() == 13 ? 0.25 : 0.12) * m.pt();
}

void addStableParticles(const HepMC3::GenEvent& event, EventWork& w, CounterRng& rng) {
  TauPolarisations polarisations;
  for (const auto& p : event.particles()) {
    if (p->status() != 1 || w.used[p->id()]) continue;
    const FourMomentum m = toFour(p->momentum());
    const int a = p->abs_pid();
    if (a == 15) {  // undecayed tau: decay it here (collinear, momentum conserved exactly)
      const sim::FourMomentum before = w.truth.neutrinos;
      const int leptonsBefore = w.truth.numLeptons, tausBefore = w.truth.numTaus;
      sim::addTauDecay(w.truth, rng, m, p->pid() > 0 ? -1 : 1, polarisations.polarisation(p, rng));
      ++w.tausDecayed;
      w.finalState += w.truth.neutrinos - before;
      if (w.truth.numLeptons > leptonsBefore) w.finalState += w.truth.leptons[leptonsBefore].momentum;
      if (w.truth.numTaus > tausBefore) w.finalState += w.truth.taus[tausBefore].visible;
      continue;
    }
    w.finalState += m;
    if (isNeutrino(a)) {
      w.truth.neutrinos += m;
    } else if (isLightLepton(a) && p->momentum().pt() > 10.0 && isIsolatedAtTruth(event, p)) {
      w.truth.addLepton(m, chargeOf(p->pid()), a == 13);
    } else {
      w.clusterInputs.emplace_back(m.px, m.py, m.pz, m.e);
    }
  }
}

double maxResidual(const FourMomentum& a, const FourMomentum& b) {
  return std::max({std::abs(a.px - b.px), std::abs(a.py - b.py), std::abs(a.pz - b.pz), std::abs(a.e - b.e)});
}

// anti-kt R = 0.6 on the remaining visible particles; soft jets join the unresolved recoil.
void clusterJets(EventWork& w) {
  w.jetPts.clear();
  w.clusteringResidual = 0.0;
  if (w.clusterInputs.empty()) return;
  const fastjet::JetDefinition definition(fastjet::antikt_algorithm, kJetRadius);
  fastjet::ClusterSequence sequence(w.clusterInputs, definition);
  FourMomentum inputs, jets;
  for (const auto& p : w.clusterInputs) inputs += FourMomentum{p.px(), p.py(), p.pz(), p.e()};
  for (const auto& jet : sequence.inclusive_jets(0.0)) {
    const FourMomentum m{jet.px(), jet.py(), jet.pz(), jet.e()};
    jets += m;
    if (jet.pt() >= kSoftJetPt) {
      w.truth.addParton(m);
      w.jetPts.push_back(jet.pt());
    } else {
      w.truth.softRecoil += FourMomentum{m.px, m.py, 0.0, 0.0};
    }
  }
  std::sort(w.jetPts.begin(), w.jetPts.end(), std::greater<>());
  w.clusteringResidual = maxResidual(jets, inputs);
}

FourMomentum beamSum(const HepMC3::GenEvent& event) {
  FourMomentum sum;
  for (const auto& p : event.particles()) {
    if (p->status() == 4) sum += toFour(p->momentum());
  }
  return sum;
}

// One event: tau decays, leptons, jets, bookkeeping, then the detector; true if selected.
bool convertEvent(const HepMC3::GenEvent& event, const HepMC3ReadOptions& options, EventWork& work,
                  HepMC3ReadStats& stats, sim::PrimaryFeatures& row) {
  CounterRng rng(streamKey(options.seed, stats.eventsRead, 0, Stream::eGenerator, 1));
  work.truth.clear();
  work.truth.applyIsolationEfficiency = false;
  work.clusterInputs.clear();
  work.used.assign(event.particles().size() + 1, 0);
  work.finalState = FourMomentum{};
  work.tausDecayed = 0;
  addGeneratorDecayedTaus(event, work);
  addStableParticles(event, work, rng);
  clusterJets(work);
  ++stats.eventsRead;
  stats.tausDecayed += work.tausDecayed;
  stats.momentumResidual.push_back(maxResidual(work.finalState, beamSum(event)));
  stats.jetPts.push_back(work.jetPts);
  stats.clusteringResidual.push_back(work.clusteringResidual);
  if (work.truth.numLeptons > 0 && work.truth.numTaus > 0) ++stats.leptonHadronicEvents;
  return sim::reconstructEvent(work.truth, options.detector, rng, row);
}

void fillTable(const std::vector<sim::PrimaryFeatures>& rows, const std::vector<double>& weights, Process process,
               EventTable& table) {
  table.resize(rows.size());
  for (std::size_t f = 0; f < kNumPrimary; ++f) {
    auto column = table.column(featureAt(f));
    for (std::size_t i = 0; i < rows.size(); ++i) column[i] = rows[i][f];
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    table.weights()[i] = weights[i];
    table.processes()[i] = process;
    table.labels()[i] = isSignal(process) ? 1 : 0;
  }
  computeDerived(table);
}

}  // namespace

EventTable readHepMC3Events(const std::filesystem::path& path, const HepMC3ReadOptions& options,
                            HepMC3ReadStats* stats) {
  sim::validateGeneratorConfig(options.detector);
  const std::uint64_t declaredEvents = checkHepMC3Structure(path);
  fastjet::ClusterSequence::set_fastjet_banner_stream(nullptr);
  HepMC3::ReaderAscii reader(path.string());
  HepMC3ReadStats local;
  std::vector<sim::PrimaryFeatures> rows;
  std::vector<double> weights;
  HepMC3::GenEvent event(HepMC3::Units::GEV, HepMC3::Units::MM);
  EventWork work;
  while (!reader.failed()) {
    if (!reader.read_event(event) || reader.failed()) break;
    event.set_units(HepMC3::Units::GEV, HepMC3::Units::MM);
    sim::PrimaryFeatures row;
    if (!convertEvent(event, options, work, local, row)) continue;
    rows.push_back(row);
    weights.push_back(event.weights().empty() ? 1.0 : event.weights().front());
  }
  reader.close();
  if (local.eventsRead != declaredEvents)
    throw InputError(path.string() + ": HepMC3 reader stopped after " + std::to_string(local.eventsRead) + " of " +
                     std::to_string(declaredEvents) + " events (malformed event " + std::to_string(local.eventsRead) + ")");
  local.selected = rows.size();
  EventTable table;
  fillTable(rows, weights, options.process, table);
  if (stats) *stats = std::move(local);
  return table;
}

EventTable readHepMC3Events(const std::filesystem::path& path, std::uint64_t seed, HepMC3ReadStats* stats) {
  HepMC3ReadOptions options;
  options.seed = seed;
  return readHepMC3Events(path, options, stats);
}

}  // namespace higgsuq
