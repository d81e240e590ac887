#include "higgsuq/models/TemplateModel.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace higgsuq {
namespace {

constexpr std::array<TemplateParameter, kNumShapeNuisances> kShapes{TemplateParameter::Tes, TemplateParameter::Jes,
                                                                    TemplateParameter::SoftMet};

/// Derivative of N_p with respect to theta_j, divided by T R (0 if N_p does not depend on theta_j).
double normalisationDerivative(Process p, std::size_t j, const Eigen::VectorXd& theta) {
  const double bkg = theta[index(TemplateParameter::BkgScale)];
  if (p == Process::HTauTau) return j == index(TemplateParameter::Mu) ? 1.0 : 0.0;
  if (j == index(TemplateParameter::BkgScale)) {
    if (p == Process::TTbar) return theta[index(TemplateParameter::TtbarScale)];
    if (p == Process::Diboson) return theta[index(TemplateParameter::DibosonScale)];
    return 1.0;
  }
  if (p == Process::TTbar && j == index(TemplateParameter::TtbarScale)) return bkg;
  if (p == Process::Diboson && j == index(TemplateParameter::DibosonScale)) return bkg;
  return 0.0;
}

}  // namespace

TemplateModel::TemplateModel(TemplateModelSpec spec)
    : stats::ExpectedRates(spec.parameters, spec.constraints), m_spec(std::move(spec)) {
  if (m_spec.processes.empty()) throw std::invalid_argument("TemplateModel: needs at least one process");
  m_nBins = static_cast<std::size_t>(m_spec.processes.front().nominal.size());
  const std::size_t expected = kNumTemplateParameters + (hasStatErrors() ? m_nBins : 0);
  if (m_spec.parameters.size() != expected ||
      (hasStatErrors() && static_cast<std::size_t>(m_spec.mcRelativeError.size()) != m_nBins)) {
    throw std::invalid_argument("TemplateModel: needs 7 parameters (+ one gamma per bin with stat errors)");
  }
  for (const auto& t : m_spec.processes) {
    for (const auto& r : t.response) {
      if (static_cast<std::size_t>(t.nominal.size()) != m_nBins || static_cast<std::size_t>(r.rows()) != m_nBins) {
        throw std::invalid_argument("TemplateModel: every template and response needs one row per bin");
      }
    }
  }
}

double TemplateModel::normalisation(Process p, const Eigen::VectorXd& theta) const {
  const double bkg = theta[index(TemplateParameter::BkgScale)];
  switch (p) {
    case Process::HTauTau: return theta[index(TemplateParameter::Mu)];
    case Process::TTbar: return bkg * theta[index(TemplateParameter::TtbarScale)];
    case Process::Diboson: return bkg * theta[index(TemplateParameter::DibosonScale)];
    default: return bkg;
  }
}

std::array<double, 3> TemplateModel::response(const ProcessTemplate& t, std::size_t b, std::size_t k,
                                              double alpha) const {
  const double x = alpha - m_spec.shapeNominal[k];
  const Eigen::MatrixXd& c = t.response[k];
  double d = 0.0, d1 = 0.0, d2 = 0.0;
  double xm2 = 0.0, xm1 = 1.0;  // x^(deg-2), x^(deg-1) for deg = 1
  for (Eigen::Index deg = 1; deg <= c.cols(); ++deg) {
    const double coef = c(static_cast<Eigen::Index>(b), deg - 1);
    const auto dd = static_cast<double>(deg);
    d += coef * xm1 * x;
    d1 += coef * dd * xm1;
    d2 += coef * dd * (dd - 1.0) * xm2;
    xm2 = xm1;
    xm1 *= x;
  }
  return {d, d1, d2};
}

void TemplateModel::evaluate(const Eigen::VectorXd& theta, stats::RatesWorkspace& ws, bool withJacobian) const {
  evaluateBase(theta, ws, withJacobian);
  if (!hasStatErrors()) return;
  for (std::size_t b = 0; b < m_nBins; ++b) {
    const auto bi = static_cast<Eigen::Index>(b);
    const double gamma = theta[static_cast<Eigen::Index>(kNumTemplateParameters + b)];
    if (withJacobian) {
      ws.jacobian(bi, static_cast<Eigen::Index>(kNumTemplateParameters + b)) = ws.expected[bi];
      ws.jacobian.row(bi).head(kNumTemplateParameters) *= gamma;
    }
    ws.expected[bi] *= gamma;
  }
}

