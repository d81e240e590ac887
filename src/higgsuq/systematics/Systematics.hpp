// The challenge's systematics() (reference-challenge.md §2.1–2.4), on columns and in parallel:
//   1. normalisations on the weights (ttbar x ttbar_scale, diboson x diboson_scale,
//      wjets x wjets_scale, then every background x bkg_scale);
//   2. TES on the hadronic tau and JES on the two leading jets, each with its MET correction;
//   3. soft-MET Gaussian noise per event, from a counter-based stream (pure function of the key
//      and the event's input position, so thread count never changes a result);
//   4. MET rebuilt from its components, every non-count PRI rounded to 3 decimals in float32;
//   5. post-selection cuts (had pT >= 26, jets <= 26 removed, lep pT >= 20), events kept in input order;
//   6. DER recomputed.
//
//   Systematics syst{SystematicsConfig{}};
//   EventTable shifted = syst.apply(table, NuisanceValues{.tes = 1.02}, SoftMetNoise::fromSeed(31415));
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/events/RowMajorPrimaries.hpp"
#include "higgsuq/systematics/Nuisance.hpp"
#include "higgsuq/util/Random.hpp"

namespace higgsuq {

/// How a jet that falls below the threshold is removed.
enum class JetRemoval : std::uint8_t {
  /// As the reference: the slot becomes -25, n_jets -1, jet_all_pt minus its pT; a third jet is never
  /// promoted or removed, so n_jets can still count a -25 slot (golden README §1.5 point 3).
  Reference,
  /// Corrected physics: jets are pT ordered and JES scales them alike, so when a stored jet falls below
  /// the threshold every softer (unstored) jet does too; they are all removed and n_jets / jet_all_pt
  /// describe exactly the jets that remain.
  Corrected,
};

struct SystematicsConfig {
  bool applyCuts = true;          ///< the post-selection; off = shifts and rounding only
  float hadPtMin = 26.0f;         ///< events with had pT below are dropped
  float jetPtMin = 26.0f;         ///< jets with 0 <= pT <= this are removed
  float lepPtMin = 20.0f;         ///< events with lep pT below are dropped
  JetRemoval jetRemoval = JetRemoval::Reference;
};

/// Where the soft-MET noise comes from: a counter-based stream (the normal case) or explicit draws
/// per input row (to replay the reference's own numpy draws in tests).
struct SoftMetNoise {
  StreamKey key{};
  std::span<const double> x{};  ///< if non-empty: the GeV added to MET_x per input row (sigma ignored)
  std::span<const double> y{};
  std::uint64_t firstIndex = 0;  ///< stream index of input row 0 (for inputs processed in chunks)
  static SoftMetNoise fromSeed(std::uint64_t seed) {
    return SoftMetNoise{streamKey(seed, 0, 0, Stream::eSoftMet), {}, {}, 0};
  }
};

/// How Systematics::applyToRows reads its rows.
struct PoolRows {
  enum class Weights { Pool, Unit, Counts };
  Weights weights = Weights::Pool;          ///< Pool: the pool row's weight; Unit: 1; Counts: counts[k]
  std::span<const std::uint32_t> counts{};  ///< for Counts: one per entry of the rows
  /// The pool's primaries row-major (RowMajorPrimaries(pool)): sparse reads cost one cache line per row.
  const RowMajorPrimaries* rowMajor = nullptr;
};

class Systematics {
 public:
  /// Throws std::invalid_argument for a configuration that makes no sense (negative thresholds).
  explicit Systematics(const SystematicsConfig& config);
  const SystematicsConfig& config() const { return m_config; }

  /// The reference systematics() on a whole table. Throws std::invalid_argument for nuisance values
  /// outside their physical domain (scale factors <= 0, soft_met < 0, non-finite).
  /// If `survivingRows` is given it receives the input row of every output event.
  EventTable apply(const EventTable& input, const NuisanceValues& values, const SoftMetNoise& noise,
                   std::vector<std::uint32_t>* survivingRows = nullptr) const;

  /// The same on `rows` of `pool` (repeats allowed): entry k uses noise draw k, and `survivingRows`
  /// receives entries k. The rows are read straight from the pool (no intermediate copy).
  EventTable applyToRows(const EventTable& pool, std::span<const std::uint32_t> rows,
                         const NuisanceValues& values, const SoftMetNoise& noise, const PoolRows& how = {},
                         std::vector<std::uint32_t>* survivingRows = nullptr) const;

 private:
  struct Source;
  /// One fused pass per block of rows (load, shifts, cuts, DER, compacted store) after a pass that
  /// counts each block's survivors, so every block writes straight to its place in the output.
  EventTable run(const Source& source, const NuisanceValues& values, const SoftMetNoise& noise,
                 std::vector<std::uint32_t>* survivingRows) const;
  SystematicsConfig m_config;
};

/// Throws std::invalid_argument naming the nuisance if a value is outside its physical domain.
void validateNuisanceValues(const NuisanceValues& values);

/// Multiplies weights by the normalisation nuisances, in the reference order.
void applyNormalisations(EventTable& events, const NuisanceValues& values);
/// The same on rows [begin, end).
void applyNormalisations(EventTable& events, const NuisanceValues& values, std::size_t begin, std::size_t end);

/// float32 rounding to 3 decimals exactly as numpy/pandas round(3) on float32: rint(x*1000)/1000.
inline float roundTo3Decimals(float x) { return static_cast<float>(__builtin_rintf(x * 1000.0f)) / 1000.0f; }

}  // namespace higgsuq
