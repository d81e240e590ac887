#include "higgsuq/systematics/Systematics.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/systematics/PostSelection.hpp"

namespace higgsuq {
namespace {

constexpr std::size_t kGrain = 16384;

/// The primaries that are rounded (all but PRI_n_jets).
constexpr std::array<Feature, 15> kRoundedPrimaries{
    Feature::LepPt,          Feature::LepEta,           Feature::LepPhi,           Feature::HadPt,
    Feature::HadEta,         Feature::HadPhi,           Feature::JetLeadingPt,     Feature::JetLeadingEta,
    Feature::JetLeadingPhi,  Feature::JetSubleadingPt,  Feature::JetSubleadingEta, Feature::JetSubleadingPhi,
    Feature::JetAllPt,       Feature::Met,              Feature::MetPhi};

struct ShiftKernel {
  EventTable& events;
  const NuisanceValues& values;
  const SoftMetNoise& noise;

  void addSoftMet(std::size_t i, double& mx, double& my) const {
    if (!noise.x.empty()) {
      mx += noise.x[i];
      my += noise.y[i];
      return;
    }
    const auto z = normalPairAt(noise.key, noise.firstIndex + i);
    mx += values.softMet * z[0];
    my += values.softMet * z[1];
  }

  void shiftTau(std::size_t i, double& mx, double& my) const {
    float& pt = events.value(Feature::HadPt, i);
    const double phi = events.value(Feature::HadPhi, i);
    const double oldPt = pt;
    pt = static_cast<float>(values.tes * oldPt);
    mx += (1.0 - values.tes) * oldPt * std::cos(phi);
    my += (1.0 - values.tes) * oldPt * std::sin(phi);
  }

  void shiftJet(std::size_t i, Feature ptF, Feature phiF, double& mx, double& my) const {
    float& pt = events.value(ptF, i);
    const double phi = events.value(phiF, i);
    const double oldPt = pt;
    pt = static_cast<float>(values.jes * oldPt);
    mx += (1.0 - values.jes) * oldPt * std::cos(phi);
    my += (1.0 - values.jes) * oldPt * std::sin(phi);
  }

  void operator()(std::size_t i) const {
    const double met = events.value(Feature::Met, i);
    const double metPhi = events.value(Feature::MetPhi, i);
    double mx = met * std::cos(metPhi);
    double my = met * std::sin(metPhi);
    if (values.tes != 1.0) shiftTau(i, mx, my);
    if (values.jes != 1.0) {
      const float nJets = events.value(Feature::NJets, i);
      if (nJets > 0.0f) shiftJet(i, Feature::JetLeadingPt, Feature::JetLeadingPhi, mx, my);
      if (nJets > 1.0f) shiftJet(i, Feature::JetSubleadingPt, Feature::JetSubleadingPhi, mx, my);
      float& allPt = events.value(Feature::JetAllPt, i);
      allPt = static_cast<float>(values.jes * allPt);
    }
    if (values.softMet > 0.0) addSoftMet(i, mx, my);
    events.value(Feature::Met, i) = static_cast<float>(std::hypot(mx, my));
    events.value(Feature::MetPhi, i) = static_cast<float>(std::atan2(my, mx));
    for (Feature f : kRoundedPrimaries) {
      float& v = events.value(f, i);
      v = roundTo3Decimals(v);
    }
  }
};

void requirePositive(double v, Nuisance n) {
  if (!std::isfinite(v) || v <= 0.0) {
    throw std::invalid_argument(std::string(nuisanceName(n)) + " must be a finite number > 0, got " +
                                std::to_string(v));
  }
}

}  // namespace

void validateNuisanceValues(const NuisanceValues& values) {
  for (Nuisance n : kAllNuisances) {
    if (n == Nuisance::SoftMet) continue;
    if (n == Nuisance::Tes || n == Nuisance::Jes) {
      requirePositive(values.get(n), n);
    } else if (!std::isfinite(values.get(n)) || values.get(n) < 0.0) {
      throw std::invalid_argument(std::string(nuisanceName(n)) + " must be a finite number >= 0, got " +
                                  std::to_string(values.get(n)));
    }
  }
  if (!std::isfinite(values.softMet) || values.softMet < 0.0) {
    throw std::invalid_argument("soft_met must be a finite number >= 0 (GeV), got " +
                                std::to_string(values.softMet));
  }
}

void applyNormalisations(EventTable& events, const NuisanceValues& values) {
  auto w = events.weights();
  const auto proc = events.processes();
  const auto label = events.labels();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (proc[i] == Process::TTbar) w[i] *= values.ttbarScale;
    if (proc[i] == Process::Diboson) w[i] *= values.dibosonScale;
    if (proc[i] == Process::WJets) w[i] *= values.wjetsScale;
    if (label[i] == 0) w[i] *= values.bkgScale;
  }
}

Systematics::Systematics(const SystematicsConfig& config) : m_config(config) {
  if (!(config.hadPtMin >= 0.0f) || !(config.jetPtMin >= 0.0f) || !(config.lepPtMin >= 0.0f)) {
    throw std::invalid_argument("SystematicsConfig: post-selection thresholds must be >= 0 GeV");
  }
}

EventTable Systematics::apply(const EventTable& input, const NuisanceValues& values, const SoftMetNoise& noise,
                              std::vector<std::uint32_t>* survivingRows) const {
  validateNuisanceValues(values);
  if (!noise.x.empty() && (noise.x.size() != input.size() || noise.y.size() != input.size())) {
    throw std::invalid_argument("explicit soft-MET noise must have one (x, y) draw per input row");
  }
  return run(input, values, noise, survivingRows);
}

EventTable Systematics::applyToRows(const EventTable& pool, std::span<const std::uint32_t> rows,
                                    const NuisanceValues& values, const SoftMetNoise& noise) const {
  validateNuisanceValues(values);
  return run(pool.gather(rows), values, noise, nullptr);
}

EventTable Systematics::run(EventTable events, const NuisanceValues& values, const SoftMetNoise& noise,
                           std::vector<std::uint32_t>* survivingRows) const {
  applyNormalisations(events, values);
  const ShiftKernel kernel{events, values, noise};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, events.size(), kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i) kernel(i);
                    });
  if (m_config.applyCuts) {
    events = applyPostSelection(std::move(events), m_config, survivingRows);
  } else if (survivingRows) {
    survivingRows->resize(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) (*survivingRows)[i] = static_cast<std::uint32_t>(i);
  }
  computeDerived(events);
  return events;
}

}  // namespace higgsuq
