#include "higgsuq/models/CountingModel.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include "higgsuq/io/AtomicFile.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

/// 2 [NLL(mu) - NLL(mu_hat)] for N ~ Poisson(mu S + B) with N > 0.
double deltaChi2(double mu, double n, double s, double b) {
  const double nu = mu * s + b;
  return 2.0 * (nu - n - n * std::log(nu / n));
}

/// The mu where deltaChi2 = 1 between lo (below 1) and hi (above 1), by bisection.
double crossing(double lo, double hi, double n, double s, double b) {
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (deltaChi2(mid, n, s, b) < 1.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

std::string_view predictionStatusName(PredictionStatus s) {
  switch (s) {
    case PredictionStatus::Ok: return "ok";
    case PredictionStatus::IntervalClipped: return "interval_clipped";
    case PredictionStatus::FitFailed: return "fit_failed";
    case PredictionStatus::Error: return "error";
  }
  return "?";
}

CountingModel::CountingModel(double expectedSignal, double expectedBackground)
    : m_signal(expectedSignal), m_background(expectedBackground) {
  if (!(expectedSignal > 0.0) || !(expectedBackground > 0.0) || !std::isfinite(expectedSignal) ||
      !std::isfinite(expectedBackground)) {
    throw std::invalid_argument("CountingModel: expected signal and background must be finite and > 0");
  }
}

CountingModel CountingModel::fit(const EventTable& training, const SystematicsConfig& postSelection) {
  ChallengeDefinition challenge;
  challenge.postSelection = postSelection;
  return fit(TrainingAccess::standard(training, challenge));
}

CountingModel CountingModel::fit(const TrainingAccess& access) {
  const EventTable nominal = access.systematics(access.events, NuisanceValues{}, SoftMetNoise::fromSeed(0));
  double s = 0.0, b = 0.0;
  for (std::size_t i = 0; i < nominal.size(); ++i) {
    (nominal.labels()[i] ? s : b) += nominal.weights()[i];
  }
  return CountingModel(s, b);
}

Prediction CountingModel::intervalFor(double n) const {
  Prediction p;
  if (!(n > 0.0)) return p;  // no event: the Poisson likelihood has no interior minimum
  const double muHat = (n - m_background) / m_signal;
  const double muMin = -m_background / m_signal;  // nu = 0
  double step = std::sqrt(n) / m_signal;
  double hi = muHat + step;
  while (deltaChi2(hi, n, m_signal, m_background) < 1.0) hi += (step *= 2.0);
  double lo = muHat - std::sqrt(n) / m_signal;
  p.status = PredictionStatus::Ok;
  if (lo <= muMin || deltaChi2(lo, n, m_signal, m_background) < 1.0) {
    lo = muMin + 1e-12 * std::abs(muMin);
    if (deltaChi2(lo, n, m_signal, m_background) < 1.0) p.status = PredictionStatus::IntervalClipped;
  }
  p.muHat = muHat;
  p.p16 = p.status == PredictionStatus::Ok ? crossing(muHat, lo, n, m_signal, m_background) : lo;
  p.p84 = crossing(muHat, hi, n, m_signal, m_background);
  p.deltaMuHat = 0.5 * (p.p84 - p.p16);
  return p;
}

Prediction CountingModel::predict(const PseudoExperiment& pe) const { return intervalFor(pe.events.sumWeights()); }

}  // namespace higgsuq

// ---- persistence ----

namespace higgsuq {

void CountingModel::save(const std::filesystem::path& dir) const {
  std::filesystem::create_directories(dir);
  const nlohmann::json j{{"model", "counting"}, {"format_version", 1}, {"expected_signal", m_signal},
                         {"expected_background", m_background}};
  writeFileAtomically(dir / "model.json", j.dump(2) + "\n");
}

CountingModel CountingModel::load(const std::filesystem::path& dir) {
  const auto file = dir / "model.json";
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(readFileText(file));
    if (j.at("model") != "counting") throw InputError(file.string() + ": model is not 'counting'");
    return CountingModel(j.at("expected_signal").get<double>(), j.at("expected_background").get<double>());
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string() + ": malformed counting model (" + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw InputError(file.string() + ": " + e.what());
  }
}

}  // namespace higgsuq
