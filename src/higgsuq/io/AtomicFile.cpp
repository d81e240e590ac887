#include "higgsuq/io/AtomicFile.hpp"

#include <unistd.h>

#include <sstream>
#include <string>

#include "higgsuq/util/Errors.hpp"

namespace higgsuq {

AtomicFile::AtomicFile(std::filesystem::path target) : m_target(std::move(target)) {
  if (m_target.empty()) throw InputError("output path is empty");
  const auto dir = m_target.has_parent_path() ? m_target.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir)) {
    throw InputError(m_target.string() + ": output directory " + dir.string() + " does not exist");
  }
  m_temporary = dir / ("." + m_target.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

AtomicFile::~AtomicFile() {
  if (!m_committed) {
    std::error_code ec;
    std::filesystem::remove(m_temporary, ec);
  }
}

void AtomicFile::commit() {
  std::error_code ec;
  std::filesystem::rename(m_temporary, m_target, ec);
  if (ec) throw InputError(m_target.string() + ": cannot write output (" + ec.message() + ")");
  m_committed = true;
}

void writeFileAtomically(const std::filesystem::path& target, const std::string& text) {
  AtomicFile file(target);
  {
    std::ofstream out(file.temporaryPath(), std::ios::binary);
    out << text;
    out.flush();
    if (!out) throw InputError(target.string() + ": write failed");
  }
  file.commit();
}

std::string readFileText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open file for reading");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace higgsuq
