// Compiled with the column-kernel ISA. With AVX2 every 8 rows of a float column are packed by one
// permute (indices from a table keyed by the 8 keep flags) instead of a load per kept row. (Streaming
// stores for the output were tried: no measurable difference on the standard machine.)
#include "higgsuq/systematics/BlockStore.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>

#ifdef __AVX2__
#include <immintrin.h>
#endif

namespace higgsuq {
namespace {

#ifdef __AVX2__
/// For each 8-bit keep mask, the lanes to move to the front (in order).
constexpr std::array<std::array<std::uint32_t, 8>, 256> kPackLanes = [] {
  std::array<std::array<std::uint32_t, 8>, 256> t{};
  for (unsigned m = 0; m < 256; ++m) {
    unsigned n = 0;
    for (unsigned lane = 0; lane < 8; ++lane) {
      if (m & (1u << lane)) t[m][n++] = lane;
    }
  }
  return t;
}();

/// How one block's rows are packed, worked out once for all its columns: each group of 8 rows' keep
/// mask and output position, and how many leading groups can store 8 lanes straight into the output
/// (pos + 8 <= kept rows: the rows after the block's belong to the next block, written by another thread).
struct PackPlan {
  std::unique_ptr<std::uint8_t[]> masks;
  std::unique_ptr<std::uint32_t[]> pos;
  std::size_t groups = 0, direct = 0, packed = 0;
};

PackPlan planPacking(std::span<const std::uint8_t> keep, std::size_t groups, std::size_t count) {
  PackPlan plan{std::make_unique_for_overwrite<std::uint8_t[]>(groups + 1),
                std::make_unique_for_overwrite<std::uint32_t[]>(groups + 1), groups, 0, 0};
  const std::size_t n = keep.size();
  std::uint32_t pos = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    unsigned m = 0;
    for (std::size_t lane = 0; lane < 8; ++lane)
      m |= (8 * g + lane < n && keep[8 * g + lane]) ? 1u << lane : 0u;
    plan.masks[g] = static_cast<std::uint8_t>(m);
    plan.pos[g] = pos;
    if (pos + 8 <= count) plan.direct = g + 1;
    pos += static_cast<std::uint32_t>(std::popcount(m));
  }
  plan.packed = pos;
  return plan;
}

inline __m256 packedGroup(const float* from, const PackPlan& plan, std::size_t g) {
  const __m256i lanes =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kPackLanes[plan.masks[g]].data()));
  return _mm256_permutevar8x32_ps(_mm256_loadu_ps(from + 8 * g), lanes);
}

/// to[0, plan.packed) = the kept values of from's groups; the stores of the direct groups are
/// independent of each other (positions precomputed), the rest go through an on-stack buffer.
void packFloats(const float* from, const PackPlan& plan, float* to) {
  for (std::size_t g = 0; g < plan.direct; ++g)
    _mm256_storeu_ps(to + plan.pos[g], packedGroup(from, plan, g));
  if (plan.direct == plan.groups) return;
  // Fewer than 8 kept rows remain: each store below writes at most 7 + 8 slots of the buffer.
  float tail[16];
  const std::size_t start = plan.pos[plan.direct];
  for (std::size_t g = plan.direct; g < plan.groups; ++g) {
    _mm256_storeu_ps(tail + (plan.pos[g] - start), packedGroup(from, plan, g));
  }
  std::copy_n(tail, plan.packed - start, to + start);
}
#endif

}  // namespace

std::size_t storeKeptRows(const EventTable& block, std::span<const std::uint8_t> keep, EventTable& out,
                          std::size_t first, std::size_t sourceBegin,
                          std::vector<std::uint32_t>* survivingRows) {
  const std::size_t n = keep.size();
  // Buffers left uninitialised: every slot is written before it is read.
  const auto kept = std::make_unique_for_overwrite<std::uint32_t[]>(n + 1);
  std::size_t count = 0;
  for (std::size_t k = 0; k < n; ++k) {
    kept[count] = static_cast<std::uint32_t>(k);
    count += keep[k];
  }
#ifdef __AVX2__
  // Whole groups of 8 are packed by permutes (the last, partial group's missing lanes are masked
  // off; the block's columns are read up to the group's end, within the block table when it has room).
  const std::size_t groups = block.size() >= (n + 7) / 8 * 8 ? (n + 7) / 8 : n / 8;
  const PackPlan plan = planPacking(keep, groups, count);
#endif
  for (std::size_t f = 0; f < kNumPrimary; ++f) {
    const float* from = block.column(featureAt(f)).data();
    float* to = out.column(featureAt(f)).data() + first;
    std::size_t j = 0;
#ifdef __AVX2__
    packFloats(from, plan, to);
    j = plan.packed;
#endif
    for (; j < count; ++j) to[j] = from[kept[j]];
  }
  const double* fromWeights = block.weights().data();
  const std::uint8_t* fromLabels = block.labels().data();
  const Process* fromProcesses = block.processes().data();
  double* weights = out.weights().data() + first;
  std::uint8_t* labels = out.labels().data() + first;
  Process* processes = out.processes().data() + first;
  for (std::size_t j = 0; j < count; ++j) weights[j] = fromWeights[kept[j]];
  for (std::size_t j = 0; j < count; ++j) labels[j] = fromLabels[kept[j]];
  for (std::size_t j = 0; j < count; ++j) processes[j] = fromProcesses[kept[j]];
  if (survivingRows) {
    std::uint32_t* rows = survivingRows->data() + first;
    for (std::size_t j = 0; j < count; ++j) rows[j] = static_cast<std::uint32_t>(sourceBegin + kept[j]);
  }
  return count;
}

}  // namespace higgsuq
