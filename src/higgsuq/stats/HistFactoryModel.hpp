// A HistFactory model (the pyhf vocabulary): channels -> samples (nominal bin contents) -> modifiers.
// Supported modifiers: normfactor (free factor), normsys (interpolated factor, unit-Gaussian constrained),
// histosys (interpolated per-bin shift, unit-Gaussian constrained), lumi (factor with a Gaussian constraint
// around auxdata with the measurement's sigma). staterror / shapesys / shapefactor are rejected with an
// InputError. normsys and histosys modifiers with the same name share one parameter, as in pyhf.
//
// For one sample s:  nu_sb = F_s(theta) * (nominal_sb + sum_h delta_hb(theta)),  F_s = prod_m eta_m(theta),
// and nu_b = sum_s nu_sb over the concatenated bins of all channels. Built once into flat arrays; evaluation
// and exact second derivatives loop over them without allocation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "higgsuq/stats/ExpectedRates.hpp"
#include "higgsuq/stats/Interpolation.hpp"

namespace higgsuq::stats {

enum class ModifierType { eNormfactor, eNormsys, eHistosys, eLumi };

struct ModifierSpec {
  std::string name;  ///< the parameter it acts through
  ModifierType type = ModifierType::eNormfactor;
  double hi = 1.0;  ///< normsys: factor at +1
  double lo = 1.0;  ///< normsys: factor at -1
  std::vector<double> hiData;  ///< histosys: template at +1
  std::vector<double> loData;  ///< histosys: template at -1
};

struct SampleSpec {
  std::string name;
  std::vector<double> nominal;
  std::vector<ModifierSpec> modifiers;
};

struct ChannelSpec {
  std::string name;
  std::vector<SampleSpec> samples;
};

/// Measurement settings of one parameter (pyhf `measurements[].config.parameters[]`).
struct ParameterSettings {
  std::string name;
  std::optional<double> init;
  std::optional<double> lo, hi;
  std::optional<bool> fixed;
  std::optional<double> auxdata;  ///< lumi: constraint center
  std::optional<double> sigma;    ///< lumi: constraint width
};

struct HistFactorySpec {
  std::vector<ChannelSpec> channels;
  std::vector<ParameterSettings> settings;
  std::string poi;
  NormsysCode normsysCode = NormsysCode::eCode4;     ///< pyhf default
  HistosysCode histosysCode = HistosysCode::eCode4p;  ///< pyhf default
};

/// Location of one channel in the concatenated bin vector.
struct ChannelBins {
  std::string name;
  std::size_t offset = 0;
  std::size_t nBins = 0;
};

class HistFactoryModel final : public ExpectedRates {
 public:
  /// Validates the spec (bin counts, modifier data, parameter kinds, lumi sigma); throws InputError.
  explicit HistFactoryModel(const HistFactorySpec& spec);

  std::size_t nBins() const override { return m_nBins; }
  void evaluate(const Eigen::VectorXd& theta, RatesWorkspace& ws, bool withJacobian) const override;
  void accumulateCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& binWeights,
                           Eigen::MatrixXd& hessian, RatesWorkspace& ws) const override;
  bool hasExactCurvature() const override { return true; }

  std::size_t poiIndex() const { return m_poiIndex; }
  const std::vector<ChannelBins>& channels() const { return m_channels; }

  struct Compiled;  ///< flat arrays; defined in the .cpp

 private:
  explicit HistFactoryModel(std::shared_ptr<const Compiled> compiled);
  std::size_t scratchSize() const override;

  std::shared_ptr<const Compiled> m_compiled;
  std::size_t m_nBins = 0;
  std::size_t m_poiIndex = 0;
  std::vector<ChannelBins> m_channels;
};

}  // namespace higgsuq::stats
