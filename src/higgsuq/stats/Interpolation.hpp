// HistFactory interpolation of a nuisance parameter alpha (pyhf conventions, CERN-OPEN-2012-016):
//  normsys (multiplicative factor eta(alpha), given eta(+1) = hi and eta(-1) = lo, both > 0):
//   - code 1: hi^alpha for alpha >= 0, lo^(-alpha) for alpha < 0;
//   - code 4 (pyhf default): code 1 for |alpha| >= 1; for |alpha| < 1 the polynomial 1 + sum_{i=1..6} a_i alpha^i
//     whose value, first and second derivative match code 1 at alpha = +-1.
//  histosys (additive per-bin shift delta(alpha), given up = nominal + delta(+1) and down = nominal + delta(-1)):
//   - code 0: alpha (up - nominal) for alpha >= 0, alpha (nominal - down) for alpha < 0;
//   - code 4p (pyhf default): code 0 for |alpha| > 1; for |alpha| <= 1
//     alpha (S + alpha A (15 + alpha^2 (3 alpha^2 - 10))) with S = (dUp + dDown)/2, A = (dUp - dDown)/16,
//     dUp = up - nominal, dDown = nominal - down: value, first and second derivative continuous at +-1.
// Each function returns the value and its first and second derivative in alpha.
#pragma once

#include <array>

namespace higgsuq::stats {

enum class NormsysCode { eCode1, eCode4 };
enum class HistosysCode { eCode0, eCode4p };

/// Value, first and second derivative of an interpolated quantity.
struct Interpolated {
  double value = 0.0;
  double first = 0.0;
  double second = 0.0;
};

/// A normsys factor with its code-4 polynomial coefficients precomputed at construction.
class NormsysInterpolator {
 public:
  /// Throws higgsuq::InputError unless hi > 0 and lo > 0.
  NormsysInterpolator(double hi, double lo, NormsysCode code);
  Interpolated operator()(double alpha) const;

 private:
  Interpolated exponential(double alpha) const;
  double m_logHi;
  double m_logLo;
  NormsysCode m_code;
  std::array<double, 6> m_poly{};  ///< a_1..a_6 of the code-4 polynomial
};

/// The per-bin histosys shift for one bin; dUp = up - nominal, dDown = nominal - down.
Interpolated histosysShift(double alpha, double dUp, double dDown, HistosysCode code);

}  // namespace higgsuq::stats
