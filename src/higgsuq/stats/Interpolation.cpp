#include "higgsuq/stats/Interpolation.hpp"

#include <Eigen/Dense>

#include <cmath>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {

NormsysInterpolator::NormsysInterpolator(double hi, double lo, NormsysCode code) : m_code(code) {
  if (!(hi > 0.0) || !(lo > 0.0) || !std::isfinite(hi) || !std::isfinite(lo)) {
    throw InputError("normsys needs hi > 0 and lo > 0, got hi " + std::to_string(hi) + ", lo " +
                     std::to_string(lo));
  }
  m_logHi = std::log(hi);
  m_logLo = std::log(lo);
  if (code != NormsysCode::eCode4) return;
  // Conditions on p(a) = 1 + sum_i c_i a^i at a = +1 and a = -1: p, p', p'' equal the exponential's.
  Eigen::Matrix<double, 6, 6> conditions;
  Eigen::Matrix<double, 6, 1> targets;
  for (int side = 0; side < 2; ++side) {
    const double a = side == 0 ? 1.0 : -1.0;
    const Interpolated target = exponential(a);
    for (int power = 1; power <= 6; ++power) {
      conditions(3 * side + 0, power - 1) = std::pow(a, power);
      conditions(3 * side + 1, power - 1) = power * std::pow(a, power - 1);
      conditions(3 * side + 2, power - 1) = power * (power - 1) * std::pow(a, power - 2);
    }
    targets(3 * side + 0) = target.value - 1.0;
    targets(3 * side + 1) = target.first;
    targets(3 * side + 2) = target.second;
  }
  const Eigen::Matrix<double, 6, 1> coefficients = conditions.fullPivLu().solve(targets);
  for (int power = 0; power < 6; ++power) m_poly[static_cast<std::size_t>(power)] = coefficients(power);
}

Interpolated NormsysInterpolator::exponential(double alpha) const {
  const double slope = alpha >= 0.0 ? m_logHi : -m_logLo;  // eta = exp(slope * alpha)
  const double value = std::exp(slope * alpha);
  return {value, slope * value, slope * slope * value};
}

Interpolated NormsysInterpolator::operator()(double alpha) const {
  if (m_code == NormsysCode::eCode1 || std::abs(alpha) >= 1.0) return exponential(alpha);
  Interpolated out{1.0, 0.0, 0.0};
  double powerBelow = 1.0;  // alpha^(i-1)
  double powerTwoBelow = 0.0;  // alpha^(i-2), zero for i = 1
  for (int i = 1; i <= 6; ++i) {
    const double c = m_poly[static_cast<std::size_t>(i - 1)];
    out.second += c * i * (i - 1) * powerTwoBelow;
    out.first += c * i * powerBelow;
    out.value += c * powerBelow * alpha;
    powerTwoBelow = powerBelow;
    powerBelow *= alpha;
  }
  return out;
}

Interpolated histosysShift(double alpha, double dUp, double dDown, HistosysCode code) {
  if (code == HistosysCode::eCode0 || std::abs(alpha) > 1.0) {
    const double slope = alpha >= 0.0 ? dUp : dDown;
    return {slope * alpha, slope, 0.0};
  }
  const double s = 0.5 * (dUp + dDown);
  const double a = 0.0625 * (dUp - dDown);
  const double a2 = alpha * alpha;
  Interpolated out;
  out.value = alpha * (s + alpha * a * (15.0 + a2 * (3.0 * a2 - 10.0)));
  out.first = s + a * alpha * (30.0 - 40.0 * a2 + 18.0 * a2 * a2);
  out.second = a * (30.0 - 120.0 * a2 + 90.0 * a2 * a2);
  return out;
}

}  // namespace higgsuq::stats
