#include "higgsuq/stats/BinnedNll.hpp"

#include <cmath>
#include <string>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {

namespace {

/// H = J^T diag(c) J for the Poisson part, filled symmetrically. J is a few tens of bins by a few
/// tens of parameters: one contiguous dot product per (i <= j) pair beats a general matrix product,
/// whose packing dominates at this size (measured in BM_TemplateFitOnToys).
void poissonHessian(const Eigen::MatrixXd& jac, NllWorkspace& ws, Eigen::MatrixXd& hessian) {
  ws.scaledJacobian = ws.poissonCurvature.asDiagonal() * jac;
  const Eigen::Index p = jac.cols();
  hessian.resize(p, p);
  for (Eigen::Index j = 0; j < p; ++j) {
    for (Eigen::Index i = 0; i <= j; ++i) {
      const double h = jac.col(i).dot(ws.scaledJacobian.col(j));
      hessian(i, j) = h;
      hessian(j, i) = h;
    }
  }
}

}  // namespace


BinnedNll::BinnedNll(const ExpectedRates& rates, Eigen::VectorXd observed)
    : BinnedNll(rates, std::move(observed), nominalAuxiliary(rates)) {}

BinnedNll::BinnedNll(const ExpectedRates& rates, Eigen::VectorXd observed, Eigen::VectorXd auxiliary)
    : m_rates(&rates), m_observed(std::move(observed)), m_auxiliary(std::move(auxiliary)) {
  if (m_auxiliary.size() != static_cast<Eigen::Index>(rates.constraints().size()) || !m_auxiliary.allFinite()) {
    throw InputError("auxiliary data: need " + std::to_string(rates.constraints().size()) +
                     " finite constraint centres, got " + std::to_string(m_auxiliary.size()));
  }
  if (m_observed.size() != static_cast<Eigen::Index>(rates.nBins())) {
    throw InputError("observed data have " + std::to_string(m_observed.size()) + " bins, the model " +
                     std::to_string(rates.nBins()));
  }
  for (Eigen::Index binIdx = 0; binIdx < m_observed.size(); ++binIdx) {
    if (!(m_observed[binIdx] >= 0.0) || !std::isfinite(m_observed[binIdx])) {
      throw InputError("observed count of bin " + std::to_string(binIdx) + " must be finite and >= 0");
    }
  }
}

NllWorkspace BinnedNll::makeWorkspace() const {
  NllWorkspace ws;
  ws.rates = m_rates->makeWorkspace();
  ws.binWeights = Eigen::VectorXd::Zero(m_observed.size());
  ws.poissonCurvature = Eigen::VectorXd::Zero(m_observed.size());
  return ws;
}

double BinnedNll::evaluate(const Eigen::VectorXd& theta, NllWorkspace& ws, Eigen::VectorXd* gradient,
                           Eigen::MatrixXd* hessian) const {
  HIGGSUQ_ASSERT(theta.size() == static_cast<Eigen::Index>(nParameters()), "BinnedNll: theta size");
  const bool needJacobian = gradient != nullptr || hessian != nullptr;
  m_rates->evaluate(theta, ws.rates, needJacobian);
  auto& nu = ws.rates.expected;
  double value = 0.0;
  for (Eigen::Index binIdx = 0; binIdx < nu.size(); ++binIdx) {
    const double n = m_observed[binIdx];
    double rate = nu[binIdx];
    if (!(rate > kRateFloor)) {  // clipped (also catches NaN): no dependence on theta there
      rate = kRateFloor;
      if (needJacobian) ws.rates.jacobian.row(binIdx).setZero();
    }
    value += rate - (n > 0.0 ? n * std::log(rate) : 0.0);
    const bool clipped = rate != nu[binIdx];
    ws.binWeights[binIdx] = clipped ? 0.0 : 1.0 - n / rate;
    ws.poissonCurvature[binIdx] = clipped ? 0.0 : n / (rate * rate);
  }
  if (gradient) {
    gradient->noalias() = ws.rates.jacobian.transpose() * ws.binWeights;
  }
  if (hessian) {
    const auto& jac = ws.rates.jacobian;
    poissonHessian(jac, ws, *hessian);
    m_rates->accumulateCurvature(theta, ws.binWeights, *hessian, ws.rates);
  }
  value += evaluateConstraints(m_rates->constraints(), m_auxiliary, theta, gradient, hessian);
  return value;
}

}  // namespace higgsuq::stats
