// The compiled tree ensemble against XGBoost's own predictor on the same trained models.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "SyntheticEvents.hpp"
#include "higgsuq/ml/TrainingData.hpp"
#include "higgsuq/ml/TreeEnsemble.hpp"
#include "higgsuq/ml/XgbClassifier.hpp"

namespace higgsuq::ml {
namespace {

XgbConfig config(int depth, int rounds, bool standardise) {
  XgbConfig c;
  c.threads = 2;
  c.maxDepth = depth;
  c.nEstimators = rounds;
  c.earlyStoppingRounds = 0;
  c.standardise = standardise;
  return c;
}

/// Largest |compiled - XGBoost| over the events, and the count of scores that differ at all.
struct Agreement {
  double maxAbs = 0.0;
  std::size_t differing = 0;
};

/// Compares predict() (the compiled ensemble, vectorised where the CPU allows) and the ensemble's
/// portable scalar walk with XGBoost's own predictor.
Agreement compare(const XgbClassifier& clf, const EventTable& events) {
  std::vector<float> compiled(events.size()), library(events.size()), scalar(events.size());
  clf.predict(events, compiled);
  clf.predictWithLibrary(events, library);
  std::vector<float> rows(events.size() * kRowWidth);
  fillRowMajor(events, 0, events.size(), clf.scaling(), rows);
  clf.compiledEnsemble()->scalarOnly().predictRows(rows, events.size(), scalar);
  Agreement a;
  for (std::size_t i = 0; i < events.size(); ++i) {
    a.maxAbs = std::max({a.maxAbs, std::abs(double(compiled[i]) - double(library[i])),
                         std::abs(double(scalar[i]) - double(library[i]))});
    if (compiled[i] != library[i] || scalar[i] != library[i]) ++a.differing;
  }
  return a;
}

}  // namespace

struct DepthCase {
  int depth;
  int rounds;
  bool standardise;
  bool quantised = false;  ///< features on a 0.25 grid: XGBoost's split values are data values, so ties
};

/// Blobs, with the features rounded to multiples of 0.25 when quantised (many events then sit exactly
/// on split thresholds, where x >= threshold must go right as in XGBoost).
EventTable blobs(const test::BlobSpec& spec, bool quantised) {
  EventTable t = test::makeBlobs(spec);
  if (!quantised) return t;
  for (std::size_t f = 0; f < kNumFeatures; ++f) {
    for (float& x : t.column(featureAt(f))) x = std::round(x * 4.0f) / 4.0f;
  }
  return t;
}

class TreeEnsembleMatchesXgboost : public ::testing::TestWithParam<DepthCase> {};

TEST_P(TreeEnsembleMatchesXgboost, OnHeldOutEvents) {
  const DepthCase c = GetParam();
  const XgbClassifier clf = XgbClassifier::train(blobs({.events = 6000, .shift = 0.4f}, c.quantised),
                                                 config(c.depth, c.rounds, c.standardise));
  ASSERT_NE(clf.compiledEnsemble(), nullptr);
  EXPECT_EQ(clf.compiledEnsemble()->numTrees(), static_cast<std::size_t>(c.rounds));
  EXPECT_LE(clf.compiledEnsemble()->depth(), c.depth);
  // 4099 events: several blocks plus a tail shorter than the 8-event lanes.
  const Agreement a = compare(clf, blobs({.events = 4099, .shift = 0.4f, .seed = 123}, c.quantised));
  // Same comparisons, same float sums in the same tree order, same sigmoid: expected bit-identical.
  EXPECT_EQ(a.differing, 0u) << "max |difference| " << a.maxAbs;
  EXPECT_LE(a.maxAbs, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Depths, TreeEnsembleMatchesXgboost,
                         ::testing::Values(DepthCase{1, 5, false}, DepthCase{3, 20, false},
                                           DepthCase{4, 30, false}, DepthCase{5, 40, false},
                                           DepthCase{5, 40, true}, DepthCase{8, 15, false},
                                           DepthCase{4, 30, false, true}, DepthCase{5, 40, false, true},
                                           DepthCase{3, 20, false, true}, DepthCase{8, 15, false, true}));

TEST(TreeEnsemble, NanAndMissingValuesFollowXgboost) {
  const XgbClassifier clf = XgbClassifier::train(test::makeBlobs({.events = 6000}), config(4, 20, false));
  EventTable events = test::makeBlobs({.events = 512, .seed = 5});
  // NaN (XGBoost's missing marker: default direction), -25 (an ordinary number), infinities.
  const float specials[] = {std::numeric_limits<float>::quiet_NaN(), -25.0f,
                            std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  for (std::size_t i = 0; i < events.size(); ++i) {
    for (std::size_t f = 0; f < 3; ++f) {
      if ((i + f) % 3 == 0) events.column(featureAt(f))[i] = specials[(i / 3 + f) % 4];
    }
  }
  const Agreement a = compare(clf, events);
  EXPECT_EQ(a.differing, 0u) << "max |difference| " << a.maxAbs;
}

TEST(TreeEnsemble, EarlyStoppedModelUsesBestIterationOnly) {
  XgbConfig c = config(3, 150, false);
  c.earlyStoppingRounds = 5;
  const XgbClassifier clf = XgbClassifier::train(test::makeBlobs({.events = 4000, .randomLabels = true}), c);
  ASSERT_LT(clf.summary().bestIteration + 1, clf.summary().roundsTrained);
  ASSERT_NE(clf.compiledEnsemble(), nullptr);
  EXPECT_EQ(clf.compiledEnsemble()->numTrees(), static_cast<std::size_t>(clf.summary().bestIteration + 1));
  EXPECT_EQ(compare(clf, test::makeBlobs({.events = 1000, .seed = 8})).differing, 0u);
}

TEST(TreeEnsemble, RejectsWhatItCannotCompile) {
  const std::string good = R"({"learner": {"gradient_booster": {"name": "gbtree", "model": {
      "gbtree_model_param": {"num_parallel_tree": "1"},
      "trees": [{"left_children": [1, -1, -1], "right_children": [2, -1, -1], "split_indices": [0, 0, 0],
                 "split_conditions": [0.5, -1.0, 2.0], "default_left": [1, 0, 0], "split_type": [0, 0, 0]}]}},
      "objective": {"name": "binary:logistic"}, "learner_model_param": {"base_score": "5E-1"}}})";
  const TreeEnsemble e = TreeEnsemble::fromXgboostJson(good, 1, 2);
  EXPECT_EQ(e.depth(), 1);
  // 3 events repeated 4 times: 12 rows exercise the 8-lane walk and the scalar tail.
  std::vector<float> rows, out(12);
  for (int r = 0; r < 4; ++r)
    rows.insert(rows.end(), {0.2f, 0.0f, 0.7f, 0.0f, std::numeric_limits<float>::quiet_NaN(), 0.0f});
  e.predictRows(rows, 12, out);
  for (int r = 0; r < 4; ++r) {
    EXPECT_FLOAT_EQ(out[3 * r], 1.0f / (1.0f + std::exp(1.0f)));       // 0.2 < 0.5: left leaf -1
    EXPECT_FLOAT_EQ(out[3 * r + 1], 1.0f / (1.0f + std::exp(-2.0f)));  // right leaf 2
    EXPECT_FLOAT_EQ(out[3 * r + 2], out[0]);                           // NaN: default left
  }

  auto expectRejected = [&](std::string json, int trees, const std::string& needle) {
    try {
      (void)TreeEnsemble::fromXgboostJson(json, trees, 2);
      ADD_FAILURE() << "accepted; expected an error mentioning " << needle;
    } catch (const ClassifierError& err) {
      EXPECT_NE(std::string(err.what()).find(needle), std::string::npos) << err.what();
    }
    EXPECT_FALSE(TreeEnsemble::tryFromXgboostJson(json, trees, 2).has_value());
  };
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  expectRejected(good, 2, "asked for 2 trees");
  expectRejected(replaced("binary:logistic", "reg:squarederror"), 1, "binary:logistic");
  expectRejected(replaced("\"split_type\": [0, 0, 0]", "\"split_type\": [1, 0, 0]"), 1, "categorical");
  expectRejected(replaced("\"split_indices\": [0, 0, 0]", "\"split_indices\": [5, 0, 0]"), 1, "feature 5");
  expectRejected(replaced("[1, -1, -1]", "[1, -1]"), 1, "different lengths");
  expectRejected(replaced("[1, -1, -1]", "[7, -1, -1]"), 1, "out of range");
  expectRejected("{not json", 1, "not valid JSON");
  expectRejected(replaced("\"name\": \"gbtree\"", "\"name\": \"gblinear\""), 1, "gbtree");
  expectRejected(replaced("\"5E-1\"", "\"half\""), 1, "base_score 'half' is not a number");
}

}  // namespace higgsuq::ml
