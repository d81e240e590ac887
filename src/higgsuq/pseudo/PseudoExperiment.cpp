#include "higgsuq/pseudo/PseudoExperiment.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <utility>
#include <string>

#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {
std::uint64_t Multiplicities::total() const {
  std::uint64_t t = 0;
  for (auto c : counts) t += c;
  return t;
}

std::vector<std::uint32_t> Multiplicities::expanded() const {
  std::vector<std::uint64_t> start(rows.size() + 1, 0);
  for (std::size_t i = 0; i < rows.size(); ++i) start[i + 1] = start[i] + counts[i];
  std::vector<std::uint32_t> out(start.back());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows.size(), 1 << 14),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i < r.end(); ++i) {
                        std::fill(out.begin() + static_cast<std::ptrdiff_t>(start[i]),
                                  out.begin() + static_cast<std::ptrdiff_t>(start[i + 1]), rows[i]);
                      }
                    });
  return out;
}

PseudoExperimentFactory::PseudoExperimentFactory(const EventTable& pool, ChallengeDefinition definition,
                                                 const Config& config)
    : m_pool(pool), m_rowMajor(pool), m_definition(std::move(definition)), m_config(config),
      m_systematics(m_definition.postSelection) {
  m_definition.validate();
  for (const ProcessSpec& spec : m_definition.processes) {
    std::vector<std::uint32_t> rows;
    std::vector<double> lambda;
    double sum = 0.0;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      if (pool.processes()[i] != spec.process) continue;
      rows.push_back(static_cast<std::uint32_t>(i));
      lambda.push_back(pool.weights()[i]);
      sum += pool.weights()[i];
    }
    const std::string name(processName(spec.process));
    if (rows.empty()) throw InputError("pool has no events of process " + name + " required by the challenge");
    if (!(sum > 0.0)) throw InputError("pool events of process " + name + " have non-positive total weight");
    for (double l : lambda) {
      if (!std::isfinite(l) || l < 0.0) {
        throw InputError("pool events of process " + name + " have a negative or non-finite weight");
      }
    }
    const double scale = m_config.rescaleToExpectedYields ? spec.expectedYield / sum : 1.0;
    for (double& l : lambda) l *= scale;
    m_processes.push_back(ProcessRows{spec.process, std::move(rows), sum * scale, PoissonBootstrap(lambda)});
  }
}

void PseudoExperimentFactory::drawProcess(const ProcessRows& p, const PseudoExperimentId& id, double norm,
                                          Multiplicities& m) const {
  const StreamKey key = streamKey(id.seed, static_cast<std::uint64_t>(id.set),
                                  static_cast<std::uint64_t>(id.index), Stream::eBootstrap,
                                  static_cast<std::uint32_t>(index(p.process)));
  p.bootstrap.draw(norm, key, m.rows, m.counts, p.rows);
}

Multiplicities PseudoExperimentFactory::bootstrap(const PseudoExperimentId& id, double mu,
                                                  const NuisanceValues& values) const {
  Multiplicities m;
  for (const ProcessRows& p : m_processes) drawProcess(p, id, processNormalisation(p.process, mu, values), m);
  return m;
}

double PseudoExperimentFactory::expectedEvents(double mu, const NuisanceValues& values) const {
  double total = 0.0;
  for (const ProcessRows& p : m_processes) {
    total += processNormalisation(p.process, mu, values) * p.sumLambda;
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
  // The rows are read from the pool inside the systematics pass (no gathered copy).
  if (shapes.softMet > 0.0) {
    pe.events =
        m_systematics.applyToRows(m_pool, m.expanded(), shapes, noise, {PoolRows::Weights::Unit, {}, &m_rowMajor});
  } else {
    pe.events =
        m_systematics.applyToRows(m_pool, m.rows, shapes, noise, {PoolRows::Weights::Counts, m.counts, &m_rowMajor});
  }
  return pe;
}

}  // namespace higgsuq
