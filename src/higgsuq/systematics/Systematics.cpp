#include "higgsuq/systematics/Systematics.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <stdexcept>
#include <string>

#include "higgsuq/events/DerivedFeatures.hpp"
#include "higgsuq/systematics/BlockStore.hpp"
#include "higgsuq/systematics/PostSelection.hpp"
#include "higgsuq/systematics/ShiftKernel.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {

/// Where the rows of a pass come from: row k of the pass is table row rows[k] when indexed (an empty
/// list is then an empty pass), else row k of the whole table.
struct Systematics::Source {
  const EventTable& table;
  bool indexed = false;
  std::span<const std::uint32_t> rows;
  PoolRows how;
  std::size_t size() const { return indexed ? rows.size() : table.size(); }
  std::size_t row(std::size_t k) const { return indexed ? rows[k] : k; }
};

namespace {

constexpr std::size_t kBlock = 2048;  ///< rows per fused block: its 16 PRI columns and the output rows stay in L2

void requirePositive(double v, Nuisance n) {
  if (!std::isfinite(v) || v <= 0.0) {
    throw std::invalid_argument(std::string(nuisanceName(n)) + " must be a finite number > 0, got " +
                                std::to_string(v));
  }
}

}  // namespace

void validateNuisanceValues(const NuisanceValues& values) {
  for (Nuisance n : kAllNuisances) {
    if (n == Nuisance::SoftMet) continue;
    if (n == Nuisance::Tes || n == Nuisance::Jes) {
      requirePositive(values.get(n), n);
    } else if (!std::isfinite(values.get(n)) || values.get(n) < 0.0) {
      throw std::invalid_argument(std::string(nuisanceName(n)) + " must be a finite number >= 0, got " +
                                  std::to_string(values.get(n)));
    }
  }
  if (!std::isfinite(values.softMet) || values.softMet < 0.0) {
    throw std::invalid_argument("soft_met must be a finite number >= 0 (GeV), got " +
                                std::to_string(values.softMet));
  }
}

void applyNormalisations(EventTable& events, const NuisanceValues& values) {
  applyNormalisations(events, values, 0, events.size());
}

void applyNormalisations(EventTable& events, const NuisanceValues& values, std::size_t begin, std::size_t end) {
  double* __restrict w = events.weights().data();
  const Process* __restrict proc = events.processes().data();
  const std::uint8_t* __restrict label = events.labels().data();
  const double ttbar = values.ttbarScale, diboson = values.dibosonScale, wjets = values.wjetsScale;
  const double bkg = values.bkgScale;
  // The reference's order of products; a factor of 1 where a scale does not apply is exact, so the
  // selects (no branches: processes come in random order) give the same bits as the conditionals.
  for (std::size_t i = begin; i < end; ++i) {
    double x = w[i] * (proc[i] == Process::TTbar ? ttbar : 1.0);
    x *= proc[i] == Process::Diboson ? diboson : 1.0;
    x *= proc[i] == Process::WJets ? wjets : 1.0;
    w[i] = x * (label[i] == 0 ? bkg : 1.0);
  }
}

Systematics::Systematics(const SystematicsConfig& config) : m_config(config) {
  if (!(config.hadPtMin >= 0.0f) || !(config.jetPtMin >= 0.0f) || !(config.lepPtMin >= 0.0f)) {
    throw std::invalid_argument("SystematicsConfig: post-selection thresholds must be >= 0 GeV");
  }
}

EventTable Systematics::apply(const EventTable& input, const NuisanceValues& values, const SoftMetNoise& noise,
                              std::vector<std::uint32_t>* survivingRows) const {
  validateNuisanceValues(values);
  return run(Source{input, false, {}, {}}, values, noise, survivingRows);
}

EventTable Systematics::applyToRows(const EventTable& pool, std::span<const std::uint32_t> rows,
                                    const NuisanceValues& values, const SoftMetNoise& noise,
                                    const PoolRows& how, std::vector<std::uint32_t>* survivingRows) const {
  validateNuisanceValues(values);
  if (how.weights == PoolRows::Weights::Counts && how.counts.size() != rows.size()) {
    throw std::invalid_argument("applyToRows: one count per row is required");
  }
  HIGGSUQ_ASSERT(!how.rowMajor || how.rowMajor->size() == pool.size(), "applyToRows: row-major copy of another pool");
  for (std::uint32_t r : rows) HIGGSUQ_ASSERT(r < pool.size(), "applyToRows: row outside the pool");
  return run(Source{pool, true, rows, how}, values, noise, survivingRows);
}

