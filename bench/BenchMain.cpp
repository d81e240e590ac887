// The main() of every higgsuq benchmark: Google Benchmark's, after the allocator tuning the higgsuq
// program also applies (so benchmarks measure what the program does).
#include <benchmark/benchmark.h>

#include "higgsuq/util/Memory.hpp"

int main(int argc, char** argv) {
  higgsuq::keepFreedMemoryForReuse();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
