// sin and cos of a float column in one pass.
//
// Why by hand: glibc's libmvec has vector sinf and cosf, which GCC's vectoriser reaches one function per
// loop, but its vector sincosf is not: a loop calling both (or sincosf) becomes scalar sincos calls.
// The DER and the MET shifts need both for every azimuth (20 calls per event), so one range reduction
// and two short polynomials (Cephes's single-precision sinf/cosf: Cody-Waite reduction by pi/4 in
// three parts, degree-7 sine and degree-8 cosine minimax polynomials) do the work of two libmvec calls.
// Error: within 2 ulp of the exact value for |x| <= 64 (tested; libmvec promises 4 ulp), which covers
// azimuths, the -25 placeholder of missing jets and the 2 pi u of Box-Muller. A group of 8 with a larger
// argument (or a NaN) is computed by libm.
#pragma once

#include <cstddef>

namespace higgsuq {

/// sinOut[k] = sin(x[k]), cosOut[k] = cos(x[k]) for k < n. The result of a value does not depend on its
/// place in the column (the tail goes through the same 8-lane code).
void sinCos(const float* x, std::size_t n, float* sinOut, float* cosOut);

}  // namespace higgsuq
