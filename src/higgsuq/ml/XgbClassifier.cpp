#include "higgsuq/ml/XgbClassifier.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "higgsuq/ml/Auc.hpp"
#include "higgsuq/ml/Manifest.hpp"
#include "higgsuq/ml/XgbHandles.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {
namespace {

constexpr const char* kModelFile = "model.json";
constexpr int kManifestVersion = 1;

void require(bool ok, const char* field, const std::string& expected) {
  if (!ok) throw std::invalid_argument(std::string("XgbConfig.") + field + ": must be " + expected);
}

/// One part of the training data ready for XGBoost: the labelled rows and their balanced weights
/// as the float32 XGBoost takes.
struct PreparedPart : LabelledRows {
  std::vector<float> weights;
};

PreparedPart preparePart(const EventTable& events, std::span<const std::uint32_t> rows,
                         const FeatureScaling& scaling) {
  PreparedPart part{labelledRows(events, rows, scaling), {}};
  part.weights.assign(part.balancedWeights.begin(), part.balancedWeights.end());
  return part;
}

XgbDMatrix toDMatrix(const PreparedPart& part, int threads) {
  XgbDMatrix matrix = XgbDMatrix::fromDense(part.rows, part.size(), kRowWidth, threads);
  matrix.setFloatInfo("label", part.labels);
  matrix.setFloatInfo("weight", part.weights);
  return matrix;
}

void setBoosterParams(XgbBooster& booster, const XgbConfig& config) {
  booster.setParam("objective", "binary:logistic");
  booster.setParam("eval_metric", "logloss");
  booster.setParam("max_depth", std::to_string(config.maxDepth));
  booster.setParam("eta", std::to_string(config.learningRate));
  booster.setParam("tree_method", config.treeMethod);
  booster.setParam("nthread", std::to_string(config.threads));
  booster.setParam("seed", std::to_string(config.seed % 2147483648ULL));
  booster.setParam("verbosity", "1");
}

/// The number after "<name>-logloss:" in an XGBoost evaluation line.
double parseLogloss(const std::string& line, const std::string& name) {
  const std::string tag = name + "-logloss:";
  const auto at = line.find(tag);
  if (at == std::string::npos) throw ClassifierError("XGBoosterEvalOneIter: no " + tag + " in \"" + line + "\"");
  return std::strtod(line.c_str() + at + tag.size(), nullptr);
}

/// Boosts until nEstimators or until earlyStoppingRounds rounds pass without a lower validation logloss.
void boostWithEarlyStopping(XgbBooster& booster, const XgbDMatrix& train, const XgbDMatrix& valid,
                            const XgbConfig& config, XgbTrainingSummary& summary) {
  double best = std::numeric_limits<double>::infinity();
  for (int round = 0; round < config.nEstimators; ++round) {
    booster.updateOneIter(round, train);
    const double loss = parseLogloss(booster.evalOneIter(round, valid, "valid"), "valid");
    summary.validationLogloss.push_back(loss);
    summary.roundsTrained = round + 1;
    if (loss < best) {
      best = loss;
      summary.bestIteration = round;
    } else if (config.earlyStoppingRounds > 0 && round - summary.bestIteration >= config.earlyStoppingRounds) {
      break;
    }
  }
  if (config.earlyStoppingRounds == 0) summary.bestIteration = summary.roundsTrained - 1;
}

nlohmann::json configToJson(const XgbConfig& c) {
  return {{"n_estimators", c.nEstimators},      {"max_depth", c.maxDepth},
          {"learning_rate", c.learningRate},    {"early_stopping_rounds", c.earlyStoppingRounds},
          {"validation_fraction", c.validationFraction}, {"threads", c.threads},
          {"seed", c.seed},                     {"standardise", c.standardise},
          {"tree_method", c.treeMethod}};
}

XgbConfig configFromJson(const nlohmann::json& j, const std::filesystem::path& dir) {
  XgbConfig c;
  c.nEstimators = manifestField<int>(j, "n_estimators", dir);
  c.maxDepth = manifestField<int>(j, "max_depth", dir);
  c.learningRate = manifestField<double>(j, "learning_rate", dir);
  c.earlyStoppingRounds = manifestField<int>(j, "early_stopping_rounds", dir);
  c.validationFraction = manifestField<double>(j, "validation_fraction", dir);
  c.threads = manifestField<int>(j, "threads", dir);
  c.seed = manifestField<std::uint64_t>(j, "seed", dir);
  c.standardise = manifestField<bool>(j, "standardise", dir);
  c.treeMethod = manifestField<std::string>(j, "tree_method", dir);
  return c;
}

}  // namespace

