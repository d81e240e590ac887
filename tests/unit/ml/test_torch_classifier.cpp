// The LibTorch network classifier: learning a separable problem, save -> load identity, standardisation
// applied exactly once, the compiled kernel against LibTorch's forward and its own scalar walk,
// concurrent prediction, determinism of training, early stopping, config and file errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include "ClassifierTestSupport.hpp"
#include "SyntheticEvents.hpp"
#include "higgsuq/ml/Auc.hpp"
#include "higgsuq/ml/TorchClassifier.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::ml {
namespace {

namespace fs = std::filesystem;
using test::expectThrowMentioning;
using test::freshDir;
using test::scoresOf;

/// Small and quick: one training of 18 k events takes well under a second on one thread.
TorchConfig testConfig() {
  TorchConfig c;
  c.hiddenLayers = {16, 16};
  c.epochs = 6;
  c.batchSize = 256;
  c.learningRate = 3e-3;
  c.threads = 1;
  return c;
}

/// One network trained on separable blobs, shared by the tests that only need a trained model.
class TrainedNetwork : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_epochs = new std::vector<TorchEpoch>;
    s_model = std::make_unique<TorchClassifier>(TorchClassifier::train(
        test::makeBlobs({}), testConfig(), [](const TorchEpoch& e) { s_epochs->push_back(e); }));
  }
  static void TearDownTestSuite() {
    s_model.reset();
    delete s_epochs;
  }
  static std::unique_ptr<TorchClassifier> s_model;
  static std::vector<TorchEpoch>* s_epochs;
};
std::unique_ptr<TorchClassifier> TrainedNetwork::s_model;
std::vector<TorchEpoch>* TrainedNetwork::s_epochs;

}  // namespace

TEST_F(TrainedNetwork, SeparatesHeldOutBlobs) { test::expectSeparatesHeldOutBlobs(*s_model, "torch-mlp"); }

TEST_F(TrainedNetwork, ReportsEveryEpochToTheProgressCallback) {
  ASSERT_EQ(static_cast<int>(s_epochs->size()), s_model->summary().epochsTrained);
  for (std::size_t i = 0; i < s_epochs->size(); ++i) {
    const TorchEpoch& e = (*s_epochs)[i];
    EXPECT_EQ(e.epoch, static_cast<int>(i) + 1);
    EXPECT_TRUE(std::isfinite(e.trainLoss) && e.trainLoss > 0.0);
    EXPECT_TRUE(std::isfinite(e.validationLoss) && e.validationLoss > 0.0);
    EXPECT_GE(e.validationAuc, 0.0);
    EXPECT_LE(e.validationAuc, 1.0);
  }
  EXPECT_LT(s_epochs->back().trainLoss, s_epochs->front().trainLoss);
}

TEST_F(TrainedNetwork, SaveThenLoadGivesIdenticalScores) {
  const fs::path dir = freshDir("torch_roundtrip");
  s_model->save(dir);
  EXPECT_TRUE(fs::is_regular_file(dir / "weights.bin"));
  EXPECT_TRUE(fs::is_regular_file(dir / "classifier.json"));
  const auto loaded = loadClassifier(dir);
  EXPECT_EQ(loaded->kind(), "torch-mlp");
  const EventTable events = test::makeBlobs({.events = 5000, .seed = 5});
  EXPECT_EQ(scoresOf(*s_model, events), scoresOf(*loaded, events));  // bit for bit
  const auto& restored = dynamic_cast<const TorchClassifier&>(*loaded);
  EXPECT_EQ(restored.summary().bestEpoch, s_model->summary().bestEpoch);
  EXPECT_EQ(restored.summary().history.size(), s_model->summary().history.size());
  EXPECT_EQ(restored.config().hiddenLayers, s_model->config().hiddenLayers);
  EXPECT_EQ(restored.scaling().mean, s_model->scaling().mean);
  EXPECT_EQ(restored.scaling().std, s_model->scaling().std);
  fs::remove_all(dir);
}

TEST_F(TrainedNetwork, CompiledKernelAgreesWithLibTorchsForward) {
  const EventTable events = test::makeBlobs({.events = 70001, .seed = 8});  // > one library batch, ragged end
  const auto compiled = scoresOf(*s_model, events);
  std::vector<float> library(events.size());
  s_model->predictWithLibrary(events, library);
  float worst = 0.0f;
  for (std::size_t i = 0; i < events.size(); ++i) worst = std::max(worst, std::abs(compiled[i] - library[i]));
  EXPECT_LT(worst, 2e-6f);
}

TEST_F(TrainedNetwork, ScalarWalkIsBitIdenticalToTheVectorisedKernel) {
  const TorchClassifier scalar(s_model->config(), s_model->network().scalarOnly(), s_model->scaling());
  const EventTable events = test::makeBlobs({.events = 3001, .seed = 9});
  EXPECT_EQ(scoresOf(*s_model, events), scoresOf(scalar, events));
}

