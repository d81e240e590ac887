// The baseline's template model: derivatives against finite differences, Asimov closure, toy coverage
// of the profile interval, and the full baseline: save -> load -> predict round trip, the same prediction
// on one and two threads, and the fitted nuisances it reports.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <filesystem>

#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "SmallBaseline.hpp"
#include "TemplateToys.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/models/ModelFiles.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/Minimiser.hpp"
#include "higgsuq/stats/ProfileInterval.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
namespace {

constexpr Eigen::Index kBins = 10;

TemplateModelSpec syntheticSpec() {
  TemplateModelSpec spec;
  templateParametersFor(loadChallengeDefinition("neurips2024"), spec);
  struct Shape { Process p; double scale, slope; };
  for (const Shape s : {Shape{Process::HTauTau, 20.0, 0.3}, Shape{Process::ZTauTau, 9000.0, -0.35},
                        Shape{Process::TTbar, 400.0, 0.05}, Shape{Process::Diboson, 40.0, 0.0}}) {
    ProcessTemplate t{s.p, Eigen::VectorXd(kBins), {}};
    for (Eigen::Index b = 0; b < kBins; ++b) t.nominal[b] = s.scale * std::exp(s.slope * static_cast<double>(b));
    for (std::size_t k = 0; k < kNumShapeNuisances; ++k) {
      t.response[k] = Eigen::MatrixXd(kBins, 2);
      for (Eigen::Index b = 0; b < kBins; ++b) {
        const double x = (static_cast<double>(b) - 4.5) / 4.5;
        t.response[k](b, 0) = (k == 2 ? 0.004 : 2.0) * x * (s.p == Process::HTauTau ? 0.5 : 1.0);
        t.response[k](b, 1) = (k == 2 ? 0.001 : 15.0) * x * x;
      }
    }
    spec.processes.push_back(t);
  }
  return spec;
}

Eigen::VectorXd point(double mu) {
  Eigen::VectorXd theta(kNumTemplateParameters);
  theta << mu, 1.012, 0.991, 1.7, 1.03, 1.2, 1.0005;
  return theta;
}

TemplateModelSpec specWithStatErrors() {
  TemplateModelSpec spec = syntheticSpec();
  addTemplateStatErrors(spec, Eigen::VectorXd::LinSpaced(kBins, 0.002, 0.03));
  return spec;
}

Eigen::VectorXd pointWithGammas(double mu) {
  Eigen::VectorXd theta(kNumTemplateParameters + kBins);
  theta << point(mu), Eigen::VectorXd::LinSpaced(kBins, 0.98, 1.03);
  return theta;
}

class TemplateModelDerivatives : public ::testing::TestWithParam<bool> {};

TEST_P(TemplateModelDerivatives, JacobianAndCurvatureMatchFiniteDifferences) {
  const bool stat = GetParam();
  const TemplateModel model(stat ? specWithStatErrors() : syntheticSpec());
  auto ws = model.makeWorkspace();
  const Eigen::VectorXd theta = stat ? pointWithGammas(1.4) : point(1.4);
  const Eigen::Index np = theta.size();
  model.evaluate(theta, ws, true);
  const Eigen::MatrixXd jac = ws.jacobian;
  Eigen::VectorXd weights = Eigen::VectorXd::LinSpaced(kBins, 0.3, -0.2);
  Eigen::MatrixXd curvature = Eigen::MatrixXd::Zero(np, np);
  model.accumulateCurvature(theta, weights, curvature, ws);
  for (Eigen::Index j = 0; j < np; ++j) {
    const double h = 1e-6 * std::max(1.0, std::abs(theta[j]));
    Eigen::VectorXd up = theta, down = theta;
    up[j] += h;
    down[j] -= h;
    model.evaluate(up, ws, true);
    const Eigen::VectorXd nuUp = ws.expected;
    const Eigen::MatrixXd jacUp = ws.jacobian;
    model.evaluate(down, ws, true);
    const Eigen::VectorXd numeric = (nuUp - ws.expected) / (2 * h);
    const Eigen::VectorXd numericCurv = (jacUp - ws.jacobian).transpose() * weights / (2 * h);
    for (Eigen::Index b = 0; b < kBins; ++b) HIGGSUQ_EXPECT_CLOSE_MIXED(jac(b, j), numeric[b], 1e-4, 1e-6);
    for (Eigen::Index i = 0; i < np; ++i) HIGGSUQ_EXPECT_CLOSE_MIXED(curvature(i, j), numericCurv[i], 1e-3, 1e-5);
  }
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutTemplateStatErrors, TemplateModelDerivatives, ::testing::Bool());

TEST(TemplateModel, AsimovClosureWithTemplateStatErrors) {
  const TemplateModel model(specWithStatErrors());
  const Eigen::VectorXd truth = pointWithGammas(0.8);
  const stats::BinnedNll nll(model, stats::asimovData(model, truth), stats::asimovAuxiliary(model, truth));
  const stats::FitResult fit = stats::fitNll(nll);
  ASSERT_TRUE(fit.converged);
  EXPECT_NEAR(fit.values[0], 0.8, 1e-4);
}

TEST(TemplateModel, AsimovDataFitBackToTheirPoint) {
  const TemplateModel model(syntheticSpec());
  for (double mu : {0.3, 1.0, 2.6}) {
    const Eigen::VectorXd truth = point(mu);
    const stats::BinnedNll nll(model, stats::asimovData(model, truth), stats::asimovAuxiliary(model, truth));
    const stats::FitResult fit = stats::fitNll(nll);
    ASSERT_TRUE(fit.converged);
    for (Eigen::Index j = 0; j < 7; ++j) {
      EXPECT_NEAR(fit.values[j], truth[j], 1e-4 * std::max(1.0, std::abs(truth[j]))) << model.parameters()[j].name;
    }
  }
}

TEST(TemplateModel, ProfileIntervalCoversInToysFromTheModel) {
  const TemplateModel model(syntheticSpec());
  const Eigen::VectorXd truth = point(1.3);
  const Eigen::VectorXd nu = stats::asimovData(model, truth);
  const Eigen::VectorXd auxCentre = stats::asimovAuxiliary(model, truth);
  const int toys = 600;
  int covered = 0, valid = 0;
  for (int t = 0; t < toys; ++t) {
    const test::ToyInterval toy = test::fitToy(model, nu, auxCentre, 77, t);
    if (!toy.converged) continue;
    ++valid;
    if (toy.covers(truth[0])) ++covered;
  }
  EXPECT_GE(valid, toys - 3);
  const double coverage = covered / static_cast<double>(valid);
  EXPECT_NEAR(coverage, 0.6827, 3.0 * std::sqrt(0.6827 * 0.3173 / valid));
  RecordProperty("coverage", std::to_string(coverage));
}

/// Every field of two predictions is the same, bit for bit (NaN only where both are NaN).
void expectIdentical(const Prediction& a, const Prediction& b) {
  const auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  EXPECT_TRUE(same(a.muHat, b.muHat)) << a.muHat << " vs " << b.muHat;
  EXPECT_TRUE(same(a.deltaMuHat, b.deltaMuHat)) << a.deltaMuHat << " vs " << b.deltaMuHat;
  EXPECT_TRUE(same(a.p16, b.p16)) << a.p16 << " vs " << b.p16;
  EXPECT_TRUE(same(a.p84, b.p84)) << a.p84 << " vs " << b.p84;
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.fitted.floated, b.fitted.floated);
  EXPECT_EQ(a.fitted.values, b.fitted.values);
}

