#include "higgsuq/stats/HistFactoryModel.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq::stats {

/// A multiplicative modifier (normfactor, lumi: eta = theta; normsys: interpolated).
struct MultModifier {
  std::size_t parameter = 0;
  std::optional<NormsysInterpolator> normsys;
};

/// A histosys modifier: its per-bin up / down shifts live at shiftOffset in Compiled::shiftUp/Down.
struct HistoModifier {
  std::size_t parameter = 0;
  std::size_t shiftOffset = 0;
};

struct CompiledSample {
  std::size_t binOffset = 0, nBins = 0, nominalOffset = 0;
  std::size_t multBegin = 0, multEnd = 0, histoBegin = 0, histoEnd = 0;
};

struct HistFactoryModel::Compiled {
  std::vector<ParameterSpec> parameters;
  std::vector<Constraint> constraints;
  std::vector<double> nominal, shiftUp, shiftDown;
  std::vector<MultModifier> mult;
  std::vector<HistoModifier> histo;
  std::vector<CompiledSample> samples;
  std::vector<ChannelBins> channels;
  std::size_t nBins = 0, maxSampleBins = 0, maxMult = 0, poiIndex = 0;
  HistosysCode histosysCode = HistosysCode::eCode4p;
};

namespace {

enum class ParameterKind { eFree, eUnitGaussian, eLumi };

ParameterKind kindOf(ModifierType type) {
  switch (type) {
    case ModifierType::eNormfactor: return ParameterKind::eFree;
    case ModifierType::eLumi: return ParameterKind::eLumi;
    default: return ParameterKind::eUnitGaussian;
  }
}

/// Collects parameters in order of first appearance and checks that each name has one kind.
class ParameterTable {
 public:
  std::size_t use(const std::string& name, ModifierType type, const std::string& where) {
    if (name.empty()) throw InputError(where + ": modifier without a name");
    const auto found = m_index.find(name);
    if (found != m_index.end()) {
      if (m_kinds[found->second] != kindOf(type)) {
        throw InputError(where + ": parameter '" + name + "' is used by modifiers of incompatible types");
      }
      return found->second;
    }
    m_index.emplace(name, m_names.size());
    m_names.push_back(name);
    m_kinds.push_back(kindOf(type));
    return m_names.size() - 1;
  }

  /// Parameter specs and constraints after applying the measurement settings.
  void finish(const std::vector<ParameterSettings>& settings, HistFactoryModel::Compiled& out) const {
    std::vector<const ParameterSettings*> byParameter(m_names.size(), nullptr);
    for (const auto& s : settings) {
      const auto found = m_index.find(s.name);
      if (found == m_index.end()) {
        throw InputError("measurement parameter '" + s.name + "' is not used by any modifier");
      }
      byParameter[found->second] = &s;
    }
    for (std::size_t parIdx = 0; parIdx < m_names.size(); ++parIdx) {
      out.parameters.push_back(makeSpec(parIdx, byParameter[parIdx], out.constraints));
    }
  }

 private:
  ParameterSpec makeSpec(std::size_t parIdx, const ParameterSettings* s, std::vector<Constraint>& constraints) const {
    ParameterSpec spec{m_names[parIdx], 1.0, 0.0, 10.0, false};  // normfactor / lumi defaults (pyhf)
    if (m_kinds[parIdx] == ParameterKind::eUnitGaussian) {
      spec = ParameterSpec{m_names[parIdx], 0.0, -5.0, 5.0, false};
      constraints.push_back({Constraint::Kind::eGaussian, parIdx, 0.0, 1.0});
    }
    if (m_kinds[parIdx] == ParameterKind::eLumi) {
      if (!s || !s->sigma || !s->auxdata) {
        throw InputError("lumi parameter '" + m_names[parIdx] + "' needs auxdata and sigmas in the measurement");
      }
      spec.init = *s->auxdata;
      constraints.push_back({Constraint::Kind::eGaussian, parIdx, *s->auxdata, *s->sigma});
    }
    if (s) {
      spec.init = s->init.value_or(spec.init);
      spec.lo = s->lo.value_or(spec.lo);
      spec.hi = s->hi.value_or(spec.hi);
      spec.fixed = s->fixed.value_or(spec.fixed);
    }
    return spec;
  }

