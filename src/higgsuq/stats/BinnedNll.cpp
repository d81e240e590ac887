#include "higgsuq/stats/BinnedNll.hpp"

#include <cmath>
#include <string>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {

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
    // A few tens of bins by a few tens of parameters: the coefficient-wise product beats Eigen's
    // blocked GEMM (packing) at this size.
    hessian->noalias() = (jac.transpose() * ws.poissonCurvature.asDiagonal()).lazyProduct(jac);
    m_rates->accumulateCurvature(theta, ws.binWeights, *hessian, ws.rates);
  }
  value += evaluateConstraints(m_rates->constraints(), m_auxiliary, theta, gradient, hessian);
  return value;
}

}  // namespace higgsuq::stats
