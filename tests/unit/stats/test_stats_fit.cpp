// The minimiser and intervals: Asimov closure, statuses instead of exceptions, toy coverage, speed.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <thread>

#include "StatsTestModels.hpp"
#include "helpers/FloatCompare.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/HistFactoryModel.hpp"
#include "higgsuq/stats/Minimiser.hpp"
#include "higgsuq/stats/ProfileInterval.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq::stats {
namespace {

using test::richSpec;

TEST(Minimiser, AsimovDataFitBackToTheGeneratingPoint) {
  // Asimov counts and Asimov auxiliary data (constraint centres at the point): every parameter comes back.
  for (auto histosysCode : {HistosysCode::eCode0, HistosysCode::eCode4p}) {
    const HistFactoryModel model(richSpec(NormsysCode::eCode4, histosysCode));
    const std::vector<std::vector<double>> points{{1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0},
                                                  {2.5, 1.02, 0.5, -0.8, 0.3, 1.3, 0.6},
                                                  {0.4, 0.99, -1.4, 1.6, -0.5, 0.7, -1.2}};
    for (const auto& point : points) {  // mu, lumi, sig_xs, jes, bkg_norm, k_ttbar, tes
      const Eigen::VectorXd truth = Eigen::Map<const Eigen::VectorXd>(point.data(), 7);
      const BinnedNll nll(model, asimovData(model, truth), asimovAuxiliary(model, truth));
      const FitResult fit = fitNll(nll);
      ASSERT_TRUE(fit.valid()) << "edm " << fit.edm;
      for (Eigen::Index k = 0; k < 7; ++k) HIGGSUQ_EXPECT_CLOSE_ABS(fit.values[k], truth[k], 1e-7) << "parameter " << k;
    }
  }
}

TEST(Minimiser, AsimovWithFreeNuisancesAtTheirConstraintCentres) {
  // All constraint centres are at the truth (0 for unit Gaussians, auxdata 1 for lumi): every parameter
  // comes back, whatever the POI and free normalisation.
  const HistFactoryModel model(richSpec(NormsysCode::eCode4, HistosysCode::eCode4p));
  for (double mu : {0.5, 1.0, 3.0}) {
    for (double kTtbar : {0.8, 1.4}) {
      Eigen::VectorXd truth(7);
      truth << mu, 1.0, 0.0, 0.0, 0.0, kTtbar, 0.0;
      const BinnedNll nll(model, asimovData(model, truth));
      const FitResult fit = fitNll(nll);
      ASSERT_TRUE(fit.valid()) << "edm " << fit.edm;
      EXPECT_FALSE(fit.atBound);
      for (Eigen::Index k = 0; k < 7; ++k) HIGGSUQ_EXPECT_CLOSE_ABS(fit.values[k], truth[k], 1e-7);
      EXPECT_LT(fit.edm, 1e-10);
      EXPECT_LT(fit.iterations, 30u);
    }
  }
}

TEST(Minimiser, SharedModelAcrossThreadsGivesIdenticalFits) {
  // One immutable model, one NllObjective (workspace) per thread.
  const HistFactoryModel model(richSpec(NormsysCode::eCode4, HistosysCode::eCode4p));
  Eigen::VectorXd truth(7);
  truth << 1.7, 1.01, 0.3, -0.4, 0.2, 1.2, 0.5;
  const BinnedNll nll(model, asimovData(model, truth) + Eigen::VectorXd::LinSpaced(8, -2.0, 3.0));
  const FitResult serial = fitNll(nll);
  std::vector<FitResult> parallel(4);
  std::vector<std::thread> workers;
  for (std::size_t threadIdx = 0; threadIdx < parallel.size(); ++threadIdx) {
    workers.emplace_back([&, threadIdx] {
      for (int repeat = 0; repeat < 200; ++repeat) parallel[threadIdx] = fitNll(nll);
    });
  }
  for (auto& worker : workers) worker.join();
  for (const auto& fit : parallel) {
    EXPECT_EQ(fit.values, serial.values);
    EXPECT_EQ(fit.nll, serial.nll);
  }
}

/// f(x) = -x: unbounded below; no minimum to find.
class UnboundedObjective final : public Objective {
 public:
  std::size_t nParameters() const override { return 1; }
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* g, Eigen::MatrixXd* h) override {
    if (g) (*g)[0] = -1.0;
    if (h) (*h)(0, 0) = 0.0;
    return -x[0];
  }
  double errorDef() const override { return 0.5; }
};

