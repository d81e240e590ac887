// A line-level structure check of HepMC3 ASCII files. HepMC3 3.1.2's ReaderAscii reports problems only
// as warnings on stderr and may return a partial event, so the counts are checked here first.
#include <fstream>
#include <sstream>
#include <string>

#include "higgsuq/hepmc/HepMC3Events.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq {
namespace {

struct EventCounts {
  long long number = -1, declaredVertices = 0, declaredParticles = 0, vertices = 0, particles = 0;
};

[[noreturn]] void fail(const std::filesystem::path& path, std::size_t line, const std::string& what) {
  throw InputError(path.string() + ":" + std::to_string(line) + ": malformed HepMC3 ASCII: " + what);
}

void closeEvent(const std::filesystem::path& path, std::size_t line, const EventCounts& e) {
  if (e.number < 0) return;
  // Vertices are only partly explicit in the format (single-parent vertices are implied), so only the
  // particle count is checked; a vertex count above the declared one is still an error.
  if (e.particles != e.declaredParticles || e.vertices > e.declaredVertices)
    fail(path, line,
         "event " + std::to_string(e.number) + " declares " + std::to_string(e.declaredParticles) + " particles but has " +
             std::to_string(e.particles) + " (truncated file?)");
}

}  // namespace

std::uint64_t checkHepMC3Structure(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path.string() + ": cannot open HepMC3 file");
  std::string line;
  std::size_t lineNumber = 0;
  bool started = false, ended = false;
  EventCounts event;
  std::uint64_t events = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (line.empty() || line.rfind("HepMC::Version", 0) == 0) continue;
    if (line.rfind("HepMC::Asciiv3-START_EVENT_LISTING", 0) == 0) {
      started = true;
    } else if (!started) {
      fail(path, lineNumber, "expected the header 'HepMC::Asciiv3-START_EVENT_LISTING'");
    } else if (line.rfind("HepMC::Asciiv3-END_EVENT_LISTING", 0) == 0) {
      closeEvent(path, lineNumber, event);
      ended = true;
      break;
    } else if (line[0] == 'E') {
      closeEvent(path, lineNumber, event);
      event = EventCounts{};
      std::istringstream fields(line.substr(1));
      if (!(fields >> event.number >> event.declaredVertices >> event.declaredParticles))
        fail(path, lineNumber, "cannot parse the event line '" + line + "'");
      ++events;
    } else if (line[0] == 'P' || line[0] == 'V') {
      if (event.number < 0) fail(path, lineNumber, "particle or vertex line before the first event");
      ++(line[0] == 'P' ? event.particles : event.vertices);
    } else if (std::string("WUATN").find(line[0]) == std::string::npos) {
      fail(path, lineNumber, "unexpected line starting with '" + line.substr(0, 1) + "'");
    }
  }
  if (!started) fail(path, lineNumber, "no 'HepMC::Asciiv3-START_EVENT_LISTING' header (not a HepMC3 ASCII file)");
  if (!ended) fail(path, lineNumber, "missing 'HepMC::Asciiv3-END_EVENT_LISTING' (truncated file?)");
  return events;
}

}  // namespace higgsuq
