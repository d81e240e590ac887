// The 12 DER features computed from the 16 PRI features with the reference formulas
// (reference-challenge.md §2.5), including its edge cases:
//  - jet components enter only when PRI_n_jets counts them (j1 if n >= 1, j2 if n >= 2), even when the
//    slot holds the -25 placeholder (the reference's quirk after jet removal, kept on purpose);
//  - DER_met_phi_centrality retries with phi_lep + 1e-4 when its denominator is 0, then gives -25;
//  - DER_lep_eta_centrality uses d + 1e-4 when the jets have equal eta;
//  - clipped squared masses give -0.0 as in the reference (sqrt of x*(x>=0)).
// Arithmetic is double; results are stored as float32. Masses of massless pairs use the cancellation-
// free form m^2 = 2 pT1 pT2 (cosh d_eta - cos d_phi), which is exact where the reference loses digits.
#pragma once

#include <cstddef>

#include "higgsuq/events/EventTable.hpp"

namespace higgsuq {

/// Recomputes the DER columns of rows [begin, end) from their PRI columns (one thread).
void computeDerivedRange(EventTable& table, std::size_t begin, std::size_t end);

/// Recomputes the DER columns of every row, in parallel over all cores.
void computeDerived(EventTable& table);

}  // namespace higgsuq
