#include "higgsuq/models/BaselineModel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/Minimiser.hpp"
#include "higgsuq/stats/ProfileInterval.hpp"
#include "higgsuq/systematics/Systematics.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
namespace {

constexpr std::array<Nuisance, kNumShapeNuisances> kShapeNuisances{Nuisance::Tes, Nuisance::Jes, Nuisance::SoftMet};
/// The nuisances of the template model, in the order of its parameters after mu (TemplateParameter).
constexpr std::array<Nuisance, kNumTemplateParameters - 1> kTemplateNuisances{
    Nuisance::Tes, Nuisance::Jes, Nuisance::SoftMet, Nuisance::TtbarScale, Nuisance::DibosonScale, Nuisance::BkgScale};
constexpr std::uint64_t kTemplateNoiseSeed = 2024;  // common soft-MET noise for every template grid point

/// Splits events into (training part, holdout) at random; each part's weights are rescaled per process
/// so that it alone represents the full luminosity (the reference's reweight=True).
std::pair<EventTable, EventTable> splitHoldout(const EventTable& events, double holdoutFraction, std::uint64_t seed) {
  std::vector<std::uint32_t> trainRows, holdoutRows;
  const StreamKey key = streamKey(seed, 0, 0, Stream::eTraining, 1);
  for (std::size_t i = 0; i < events.size(); ++i) {
    (uniformAt(key, i) < holdoutFraction ? holdoutRows : trainRows).push_back(static_cast<std::uint32_t>(i));
  }
  std::pair<EventTable, EventTable> parts{events.gather(trainRows), events.gather(holdoutRows)};
  for (EventTable* part : {&parts.first, &parts.second}) {
    for (Process p : kAllProcesses) {
      const double total = events.sumWeights(p), sub = part->sumWeights(p);
      if (sub <= 0.0) continue;
      for (std::size_t i = 0; i < part->size(); ++i) {
        if (part->processes()[i] == p) part->weights()[i] *= total / sub;
      }
    }
  }
  return parts;
}

struct GridHistograms {
  std::vector<double> alphas;
  std::vector<std::vector<Eigen::VectorXd>> perProcess;  ///< [grid point][process]
};

class TemplateBuilder {
 public:
  TemplateBuilder(const BaselineModel& binning, const Classifier& classifier, const EventTable& holdout,
                  const TrainingAccess& access)
      : m_binning(binning), m_classifier(classifier), m_holdout(holdout), m_challenge(access.challenge),
        m_systematics(access.systematics) {}

  /// Per-process histograms; `sumw2` (if given) receives the sum of squared weights of all processes.
  std::vector<Eigen::VectorXd> histograms(const NuisanceValues& values, Eigen::VectorXd* sumw2 = nullptr) const {
    const EventTable shifted = m_systematics(m_holdout, values, SoftMetNoise::fromSeed(kTemplateNoiseSeed));
    std::vector<float> scores(shifted.size());
    m_classifier.predict(shifted, scores);
    std::vector<Eigen::VectorXd> out;
    std::vector<double> w(shifted.size());
    for (const ProcessSpec& spec : m_challenge.processes) {
      for (std::size_t i = 0; i < shifted.size(); ++i) {
        w[i] = shifted.processes()[i] == spec.process ? shifted.weights()[i] : 0.0;
      }
      out.push_back(m_binning.histogram(scores, w));
    }
    if (sumw2) {
      for (std::size_t i = 0; i < shifted.size(); ++i) w[i] = shifted.weights()[i] * shifted.weights()[i];
      *sumw2 = m_binning.histogram(scores, w);
    }
    return out;
  }