TEST(BaselineModel, SaveLoadPredictIsIdentical) {
  const BaselineModel& model = test::smallBaseline();
  const PseudoExperiment& pe = test::samplePseudoExperiment();
  const Prediction before = model.predict(pe);
  const auto dir = std::filesystem::temp_directory_path() / ("higgsuq-baseline-" + std::to_string(::getpid()));
  model.save(dir);
  const Prediction after = loadModel(dir)->predict(pe);
  std::filesystem::remove_all(dir);
  expectIdentical(before, after);
  EXPECT_TRUE(std::isfinite(before.muHat));
  EXPECT_TRUE(std::isfinite(before.deltaMuHat));
}

TEST(BaselineModel, PredictIsIdenticalOnOneAndTwoThreads) {
  const PseudoExperiment& pe = test::samplePseudoExperiment();
  const auto predictWithThreads = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return test::smallBaseline().predict(pe);
  };
  const Prediction one = predictWithThreads(1);
  const Prediction two = predictWithThreads(2);
  expectIdentical(one, two);
  EXPECT_TRUE(std::isfinite(one.muHat));
}

TEST(BaselineModel, PredictionCarriesTheFittedNuisancesOfTheProfileFit) {
  const Prediction p = test::smallBaseline().predict(test::samplePseudoExperiment());
  ASSERT_TRUE(std::isfinite(p.muHat));
  // neurips2024 floats all six nuisances of the template model; W+jets is not one of them.
  for (Nuisance n : {Nuisance::Tes, Nuisance::Jes, Nuisance::SoftMet, Nuisance::TtbarScale, Nuisance::DibosonScale,
                     Nuisance::BkgScale}) {
    EXPECT_TRUE(p.fitted.floated[index(n)]) << nuisanceName(n);
    EXPECT_TRUE(std::isfinite(p.fitted.values.get(n))) << nuisanceName(n);
  }
  EXPECT_FALSE(p.fitted.floated[index(Nuisance::WjetsScale)]);
  // Fitted values lie inside the parameter bounds of the template model.
  const auto& parameters = test::smallBaseline().templates().parameters();
  EXPECT_GE(p.fitted.values.tes, parameters[index(TemplateParameter::Tes)].lo);
  EXPECT_LE(p.fitted.values.tes, parameters[index(TemplateParameter::Tes)].hi);
}

}  // namespace
}  // namespace higgsuq

namespace higgsuq {
namespace {

TEST(BaselineModel, SparseHighScoreBinsAreMergedUntilEachHoldsEnoughBackground) {
  // 10 uniform bins; background piles up at low scores.
  std::vector<float> scores;
  for (int b = 0; b < 10; ++b) {
    for (int k = 0; k < (b < 5 ? 1000 : 30); ++k) scores.push_back(0.1f * static_cast<float>(b) + 0.05f);
  }
  const auto merged = mergeSparseBins(uniformEdges(10), scores, 100);
  // Top: 0.9-1.0 (30), 0.8-0.9 (30), 0.7-0.8 (30), 0.6-0.7 (30) -> one bin [0.6, 1.0] of 120; 0.5-0.6 (30)
  // joins 0.4-0.5; below that every bin stands alone.
  const std::vector<double> expected{0.0, 0.1, 0.2, 0.3, 0.4, 0.6, 1.0};
  ASSERT_EQ(merged.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(merged[i], expected[i], 1e-12);
  EXPECT_EQ(mergeSparseBins(uniformEdges(4), scores, 100000).size(), 2u);  // everything in one bin
}

}  // namespace
}  // namespace higgsuq
