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
namespace {

constexpr std::size_t kChunkRows = 1 << 16;  ///< rows per independent bootstrap stream (fixed: results never depend on threads)
constexpr double kInversionLimit = 10.0;
constexpr std::uint64_t kRejectionRegion = 1ULL << 40;  // counter offset of per-row rejection streams
constexpr std::uint64_t kThinningRegion = 1ULL << 36;   // counter offset of the per-chunk thinning streams
constexpr std::uint64_t kThinningChunkBlocks = 1ULL << 30;  // Philox blocks reserved per chunk

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

namespace {

/// (process-local row, multiplicity) of the rows drawn with n > 0.
using Draws = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

/// Per-row draws for a chunk with a large mean somewhere: inversion below kInversionLimit, the exact
/// sampler of CounterRng above.
void drawRowByRow(std::span<const double> lambda, double norm, const StreamKey& key, std::size_t begin,
                  std::size_t end, Draws& out) {
  PoissonInverter inverter;
  for (std::size_t i = begin; i < end; ++i) {
    const double l = norm * lambda[i];
    std::uint32_t n = 0;
    if (l < kInversionLimit) {
      const PhiloxBlock b = blockAt(key, i / 2);
      const std::size_t w = 2 * (i % 2);
      n = inverter.draw(l, uniform53(b[w], b[w + 1]));
    } else {
      CounterRng rng(key, kRejectionRegion + i * 1024);
      n = static_cast<std::uint32_t>(rng.poisson(l));
    }
    if (n > 0) out.emplace_back(static_cast<std::uint32_t>(i), n);
  }
}

/// Independent n_i ~ Poisson(norm * lambda_i) for rows [begin, end), by thinning: candidate rows are
/// reached by geometric gaps for the chunk's largest mean m (P(gap >= g) = e^{-m g}), a candidate is
/// kept with P(n_i > 0) / (1 - e^{-m}), and a kept row draws n_i from Poisson(lambda_i) truncated to
/// n >= 1 (inversion from u in (e^{-lambda_i}, 1)). Exact, and it costs ~(1 - e^{-m}) draws per row
/// instead of one: most pool rows are not drawn at all.
void drawChunk(std::span<const double> lambda, double norm, const StreamKey& key, std::size_t chunk,
               std::size_t begin, std::size_t end, Draws& out) {
  double maxMean = 0.0;
  for (std::size_t i = begin; i < end; ++i) maxMean = std::max(maxMean, norm * lambda[i]);
  if (maxMean >= kInversionLimit) return drawRowByRow(lambda, norm, key, begin, end, out);
  if (!(maxMean > 0.0)) return;
  CounterRng rng(key, kThinningRegion + chunk * kThinningChunkBlocks);
  const double candidateProbability = -std::expm1(-maxMean);
  PoissonInverter inverter;
  for (std::size_t i = begin;; ++i) {
    const double gap = std::floor(std::log(rng.uniform()) / -maxMean);
    if (gap >= static_cast<double>(end - i)) break;
    i += static_cast<std::size_t>(gap);
    const double l = norm * lambda[i];
    if (l < maxMean && rng.uniform() * candidateProbability >= -std::expm1(-l)) continue;
    const double p0 = std::exp(-l);
    const double u = p0 + rng.uniform() * (1.0 - p0);
    out.emplace_back(static_cast<std::uint32_t>(i), std::max<std::uint32_t>(1, inverter.draw(l, u)));
  }
}

}  // namespace

void PseudoExperimentFactory::drawProcess(const ProcessRows& p, const PseudoExperimentId& id, double norm,
                                          Multiplicities& m) const {
  const StreamKey key = streamKey(id.seed, static_cast<std::uint64_t>(id.set),
                                  static_cast<std::uint64_t>(id.index), Stream::eBootstrap,
                                  static_cast<std::uint32_t>(index(p.process)));
  const std::size_t chunks = (p.rows.size() + kChunkRows - 1) / kChunkRows;
  std::vector<Draws> draws(chunks);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    drawChunk(p.lambda, norm, key, c, c * kChunkRows, std::min(p.rows.size(), (c + 1) * kChunkRows), draws[c]);
  });
  for (const Draws& d : draws) {
    for (const auto& [row, count] : d) {
      m.rows.push_back(p.rows[row]);
      m.counts.push_back(count);
    }
  }
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