  std::map<std::string, std::size_t> m_index;
  std::vector<std::string> m_names;
  std::vector<ParameterKind> m_kinds;
};

void checkFinite(const std::vector<double>& values, std::size_t nBins, const std::string& where) {
  if (values.size() != nBins) {
    throw InputError(where + ": expected " + std::to_string(nBins) + " bins, got " + std::to_string(values.size()));
  }
  for (double v : values) {
    if (!std::isfinite(v)) throw InputError(where + ": non-finite bin content");
  }
}

void compileModifier(const ModifierSpec& mod, const CompiledSample& sample, const std::vector<double>& nominal,
                     NormsysCode normsysCode, const std::string& where, ParameterTable& table,
                     HistFactoryModel::Compiled& out) {
  const std::size_t parIdx = table.use(mod.name, mod.type, where);
  if (mod.type == ModifierType::eHistosys) {
    checkFinite(mod.hiData, sample.nBins, where + ".data.hi_data");
    checkFinite(mod.loData, sample.nBins, where + ".data.lo_data");
    out.histo.push_back({parIdx, out.shiftUp.size()});
    for (std::size_t binIdx = 0; binIdx < sample.nBins; ++binIdx) {
      out.shiftUp.push_back(mod.hiData[binIdx] - nominal[binIdx]);
      out.shiftDown.push_back(nominal[binIdx] - mod.loData[binIdx]);
    }
    return;
  }
  MultModifier mult{parIdx, std::nullopt};
  if (mod.type == ModifierType::eNormsys) {
    try {
      mult.normsys.emplace(mod.hi, mod.lo, normsysCode);
    } catch (const InputError& e) {
      throw InputError(where + ": " + e.what());
    }
  }
  out.mult.push_back(std::move(mult));
}

void compileChannel(const ChannelSpec& channel, std::size_t channelIdx, const HistFactorySpec& spec,
                    ParameterTable& table, HistFactoryModel::Compiled& out) {
  const std::string where = "channels[" + std::to_string(channelIdx) + "]";
  if (channel.samples.empty()) throw InputError(where + ": channel '" + channel.name + "' has no samples");
  const std::size_t nBins = channel.samples.front().nominal.size();
  if (nBins == 0) throw InputError(where + ".samples[0].data: empty");
  out.channels.push_back({channel.name, out.nBins, nBins});
  for (std::size_t sampleIdx = 0; sampleIdx < channel.samples.size(); ++sampleIdx) {
    const auto& sample = channel.samples[sampleIdx];
    const std::string sampleWhere = where + ".samples[" + std::to_string(sampleIdx) + "]";
    checkFinite(sample.nominal, nBins, sampleWhere + ".data");
    CompiledSample compiled{out.nBins, nBins, out.nominal.size(), out.mult.size(), 0, out.histo.size(), 0};
    out.nominal.insert(out.nominal.end(), sample.nominal.begin(), sample.nominal.end());
    for (std::size_t modIdx = 0; modIdx < sample.modifiers.size(); ++modIdx) {
      compileModifier(sample.modifiers[modIdx], compiled, sample.nominal, spec.normsysCode,
                      sampleWhere + ".modifiers[" + std::to_string(modIdx) + "]", table, out);
    }
    compiled.multEnd = out.mult.size();
    compiled.histoEnd = out.histo.size();
    out.maxMult = std::max(out.maxMult, compiled.multEnd - compiled.multBegin);
    out.samples.push_back(compiled);
  }
  out.maxSampleBins = std::max(out.maxSampleBins, nBins);
  out.nBins += nBins;
}

std::shared_ptr<const HistFactoryModel::Compiled> compile(const HistFactorySpec& spec) {
  auto out = std::make_shared<HistFactoryModel::Compiled>();
  out->histosysCode = spec.histosysCode;
  if (spec.channels.empty()) throw InputError("channels: the model has no channels");
  ParameterTable table;
  for (std::size_t channelIdx = 0; channelIdx < spec.channels.size(); ++channelIdx) {
    compileChannel(spec.channels[channelIdx], channelIdx, spec, table, *out);
  }
  table.finish(spec.settings, *out);
  if (spec.poi.empty()) throw InputError("the model has no parameter of interest (poi)");
  out->poiIndex = parameterIndex(out->parameters, spec.poi);
  return out;
}

/// Multiplicative factors of one sample: eta, eta', eta'' per modifier, written into scratch.
struct FactorView {
  const double* value;
  const double* first;
  const double* second;
  std::size_t count;

  /// Product of all values except those at indices skipA and skipB.
  double productExcept(std::size_t skipA, std::size_t skipB = static_cast<std::size_t>(-1)) const {
    double product = 1.0;
    for (std::size_t idx = 0; idx < count; ++idx) {
      if (idx != skipA && idx != skipB) product *= value[idx];
    }
    return product;
  }
};

FactorView computeFactors(const HistFactoryModel::Compiled& c, const CompiledSample& sample,
                          const Eigen::VectorXd& theta, double* scratch) {
  const std::size_t count = sample.multEnd - sample.multBegin;
  double* value = scratch;
  double* first = scratch + c.maxMult;
  double* second = scratch + 2 * c.maxMult;
  for (std::size_t idx = 0; idx < count; ++idx) {
    const auto& mod = c.mult[sample.multBegin + idx];
    const double x = theta[static_cast<Eigen::Index>(mod.parameter)];
    const Interpolated eta = mod.normsys ? (*mod.normsys)(x) : Interpolated{x, 1.0, 0.0};
    value[idx] = eta.value;
    first[idx] = eta.first;
    second[idx] = eta.second;
  }
  return {value, first, second, count};
}

}  // namespace

HistFactoryModel::HistFactoryModel(const HistFactorySpec& spec) : HistFactoryModel(compile(spec)) {}

HistFactoryModel::HistFactoryModel(std::shared_ptr<const Compiled> compiled)
    : ExpectedRates(compiled->parameters, compiled->constraints),
      m_compiled(std::move(compiled)),
      m_nBins(m_compiled->nBins),
      m_poiIndex(m_compiled->poiIndex),
      m_channels(m_compiled->channels) {}

