// Progress for long runs: a bar with rate and ETA when stderr is a terminal, otherwise one plain line
// every few seconds (logs stay readable).
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace higgsuq::cli {

class ProgressReporter {
 public:
  explicit ProgressReporter(std::string label) : m_label(std::move(label)), m_tty(::isatty(STDERR_FILENO)) {}

  void update(std::size_t done, std::size_t total, double seconds) {
    const double now = seconds;
    if (!m_tty && done != total && now - m_last < 5.0) return;
    if (m_tty && done != total && now - m_last < 0.1) return;
    m_last = now;
    const double rate = seconds > 0.0 ? static_cast<double>(done - m_first) / seconds : 0.0;
    const double eta = rate > 0.0 ? static_cast<double>(total - done) / rate : 0.0;
    if (m_tty) {
      const int width = 30, filled = total ? static_cast<int>(width * done / total) : width;
      std::fprintf(stderr, "\r%s [%s%s] %zu/%zu  %.2f/s  ETA %.0fs ", m_label.c_str(),
                   std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), done, total, rate, eta);
      if (done == total) std::fprintf(stderr, "\n");
    } else {
      std::fprintf(stderr, "%s: %zu/%zu done, %.2f/s, ETA %.0f s\n", m_label.c_str(), done, total, rate, eta);
    }
    std::fflush(stderr);
  }
  void start(std::size_t alreadyDone) { m_first = alreadyDone; }

 private:
  std::string m_label;
  bool m_tty;
  double m_last = -1e9;
  std::size_t m_first = 0;
};

}  // namespace higgsuq::cli