/// NaN everywhere away from the start.
class NanObjective final : public Objective {
 public:
  std::size_t nParameters() const override { return 1; }
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd* g, Eigen::MatrixXd* h) override {
    if (g) (*g)[0] = 1.0;
    if (h) (*h)(0, 0) = 1.0;
    return x[0] == 0.0 ? 0.0 : std::numeric_limits<double>::quiet_NaN();
  }
  double errorDef() const override { return 0.5; }
};

TEST(Minimiser, ReportsNonConvergenceInsteadOfThrowing) {
  UnboundedObjective unbounded;
  const std::vector<ParameterSpec> free{{"x", 0.0}};
  FitResult fit;
  EXPECT_NO_THROW(fit = minimise(unbounded, free, FitOptions{1e-10, 50, 2000}));
  EXPECT_FALSE(fit.converged);
  EXPECT_FALSE(fit.valid());
  EXPECT_TRUE(fit.callLimitReached);
  EXPECT_FALSE(fit.covariancePosDef);

  // With a bound the same function has a minimum on it.
  const std::vector<ParameterSpec> bounded{{"x", 0.0, -1.0, 3.0, false}};
  fit = minimise(unbounded, bounded);
  EXPECT_TRUE(fit.converged);
  EXPECT_TRUE(fit.atBound);
  EXPECT_DOUBLE_EQ(fit.values[0], 3.0);

  NanObjective nan;
  EXPECT_NO_THROW(fit = minimise(nan, free));
  EXPECT_FALSE(fit.converged);
}

TEST(Minimiser, IterationLimitIsAStatus) {
  const HistFactoryModel model(richSpec(NormsysCode::eCode4, HistosysCode::eCode4p));
  Eigen::VectorXd truth(7);
  truth << 2.0, 1.0, 0.5, 0.3, -0.2, 1.2, 0.1;
  const BinnedNll nll(model, asimovData(model, truth));
  const FitResult fit = fitNll(nll, FitOptions{1e-10, 1, 2000});
  EXPECT_FALSE(fit.converged);
  EXPECT_TRUE(fit.callLimitReached);
  EXPECT_EQ(fit.iterations, 1u);
}

TEST(Minimiser, PoiOnItsBound) {
  HistFactorySpec spec;
  spec.channels = {{"c", {{"s", {5.0, 5.0}, {{"mu", ModifierType::eNormfactor, 1, 1, {}, {}}}}, {"b", {100.0, 100.0}, {}}}}};
  spec.poi = "mu";
  const HistFactoryModel model(spec);
  const BinnedNll nll(model, Eigen::Vector2d(80.0, 85.0));  // fewer events than the background alone
  const FitResult fit = fitNll(nll);
  EXPECT_TRUE(fit.converged);
  EXPECT_TRUE(fit.atBound);
  EXPECT_EQ(fit.values[0], 0.0);
  NllObjective objective(nll);
  const auto interval = profileInterval(objective, model.parameters(), 0, fit);
  EXPECT_TRUE(interval.lower.atBound);
  EXPECT_FALSE(interval.lower.found);
  EXPECT_EQ(interval.lower.value, 0.0);
  EXPECT_TRUE(interval.upper.found);
}

HistFactorySpec coverageSpec() {
  const ModifierSpec mu{"mu", ModifierType::eNormfactor, 1, 1, {}, {}};
  const ModifierSpec lumi{"lumi", ModifierType::eLumi, 1, 1, {}, {}};
  HistFactorySpec spec;
  spec.channels = {{"c", {{"signal", {4, 9, 14, 11, 6, 3}, {mu, lumi}},
                          {"background", {60, 45, 30, 20, 12, 6}, {lumi, {"bkg", ModifierType::eNormsys, 1.1, 0.92, {}, {}}}}}}};
  spec.settings = {{"lumi", std::nullopt, 0.5, 1.5, std::nullopt, 1.0, 0.05},
                   {"mu", std::nullopt, -5.0, 20.0, std::nullopt, std::nullopt, std::nullopt}};
  spec.poi = "mu";
  return spec;
}

