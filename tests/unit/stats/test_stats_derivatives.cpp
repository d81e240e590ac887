// Likelihood and model derivatives: interpolation codes, analytic gradient and Hessian against finite
// differences, constraint terms, clipping and model validation.
#include <gtest/gtest.h>

#include <cmath>

#include "StatsTestModels.hpp"
#include "helpers/FloatCompare.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/HistFactoryModel.hpp"
#include "higgsuq/stats/Interpolation.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {
namespace {

using test::richSpec;

TEST(Interpolation, NormsysCode1IsExponential) {
  const NormsysInterpolator eta(1.2, 0.9, NormsysCode::eCode1);
  HIGGSUQ_EXPECT_CLOSE_REL(eta(1.0).value, 1.2, 1e-15);
  HIGGSUQ_EXPECT_CLOSE_REL(eta(-1.0).value, 0.9, 1e-15);
  HIGGSUQ_EXPECT_CLOSE_REL(eta(0.5).value, std::sqrt(1.2), 1e-15);
  HIGGSUQ_EXPECT_CLOSE_REL(eta(-2.0).value, 0.81, 1e-15);
  HIGGSUQ_EXPECT_CLOSE_REL(eta(0.3).first, std::log(1.2) * std::pow(1.2, 0.3), 1e-14);
}

TEST(Interpolation, NormsysCode4MatchesCode1OutsideAndIsSmoothAtPlusMinusOne) {
  // hi and lo not reciprocal: otherwise code 1 is one smooth exponential that the polynomial nearly equals
  const NormsysInterpolator code4(1.25, 0.9, NormsysCode::eCode4);
  const NormsysInterpolator code1(1.25, 0.9, NormsysCode::eCode1);
  EXPECT_DOUBLE_EQ(code4(0.0).value, 1.0);
  for (double alpha : {-3.0, -1.5, 1.2, 2.5}) EXPECT_DOUBLE_EQ(code4(alpha).value, code1(alpha).value);
  for (double edge : {-1.0, 1.0}) {
    const auto inside = code4(edge * (1.0 - 1e-9));
    const auto outside = code4(edge * (1.0 + 1e-9));
    HIGGSUQ_EXPECT_CLOSE_ABS(inside.value, outside.value, 1e-8);
    HIGGSUQ_EXPECT_CLOSE_ABS(inside.first, outside.first, 1e-7);
    HIGGSUQ_EXPECT_CLOSE_ABS(inside.second, outside.second, 1e-6);
  }
  // The polynomial differs from the exponential inside (1, -1): this is what code 4 is for.
  EXPECT_GT(std::abs(code4(0.5).value - code1(0.5).value), 1e-5);
}

TEST(Interpolation, DerivativesMatchFiniteDifferences) {
  const NormsysInterpolator code4(1.3, 0.75, NormsysCode::eCode4);
  const double h = 1e-6;
  for (double alpha : {-2.0, -0.7, -0.1, 0.2, 0.9, 1.7}) {
    HIGGSUQ_EXPECT_CLOSE_MIXED(code4(alpha).first, (code4(alpha + h).value - code4(alpha - h).value) / (2 * h), 1e-8, 1e-7);
    HIGGSUQ_EXPECT_CLOSE_MIXED(code4(alpha).second, (code4(alpha + h).first - code4(alpha - h).first) / (2 * h), 1e-7, 1e-6);
    for (auto code : {HistosysCode::eCode0, HistosysCode::eCode4p}) {
      const auto at = [&](double a) { return histosysShift(a, 3.0, 1.0, code); };
      HIGGSUQ_EXPECT_CLOSE_MIXED(at(alpha).first, (at(alpha + h).value - at(alpha - h).value) / (2 * h), 1e-8, 1e-7);
      HIGGSUQ_EXPECT_CLOSE_MIXED(at(alpha).second, (at(alpha + h).first - at(alpha - h).first) / (2 * h), 1e-7, 1e-6);
    }
  }
}

TEST(Interpolation, HistosysCodes) {
  // code 0: piecewise linear through the templates
  EXPECT_DOUBLE_EQ(histosysShift(1.0, 3.0, 1.0, HistosysCode::eCode0).value, 3.0);
  EXPECT_DOUBLE_EQ(histosysShift(-1.0, 3.0, 1.0, HistosysCode::eCode0).value, -1.0);
  EXPECT_DOUBLE_EQ(histosysShift(-0.5, 3.0, 1.0, HistosysCode::eCode0).value, -0.5);
  // code 4p: hits the templates at +-1, linear beyond, smooth (value, slope, curvature) at the joins
  for (double edge : {-1.0, 1.0}) {
    const auto inside = histosysShift(edge * (1.0 - 1e-9), 3.0, 1.0, HistosysCode::eCode4p);
    const auto outside = histosysShift(edge * (1.0 + 1e-9), 3.0, 1.0, HistosysCode::eCode4p);
    HIGGSUQ_EXPECT_CLOSE_ABS(inside.value, edge > 0 ? 3.0 : -1.0, 1e-8);
    HIGGSUQ_EXPECT_CLOSE_ABS(inside.first, outside.first, 1e-7);
    HIGGSUQ_EXPECT_CLOSE_ABS(inside.second, outside.second, 1e-6);
  }
  EXPECT_DOUBLE_EQ(histosysShift(2.0, 3.0, 1.0, HistosysCode::eCode4p).value, 6.0);
  EXPECT_DOUBLE_EQ(histosysShift(0.0, 3.0, 1.0, HistosysCode::eCode4p).value, 0.0);
  // symmetric shifts: code 4p is exactly linear
  HIGGSUQ_EXPECT_CLOSE_REL(histosysShift(0.37, 2.0, 2.0, HistosysCode::eCode4p).value, 0.74, 1e-15);
}

TEST(Interpolation, RejectsNonPositiveNormsys) {
  EXPECT_THROW(NormsysInterpolator(0.0, 0.9, NormsysCode::eCode4), InputError);
  EXPECT_THROW(NormsysInterpolator(1.1, -0.2, NormsysCode::eCode1), InputError);
}

/// Relative + absolute comparison of the analytic gradient / Hessian with central differences.
void expectDerivativesMatch(const BinnedNll& nll, const Eigen::VectorXd& theta) {
  auto ws = nll.makeWorkspace();
  const auto n = theta.size();
  Eigen::VectorXd gradient(n), gradPlus(n), gradMinus(n);
  Eigen::MatrixXd hessian(n, n), scratch(n, n);
  nll.evaluate(theta, ws, &gradient, &hessian);
  for (Eigen::Index k = 0; k < n; ++k) {
    const double h = 1e-5 * std::max(1.0, std::abs(theta[k]));
    Eigen::VectorXd plus = theta, minus = theta;
    plus[k] += h;
    minus[k] -= h;
    const double numeric = (nll.evaluate(plus, ws) - nll.evaluate(minus, ws)) / (2 * h);
    EXPECT_TRUE(test::closeMixed(gradient[k], numeric, 1e-5, 1e-6)) << "gradient component " << k;
    nll.evaluate(plus, ws, &gradPlus, &scratch);
    nll.evaluate(minus, ws, &gradMinus, &scratch);
    for (Eigen::Index l = 0; l < n; ++l) {
      EXPECT_TRUE(test::closeMixed(hessian(l, k), (gradPlus[l] - gradMinus[l]) / (2 * h), 1e-5, 1e-6))
          << "hessian (" << l << ", " << k << ")";
    }
  }
  EXPECT_TRUE(hessian.isApprox(hessian.transpose(), 1e-12));
}

TEST(BinnedNll, GradientAndHessianMatchFiniteDifferencesForAllCodes) {
  for (auto normsysCode : {NormsysCode::eCode1, NormsysCode::eCode4}) {
    for (auto histosysCode : {HistosysCode::eCode0, HistosysCode::eCode4p}) {
      const HistFactoryModel model(richSpec(normsysCode, histosysCode));
      ASSERT_EQ(model.nParameters(), 7u);
      Eigen::VectorXd observed(8);
      observed << 55.5, 47, 44, 30, 20.25, 16, 15, 8;  // non-integer weights allowed
      const BinnedNll nll(model, observed);
      Eigen::VectorXd theta(7);  // mu, lumi, sig_xs, jes, bkg_norm, k_ttbar, tes
      theta << 1.3, 1.01, 0.4, -0.6, 0.3, 1.1, 0.2;
      expectDerivativesMatch(nll, theta);
      theta << 0.7, 0.98, -1.7, 1.4, -2.2, 0.8, -1.3;  // outside +-1: the extrapolation branches
      expectDerivativesMatch(nll, theta);
    }
  }
}

TEST(BinnedNll, ValueIsPoissonSumWithoutFactorialPlusConstraints) {
  HistFactorySpec spec;
  spec.channels = {{"c", {{"s", {2.0, 3.0}, {{"mu", ModifierType::eNormfactor, 1, 1, {}, {}}}},
                          {"b", {10.0, 0.0}, {{"np", ModifierType::eNormsys, 1.1, 0.9, {}, {}}}}}}};
  spec.poi = "mu";
  const HistFactoryModel model(spec);
  const BinnedNll nll(model, Eigen::Vector2d(12.0, 0.0));
  auto ws = nll.makeWorkspace();
  // mu = 1.5, np = 0: nu = (3 + 10, 4.5), constraint 0
  const double expected = (13.0 - 12.0 * std::log(13.0)) + 4.5;
  HIGGSUQ_EXPECT_CLOSE_REL(nll.evaluate(Eigen::Vector2d(1.5, 0.0), ws), expected, 1e-15);
  // unit-Gaussian constraint of the normsys parameter
  HIGGSUQ_EXPECT_CLOSE_REL(nll.evaluate(Eigen::Vector2d(1.5, 2.0), ws),
                           (3.0 + 12.1 - 12.0 * std::log(3.0 + 12.1)) + 4.5 + 2.0, 1e-14);
}

TEST(BinnedNll, ClipsRatesAtTheFloor) {
  HistFactorySpec spec;
  spec.channels = {{"c", {{"s", {1.0, 2.0}, {{"mu", ModifierType::eNormfactor, 1, 1, {}, {}}}}}}};
  spec.poi = "mu";
  spec.settings = {{"mu", 0.0, -1.0, 1.0, std::nullopt, std::nullopt, std::nullopt}};
  const HistFactoryModel model(spec);
  const BinnedNll nll(model, Eigen::Vector2d(1.0, 0.0));
  auto ws = nll.makeWorkspace();
  Eigen::VectorXd gradient(1);
  Eigen::MatrixXd hessian(1, 1);
  const double value = nll.evaluate(Eigen::VectorXd::Constant(1, -0.5), ws, &gradient, &hessian);
  EXPECT_TRUE(std::isfinite(value));
  HIGGSUQ_EXPECT_CLOSE_REL(value, 2 * BinnedNll::kRateFloor - std::log(BinnedNll::kRateFloor), 1e-12);
  EXPECT_EQ(gradient[0], 0.0);
  EXPECT_EQ(hessian(0, 0), 0.0);
}

TEST(Constraints, GaussianAndLogNormalDerivatives) {
  const std::vector<Constraint> constraints{{Constraint::Kind::eGaussian, 0, 1.0, 0.03},
                                            {Constraint::Kind::eLogNormal, 1, 1.2, 0.1}};
  const Eigen::Vector2d centers(1.0, 1.2);
  Eigen::Vector2d theta(1.05, 1.3);
  Eigen::VectorXd gradient = Eigen::VectorXd::Zero(2);
  Eigen::MatrixXd hessian = Eigen::MatrixXd::Zero(2, 2);
  const double value = evaluateConstraints(constraints, centers, theta, &gradient, &hessian);
  const double logTerm = std::log(1.3) + 0.5 * std::pow(std::log(1.3 / 1.2) / 0.1, 2);
  HIGGSUQ_EXPECT_CLOSE_REL(value, 0.5 * std::pow(0.05 / 0.03, 2) + logTerm, 1e-14);
  const double h = 1e-6;
  for (Eigen::Index k = 0; k < 2; ++k) {
    Eigen::Vector2d plus = theta, minus = theta;
    plus[k] += h;
    minus[k] -= h;
    Eigen::VectorXd gPlus = Eigen::VectorXd::Zero(2), gMinus = Eigen::VectorXd::Zero(2);
    const double numeric = (evaluateConstraints(constraints, centers, plus, &gPlus, nullptr) -
                            evaluateConstraints(constraints, centers, minus, &gMinus, nullptr)) / (2 * h);
    HIGGSUQ_EXPECT_CLOSE_MIXED(gradient[k], numeric, 1e-6, 1e-7);
    HIGGSUQ_EXPECT_CLOSE_MIXED(hessian(k, k), (gPlus[k] - gMinus[k]) / (2 * h), 1e-5, 1e-6);
  }
}

TEST(HistFactoryModel, ParametersDefaultsAndSettings) {
  const HistFactoryModel model(richSpec(NormsysCode::eCode4, HistosysCode::eCode4p));
  const auto& pars = model.parameters();
  EXPECT_EQ(pars[model.poiIndex()].name, "mu");
  EXPECT_EQ(pars[0].lo, 0.0);  // normfactor defaults: init 1 in [0, 10]
  EXPECT_EQ(pars[0].hi, 10.0);
  EXPECT_EQ(pars[parameterIndex(pars, "jes")].init, 0.0);  // constrained: init 0 in [-5, 5]
  EXPECT_EQ(pars[parameterIndex(pars, "jes")].lo, -5.0);
  EXPECT_EQ(pars[parameterIndex(pars, "lumi")].lo, 0.5);  // from the settings
  EXPECT_EQ(model.constraints().size(), 5u);               // sig_xs, jes, bkg_norm, tes, lumi
  EXPECT_EQ(model.nBins(), 8u);
}

TEST(HistFactoryModel, RejectsInconsistentSpecs) {
  auto spec = richSpec(NormsysCode::eCode4, HistosysCode::eCode4p);
  spec.channels[0].samples[1].modifiers[0].hiData.pop_back();
  try {
    HistFactoryModel{spec};
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("channels[0].samples[1].modifiers[0].data.hi_data"), std::string::npos)
        << e.what();
  }
  spec = richSpec(NormsysCode::eCode4, HistosysCode::eCode4p);
  spec.settings[0].sigma.reset();
  EXPECT_THROW(HistFactoryModel{spec}, InputError);  // lumi needs a sigma
  spec = richSpec(NormsysCode::eCode4, HistosysCode::eCode4p);
  spec.channels[1].samples[1].modifiers[1].name = "mu";  // mu as normfactor and as histosys
  EXPECT_THROW(HistFactoryModel{spec}, InputError);
  spec = richSpec(NormsysCode::eCode4, HistosysCode::eCode4p);
  spec.poi = "nope";
  EXPECT_THROW(HistFactoryModel{spec}, InputError);
}

}  // namespace
}  // namespace higgsuq::stats
