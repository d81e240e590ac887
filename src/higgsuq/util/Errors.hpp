// The three kinds of failure (code-models.md §7.6):
//  - bugs: HIGGSUQ_ASSERT (always on, prints the condition and aborts);
//  - expected failures (a fit that does not converge): returned status values, never exceptions;
//  - bad user input: InputError, thrown at the boundary, naming the file, line or field.
#pragma once

#include <stdexcept>
#include <string>

namespace higgsuq {

/// Bad user input: malformed file, missing column, NaN, wrong flag value. The message names
/// where (file:line, JSON path or option) and what was expected.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
[[noreturn]] void assertionFailed(const char* cond, const char* file, int line, const char* msg);
}

}  // namespace higgsuq

#define HIGGSUQ_ASSERT(cond, msg)                                                   \
  do {                                                                              \
    if (!(cond)) ::higgsuq::detail::assertionFailed(#cond, __FILE__, __LINE__, msg); \
  } while (false)
