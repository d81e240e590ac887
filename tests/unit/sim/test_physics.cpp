// Physics of the built-in generator where it matters for the challenge: the Z and H line shapes at
// generator level, the visible mass ordering after the detector, VBF tag jets against ggF and Z, and
// the jet multiplicity of tt against Z. Small samples (each test well under 10 s on 2 cores).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "higgsuq/sim/Generator.hpp"
#include "higgsuq/sim/HardProcesses.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::sim {
namespace {

constexpr double kZMass = 91.1876, kZWidth = 2.4952, kHiggsMass = 125.0, kHiggsWidth = 0.00374;

double quantile(std::vector<double> values, double q) {
  HIGGSUQ_ASSERT(!values.empty(), "quantile of no values");
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))];
}

double median(const std::vector<double>& values) {
  return quantile(values, 0.5);
}

double mean(const std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

/// Production of the Higgs: only gluon fusion, or only VBF (WH, ZH, ttH and f fbar -> H off in both).
GeneratorConfig higgsProducedBy(bool vbf) {
  GeneratorConfig config;
  config.vbfFraction = vbf ? 1.0 : 0.0;
  config.whFraction = config.zhFraction = config.tthFraction = config.ffbarHiggsFraction = 0.0;
  return config;
}

/// Invariant mass of every lepton, visible tau and neutrino of the event: for Z/H -> tau tau without
/// associated W/Z, exactly the boson's mass (the tau decays are collinear and conserve momentum).
double ditauSystemMass(const TruthEvent& event) {
  FourMomentum sum = event.neutrinos;
  for (int i = 0; i < event.numLeptons; ++i) sum += event.leptons[i].momentum;
  for (int i = 0; i < event.numTaus; ++i) sum += event.taus[i].visible;
  return sum.mass();
}

/// Generator-level boson masses of `attempts` events (those stopped early, without a lepton, skipped).
std::vector<double> truthBosonMasses(Process process, const GeneratorConfig& config, int attempts) {
  CounterRng rng(streamKey(2024, static_cast<std::uint64_t>(process), 0, Stream::eGenerator, 7));
  TruthEvent event;
  std::vector<double> masses;
  for (int i = 0; i < attempts; ++i) {
    generateTruthEvent(process, config, rng, event);
    if (event.numLeptons + event.numTaus == 0) continue;
    masses.push_back(ditauSystemMass(event));
  }
  return masses;
}

/// Selected events of one process only (neurips2024 preset order: H, Z, tt, VV).
EventTable selectedEventsOf(Process process, std::uint64_t events, const GeneratorConfig& physics = {}) {
  SimulationRequest request;
  request.events = events;
  request.seed = 77;
  request.physics = physics;
  std::vector<double> fractions;
  for (const auto& spec : request.preset.processes) fractions.push_back(spec.process == process ? 1.0 : 0.0);
  request.processFractions = fractions;
  return simulateToTable(request);
}

std::vector<double> values(const EventTable& events, Feature feature, int minJets = 0) {
  std::vector<double> out;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events.value(Feature::NJets, i) >= static_cast<float>(minJets))
      out.push_back(events.value(feature, i));
  }
  return out;
}

TEST(Physics, ZLineShapeIsABreitWignerAtTheZMass) {
  const auto masses = truthBosonMasses(Process::ZTauTau, GeneratorConfig{}, 20000);
  ASSERT_GT(masses.size(), 5000u);
  EXPECT_NEAR(median(masses), kZMass, 0.15);
  // A Cauchy's interquartile range is its full width; the truncation to [10, 500] GeV narrows it a little.
  EXPECT_NEAR(quantile(masses, 0.75) - quantile(masses, 0.25), kZWidth, 0.3);
  EXPECT_GT(*std::min_element(masses.begin(), masses.end()), 10.0 - 1e-6);
}

TEST(Physics, HiggsLineShapeIsNarrowAt125) {
  const auto masses = truthBosonMasses(Process::HTauTau, higgsProducedBy(false), 20000);
  ASSERT_GT(masses.size(), 5000u);
  EXPECT_NEAR(median(masses), kHiggsMass, 0.01);
  EXPECT_NEAR(quantile(masses, 0.75) - quantile(masses, 0.25), kHiggsWidth, 0.001);
  for (double m : masses) ASSERT_NEAR(m, kHiggsMass, 1.0 + 1e-6);
}

TEST(Physics, VisibleMassOfZIsBelowHiggs) {
  const auto z = values(selectedEventsOf(Process::ZTauTau, 4000), Feature::MassVis);
  const auto h = values(selectedEventsOf(Process::HTauTau, 4000), Feature::MassVis);
  // FAIR sample medians: Z 67.9, H 81.4 GeV; the visible mass is below the boson mass (neutrinos).
  EXPECT_GT(median(z), 55.0);
  EXPECT_LT(median(z), kZMass);
  EXPECT_GT(median(h), 70.0);
  EXPECT_LT(median(h), kHiggsMass);
  EXPECT_GT(median(h) - median(z), 8.0);
}

TEST(Physics, VbfTagJetsAreFartherApartAndHeavierThanGluonFusionOrZ) {
  const auto vbf = selectedEventsOf(Process::HTauTau, 3000, higgsProducedBy(true));
  const auto ggf = selectedEventsOf(Process::HTauTau, 3000, higgsProducedBy(false));
  const auto z = selectedEventsOf(Process::ZTauTau, 3000);
  const auto twoJetShare = [](const EventTable& t) {
    return static_cast<double>(values(t, Feature::NJets, 2).size()) / static_cast<double>(t.size());
  };
  EXPECT_GT(twoJetShare(vbf), 2.0 * twoJetShare(ggf));
  const double vbfDeltaEta = median(values(vbf, Feature::DeltaEtaJetJet, 2));
  EXPECT_GT(vbfDeltaEta, 3.5);  // tags at |eta| ~ 2.3 in opposite hemispheres
  EXPECT_GT(vbfDeltaEta, median(values(ggf, Feature::DeltaEtaJetJet, 2)) + 1.5);
  EXPECT_GT(vbfDeltaEta, median(values(z, Feature::DeltaEtaJetJet, 2)) + 1.5);
  const double vbfMassJetJet = median(values(vbf, Feature::MassJetJet, 2));
  EXPECT_GT(vbfMassJetJet, 3.0 * median(values(ggf, Feature::MassJetJet, 2)));
  EXPECT_GT(vbfMassJetJet, 3.0 * median(values(z, Feature::MassJetJet, 2)));
}

TEST(Physics, TopPairsHaveMoreJetsThanZ) {
  const double ttbarJets = mean(values(selectedEventsOf(Process::TTbar, 2000), Feature::NJets));
  const double zJets = mean(values(selectedEventsOf(Process::ZTauTau, 2000), Feature::NJets));
  // FAIR sample: 73% of tt events have >= 3 jets, 65% of Z events none.
  EXPECT_GT(ttbarJets, 2.0);
  EXPECT_LT(zJets, 1.0);
  EXPECT_GT(ttbarJets - zJets, 1.5);
}

}  // namespace
}  // namespace higgsuq::sim
