#include "higgsuq/pseudo/ChallengeDefinition.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {

double PriorSpec::transform(double z, double u) const {
  double v = a;
  switch (kind) {
    case Kind::Fixed: v = a; break;
    case Kind::Normal: v = a + b * z; break;
    case Kind::LogNormal: v = std::exp(a + b * z); break;
    case Kind::Uniform: v = a + (b - a) * u; break;
  }
  if (clip) v = std::clamp(v, (*clip)[0], (*clip)[1]);
  return v;
}

const ProcessSpec* ChallengeDefinition::find(Process p) const {
  for (const auto& spec : processes) {
    if (spec.process == p) return &spec;
  }
  return nullptr;
}

void ChallengeDefinition::validate() const {
  const std::string at = "challenge '" + name + "': ";
  if (processes.empty()) throw InputError(at + "processes: at least one process is required");
  for (const auto& p : processes) {
    if (!(p.expectedYield > 0.0) || !std::isfinite(p.expectedYield)) {
      throw InputError(at + "processes." + std::string(processName(p.process)) + ".expected_yield must be > 0");
    }
  }
  if (sets < 1 || pseudoExperiments < 1) throw InputError(at + "sets and pseudo_experiments must be >= 1");
  if (mu.kind == MuSpec::Kind::List && mu.values.size() < static_cast<std::size_t>(sets)) {
    throw InputError(at + "mu.values has " + std::to_string(mu.values.size()) + " entries for " +
                     std::to_string(sets) + " sets");
  }
  if (mu.kind == MuSpec::Kind::Uniform && !(mu.low < mu.high)) throw InputError(at + "mu: low must be < high");
  for (Nuisance n : kAllNuisances) {
    const auto& prior = nuisancePriors[index(n)];
    if (prior && prior->clip && !((*prior->clip)[0] <= (*prior->clip)[1])) {
      throw InputError(at + "nuisances." + std::string(nuisanceName(n)) + ".clip must be [low, high]");
    }
    if (prior && prior->kind != PriorSpec::Kind::Fixed && prior->kind != PriorSpec::Kind::Uniform &&
        !(prior->b >= 0.0)) {
      throw InputError(at + "nuisances." + std::string(nuisanceName(n)) + ".sigma must be >= 0");
    }
  }
  if (!(score.oneSigma > 0.0 && score.oneSigma < 1.0) || !(score.epsilon >= 0.0)) {
    throw InputError(at + "score: one_sigma must be in (0,1) and epsilon >= 0");
  }
}

double processNormalisation(Process p, double mu, const NuisanceValues& v) {
  switch (p) {
    case Process::HTauTau: return mu;
    case Process::ZTauTau: return v.bkgScale;
    case Process::TTbar: return v.ttbarScale * v.bkgScale;
    case Process::Diboson: return v.dibosonScale * v.bkgScale;
    case Process::WJets: return v.wjetsScale * v.bkgScale;
    case Process::Background: return v.bkgScale;
  }
  return 1.0;
}

double drawMu(const ChallengeDefinition& def, std::uint64_t seed, int set) {
  if (def.mu.kind == MuSpec::Kind::List) return def.mu.values.at(static_cast<std::size_t>(set));
  const double u = uniformAt(streamKey(seed, static_cast<std::uint64_t>(set), 0, Stream::eMu), 0);
  return def.mu.low + (def.mu.high - def.mu.low) * u;
}

NuisanceValues drawNuisances(const ChallengeDefinition& def, std::uint64_t seed, int set, int pe) {
  NuisanceValues values;
  for (Nuisance n : kAllNuisances) {
    const auto& prior = def.nuisancePriors[index(n)];
    if (!prior) continue;
    const StreamKey key = streamKey(seed, static_cast<std::uint64_t>(set), static_cast<std::uint64_t>(pe),
                                    Stream::eNuisance, static_cast<std::uint32_t>(index(n)));
    const PhiloxBlock block = blockAt(key, 0);
    const auto z = normalPairAt(key, 1)[0];
    values.set(n, prior->transform(z, uniform53(block[0], block[1])));
  }
  return values;
}

}  // namespace higgsuq
