// The three golden fits of ../shared/golden/fit/ (iminuit problems with an independent precise solution),
// twice: with a hand-written ExpectedRates through the C++ API, and through the pyhf workspaces of
// tests/data/workspaces/ (written by make_workspaces.py there). Required agreement with precise_solution:
// 1e-5 relative for mu_hat, its HESSE error, the profile (MINOS) interval endpoints, alpha_hat and its error;
// 1e-12 relative for the NLL at the fixed points.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "helpers/FloatCompare.hpp"
#include "helpers/SharedData.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/Minimiser.hpp"
#include "higgsuq/stats/ProfileInterval.hpp"
#include "higgsuq/stats/workspace/PyhfWorkspace.hpp"

namespace higgsuq::stats {
namespace {
using nlohmann::json;

constexpr double kRelTol = 1e-5;

json readJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return json::parse(in);
}

Eigen::VectorXd vectorOf(const json& values) {
  const auto v = values.get<std::vector<double>>();
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

/// nu_i = mu S_i (1 + a_i (alpha - 1)) + B_i (1 + b_i (alpha - 1)) with (alpha - 1)^2 / (2 sigma^2); without
/// a, b, sigma in the inputs it is the stat-only nu_i = mu S_i + B_i with the single parameter mu.
class GoldenRates final : public ExpectedRates {
 public:
  explicit GoldenRates(const json& inputs)
      : ExpectedRates(parametersFor(inputs), constraintsFor(inputs)),
        m_signal(vectorOf(inputs["S"])), m_background(vectorOf(inputs["B"])),
        m_withAlpha(inputs.contains("a")),
        m_a(m_withAlpha ? vectorOf(inputs["a"]) : Eigen::VectorXd::Zero(m_signal.size())),
        m_b(m_withAlpha ? vectorOf(inputs["b"]) : Eigen::VectorXd::Zero(m_signal.size())) {}

  std::size_t nBins() const override { return static_cast<std::size_t>(m_signal.size()); }

  void evaluate(const Eigen::VectorXd& theta, RatesWorkspace& ws, bool withJacobian) const override {
    const double mu = theta[0];
    const double shift = m_withAlpha ? theta[1] - 1.0 : 0.0;
    const Eigen::ArrayXd signalShape = 1.0 + m_a.array() * shift;
    ws.expected = mu * m_signal.array() * signalShape + m_background.array() * (1.0 + m_b.array() * shift);
    if (!withJacobian) return;
    ws.jacobian.col(0) = m_signal.array() * signalShape;
    if (m_withAlpha) ws.jacobian.col(1) = mu * m_signal.array() * m_a.array() + m_background.array() * m_b.array();
  }

  void accumulateCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& binWeights, Eigen::MatrixXd& hessian,
                           RatesWorkspace& ws) const override {
    if (!m_withAlpha) return;  // linear in mu
    const double cross = (binWeights.array() * m_signal.array() * m_a.array()).sum();  // d2 nu / d mu d alpha
    hessian(0, 1) += cross;
    hessian(1, 0) += cross;
  }
  bool hasExactCurvature() const override { return true; }

 private:
  static std::vector<ParameterSpec> parametersFor(const json& inputs) {
    std::vector<ParameterSpec> specs{{"mu", 1.0}};
    if (inputs.contains("a")) specs.push_back({"alpha", 1.0});
    return specs;  // no limits, as in the iminuit fits
  }
  static std::vector<Constraint> constraintsFor(const json& inputs) {
    if (!inputs.contains("a")) return {};
    return {{Constraint::Kind::eGaussian, 1, 1.0, inputs["sigma_alpha"].get<double>()}};
  }

  Eigen::VectorXd m_signal, m_background;
  bool m_withAlpha;
  Eigen::VectorXd m_a, m_b;
};

/// A fit and its POI intervals in the golden parametrisation (mu, alpha).
struct GoldenFit {
  FitResult fit;
  ProfileIntervalResult interval;
  double alpha = 0.0, alphaError = 0.0;
};

void expectMatchesPrecise(const GoldenFit& result, const json& precise, bool withAlpha) {
  ASSERT_TRUE(result.fit.valid());
  ASSERT_TRUE(result.interval.valid());
  HIGGSUQ_EXPECT_CLOSE_REL(result.fit.values[0], precise["mu_hat"].get<double>(), kRelTol);
  HIGGSUQ_EXPECT_CLOSE_REL(result.fit.errors[0], precise["mu_hesse_error"].get<double>(), kRelTol);
  HIGGSUQ_EXPECT_CLOSE_REL(result.interval.lower.value, precise["mu_minos_interval"][0].get<double>(), kRelTol);
  HIGGSUQ_EXPECT_CLOSE_REL(result.interval.upper.value, precise["mu_minos_interval"][1].get<double>(), kRelTol);
  HIGGSUQ_EXPECT_CLOSE_ABS(result.fit.nll, precise["nll_min"].get<double>(), 1e-6);
  if (!withAlpha) return;
  HIGGSUQ_EXPECT_CLOSE_REL(result.alpha, precise["alpha_hat"].get<double>(), kRelTol);
  HIGGSUQ_EXPECT_CLOSE_REL(result.alphaError, precise["alpha_hesse_error"].get<double>(), kRelTol);
}

class GoldenFitCase : public ::testing::TestWithParam<std::string> {
 protected:
  json golden() const { return readJson(test::goldenDir() / "fit" / (GetParam() + ".json")); }
  bool withAlpha() const { return golden()["inputs"].contains("a"); }
};

TEST_P(GoldenFitCase, NllAtFixedPointsThroughTheApi) {
  const json doc = golden();
  const GoldenRates rates(doc["inputs"]);
  const BinnedNll nll(rates, vectorOf(doc["inputs"]["N"]));
  auto ws = nll.makeWorkspace();
  ASSERT_FALSE(doc["nll_at_fixed_points"].empty());
  for (const auto& point : doc["nll_at_fixed_points"]) {
    Eigen::VectorXd theta(static_cast<Eigen::Index>(rates.nParameters()));
    theta[0] = point["mu"].get<double>();
    if (withAlpha()) theta[1] = point["alpha"].get<double>();
    HIGGSUQ_EXPECT_CLOSE_REL(nll.evaluate(theta, ws), point["nll"].get<double>(), 1e-12);
  }
}

TEST_P(GoldenFitCase, FitThroughTheApi) {
  const json doc = golden();
  const GoldenRates rates(doc["inputs"]);
  const BinnedNll nll(rates, vectorOf(doc["inputs"]["N"]));
  NllObjective objective(nll);
  GoldenFit result;
  result.fit = minimise(objective, rates.parameters());
  result.interval = profileInterval(objective, rates.parameters(), 0, result.fit);
  if (withAlpha()) {
    result.alpha = result.fit.values[1];
    result.alphaError = result.fit.errors[1];
    HIGGSUQ_EXPECT_CLOSE_REL(result.fit.covariance(0, 1), doc["precise_solution"]["covariance"][0][1].get<double>(), kRelTol);
  }
  expectMatchesPrecise(result, doc["precise_solution"], withAlpha());
}

TEST_P(GoldenFitCase, FitThroughThePyhfWorkspace) {
  const json doc = golden();
  const auto path = test::sourceDir() / "tests" / "data" / "workspaces" / (GetParam() + ".workspace.json");
  for (auto code : {HistosysCode::eCode0, HistosysCode::eCode4p}) {
    const auto ws = loadPyhfWorkspace(path, WorkspaceOptions{"", "", NormsysCode::eCode4, code});
    const BinnedNll nll(*ws.model, ws.observed);
    // Fixed points: theta = (alpha - 1) / sigma_alpha (see make_workspaces.py).
    auto nllWs = nll.makeWorkspace();
    const double sigma = withAlpha() ? doc["inputs"]["sigma_alpha"].get<double>() : 1.0;
    for (const auto& point : doc["nll_at_fixed_points"]) {
      Eigen::VectorXd theta(static_cast<Eigen::Index>(ws.model->nParameters()));
      theta[0] = point["mu"].get<double>();
      if (withAlpha()) theta[1] = (point["alpha"].get<double>() - 1.0) / sigma;
      HIGGSUQ_EXPECT_CLOSE_REL(nll.evaluate(theta, nllWs), point["nll"].get<double>(), 1e-12);
    }
    NllObjective objective(nll);
    GoldenFit result;
    result.fit = minimise(objective, ws.model->parameters());
    result.interval = profileInterval(objective, ws.model->parameters(), ws.model->poiIndex(), result.fit);
    if (withAlpha()) {
      result.alpha = 1.0 + sigma * result.fit.values[1];
      result.alphaError = sigma * result.fit.errors[1];
    }
    expectMatchesPrecise(result, doc["precise_solution"], withAlpha());
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenFitCase,
                         ::testing::Values("case1_stat_only", "case2_stat_only_low_counts", "case3_one_nuisance"));

}  // namespace
}  // namespace higgsuq::stats
