#include "CliSupport.hpp"

#include <tbb/global_control.h>

#include <exception>
#include <iostream>
#include <stdexcept>

#include "higgsuq/util/Errors.hpp"
#include "higgsuq/util/Memory.hpp"

namespace higgsuq::cli {

int runApp(CLI::App& app, int argc, char** argv) {
  keepFreedMemoryForReuse();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const InputError& e) {
    std::cerr << "higgsuq: error: " << e.what() << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "higgsuq: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "higgsuq: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

std::unique_ptr<tbb::global_control> limitThreads(int threads) {
  if (threads < 0) throw std::invalid_argument("--threads must be >= 0 (0 = all cores)");
  if (threads == 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(threads));
}

}  // namespace higgsuq::cli
