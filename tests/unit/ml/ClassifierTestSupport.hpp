// Helpers shared by the classifier tests: scores of a whole table, a fresh directory, and an
// expectation that a call throws an exception of type E whose message mentions a text.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "higgsuq/ml/Classifier.hpp"

namespace higgsuq::ml::test {

inline std::vector<float> scoresOf(const Classifier& clf, const EventTable& events) {
  std::vector<float> s(events.size());
  clf.predict(events, s);
  return s;
}

/// An empty path under the test temp directory, unique to this process and `name`.
inline std::filesystem::path freshDir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("higgsuq_ml_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

template <typename E>
void expectThrowMentioning(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no exception; expected one mentioning " << needle;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace higgsuq::ml::test
