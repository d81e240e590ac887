#include "higgsuq/systematics/Systematics.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/systematics/PostSelection.hpp"
#include "higgsuq/systematics/ShiftKernel.hpp"

namespace higgsuq {
namespace {

constexpr std::size_t kGrain = 16384;

/// A copy of the primaries and per-event metadata (DER are recomputed anyway), in parallel.
EventTable copyPrimaries(const EventTable& input) {
  EventTable out;
  out.resizeUninitialized(input.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, input.size(), kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      const std::size_t n = r.size();
                      for (std::size_t f = 0; f < kNumPrimary; ++f) {
                        std::copy_n(input.column(featureAt(f)).data() + r.begin(), n,
                                    out.column(featureAt(f)).data() + r.begin());
                      }
                      std::copy_n(input.weights().data() + r.begin(), n, out.weights().data() + r.begin());
                      std::copy_n(input.labels().data() + r.begin(), n, out.labels().data() + r.begin());
                      std::copy_n(input.processes().data() + r.begin(), n, out.processes().data() + r.begin());
                    });
  return out;
}

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
  return applyInPlace(copyPrimaries(input), values, noise, survivingRows);
}

EventTable Systematics::applyInPlace(EventTable events, const NuisanceValues& values, const SoftMetNoise& noise,
                                     std::vector<std::uint32_t>* survivingRows) const {
  validateNuisanceValues(values);
  if (!noise.x.empty() && (noise.x.size() != events.size() || noise.y.size() != events.size())) {
    throw std::invalid_argument("explicit soft-MET noise must have one (x, y) draw per input row");
  }
  return run(std::move(events), values, noise, survivingRows);
}

EventTable Systematics::applyToRows(const EventTable& pool, std::span<const std::uint32_t> rows,
                                    const NuisanceValues& values, const SoftMetNoise& noise) const {
  return applyInPlace(pool.gather(rows, true), values, noise);
}

EventTable Systematics::run(EventTable events, const NuisanceValues& values, const SoftMetNoise& noise,
                           std::vector<std::uint32_t>* survivingRows) const {
  applyNormalisations(events, values);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, events.size(), kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      shiftRows(events, r.begin(), r.end(), values, noise);
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
