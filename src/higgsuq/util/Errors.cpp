#include "higgsuq/util/Errors.hpp"

#include <cstdio>
#include <cstdlib>

namespace higgsuq::detail {

void assertionFailed(const char* cond, const char* file, int line, const char* msg) {
  std::fprintf(stderr, "higgsuq: internal assertion failed: %s (%s) at %s:%d\n", cond, msg, file, line);
  std::abort();
}

}  // namespace higgsuq::detail
