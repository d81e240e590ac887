// Helpers shared by the classifier tests: scores of a whole table, a fresh directory, an expectation
// that a call throws an exception of type E whose message mentions a text, and the checks every
// trained classifier must pass (held-out blobs separated, concurrent predict equal to serial).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "SyntheticEvents.hpp"
#include "higgsuq/ml/Auc.hpp"
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

/// A classifier trained on test::makeBlobs({}) (20,000 events) separates held-out blobs: scores in
/// [0, 1], AUC > 0.99 on them and on its own validation part, and it reports `kind`.
template <typename Model>
void expectSeparatesHeldOutBlobs(const Model& model, const std::string& kind) {
  const EventTable heldOut = makeBlobs({.seed = 99});
  const auto scores = scoresOf(model, heldOut);
  EXPECT_TRUE(std::all_of(scores.begin(), scores.end(), [](float s) { return s >= 0.0f && s <= 1.0f; }));
  EXPECT_GT(weightedAuc(scores, heldOut.labels(), heldOut.weights()), 0.99);
  EXPECT_GT(model.summary().validationAuc, 0.99);
  EXPECT_EQ(model.summary().trainEvents + model.summary().validationEvents, 20000u);
  EXPECT_EQ(model.kind(), kind);
}

/// Two threads predicting the same events at once both get the serial scores.
inline void expectConcurrentPredictEqualsSerial(const Classifier& clf, const EventTable& events) {
  const auto serial = scoresOf(clf, events);
  std::vector<float> a(events.size()), b(events.size());
  std::thread ta([&] { clf.predict(events, a); });
  std::thread tb([&] { clf.predict(events, b); });
  ta.join();
  tb.join();
  EXPECT_EQ(a, serial);
  EXPECT_EQ(b, serial);
}

}  // namespace higgsuq::ml::test