TEST_F(TrainedNetwork, ConcurrentPredictEqualsSerial) {
  test::expectConcurrentPredictEqualsSerial(*s_model, test::makeBlobs({.events = 66536, .seed = 11}));
}

TEST_F(TrainedNetwork, StoresTheWeightedStandardisationOfItsTrainingPart) {
  const EventTable events = test::makeBlobs({});
  const TrainValidationSplit split = splitTrainValidation(events.size(), testConfig().validationFraction, 42);
  const EventTable train = events.gather(split.train);
  const FeatureScaling expected =
      FeatureScaling::fit(train, balancedClassWeights(train.labels(), train.weights()));
  EXPECT_EQ(s_model->scaling().mean, expected.mean);
  EXPECT_EQ(s_model->scaling().std, expected.std);
  EXPECT_FALSE(s_model->scaling().isIdentity());
}

TEST(TorchClassifier, AppliesTheStandardisationExactlyOnce) {
  // score = sigmoid(1 * sigmoid((x0 - 100) / 10)): a hand-written network on feature 0 alone.
  DenseLayer first{kRowWidth, 1, std::vector<float>(kRowWidth, 0.0f), {0.0f}};
  first.weights[0] = 1.0f;
  const DenseLayer output{1, 1, {1.0f}, {0.0f}};
  FeatureScaling scaling = FeatureScaling::identity();
  scaling.mean[0] = 100.0f;
  scaling.std[0] = 10.0f;
  TorchConfig config;
  config.activation = Activation::eSigmoid;
  const TorchClassifier clf(config, MlpNetwork({first, output}, Activation::eSigmoid), scaling);
  EventTable events(4);
  const std::vector<float> x0{110.0f, 90.0f, 100.0f, 125.0f};
  for (std::size_t i = 0; i < 4; ++i) events.column(featureAt(0))[i] = x0[i];
  const auto sigmoid = [](double z) { return 1.0 / (1.0 + std::exp(-z)); };
  std::vector<float> library(4);
  clf.predictWithLibrary(events, library);
  const auto compiled = scoresOf(clf, events);
  for (std::size_t i = 0; i < 4; ++i) {
    const double once = sigmoid(sigmoid((x0[i] - 100.0) / 10.0));
    const double twice = sigmoid(sigmoid(((x0[i] - 100.0) / 10.0 - 100.0) / 10.0));
    EXPECT_NEAR(compiled[i], once, 1e-6) << "x0 = " << x0[i];
    EXPECT_NEAR(library[i], once, 1e-6) << "x0 = " << x0[i];
    EXPECT_GT(std::abs(once - twice), 0.01);
  }
}

TEST(TorchClassifier, TrainingIsDeterministicForAFixedSeedAndThreadCount) {
  const EventTable events = test::makeBlobs({.events = 6000, .seed = 3});
  TorchConfig c = testConfig();
  c.epochs = 2;
  const TorchClassifier a = TorchClassifier::train(events, c);
  const TorchClassifier b = TorchClassifier::train(events, c);
  EXPECT_EQ(scoresOf(a, events), scoresOf(b, events));
  c.seed = 43;
  EXPECT_NE(scoresOf(TorchClassifier::train(events, c), events), scoresOf(a, events));
}

TEST(TorchClassifier, EarlyStoppingKeepsTheEpochWithTheLowestValidationLoss) {
  // Random labels: the validation loss stops improving almost at once.
  const EventTable events = test::makeBlobs({.events = 8000, .randomLabels = true, .seed = 4});
  TorchConfig c = testConfig();
  c.epochs = 40;
  c.earlyStoppingEpochs = 2;
  c.learningRate = 1e-2;
  const TorchClassifier clf = TorchClassifier::train(events, c);
  const TorchTrainingSummary& s = clf.summary();
  EXPECT_LT(s.epochsTrained, 40);
  EXPECT_EQ(s.epochsTrained, s.bestEpoch + c.earlyStoppingEpochs);
  const auto best = std::min_element(s.history.begin(), s.history.end(), [](const auto& x, const auto& y) {
    return x.validationLoss < y.validationLoss;
  });
  EXPECT_EQ(best->epoch, s.bestEpoch);
  EXPECT_EQ(s.validationAuc, best->validationAuc);
}

TEST(TorchClassifier, PresetsAreTheDefaultAndTheReferenceNetwork) {
  EXPECT_EQ(TorchConfig::preset("nn").hiddenLayers, TorchConfig{}.hiddenLayers);
  const TorchConfig reference = TorchConfig::preset("nn-reference");
  EXPECT_EQ(reference.hiddenLayers, (std::vector<int>{200, 200, 200}));
  EXPECT_EQ(reference.activation, Activation::eSigmoid);
  EXPECT_DOUBLE_EQ(reference.l2, 1e-4);
  EXPECT_EQ(reference.batchSize, 1000);
  reference.validate();
  expectThrowMentioning<std::invalid_argument>([] { TorchConfig::preset("nn-huge"); }, "nn-huge");
}

