#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>
#include <thread>
#include <vector>

#include "ClassifierTestSupport.hpp"
#include "SyntheticEvents.hpp"
#include "higgsuq/ml/Auc.hpp"
#include "higgsuq/ml/XgbClassifier.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {
namespace {

namespace fs = std::filesystem;
using test::expectThrowMentioning;
using test::freshDir;
using test::scoresOf;

XgbConfig testConfig() {
  XgbConfig c;
  c.threads = 2;
  return c;
}

/// One model trained on separable blobs, shared by the tests that only need a trained model.
class TrainedBlobs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_model = std::make_unique<XgbClassifier>(XgbClassifier::train(test::makeBlobs({}), testConfig()));
  }
  static void TearDownTestSuite() { s_model.reset(); }
  static std::unique_ptr<XgbClassifier> s_model;
};
std::unique_ptr<XgbClassifier> TrainedBlobs::s_model;

}  // namespace

TEST_F(TrainedBlobs, SeparatesHeldOutBlobs) { test::expectSeparatesHeldOutBlobs(*s_model, "xgboost"); }

TEST_F(TrainedBlobs, SaveThenLoadGivesIdenticalScores) {
  const fs::path dir = freshDir("roundtrip");
  s_model->save(dir);
  EXPECT_TRUE(fs::is_regular_file(dir / "model.json"));
  EXPECT_TRUE(fs::is_regular_file(dir / "classifier.json"));
  const auto loaded = loadClassifier(dir);
  EXPECT_EQ(loaded->kind(), "xgboost");
  const EventTable events = test::makeBlobs({.events = 5000, .seed = 5});
  EXPECT_EQ(scoresOf(*loaded, events), scoresOf(*s_model, events));
  const auto& summary = dynamic_cast<const XgbClassifier&>(*loaded).summary();
  EXPECT_EQ(summary.bestIteration, s_model->summary().bestIteration);
  EXPECT_EQ(summary.validationLogloss, s_model->summary().validationLogloss);
  EXPECT_EQ(summary.validationAuc, s_model->summary().validationAuc);
  fs::remove_all(dir);
}

TEST_F(TrainedBlobs, ConcurrentPredictEqualsSerial) {
  // More rows than one prediction batch, so each call crosses a batch boundary.
  test::expectConcurrentPredictEqualsSerial(*s_model, test::makeBlobs({.events = XgbClassifier::kPredictBatchRows + 1000, .seed = 11}));
}

TEST_F(TrainedBlobs, PredictRejectsWrongOutputSize) {
  const EventTable events = test::makeBlobs({.events = 10});
  std::vector<float> tooShort(9);
  EXPECT_THROW(s_model->predict(events, tooShort), std::invalid_argument);
}

TEST(XgbClassifier, EarlyStoppingKeepsTheBestIteration) {
  XgbConfig config = testConfig();
  const EventTable noise = test::makeBlobs({.events = 10000, .randomLabels = true, .seed = 3});
  const XgbClassifier clf = XgbClassifier::train(noise, config);
  const auto& s = clf.summary();
  ASSERT_LT(s.roundsTrained, config.nEstimators);
  EXPECT_EQ(s.roundsTrained, s.bestIteration + config.earlyStoppingRounds + 1);
  ASSERT_EQ(static_cast<int>(s.validationLogloss.size()), s.roundsTrained);
  const auto best = std::min_element(s.validationLogloss.begin(), s.validationLogloss.end());
  EXPECT_EQ(best - s.validationLogloss.begin(), s.bestIteration);

  // predict() uses trees [0, best]: its weighted logloss on the validation part is the best one.
  const auto split = splitTrainValidation(noise.size(), config.validationFraction, config.seed);
  const EventTable valid = noise.gather(split.validation);
  const auto w = balancedClassWeights(valid.labels(), valid.weights());
  const auto p = scoresOf(clf, valid);
  double loss = 0, total = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    loss -= w[i] * (valid.labels()[i] ? std::log(p[i]) : std::log(1.0 - p[i]));
    total += w[i];
  }
  EXPECT_NEAR(loss / total, *best, 1e-5);
  EXPECT_GT(s.validationLogloss.back(), *best);
}

