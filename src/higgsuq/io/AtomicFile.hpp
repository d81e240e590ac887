// Output files that appear whole or not at all: data goes to a temporary file beside the target,
// which is renamed over the target on commit(); without commit() (an exception, a crash in between)
// the temporary is removed and the target is untouched.
#pragma once

#include <filesystem>
#include <fstream>

namespace higgsuq {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// The temporary path to write to (for libraries that open files themselves, such as HDF5).
  const std::filesystem::path& temporaryPath() const { return m_temporary; }
  const std::filesystem::path& targetPath() const { return m_target; }

  /// Renames the temporary file over the target. Throws InputError if that fails.
  void commit();

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temporary;
  bool m_committed = false;
};

/// Writes `text` to `target` atomically.
void writeFileAtomically(const std::filesystem::path& target, const std::string& text);

/// The whole content of a file; InputError naming the file if it cannot be read.
std::string readFileText(const std::filesystem::path& path);

}  // namespace higgsuq
