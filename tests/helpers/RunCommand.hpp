// Runs a shell command for end-to-end tests and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace higgsuq::test {

struct CommandResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs `command` through /bin/sh; stdout and stderr captured separately.
inline CommandResult runCommand(const std::string& command) {
  static int counter = 0;
  const auto base = std::filesystem::temp_directory_path() /
                    ("higgsuq-cmd-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const std::string outFile = base.string() + ".out", errFile = base.string() + ".err";
  const int status = std::system((command + " >" + outFile + " 2>" + errFile).c_str());
  CommandResult r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(outFile);
  r.err = slurp(errFile);
  std::filesystem::remove(outFile);
  std::filesystem::remove(errFile);
  return r;
}

}  // namespace higgsuq::test