 private:
  const BaselineModel& m_binning;
  const Classifier& m_classifier;
  const EventTable& m_holdout;
  const ChallengeDefinition& m_challenge;
  const SystematicsFunction& m_systematics;
};

/// Least-squares coefficients c_1..c_D of r(a) - 1 = sum_d c_d (a - a0)^d over the grid.
Eigen::RowVectorXd fitResponse(const std::vector<double>& alphas, const std::vector<double>& ratios, double a0,
                               int degree) {
  Eigen::MatrixXd design(static_cast<Eigen::Index>(alphas.size()), degree);
  Eigen::VectorXd target(static_cast<Eigen::Index>(alphas.size()));
  for (std::size_t g = 0; g < alphas.size(); ++g) {
    double x = 1.0;
    for (int d = 0; d < degree; ++d) design(static_cast<Eigen::Index>(g), d) = (x *= alphas[g] - a0);
    target[static_cast<Eigen::Index>(g)] = ratios[g] - 1.0;
  }
  return design.colPivHouseholderQr().solve(target).transpose();
}

/// Classifier scores of the background events of the holdout after the nominal systematics.
std::vector<float> nominalBackgroundScores(const EventTable& holdout, const SystematicsFunction& systematics,
                                           const Classifier& classifier) {
  const EventTable shifted = systematics(holdout, NuisanceValues{}, SoftMetNoise::fromSeed(kTemplateNoiseSeed));
  std::vector<float> scores(shifted.size());
  classifier.predict(shifted, scores);
  std::vector<float> background;
  for (std::size_t i = 0; i < shifted.size(); ++i) {
    if (!shifted.labels()[i]) background.push_back(scores[i]);
  }
  return background;
}

/// The configured classifier, trained on the nominal training part.
std::shared_ptr<const Classifier> trainClassifier(const EventTable& events, const BaselineConfig& config) {
  if (config.classifierKind == BaselineClassifier::eNetwork) {
    return std::make_shared<ml::TorchClassifier>(
        ml::TorchClassifier::train(events, config.network, config.networkProgress));
  }
  return std::make_shared<ml::XgbClassifier>(ml::XgbClassifier::train(events, config.classifier));
}

double priorCentre(const PriorSpec& p) { return p.kind == PriorSpec::Kind::LogNormal ? std::exp(p.a) : p.a; }

/// The best-fit values of the nuisances the fit floated (fixed ones are not fitted values).
FittedNuisances fittedNuisances(const std::vector<stats::ParameterSpec>& parameters, const Eigen::VectorXd& best) {
  FittedNuisances fitted;
  for (std::size_t k = 0; k < kTemplateNuisances.size(); ++k) {
    const std::size_t position = k + 1;  // after mu
    if (!parameters[position].fixed) fitted.set(kTemplateNuisances[k], best[static_cast<Eigen::Index>(position)]);
  }
  return fitted;
}

}  // namespace

std::vector<double> mergeSparseBins(const std::vector<double>& edges, std::span<const float> backgroundScores,
                                    std::size_t minEvents) {
  std::vector<std::size_t> counts(edges.size() - 1, 0);
  for (float s : backgroundScores) {
    const auto it = std::upper_bound(edges.begin(), edges.end(), static_cast<double>(s));
    ++counts[static_cast<std::size_t>(std::clamp<std::ptrdiff_t>(it - edges.begin() - 1, 0, counts.size() - 1))];
  }
  // From the highest score down, a bin closes once it holds minEvents background events.
  std::vector<double> merged{edges.back()};
  std::size_t inBin = 0;
  for (std::size_t b = counts.size(); b-- > 0;) {
    inBin += counts[b];
    if (inBin >= minEvents && b > 0) {
      merged.push_back(edges[b]);
      inBin = 0;
    }
  }
  merged.push_back(edges.front());
  std::reverse(merged.begin(), merged.end());
  // A sparse lowest bin joins its neighbour.
  if (merged.size() > 2 && inBin < minEvents && inBin > 0) merged.erase(merged.begin() + 1);
  return merged;
}