void TemplateModel::accumulateCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& w,
                                        Eigen::MatrixXd& hessian, stats::RatesWorkspace& ws) const {
  if (!hasStatErrors()) return baseCurvature(theta, w, hessian);
  Eigen::VectorXd scaled = w;
  for (std::size_t b = 0; b < m_nBins; ++b) {
    const auto bi = static_cast<Eigen::Index>(b);
    const auto g = static_cast<Eigen::Index>(kNumTemplateParameters + b);
    const double gamma = theta[g];
    scaled[bi] *= gamma;
    // d2 nu_b / d gamma_b d theta_j = d base_b / d theta_j = J(b, j) / gamma_b (J of the last evaluate).
    for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(kNumTemplateParameters); ++j) {
      const double cross = gamma != 0.0 ? w[bi] * ws.jacobian(bi, j) / gamma : 0.0;
      hessian(g, j) += cross;
      hessian(j, g) += cross;
    }
  }
  baseCurvature(theta, scaled, hessian);
}

void TemplateModel::evaluateBase(const Eigen::VectorXd& theta, stats::RatesWorkspace& ws, bool withJacobian) const {
  ws.expected.setZero();
  if (withJacobian) ws.jacobian.setZero();
  for (const ProcessTemplate& t : m_spec.processes) {
    const double n = normalisation(t.process, theta);
    for (std::size_t b = 0; b < m_nBins; ++b) {
      double r = 1.0;
      std::array<double, kNumShapeNuisances> slope{};
      for (std::size_t k = 0; k < kNumShapeNuisances; ++k) {
        const auto d = response(t, b, k, theta[index(kShapes[k])]);
        r += d[0];
        slope[k] = d[1];
      }
      const auto bi = static_cast<Eigen::Index>(b);
      const double tb = t.nominal[bi];
      ws.expected[bi] += n * tb * r;
      if (!withJacobian) continue;
      for (std::size_t j = 0; j < kNumTemplateParameters; ++j) {
        ws.jacobian(bi, static_cast<Eigen::Index>(j)) += normalisationDerivative(t.process, j, theta) * tb * r;
      }
      for (std::size_t k = 0; k < kNumShapeNuisances; ++k) {
        ws.jacobian(bi, static_cast<Eigen::Index>(index(kShapes[k]))) += n * tb * slope[k];
      }
    }
  }
}

void TemplateModel::baseCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& w,
                                  Eigen::MatrixXd& hessian) const {
  const auto bkgIdx = index(TemplateParameter::BkgScale);
  for (const ProcessTemplate& t : m_spec.processes) {
    const double n = normalisation(t.process, theta);
    for (std::size_t b = 0; b < m_nBins; ++b) {
      const auto bi = static_cast<Eigen::Index>(b);
      const double wt = w[bi] * t.nominal[bi];
      double r = 1.0;
      for (std::size_t k = 0; k < kNumShapeNuisances; ++k) r += response(t, b, k, theta[index(kShapes[k])])[0];
      for (std::size_t k = 0; k < kNumShapeNuisances; ++k) {
        const auto d = response(t, b, k, theta[index(kShapes[k])]);
        const auto a = static_cast<Eigen::Index>(index(kShapes[k]));
        hessian(a, a) += wt * n * d[2];
        for (std::size_t j = 0; j < kNumTemplateParameters; ++j) {  // normalisation x shape
          const double dn = normalisationDerivative(t.process, j, theta);
          if (dn == 0.0) continue;
          hessian(a, static_cast<Eigen::Index>(j)) += wt * dn * d[1];
          hessian(static_cast<Eigen::Index>(j), a) += wt * dn * d[1];
        }
      }
      // N = bkg x scale: the mixed second derivative is T R.
      for (auto [proc, scale] : {std::pair{Process::TTbar, TemplateParameter::TtbarScale},
                                 std::pair{Process::Diboson, TemplateParameter::DibosonScale}}) {
        if (t.process != proc) continue;
        const auto s = static_cast<Eigen::Index>(index(scale));
        hessian(s, static_cast<Eigen::Index>(bkgIdx)) += wt * r;
        hessian(static_cast<Eigen::Index>(bkgIdx), s) += wt * r;
      }
    }
  }
}

void addTemplateStatErrors(TemplateModelSpec& spec, const Eigen::VectorXd& relativeErrors) {
  spec.mcRelativeError = relativeErrors;
  for (Eigen::Index b = 0; b < relativeErrors.size(); ++b) {
    const double delta = relativeErrors[b];
    const bool free = delta > 0.0 && std::isfinite(delta);
    spec.parameters.push_back({"gamma_" + std::to_string(b), 1.0, 1e-6, 10.0, !free});
    if (free) spec.constraints.push_back({stats::Constraint::Kind::eGaussian, spec.parameters.size() - 1, 1.0, delta});
  }
}

}  // namespace higgsuq