namespace {

/// The 16 PRI of source rows [begin, begin + n) into scratch rows 0 .. n - 1.
template <typename Src>  // Systematics::Source (private)
void loadPrimaries(const Src& src, std::size_t begin, std::size_t n, EventTable& scratch) {
  if (!src.indexed) {  // a contiguous range of the input
    for (std::size_t f = 0; f < kNumPrimary; ++f) {
      std::copy_n(src.table.column(featureAt(f)).data() + begin, n, scratch.column(featureAt(f)).data());
    }
    return;
  }
  if (src.how.rowMajor) {
    float* to[kNumPrimary];
    for (std::size_t f = 0; f < kNumPrimary; ++f) to[f] = scratch.column(featureAt(f)).data();
    // Drawn rows are scattered over the pool (increasing within a process): prefetch ahead, each row is
    // one cache line.
    constexpr std::size_t kAhead = 24;
    for (std::size_t k = 0; k < n; ++k) {
      if (k + kAhead < n) __builtin_prefetch(&src.how.rowMajor->row(src.row(begin + k + kAhead)));
      const PrimaryRow& row = src.how.rowMajor->row(src.row(begin + k));
      for (std::size_t f = 0; f < kNumPrimary; ++f) to[f][k] = row.values[f];
    }
    return;
  }
  for (std::size_t f = 0; f < kNumPrimary; ++f) {
    const float* __restrict from = src.table.column(featureAt(f)).data();
    float* __restrict to = scratch.column(featureAt(f)).data();
    for (std::size_t k = 0; k < n; ++k) to[k] = from[src.row(begin + k)];
  }
}

/// Rows [begin, end) of the source into scratch rows 0.. (the 16 PRI, weight, label, process).
template <typename Src>
void loadBlock(const Src& src, std::size_t begin, std::size_t end, EventTable& scratch) {
  const std::size_t n = end - begin;
  loadPrimaries(src, begin, n, scratch);
  if (!src.indexed && src.how.weights == PoolRows::Weights::Pool) {
    std::copy_n(src.table.labels().data() + begin, n, scratch.labels().data());
    std::copy_n(src.table.processes().data() + begin, n, scratch.processes().data());
    std::copy_n(src.table.weights().data() + begin, n, scratch.weights().data());
    return;
  }
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = src.row(begin + k);
    scratch.labels()[k] = src.table.labels()[r];
    scratch.processes()[k] = src.table.processes()[r];
    switch (src.how.weights) {
      case PoolRows::Weights::Pool: scratch.weights()[k] = src.table.weights()[r]; break;
      case PoolRows::Weights::Unit: scratch.weights()[k] = 1.0; break;
      case PoolRows::Weights::Counts: scratch.weights()[k] = src.how.counts[begin + k]; break;
    }
  }
}

/// Output offset of every block: survivors counted from had pT and lep pT alone, with the shift
/// kernel's arithmetic (tes x pT, then the rounding); jet removal never changes whether an event survives.
template <typename Src>
std::vector<std::size_t> survivorOffsets(const Src& source, const NuisanceValues& values,
                                         const SystematicsConfig& config, std::size_t numBlocks) {
  const std::size_t n = source.size();
  std::vector<std::size_t> offsets(numBlocks + 1, 0);
  tbb::parallel_for(std::size_t{0}, numBlocks, [&](std::size_t b) {
    const std::size_t begin = b * kBlock, end = std::min(n, begin + kBlock);
    if (!config.applyCuts) return void(offsets[b + 1] = end - begin);
    const float* hadPt = source.table.column(Feature::HadPt).data();
    const float* lepPt = source.table.column(Feature::LepPt).data();
    const std::uint32_t* rows = source.indexed ? source.rows.data() + begin : nullptr;
    offsets[b + 1] = countEventCutSurvivors(hadPt + (rows ? 0 : begin), lepPt + (rows ? 0 : begin), rows,
                                            end - begin, values.tes, config);
  });
  for (std::size_t b = 0; b < numBlocks; ++b) offsets[b + 1] += offsets[b];
  return offsets;
}

}  // namespace

EventTable Systematics::run(const Source& source, const NuisanceValues& values, const SoftMetNoise& noise,
                            std::vector<std::uint32_t>* survivingRows) const {
  const std::size_t n = source.size();
  if (!noise.x.empty() && (noise.x.size() != n || noise.y.size() != n)) {
    throw std::invalid_argument("explicit soft-MET noise must have one (x, y) draw per input row");
  }
  const std::size_t numBlocks = (n + kBlock - 1) / kBlock;
  const std::vector<std::size_t> offsets = survivorOffsets(source, values, m_config, numBlocks);
  EventTable out;
  out.resizeUninitialized(offsets[numBlocks]);
  if (survivingRows) survivingRows->resize(offsets[numBlocks]);
  tbb::enumerable_thread_specific<EventTable> scratches([] {
    EventTable t;
    t.resizeUninitialized(kBlock);
    return t;
  });
  tbb::parallel_for(std::size_t{0}, numBlocks, [&](std::size_t b) {
    const std::size_t begin = b * kBlock, end = std::min(n, begin + kBlock), m = end - begin;
    EventTable& scratch = scratches.local();
    loadBlock(source, begin, end, scratch);
    applyNormalisations(scratch, values, 0, m);
    SoftMetNoise blockNoise = noise;
    if (!noise.x.empty()) {
      blockNoise.x = noise.x.subspan(begin, m);
      blockNoise.y = noise.y.subspan(begin, m);
    }
    blockNoise.firstIndex = noise.firstIndex + begin;
    shiftRows(scratch, 0, m, values, blockNoise);
    std::uint8_t keep[kBlock];
    if (m_config.applyCuts) {
      postSelectRows(scratch, 0, m, m_config, keep);
    } else {
      std::fill_n(keep, m, std::uint8_t{1});
    }
    const std::size_t stored =
        storeKeptRows(scratch, std::span<const std::uint8_t>(keep, m), out, offsets[b], begin, survivingRows);
    HIGGSUQ_ASSERT(stored == offsets[b + 1] - offsets[b], "fused systematics: survivors differ from the counting pass");
    // DER of the survivors only, in place in the output (its rows are still in cache): no packing of 12
    // more columns. Row positions are fixed by the counting pass, so the result is the same for any threads.
    computeDerivedRange(out, offsets[b], offsets[b + 1]);
  });
  return out;
}

}  // namespace higgsuq
