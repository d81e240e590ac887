// The baseline with the LibTorch network as its classifier (BaselineClassifier::eNetwork): the same
// checks as with trees on a small model trained on 20 k simulated events: Asimov data fit back to their
// point, the profile interval covers in toys from the template model, save -> load -> predict is
// identical, predict is the same on one and two threads.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "SmallBaseline.hpp"
#include "TemplateToys.hpp"
#include "higgsuq/models/BaselineModel.hpp"
#include "higgsuq/models/ModelFiles.hpp"
#include "higgsuq/sim/Generator.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/Minimiser.hpp"
#include "higgsuq/stats/ProfileInterval.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
namespace {

constexpr std::uint64_t kTrainingEvents = 20000;

const BaselineModel& networkBaseline() {
  static const BaselineModel model = [] {
    BaselineConfig config;
    config.classifierKind = BaselineClassifier::eNetwork;
    config.network.threads = 1;
    config.network.epochs = 8;
    config.network.batchSize = 64;
    // 1,000 FAIR-sample events are too few for an informative model (one merged bin, every interval
    // spans [0, 10], with trees as with the network): 20 k simulated events instead.
    config.binEdges = uniformEdges(10);
    config.minBackgroundEventsPerBin = 100;
    config.templateStatErrors = false;  // with 12 k holdout events the gammas would swamp mu
    config.polynomialDegree = 2;
    sim::SimulationRequest request;
    request.events = kTrainingEvents;
    request.seed = 61;
    return BaselineModel::fit(sim::simulateToTable(request), test::neurips2024(), config);
  }();
  return model;
}

Eigen::VectorXd truthAt(const TemplateModel& model, double mu) {
  Eigen::VectorXd theta(static_cast<Eigen::Index>(model.parameters().size()));
  for (std::size_t i = 0; i < model.parameters().size(); ++i)
    theta[static_cast<Eigen::Index>(i)] = model.parameters()[i].init;
  theta[static_cast<Eigen::Index>(index(TemplateParameter::Mu))] = mu;
  return theta;
}

void expectIdentical(const Prediction& a, const Prediction& b) {
  const auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  EXPECT_TRUE(same(a.muHat, b.muHat)) << a.muHat << " vs " << b.muHat;
  EXPECT_TRUE(same(a.deltaMuHat, b.deltaMuHat));
  EXPECT_TRUE(same(a.p16, b.p16));
  EXPECT_TRUE(same(a.p84, b.p84));
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.fitted.values, b.fitted.values);
}

TEST(BaselineWithNetwork, UsesTheNetworkClassifier) {
  EXPECT_EQ(networkBaseline().classifier().kind(), "torch-mlp");
  EXPECT_GE(networkBaseline().templates().nBins(), 1u);
}

TEST(BaselineWithNetwork, AsimovDataFitBackToTheirPoint) {
  const TemplateModel& model = networkBaseline().templates();
  for (double mu : {0.5, 1.0, 2.2}) {
    const Eigen::VectorXd truth = truthAt(model, mu);
    const stats::BinnedNll nll(model, stats::asimovData(model, truth), stats::asimovAuxiliary(model, truth));
    const stats::FitResult fit = stats::fitNll(nll);
    ASSERT_TRUE(fit.converged) << "mu = " << mu;
    EXPECT_NEAR(fit.values[0], mu, 1e-3 * std::max(1.0, mu));
  }
}

TEST(BaselineWithNetwork, ProfileIntervalCoversInToysFromTheTemplateModel) {
  const TemplateModel& model = networkBaseline().templates();
  const Eigen::VectorXd truth = truthAt(model, 1.3);
  const Eigen::VectorXd nu = stats::asimovData(model, truth);
  const Eigen::VectorXd auxCentre = stats::asimovAuxiliary(model, truth);
  const int toys = 400;
  int covered = 0, valid = 0;
  double widthSum = 0.0;
  for (int t = 0; t < toys; ++t) {
    const test::ToyInterval toy = test::fitToy(model, nu, auxCentre, 78, t);
    if (!toy.converged) continue;
    ++valid;
    widthSum += toy.upper - toy.lower;
    if (toy.covers(truth[0])) ++covered;
  }
  EXPECT_GE(valid, toys - 3);
  EXPECT_GE(model.nBins(), 3u);
  const double coverage = covered / static_cast<double>(valid);
  EXPECT_NEAR(coverage, 0.6827, 3.0 * std::sqrt(0.6827 * 0.3173 / valid));
  RecordProperty("coverage", std::to_string(coverage));
  RecordProperty("mean_width", std::to_string(widthSum / valid));
  EXPECT_LT(widthSum / valid, 5.0);  // informative: far narrower than the [0, 10] bounds
}

TEST(BaselineWithNetwork, SaveLoadPredictIsIdentical) {
  const PseudoExperiment& pe = test::samplePseudoExperiment();
  const Prediction before = networkBaseline().predict(pe);
  const auto dir =
      std::filesystem::temp_directory_path() / ("higgsuq-baseline-nn-" + std::to_string(::getpid()));
  networkBaseline().save(dir);
  const Prediction after = loadModel(dir)->predict(pe);
  std::filesystem::remove_all(dir);
  expectIdentical(before, after);
  EXPECT_TRUE(std::isfinite(before.muHat));
}

TEST(BaselineWithNetwork, PredictIsIdenticalOnOneAndTwoThreads) {
  const PseudoExperiment& pe = test::samplePseudoExperiment();
  const auto predictWithThreads = [&](std::size_t threads) {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    return networkBaseline().predict(pe);
  };
  expectIdentical(predictWithThreads(1), predictWithThreads(2));
}

TEST(BaselineWithNetwork, BadNetworkConfigIsNamed) {
  BaselineConfig config;
  config.classifierKind = BaselineClassifier::eNetwork;
  config.network.batchSize = 0;
  try {
    config.validate();
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("TorchConfig.batchSize"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace higgsuq