TEST(TorchClassifier, BadConfigFieldsAreNamed) {
  const EventTable events = test::makeBlobs({.events = 500});
  const auto expectNamed = [&](const std::function<void(TorchConfig&)>& breakIt, const std::string& field) {
    TorchConfig c = testConfig();
    breakIt(c);
    expectThrowMentioning<std::invalid_argument>([&] { TorchClassifier::train(events, c); },
                                                 "TorchConfig." + field);
  };
  expectNamed([](TorchConfig& c) { c.hiddenLayers.clear(); }, "hiddenLayers");
  expectNamed([](TorchConfig& c) { c.hiddenLayers = {16, 0}; }, "hiddenLayers");
  expectNamed([](TorchConfig& c) { c.l2 = -1.0; }, "l2");
  expectNamed([](TorchConfig& c) { c.batchSize = 0; }, "batchSize");
  expectNamed([](TorchConfig& c) { c.learningRate = 0.0; }, "learningRate");
  expectNamed([](TorchConfig& c) { c.epochs = 0; }, "epochs");
  expectNamed([](TorchConfig& c) { c.earlyStoppingEpochs = -1; }, "earlyStoppingEpochs");
  expectNamed([](TorchConfig& c) { c.validationFraction = 1.0; }, "validationFraction");
  expectNamed([](TorchConfig& c) { c.threads = -2; }, "threads");
  expectThrowMentioning<std::invalid_argument>([] { activationFromName("gelu", "TorchConfig.activation"); },
                                               "TorchConfig.activation");
}

TEST(TorchClassifier, UnusableTrainingDataIsAnInputError) {
  EventTable events = test::makeBlobs({.events = 500});
  for (std::size_t i = 0; i < events.size(); ++i) events.labels()[i] = 0;
  EXPECT_THROW(TorchClassifier::train(events, testConfig()), InputError);
}

TEST_F(TrainedNetwork, MissingOrTruncatedWeightsNameTheFile) {
  const fs::path dir = freshDir("torch_broken");
  s_model->save(dir);
  fs::resize_file(dir / "weights.bin", fs::file_size(dir / "weights.bin") - 4);
  expectThrowMentioning<InputError>([&] { loadClassifier(dir); }, "weights.bin");
  fs::remove(dir / "weights.bin");
  expectThrowMentioning<InputError>([&] { loadClassifier(dir); }, "weights.bin");
  fs::remove_all(dir);
}

TEST(MlpNetwork, RejectsShapesThatDoNotChain) {
  const DenseLayer first{kRowWidth, 4, std::vector<float>(kRowWidth * 4, 0.1f), std::vector<float>(4, 0.0f)};
  const DenseLayer wrongInputs{3, 1, {1.0f, 1.0f, 1.0f}, {0.0f}};
  EXPECT_THROW(MlpNetwork({first, wrongInputs}, Activation::eRelu), std::invalid_argument);
  EXPECT_THROW(MlpNetwork({first}, Activation::eRelu), std::invalid_argument);  // 4 outputs at the end
  DenseLayer nan = first;
  nan.weights[3] = std::nanf("");
  const DenseLayer output{4, 1, {1.0f, 1.0f, 1.0f, 1.0f}, {0.0f}};
  EXPECT_THROW(MlpNetwork({nan, output}, Activation::eRelu), std::invalid_argument);
  EXPECT_EQ(MlpNetwork({first, output}, Activation::eTanh).multiplyAdds(), kRowWidth * 4 + 4);
}

TEST(MlpNetwork, ActivationsMatchTheirDefinitions) {
  // One hidden neuron z = x0 with each activation, output sigmoid(h): compare with std::exp / std::tanh.
  DenseLayer first{kRowWidth, 1, std::vector<float>(kRowWidth, 0.0f), {0.0f}};
  first.weights[0] = 1.0f;
  const DenseLayer output{1, 1, {1.0f}, {0.0f}};
  const std::vector<float> xs{-100.0f, -20.0f, -3.0f, -0.5f, 0.0f, 1e-3f, 0.7f, 4.0f, 30.0f, 100.0f};
  EventTable events(xs.size());
  std::copy(xs.begin(), xs.end(), events.column(featureAt(0)).begin());
  const auto sigmoid = [](double z) { return 1.0 / (1.0 + std::exp(-z)); };
  for (Activation a : {Activation::eSigmoid, Activation::eRelu, Activation::eTanh}) {
    const TorchClassifier clf(TorchConfig{}, MlpNetwork({first, output}, a), FeatureScaling::identity());
    const auto scores = scoresOf(clf, events);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double h = a == Activation::eSigmoid ? sigmoid(xs[i])
                       : a == Activation::eRelu  ? std::max(0.0f, xs[i])
                                                 : std::tanh(xs[i]);
      EXPECT_NEAR(scores[i], sigmoid(h), 2e-7) << activationName(a) << " x = " << xs[i];
    }
  }
}

}  // namespace higgsuq::ml
