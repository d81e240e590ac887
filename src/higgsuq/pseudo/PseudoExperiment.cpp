#include "higgsuq/pseudo/PseudoExperiment.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <string>

#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
namespace {

constexpr std::size_t kGrain = 1 << 15;
constexpr double kInversionLimit = 10.0;
constexpr std::uint64_t kRejectionRegion = 1ULL << 40;  // counter offset of per-row rejection streams

/// Poisson(lambda) from one uniform by inversion; exp(-lambda) cached for repeated lambdas.
struct PoissonInverter {
  double lastLambda = -1.0;
  double p0 = 1.0;
  std::uint32_t draw(double lambda, double u) {
    if (lambda != lastLambda) {
      lastLambda = lambda;
      p0 = std::exp(-lambda);
    }
    double p = p0, cdf = p0;
    std::uint32_t k = 0;
    while (u > cdf && k < 200) {
      ++k;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
};

}  // namespace

std::uint64_t Multiplicities::total() const {
  std::uint64_t t = 0;
  for (auto c : counts) t += c;
  return t;
}

std::vector<std::uint32_t> Multiplicities::expanded() const {
  std::vector<std::uint32_t> out;
  out.reserve(total());
  for (std::size_t i = 0; i < rows.size(); ++i) out.insert(out.end(), counts[i], rows[i]);
  return out;
}

PseudoExperimentFactory::PseudoExperimentFactory(const EventTable& pool, ChallengeDefinition definition,
                                                 const Config& config)
    : m_pool(pool), m_definition(std::move(definition)), m_config(config),
      m_systematics(m_definition.postSelection) {
  m_definition.validate();
  for (const ProcessSpec& spec : m_definition.processes) {
    ProcessRows p{spec.process, {}, {}};
    double sum = 0.0;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      if (pool.processes()[i] != spec.process) continue;
      p.rows.push_back(static_cast<std::uint32_t>(i));
      p.lambda.push_back(pool.weights()[i]);
      sum += pool.weights()[i];
    }
    const std::string name(processName(spec.process));
    if (p.rows.empty()) throw InputError("pool has no events of process " + name + " required by the challenge");
    if (!(sum > 0.0)) throw InputError("pool events of process " + name + " have non-positive total weight");
    if (m_config.rescaleToExpectedYields) {
      for (double& l : p.lambda) l *= spec.expectedYield / sum;
    }
    m_processes.push_back(std::move(p));
  }
}

void PseudoExperimentFactory::drawProcess(const ProcessRows& p, const PseudoExperimentId& id, double norm,
                                          std::vector<std::uint32_t>& counts) const {
  const StreamKey key = streamKey(id.seed, static_cast<std::uint64_t>(id.set),
                                  static_cast<std::uint64_t>(id.index), Stream::eBootstrap,
                                  static_cast<std::uint32_t>(index(p.process)));
  counts.assign(p.rows.size(), 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, p.rows.size(), kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      PoissonInverter inverter;
                      PhiloxBlock b{};
                      std::size_t blockIndex = ~std::size_t{0};  // rows 2j and 2j+1 share Philox block j
                      for (std::size_t i = r.begin(); i < r.end(); ++i) {
                        const double lambda = norm * p.lambda[i];
                        if (lambda < kInversionLimit) {
                          if (i / 2 != blockIndex) b = blockAt(key, blockIndex = i / 2);
                          const std::size_t w = 2 * (i % 2);
                          counts[i] = inverter.draw(lambda, uniform53(b[w], b[w + 1]));
                        } else {
                          CounterRng rng(key, kRejectionRegion + i * 1024);
                          counts[i] = static_cast<std::uint32_t>(rng.poisson(lambda));
                        }
                      }
                    });
}

Multiplicities PseudoExperimentFactory::bootstrap(const PseudoExperimentId& id, double mu,
                                                  const NuisanceValues& values) const {
  Multiplicities m;
  std::vector<std::uint32_t> counts;
  for (const ProcessRows& p : m_processes) {
    drawProcess(p, id, processNormalisation(p.process, mu, values), counts);
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (counts[i] == 0) continue;
      m.rows.push_back(p.rows[i]);
      m.counts.push_back(counts[i]);
    }
  }
  return m;
}

double PseudoExperimentFactory::expectedEvents(double mu, const NuisanceValues& values) const {
  double total = 0.0;
  for (const ProcessRows& p : m_processes) {
    double sum = 0.0;
    for (double l : p.lambda) sum += l;
    total += processNormalisation(p.process, mu, values) * sum;
  }
  return total;
}

PseudoExperiment PseudoExperimentFactory::build(const PseudoExperimentId& id) const {
  PseudoExperiment pe;
  pe.id = id;
  pe.muTrue = drawMu(m_definition, id.seed, id.set);
  pe.nuisances = drawNuisances(m_definition, id.seed, id.set, id.index);
  const Multiplicities m = bootstrap(id, pe.muTrue, pe.nuisances);

  // Normalisations act through the Poisson means; the features see only the shape nuisances.
  NuisanceValues shapes;
  shapes.tes = pe.nuisances.tes;
  shapes.jes = pe.nuisances.jes;
  shapes.softMet = pe.nuisances.softMet;
  const SoftMetNoise noise{streamKey(id.seed, static_cast<std::uint64_t>(id.set),
                                     static_cast<std::uint64_t>(id.index), Stream::eSoftMet),
                           {}, {}, 0};
  const bool repeatRows = shapes.softMet > 0.0;
  EventTable pool = repeatRows ? m_pool.gather(m.expanded(), true) : m_pool.gather(m.rows, true);
  if (!repeatRows) {
    for (std::size_t i = 0; i < m.counts.size(); ++i) pool.weights()[i] = m.counts[i];
  } else {
    for (double& w : pool.weights()) w = 1.0;
  }
  pe.events = m_systematics.applyInPlace(std::move(pool), shapes, noise);
  return pe;
}

}  // namespace higgsuq
