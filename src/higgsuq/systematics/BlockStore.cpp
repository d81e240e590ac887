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

/// to[0, count) = the kept values of from[0, 8 groups); returns how many were written. Stores go
/// straight to `to` while a whole 8-lane store stays inside [0, count) (the rows after it belong to the
/// next block, written by another thread); the last groups go through an on-stack buffer.
std::size_t packFloats(const float* from, const std::uint8_t* masks, std::size_t groups, std::size_t count,
                       float* to) {
  std::size_t pos = 0, g = 0;
  for (; g < groups && pos + 8 <= count; ++g) {
    const __m256 v = _mm256_loadu_ps(from + 8 * g);
    const __m256i lanes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kPackLanes[masks[g]].data()));
    _mm256_storeu_ps(to + pos, _mm256_permutevar8x32_ps(v, lanes));
    pos += static_cast<std::size_t>(std::popcount(masks[g]));
  }
  // Fewer than 8 kept rows remain: each store below writes at most 7 + 8 slots of the buffer.
  float tail[16];
  std::size_t inTail = 0;
  for (; g < groups; ++g) {
    const __m256 v = _mm256_loadu_ps(from + 8 * g);
    const __m256i lanes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kPackLanes[masks[g]].data()));
    _mm256_storeu_ps(tail + inTail, _mm256_permutevar8x32_ps(v, lanes));
    inTail += static_cast<std::size_t>(std::popcount(masks[g]));
  }
  std::copy_n(tail, inTail, to + pos);
  return pos + inTail;
}
#endif

}  // namespace

std::size_t storeKeptRows(const EventTable& block, std::span<const std::uint8_t> keep, EventTable& out,
                          std::size_t first, std::size_t sourceBegin, std::vector<std::uint32_t>* survivingRows) {
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
  const auto masks = std::make_unique_for_overwrite<std::uint8_t[]>(groups + 1);
  for (std::size_t g = 0; g < groups; ++g) {
    unsigned m = 0;
    for (std::size_t lane = 0; lane < 8; ++lane) m |= (8 * g + lane < n && keep[8 * g + lane]) ? 1u << lane : 0u;
    masks[g] = static_cast<std::uint8_t>(m);
  }
#endif
  for (std::size_t f = 0; f < kNumPrimary; ++f) {
    const float* from = block.column(featureAt(f)).data();
    float* to = out.column(featureAt(f)).data() + first;
    std::size_t j = 0;
#ifdef __AVX2__
    j = packFloats(from, masks.get(), groups, count, to);
#endif
    for (; j < count; ++j) to[j] = from[kept[j]];
  }
  double* weights = out.weights().data() + first;
  for (std::size_t j = 0; j < count; ++j) weights[j] = block.weights()[kept[j]];
  for (std::size_t j = 0; j < count; ++j) {
    out.labels()[first + j] = block.labels()[kept[j]];
    out.processes()[first + j] = block.processes()[kept[j]];
    if (survivingRows) (*survivingRows)[first + j] = static_cast<std::uint32_t>(sourceBegin + kept[j]);
  }
  return count;
}

}  // namespace higgsuq