TEST(ProfileInterval, ToyCoverageOfTheProfileLikelihoodInterval) {
  // Counts and auxiliary data (lumi: N(1, 0.05), bkg: N(0, 1)) are drawn from the model at the truth.
  const HistFactoryModel model(coverageSpec());
  ASSERT_EQ(model.parameters()[1].name, "lumi");
  Eigen::VectorXd truth(3);  // mu, lumi, bkg
  truth << 1.0, 1.0, 0.0;
  const Eigen::VectorXd expected = asimovData(model, truth);
  const std::size_t nToys = 2000;
  std::size_t covered = 0, invalid = 0;
  for (std::size_t toyIdx = 0; toyIdx < nToys; ++toyIdx) {
    CounterRng rng(streamKey(20260611, 0, toyIdx, Stream::eToys));
    Eigen::VectorXd counts(expected.size());
    for (Eigen::Index binIdx = 0; binIdx < counts.size(); ++binIdx) counts[binIdx] = static_cast<double>(rng.poisson(expected[binIdx]));
    Eigen::VectorXd auxiliary = nominalAuxiliary(model);
    for (Eigen::Index cIdx = 0; cIdx < auxiliary.size(); ++cIdx) {
      auxiliary[cIdx] += model.constraints()[static_cast<std::size_t>(cIdx)].sigma * rng.normal();
    }
    const BinnedNll nll(model, counts, auxiliary);
    NllObjective objective(nll);
    const FitResult best = minimise(objective, model.parameters());
    const auto interval = profileInterval(objective, model.parameters(), model.poiIndex(), best);
    if (!best.valid() || !interval.valid()) {
      ++invalid;
      continue;
    }
    if (interval.lower.value <= truth[0] && truth[0] <= interval.upper.value) ++covered;
  }
  EXPECT_EQ(invalid, 0u);
  const double coverage = static_cast<double>(covered) / static_cast<double>(nToys);
  const double sigma = std::sqrt(0.6827 * (1 - 0.6827) / static_cast<double>(nToys));
  std::printf("toy coverage of the profile interval: %.4f (%zu toys, 3 sigma = %.4f)\n", coverage, nToys, 3 * sigma);
  EXPECT_NEAR(coverage, 0.6827, 3 * sigma);
}

TEST(Minimiser, TimingOnTwentyBinsSevenParameters) {
  // 20 bins, 7 parameters: mu, lumi, tes/jes/soft_met (histosys), bkg_norm (normsys), k_ttbar (normfactor).
  HistFactorySpec spec;
  std::vector<double> signal(20), background(20), ttbar(20), up(20), down(20);
  for (std::size_t binIdx = 0; binIdx < 20; ++binIdx) {
    const double x = static_cast<double>(binIdx) / 19.0;
    signal[binIdx] = 5.0 + 40.0 * x * x;
    background[binIdx] = 400.0 * std::exp(-3.0 * x);
    ttbar[binIdx] = 30.0 + 10.0 * x;
  }
  const auto shifted = [](const std::vector<double>& v, double slope) {
    std::vector<double> out(v.size());
    for (std::size_t binIdx = 0; binIdx < v.size(); ++binIdx) out[binIdx] = v[binIdx] * (1.0 + slope * (static_cast<double>(binIdx) / 19.0 - 0.5));
    return out;
  };
  const ModifierSpec lumi{"lumi", ModifierType::eLumi, 1, 1, {}, {}};
  spec.channels = {{"c",
                    {{"signal", signal, {{"mu", ModifierType::eNormfactor, 1, 1, {}, {}}, lumi,
                                         {"tes", ModifierType::eHistosys, 1, 1, shifted(signal, 0.1), shifted(signal, -0.08)}}},
                     {"background", background, {lumi, {"jes", ModifierType::eHistosys, 1, 1, shifted(background, 0.06), shifted(background, -0.05)},
                                                 {"soft_met", ModifierType::eHistosys, 1, 1, shifted(background, -0.03), shifted(background, 0.02)},
                                                 {"bkg_norm", ModifierType::eNormsys, 1.05, 0.95, {}, {}}}},
                     {"ttbar", ttbar, {{"k_ttbar", ModifierType::eNormfactor, 1, 1, {}, {}}}}}}};
  spec.settings = {{"lumi", std::nullopt, 0.5, 1.5, std::nullopt, 1.0, 0.02}};
  spec.poi = "mu";
  const HistFactoryModel model(spec);
  ASSERT_EQ(model.nParameters(), 7u);
  Eigen::VectorXd truth(7);
  truth << 1.3, 1.0, 0.4, -0.3, 0.2, 0.0, 1.1;
  const Eigen::VectorXd expected = asimovData(model, truth);
  const int nFits = 2000;
  std::size_t converged = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int toyIdx = 0; toyIdx < nFits; ++toyIdx) {
    CounterRng rng(streamKey(7, 1, static_cast<std::uint64_t>(toyIdx), Stream::eToys));
    Eigen::VectorXd counts(20);
    for (Eigen::Index binIdx = 0; binIdx < 20; ++binIdx) counts[binIdx] = static_cast<double>(rng.poisson(expected[binIdx]));
    const BinnedNll nll(model, counts);
    converged += fitNll(nll).valid() ? 1 : 0;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fit time, 20 bins x 7 parameters: %.1f us per fit (%d fits)\n", 1e6 * seconds / nFits, nFits);
  EXPECT_EQ(converged, static_cast<std::size_t>(nFits));
}

}  // namespace
}  // namespace higgsuq::stats
