// The binned template model of the systematic-aware baseline, as an ExpectedRates for the likelihood:
//
//   nu_b(theta) = sum_p N_p(theta) T_pb (1 + sum_k d_pbk(alpha_k)),  d_pbk(a) = sum_{d=1..D} c_pbkd (a - a0_k)^d
//
// T_pb: expected events of process p in bin b at the nominal point; d_pbk: the relative response of that bin
// to shape nuisance k (tes, jes, soft_met), a polynomial fitted on a grid of shifted copies. Responses of
// different nuisances add (relative shifts summed, not averaged as the reference's 1/6 dilution does).
// N_p: mu for the signal; bkg_scale x ttbar_scale for ttbar; bkg_scale x diboson_scale for diboson;
// bkg_scale for the other backgrounds — so the normalisation nuisances act exactly.
// Parameters, in this order: mu, tes, jes, soft_met, ttbar_scale, diboson_scale, bkg_scale, then — when
// the templates' own statistical uncertainty is modelled (Barlow-Beeston "lite", as HistFactory's
// staterror) — one gamma_b per bin: nu_b -> gamma_b nu_b with a Gaussian constraint N(1, delta_b),
// delta_b = sqrt(sum w^2) / sum w of the bin's templates. Analytic Jacobian and exact curvature.
#pragma once

#include <array>
#include <vector>

#include "higgsuq/events/Feature.hpp"
#include "higgsuq/stats/ExpectedRates.hpp"

namespace higgsuq {

/// Parameter positions of the template model.
enum class TemplateParameter : std::size_t { Mu, Tes, Jes, SoftMet, TtbarScale, DibosonScale, BkgScale };
inline constexpr std::size_t kNumTemplateParameters = 7;
inline constexpr std::size_t kNumShapeNuisances = 3;  ///< tes, jes, soft_met

struct ProcessTemplate {
  Process process = Process::ZTauTau;
  Eigen::VectorXd nominal;  ///< T_pb, one per bin
  /// Per shape nuisance k: nBins x degree coefficients c_pbkd (column d-1 multiplies (a - a0)^d).
  std::array<Eigen::MatrixXd, kNumShapeNuisances> response;
};

struct TemplateModelSpec {
  std::vector<ProcessTemplate> processes;
  std::array<double, kNumShapeNuisances> shapeNominal{1.0, 1.0, 0.0};  ///< a0 of tes, jes, soft_met
  std::vector<stats::ParameterSpec> parameters;  ///< kNumTemplateParameters (+ one gamma per bin)
  std::vector<stats::Constraint> constraints;
  /// delta_b per bin; empty = templates taken as exact (no gamma parameters).
  Eigen::VectorXd mcRelativeError;
};

/// Appends the gamma_b parameters and constraints for the given relative errors (a bin without
/// templates or error keeps gamma fixed at 1) and stores the errors in the spec.
void addTemplateStatErrors(TemplateModelSpec& spec, const Eigen::VectorXd& relativeErrors);

class TemplateModel final : public stats::ExpectedRates {
 public:
  /// Throws std::invalid_argument if sizes disagree.
  explicit TemplateModel(TemplateModelSpec spec);

  std::size_t nBins() const override { return m_nBins; }
  void evaluate(const Eigen::VectorXd& theta, stats::RatesWorkspace& ws, bool withJacobian) const override;
  void accumulateCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& binWeights, Eigen::MatrixXd& hessian,
                           stats::RatesWorkspace& ws) const override;
  bool hasExactCurvature() const override { return true; }
  const TemplateModelSpec& spec() const { return m_spec; }

 private:
  double normalisation(Process p, const Eigen::VectorXd& theta) const;
  void evaluateBase(const Eigen::VectorXd& theta, stats::RatesWorkspace& ws, bool withJacobian) const;
  void baseCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& binWeights, Eigen::MatrixXd& hessian) const;
  bool hasStatErrors() const { return m_spec.mcRelativeError.size() > 0; }
  /// d, d' and d'' of the response of process p, bin b, nuisance k at alpha.
  std::array<double, 3> response(const ProcessTemplate& t, std::size_t b, std::size_t k, double alpha) const;

  TemplateModelSpec m_spec;
  std::size_t m_nBins;
};

constexpr std::size_t index(TemplateParameter p) { return static_cast<std::size_t>(p); }

}  // namespace higgsuq
