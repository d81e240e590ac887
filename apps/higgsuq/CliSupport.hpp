// What every subcommand shares: running the app with errors reported as one clear line,
// and thread-count control.
#pragma once

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include <memory>

namespace higgsuq::cli {

/// Parses and runs; bad input (higgsuq::InputError, std::invalid_argument) and parse errors
/// print "higgsuq: error: ..." on stderr and give exit code 2; anything else gives 1.
int runApp(CLI::App& app, int argc, char** argv);

/// Limits TBB to `threads` workers (0 = all cores) for as long as the returned handle lives.
std::unique_ptr<tbb::global_control> limitThreads(int threads);

}  // namespace higgsuq::cli
