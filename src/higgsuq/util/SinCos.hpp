// sin and cos of a float column in one pass.
//
// Why by hand: glibc's libmvec has vector sinf and cosf, which GCC's vectoriser reaches one function per
// loop, but its vector sincosf is not: a loop calling both (or sincosf) becomes scalar sincos calls.
// The DER and the MET shifts need both for every azimuth (20 calls per event), so one range reduction
// and two short polynomials (Cephes's single-precision sinf/cosf: Cody-Waite reduction by pi/4 in
// three parts, degree-7 sine and degree-8 cosine minimax polynomials) do the work of two libmvec calls.
// Error, for |x| <= 2 pi (azimuths, the 2 pi u of Box-Muller): within 2 ulp of the exact value, or within
// 1e-13 next to a zero of sin or cos, where the reduction's last bits are several ulp of a tiny result
// (tested; libmvec promises 4 ulp). Up to |x| = 64 (the -25 placeholder of missing jets): within 1e-7.
// A group of 8 with a larger argument (or a NaN) is computed by libm.
#pragma once

#include <cstddef>

namespace higgsuq {

/// sinOut[k] = sin(x[k]), cosOut[k] = cos(x[k]) for k < n. For |x| <= 64 the result of a value does not
/// depend on its place in the column (the tail goes through the same 8-lane code).
void sinCos(const float* x, std::size_t n, float* sinOut, float* cosOut);

}  // namespace higgsuq