void BaselineConfig::validate() const {
  if (!(holdoutFraction > 0.0 && holdoutFraction < 1.0)) throw std::invalid_argument("holdoutFraction must be in (0,1)");
  if (polynomialDegree < 1 || polynomialDegree > 6) throw std::invalid_argument("polynomialDegree must be in 1..6");
  for (const auto* grid : {&tesGrid, &jesGrid, &softMetGrid}) {
    if (static_cast<int>(grid->size()) <= polynomialDegree) {
      throw std::invalid_argument("each nuisance grid needs more points than polynomialDegree");
    }
  }
  if (!binEdges.empty() && (binEdges.size() < 2 || !std::is_sorted(binEdges.begin(), binEdges.end()))) {
    throw std::invalid_argument("binEdges must be increasing with at least 2 edges");
  }
  if (classifierKind == BaselineClassifier::eNetwork) {
    network.validate();
  } else {
    classifier.validate();
  }
}

std::vector<double> uniformEdges(std::size_t bins) {
  std::vector<double> e(bins + 1);
  for (std::size_t i = 0; i <= bins; ++i) e[i] = static_cast<double>(i) / static_cast<double>(bins);
  return e;
}

void templateParametersFor(const ChallengeDefinition& challenge, TemplateModelSpec& spec) {
  using stats::ParameterSpec;
  spec.parameters = {ParameterSpec{"mu", 1.0, 0.0, 10.0, false}};
  spec.constraints.clear();
  for (Nuisance n : kTemplateNuisances) {
    const auto& prior = challenge.nuisancePriors[index(n)];
    ParameterSpec p{std::string(nuisanceName(n)), NuisanceValues::nominal(n), -1e9, 1e9, true};
    if (prior && prior->kind != PriorSpec::Kind::Fixed && prior->kind != PriorSpec::Kind::Uniform) {
      p.fixed = false;
      p.init = priorCentre(*prior);
      if (prior->clip) p.lo = (*prior->clip)[0], p.hi = (*prior->clip)[1];
      const bool logNormal = prior->kind == PriorSpec::Kind::LogNormal;
      if (logNormal) p.lo = std::max(p.lo, 1e-3);  // the log-normal constraint needs theta > 0
      spec.constraints.push_back({logNormal ? stats::Constraint::Kind::eLogNormal : stats::Constraint::Kind::eGaussian,
                                  spec.parameters.size(), priorCentre(*prior), prior->b});
    } else if (prior) {
      p.init = prior->kind == PriorSpec::Kind::Fixed ? prior->a : 0.5 * (prior->a + prior->b);
      if (prior->kind == PriorSpec::Kind::Uniform) p = {p.name, p.init, prior->a, prior->b, false};
    }
    spec.parameters.push_back(p);
  }
}

BaselineModel::BaselineModel(std::shared_ptr<const Classifier> classifier, std::vector<double> binEdges,
                             TemplateModelSpec spec)
    : m_classifier(std::move(classifier)), m_binEdges(std::move(binEdges)),
      m_templates(std::make_shared<TemplateModel>(std::move(spec))) {
  if (m_binEdges.size() != m_templates->nBins() + 1) throw std::invalid_argument("BaselineModel: bins mismatch");
}

Eigen::VectorXd BaselineModel::histogram(std::span<const float> scores, std::span<const double> weights) const {
  Eigen::VectorXd h = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(m_binEdges.size() - 1));
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const auto it = std::upper_bound(m_binEdges.begin(), m_binEdges.end(), static_cast<double>(scores[i]));
    const auto bin = std::clamp<std::ptrdiff_t>(it - m_binEdges.begin() - 1, 0, h.size() - 1);
    h[bin] += weights[i];
  }
  return h;
}

Prediction BaselineModel::fitHistogram(const Eigen::VectorXd& observed) const {
  const stats::BinnedNll nll(*m_templates, observed);
  stats::NllObjective objective(nll);
  const auto& parameters = m_templates->parameters();
  const stats::FitResult best = stats::minimise(objective, parameters);
  Prediction p;
  if (!best.converged) return p;
  const auto mu = index(TemplateParameter::Mu);
  const stats::ProfileIntervalResult interval = stats::profileInterval(objective, parameters, mu, best);
  p.muHat = best.values[static_cast<Eigen::Index>(mu)];
  p.fitted = fittedNuisances(parameters, best.values);
  p.p16 = interval.lower.value;
  p.p84 = interval.upper.value;
  p.deltaMuHat = 0.5 * (p.p84 - p.p16);
  p.status = interval.valid() ? PredictionStatus::Ok
             : (interval.lower.atBound || interval.upper.atBound) ? PredictionStatus::IntervalClipped
                                                                   : PredictionStatus::FitFailed;
  return p;
}