void XgbConfig::validate() const {
  require(nEstimators >= 1, "nEstimators", ">= 1");
  require(maxDepth >= 1 && maxDepth <= 30, "maxDepth", "in [1, 30]");
  require(learningRate > 0.0 && learningRate <= 1.0, "learningRate", "in (0, 1]");
  require(earlyStoppingRounds >= 0, "earlyStoppingRounds", ">= 0 (0 = off)");
  require(validationFraction > 0.0 && validationFraction < 1.0, "validationFraction", "in (0, 1)");
  require(threads >= 0, "threads", ">= 0 (0 = all cores)");
  require(treeMethod == "hist" || treeMethod == "approx" || treeMethod == "exact", "treeMethod",
          "\"hist\", \"approx\" or \"exact\"");
}

XgbClassifier::XgbClassifier(XgbConfig config, std::unique_ptr<XgbBooster> booster, FeatureScaling scaling,
                             XgbTrainingSummary summary)
    : m_config(std::move(config)), m_booster(std::move(booster)), m_scaling(scaling), m_summary(std::move(summary)) {
  m_config.validate();
  if (m_summary.bestIteration < 0 || m_summary.bestIteration >= m_booster->boostedRounds()) {
    throw ClassifierError("XgbClassifier: best iteration " + std::to_string(m_summary.bestIteration) +
                          " outside the model's " + std::to_string(m_booster->boostedRounds()) + " rounds");
  }
  // One prediction now makes XGBoost finish its lazy configuration before any concurrent predict().
  std::array<float, kRowWidth> row{};
  float score = 0.0f;
  m_booster->predictDense(row, 1, kRowWidth, m_summary.bestIteration + 1, std::span<float>(&score, 1));
  const std::string json = m_booster->modelJson();
  m_forest = TreeEnsemble::tryFromXgboostJson(json, m_summary.bestIteration + 1, kRowWidth);
}

XgbClassifier::XgbClassifier(XgbClassifier&&) noexcept = default;
XgbClassifier& XgbClassifier::operator=(XgbClassifier&&) noexcept = default;
XgbClassifier::~XgbClassifier() = default;

XgbClassifier XgbClassifier::train(const EventTable& events, const XgbConfig& config) {
  config.validate();
  const TrainValidationSplit split = splitTrainValidation(events.size(), config.validationFraction, config.seed);
  FeatureScaling scaling = FeatureScaling::identity();
  if (config.standardise) {
    const EventTable trainPart = events.gather(split.train);
    scaling = FeatureScaling::fit(trainPart, balancedClassWeights(trainPart.labels(), trainPart.weights()));
  }
  const PreparedPart trainPart = preparePart(events, split.train, scaling);
  const PreparedPart validPart = preparePart(events, split.validation, scaling);
  const XgbDMatrix trainMatrix = toDMatrix(trainPart, config.threads);
  const XgbDMatrix validMatrix = toDMatrix(validPart, config.threads);

  const std::array<DMatrixHandle, 2> cached{trainMatrix.get(), validMatrix.get()};
  auto booster = std::make_unique<XgbBooster>(XgbBooster::create(cached));
  setBoosterParams(*booster, config);
  XgbTrainingSummary summary;
  summary.trainEvents = trainPart.size();
  summary.validationEvents = validPart.size();
  boostWithEarlyStopping(*booster, trainMatrix, validMatrix, config, summary);

  std::vector<float> validScores(validPart.size());
  booster->predictDense(validPart.rows, validPart.size(), kRowWidth, summary.bestIteration + 1, validScores);
  summary.validationAuc = weightedAuc(validScores, validPart.labelBytes, validPart.balancedWeights);
  return XgbClassifier(config, std::move(booster), scaling, std::move(summary));
}