TEST(XgbClassifier, StandardisedTrainingRoundTripsAndIsDeterministic) {
  XgbConfig config = testConfig();
  config.standardise = true;
  config.nEstimators = 15;
  const EventTable events = test::makeBlobs({.events = 5000, .seed = 21});
  const XgbClassifier a = XgbClassifier::train(events, config);
  const XgbClassifier b = XgbClassifier::train(events, config);
  EXPECT_FALSE(a.scaling().isIdentity());
  EXPECT_EQ(scoresOf(a, events), scoresOf(b, events));
  const fs::path dir = freshDir("standardised");
  a.save(dir);
  const XgbClassifier loaded = XgbClassifier::load(dir, 1);
  EXPECT_EQ(loaded.scaling().mean, a.scaling().mean);
  EXPECT_EQ(loaded.scaling().std, a.scaling().std);
  EXPECT_EQ(loaded.config().threads, 1);
  EXPECT_TRUE(loaded.config().standardise);
  EXPECT_EQ(scoresOf(loaded, events), scoresOf(a, events));
  fs::remove_all(dir);
}

TEST(XgbClassifier, BadConfigNamesTheField) {
  const EventTable events = test::makeBlobs({.events = 100});
  auto expectBad = [&](auto mutate, const std::string& field) {
    XgbConfig c;
    mutate(c);
    expectThrowMentioning<std::invalid_argument>([&] { XgbClassifier::train(events, c); }, field);
  };
  expectBad([](XgbConfig& c) { c.nEstimators = 0; }, "nEstimators");
  expectBad([](XgbConfig& c) { c.maxDepth = 0; }, "maxDepth");
  expectBad([](XgbConfig& c) { c.learningRate = 0.0; }, "learningRate");
  expectBad([](XgbConfig& c) { c.earlyStoppingRounds = -1; }, "earlyStoppingRounds");
  expectBad([](XgbConfig& c) { c.validationFraction = 1.0; }, "validationFraction");
  expectBad([](XgbConfig& c) { c.threads = -2; }, "threads");
  expectBad([](XgbConfig& c) { c.treeMethod = "gpu_hist_typo"; }, "treeMethod");
}

TEST(XgbClassifier, TrainingWithoutSignalIsAnInputError) {
  EventTable events = test::makeBlobs({.events = 200});
  std::fill(events.labels().begin(), events.labels().end(), 0);
  EXPECT_THROW(XgbClassifier::train(events, testConfig()), InputError);
}

TEST(LoadClassifier, MissingOrCorruptFilesAreNamed) {
  const fs::path dir = freshDir("broken");
  expectThrowMentioning<InputError>([&] { loadClassifier(dir); }, "classifier.json");

  fs::create_directories(dir);
  std::ofstream(dir / "classifier.json") << "{ not json";
  expectThrowMentioning<InputError>([&] { loadClassifier(dir); }, (dir / "classifier.json").string());
  std::ofstream(dir / "classifier.json") << R"({"kind": "forest"})";
  expectThrowMentioning<InputError>([&] { loadClassifier(dir); }, "forest");

  XgbConfig config = testConfig();
  config.nEstimators = 3;
  XgbClassifier::train(test::makeBlobs({.events = 2000}), config).save(dir);
  fs::remove(dir / "model.json");
  expectThrowMentioning<InputError>([&] { loadClassifier(dir); }, "model.json");
  std::ofstream(dir / "model.json") << "{\"learner\": 17";
  expectThrowMentioning<ClassifierError>([&] { loadClassifier(dir); }, "model.json");
  fs::remove_all(dir);
}

}  // namespace higgsuq::ml