Prediction BaselineModel::predict(const PseudoExperiment& pe) const {
  std::vector<float> scores(pe.events.size());
  m_classifier->predict(pe.events, scores);
  return fitHistogram(histogram(scores, pe.events.weights()));
}

BaselineModel BaselineModel::fit(const EventTable& training, const ChallengeDefinition& challenge,
                                 const BaselineConfig& config) {
  return fit(TrainingAccess::standard(training, challenge), config);
}

BaselineModel BaselineModel::fit(const TrainingAccess& access, const BaselineConfig& config) {
  config.validate();
  const ChallengeDefinition& challenge = access.challenge;
  auto [trainPart, holdout] = splitHoldout(access.events, config.holdoutFraction, config.seed);
  const EventTable trainNominal = access.systematics(trainPart, NuisanceValues{}, SoftMetNoise::fromSeed(config.seed));
  const std::shared_ptr<const Classifier> classifier = trainClassifier(trainNominal, config);
  TemplateModelSpec spec;
  templateParametersFor(challenge, spec);
  const auto edges = mergeSparseBins(config.binEdges.empty() ? uniformEdges(20) : config.binEdges,
                                     nominalBackgroundScores(holdout, access.systematics, *classifier),
                                     config.minBackgroundEventsPerBin);
  // A provisional model gives the binning to the builder; templates are filled below.
  const std::size_t nBins = edges.size() - 1;
  for (const ProcessSpec& ps : challenge.processes) {
    ProcessTemplate t{ps.process, Eigen::VectorXd::Zero(static_cast<Eigen::Index>(nBins)), {}};
    for (auto& r : t.response) r = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(nBins), config.polynomialDegree);
    spec.processes.push_back(t);
  }
  const BaselineModel binning(classifier, edges, spec);
  const TemplateBuilder builder(binning, *classifier, holdout, access);
  Eigen::VectorXd sumw2;
  const auto nominalHists = builder.histograms(NuisanceValues{}, &sumw2);
  Eigen::VectorXd total = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(nBins));
  for (std::size_t p = 0; p < spec.processes.size(); ++p) {
    spec.processes[p].nominal = nominalHists[p];
    total += nominalHists[p];
  }
  const std::array<const std::vector<double>*, kNumShapeNuisances> grids{&config.tesGrid, &config.jesGrid,
                                                                        &config.softMetGrid};
  for (std::size_t k = 0; k < kNumShapeNuisances; ++k) {
    std::vector<std::vector<Eigen::VectorXd>> atGrid;
    for (double alpha : *grids[k]) {
      NuisanceValues v;
      v.set(kShapeNuisances[k], alpha);
      atGrid.push_back(builder.histograms(v));
    }
    for (std::size_t p = 0; p < spec.processes.size(); ++p) {
      for (Eigen::Index b = 0; b < static_cast<Eigen::Index>(nBins); ++b) {
        const double t0 = nominalHists[p][b];
        std::vector<double> ratios;
        for (const auto& h : atGrid) ratios.push_back(t0 > 0.0 ? h[p][b] / t0 : 1.0);
        spec.processes[p].response[k].row(b) =
            fitResponse(*grids[k], ratios, spec.shapeNominal[k], config.polynomialDegree);
      }
    }
  }
  if (config.templateStatErrors) {
    addTemplateStatErrors(spec, (total.array() > 0.0).select(sumw2.array().sqrt() / total.array(), 0.0).matrix());
  }
  return BaselineModel(classifier, edges, spec);
}

}  // namespace higgsuq