void XgbClassifier::predict(const EventTable& events, std::span<float> scores) const {
  if (!m_forest) {
    predictWithLibrary(events, scores);
    return;
  }
  if (scores.size() != events.size()) {
    throw std::invalid_argument("XgbClassifier::predict: scores must have one entry per event");
  }
  constexpr std::size_t kBlock = 128, kGrain = 64 * kBlock;
  const bool scaled = !m_scaling.isIdentity();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, events.size(), kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      std::array<const float*, kRowWidth> columns;
                      std::array<float, kBlock * kRowWidth> buffer;  // scaled copies, per task on the stack
                      for (std::size_t begin = r.begin(); begin < r.end(); begin += kBlock) {
                        const std::size_t n = std::min(kBlock, r.end() - begin);
                        for (std::size_t f = 0; f < kRowWidth; ++f) {
                          const float* column = events.column(featureAt(f)).data() + begin;
                          if (!scaled) {
                            columns[f] = column;
                            continue;
                          }
                          float* copy = buffer.data() + f * kBlock;
                          const float mean = m_scaling.mean[f], sd = m_scaling.std[f];
                          for (std::size_t e = 0; e < n; ++e) copy[e] = (column[e] - mean) / sd;  // as fillRowMajor
                          columns[f] = copy;
                        }
                        m_forest->predictColumns(columns, n, scores.subspan(begin, n));
                      }
                    });
}

void XgbClassifier::predictWithLibrary(const EventTable& events, std::span<float> scores) const {
  if (scores.size() != events.size()) {
    throw std::invalid_argument("XgbClassifier::predict: scores must have one entry per event");
  }
  predictInRowMajorBatches(events, m_scaling, kPredictBatchRows, scores,
                           [&](std::span<const float> rows, std::size_t n, std::span<float> out) {
                             m_booster->predictDense(rows, n, kRowWidth, m_summary.bestIteration + 1, out);
                           });

}

void XgbClassifier::save(const std::filesystem::path& dir) const {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  m_booster->save(dir / kModelFile);
  const nlohmann::json manifest = {
      {"kind", kind()},
      {"format_version", kManifestVersion},
      {"model_file", kModelFile},
      {"features", featureNames()},
      {"config", configToJson(m_config)},
      {"best_iteration", m_summary.bestIteration},
      {"rounds_trained", m_summary.roundsTrained},
      {"validation_auc", m_summary.validationAuc},
      {"validation_logloss", m_summary.validationLogloss},
      {"train_events", m_summary.trainEvents},
      {"validation_events", m_summary.validationEvents},
      {"scaling", scalingToJson(m_scaling)}};
  writeClassifierManifest(dir, manifest);
}

XgbClassifier XgbClassifier::load(const std::filesystem::path& dir, std::optional<int> threads) {
  const nlohmann::json manifest = readCheckedManifest(dir, "xgboost", kManifestVersion);
  XgbConfig config = configFromJson(manifestField<nlohmann::json>(manifest, "config", dir), dir);
  if (threads) config.threads = *threads;
  XgbTrainingSummary summary;
  summary.bestIteration = manifestField<int>(manifest, "best_iteration", dir);
  summary.roundsTrained = manifestField<int>(manifest, "rounds_trained", dir);
  summary.validationAuc = manifestField<double>(manifest, "validation_auc", dir);
  summary.validationLogloss = manifestField<std::vector<double>>(manifest, "validation_logloss", dir);
  summary.trainEvents = manifestField<std::uint64_t>(manifest, "train_events", dir);
  summary.validationEvents = manifestField<std::uint64_t>(manifest, "validation_events", dir);
  const FeatureScaling scaling = scalingFromJson(manifestField<nlohmann::json>(manifest, "scaling", dir), dir);

  const auto modelFile = dir / manifestField<std::string>(manifest, "model_file", dir);
  if (!std::filesystem::is_regular_file(modelFile)) throw InputError("missing XGBoost model file " + modelFile.string());
  auto booster = std::make_unique<XgbBooster>(XgbBooster::load(modelFile));
  booster->setParam("nthread", std::to_string(config.threads));
  return XgbClassifier(std::move(config), std::move(booster), scaling, std::move(summary));
}

}  // namespace higgsuq::ml
