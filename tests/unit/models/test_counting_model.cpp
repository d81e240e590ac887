// The counting model: its interval is the Poisson profile-likelihood interval, and it covers the truth
// in 68.3% of pure counting toys; "stat-only" and its alias "counting" name it.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <filesystem>

#include "helpers/FloatCompare.hpp"
#include "higgsuq/models/CountingModel.hpp"
#include "higgsuq/models/ModelFiles.hpp"
#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
namespace {

double deltaChi2(double mu, double n, double s, double b) {
  const double nu = mu * s + b;
  return 2.0 * (nu - n - n * std::log(nu / n));
}

TEST(CountingModel, IntervalEndpointsAreTheProfileLikelihoodCrossings) {
  const CountingModel m(1000.0, 950000.0);
  const Prediction p = m.intervalFor(951500.0);
  EXPECT_EQ(p.status, PredictionStatus::Ok);
  HIGGSUQ_EXPECT_CLOSE_REL(p.muHat, 1.5, 1e-12);
  EXPECT_NEAR(deltaChi2(p.p16, 951500.0, 1000.0, 950000.0), 1.0, 1e-9);
  EXPECT_NEAR(deltaChi2(p.p84, 951500.0, 1000.0, 950000.0), 1.0, 1e-9);
  // Large counts: the interval is mu_hat -+ sqrt(N)/S to first order.
  EXPECT_NEAR(p.p84 - p.muHat, std::sqrt(951500.0) / 1000.0, 1e-3);
  EXPECT_NEAR(p.muHat - p.p16, std::sqrt(951500.0) / 1000.0, 1e-3);
  HIGGSUQ_EXPECT_CLOSE_REL(p.deltaMuHat, 0.5 * (p.p84 - p.p16), 1e-12);
}

TEST(CountingModel, SmallCountsGiveAsymmetricIntervalsAndZeroCountFails) {
  const CountingModel m(5.0, 2.0);
  const Prediction p = m.intervalFor(3.0);
  EXPECT_LT(p.muHat - p.p16, p.p84 - p.muHat);
  EXPECT_EQ(m.intervalFor(0.0).status, PredictionStatus::FitFailed);
  EXPECT_TRUE(std::isnan(m.intervalFor(0.0).p16));
}

TEST(CountingModel, CoversTheTruthIn68PercentOfCountingToys) {
  const CountingModel m(200.0, 5000.0);
  const int toys = 2000;
  int covered = 0;
  CounterRng rng(streamKey(17, 0, 0, Stream::eToys));
  for (int t = 0; t < toys; ++t) {
    const double mu = 0.1 + 2.9 * rng.uniform();
    const Prediction p = m.intervalFor(static_cast<double>(rng.poisson(mu * 200.0 + 5000.0)));
    if (p.p16 <= mu && mu <= p.p84) ++covered;
  }
  const double sigma = std::sqrt(0.6827 * 0.3173 / toys);
  EXPECT_NEAR(covered / double(toys), 0.6827, 3.0 * sigma);
}

TEST(CountingModel, SaveLoadRoundTripAndBadFiles) {
  const auto dir = std::filesystem::temp_directory_path() / ("higgsuq-model-" + std::to_string(::getpid()));
  CountingModel(12.5, 3400.25).save(dir);
  const auto loaded = loadModel(dir);
  EXPECT_EQ(loaded->name(), "counting");
  const auto& counting = dynamic_cast<const CountingModel&>(*loaded);
  EXPECT_EQ(counting.expectedSignal(), 12.5);
  EXPECT_EQ(counting.expectedBackground(), 3400.25);
  std::ofstream(dir / "model.json") << "{\"model\": \"unicorn\"}";
  EXPECT_THROW(loadModel(dir), InputError);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(loadModel(dir), InputError);
  EXPECT_THROW(CountingModel(0.0, 1.0), std::invalid_argument);
}

TEST(ModelKind, StatOnlyAndItsAliasCountingNameTheCountingModel) {
  EXPECT_EQ(modelKindFromName("stat-only"), ModelKind::StatOnly);
  EXPECT_EQ(modelKindFromName("counting"), ModelKind::StatOnly);
  EXPECT_EQ(modelKindFromName("baseline"), ModelKind::Baseline);
  EXPECT_EQ(modelKindFromName("stat_only"), std::nullopt);
  EXPECT_EQ(requireModelKind("stat-only"), ModelKind::StatOnly);
  EXPECT_THROW(requireModelKind("unicorn"), InputError);
  // Saved (and named by Model::name()) as "counting", so models and results written earlier stay valid.
  EXPECT_EQ(savedKindName(ModelKind::StatOnly), CountingModel(1.0, 2.0).name());
  EXPECT_EQ(savedKindName(ModelKind::Baseline), "baseline");
}

}  // namespace
}  // namespace higgsuq