std::size_t HistFactoryModel::scratchSize() const { return m_compiled->maxSampleBins + 3 * m_compiled->maxMult; }

void HistFactoryModel::evaluate(const Eigen::VectorXd& theta, RatesWorkspace& ws, bool withJacobian) const {
  const Compiled& c = *m_compiled;
  ws.expected.setZero();
  if (withJacobian) ws.jacobian.setZero();
  double* values = ws.scratch.data() + 3 * c.maxMult;
  for (const auto& sample : c.samples) {
    const FactorView eta = computeFactors(c, sample, theta, ws.scratch.data());
    const double factor = eta.productExcept(eta.count);
    std::copy_n(c.nominal.begin() + static_cast<std::ptrdiff_t>(sample.nominalOffset), sample.nBins, values);
    for (std::size_t h = sample.histoBegin; h < sample.histoEnd; ++h) {
      const auto& mod = c.histo[h];
      const double x = theta[static_cast<Eigen::Index>(mod.parameter)];
      for (std::size_t binIdx = 0; binIdx < sample.nBins; ++binIdx) {
        const auto shift = histosysShift(x, c.shiftUp[mod.shiftOffset + binIdx], c.shiftDown[mod.shiftOffset + binIdx],
                                         c.histosysCode);
        values[binIdx] += shift.value;
        if (withJacobian) {
          ws.jacobian(static_cast<Eigen::Index>(sample.binOffset + binIdx), static_cast<Eigen::Index>(mod.parameter)) +=
              factor * shift.first;
        }
      }
    }
    for (std::size_t binIdx = 0; binIdx < sample.nBins; ++binIdx) {
      ws.expected[static_cast<Eigen::Index>(sample.binOffset + binIdx)] += factor * values[binIdx];
    }
    if (!withJacobian) continue;
    for (std::size_t m = 0; m < eta.count; ++m) {
      const double dFactor = eta.first[m] * eta.productExcept(m);
      const auto col = static_cast<Eigen::Index>(c.mult[sample.multBegin + m].parameter);
      for (std::size_t binIdx = 0; binIdx < sample.nBins; ++binIdx) {
        ws.jacobian(static_cast<Eigen::Index>(sample.binOffset + binIdx), col) += dFactor * values[binIdx];
      }
    }
  }
}

void HistFactoryModel::accumulateCurvature(const Eigen::VectorXd& theta, const Eigen::VectorXd& binWeights,
                                           Eigen::MatrixXd& hessian, RatesWorkspace& ws) const {
  const Compiled& c = *m_compiled;
  for (const auto& sample : c.samples) {
    const FactorView eta = computeFactors(c, sample, theta, ws.scratch.data());
    const double factor = eta.productExcept(eta.count);
    const auto weight = [&](std::size_t binIdx) { return binWeights[static_cast<Eigen::Index>(sample.binOffset + binIdx)]; };
    double weightedValues = 0.0;  // sum_b w_b V_b
    for (std::size_t binIdx = 0; binIdx < sample.nBins; ++binIdx) {
      weightedValues += weight(binIdx) * c.nominal[sample.nominalOffset + binIdx];
    }
    for (std::size_t h = sample.histoBegin; h < sample.histoEnd; ++h) {
      const auto& mod = c.histo[h];
      const auto ph = static_cast<Eigen::Index>(mod.parameter);
      double weightedFirst = 0.0, weightedSecond = 0.0;
      for (std::size_t binIdx = 0; binIdx < sample.nBins; ++binIdx) {
        const auto shift = histosysShift(theta[ph], c.shiftUp[mod.shiftOffset + binIdx],
                                         c.shiftDown[mod.shiftOffset + binIdx], c.histosysCode);
        weightedValues += weight(binIdx) * shift.value;
        weightedFirst += weight(binIdx) * shift.first;
        weightedSecond += weight(binIdx) * shift.second;
      }
      hessian(ph, ph) += factor * weightedSecond;  // F * d2V
      for (std::size_t m = 0; m < eta.count; ++m) {  // dF * dV, both orders
        const auto pm = static_cast<Eigen::Index>(c.mult[sample.multBegin + m].parameter);
        const double cross = eta.first[m] * eta.productExcept(m) * weightedFirst;
        hessian(pm, ph) += cross;
        hessian(ph, pm) += cross;
      }
    }
    for (std::size_t m = 0; m < eta.count; ++m) {  // d2F * V
      const auto pm = static_cast<Eigen::Index>(c.mult[sample.multBegin + m].parameter);
      for (std::size_t j = 0; j < eta.count; ++j) {
        const auto pj = static_cast<Eigen::Index>(c.mult[sample.multBegin + j].parameter);
        const double d2 = m == j ? eta.second[m] * eta.productExcept(m)
                                 : eta.first[m] * eta.first[j] * eta.productExcept(m, j);
        hessian(pm, pj) += d2 * weightedValues;
      }
    }
  }
}

}  // namespace higgsuq::stats
