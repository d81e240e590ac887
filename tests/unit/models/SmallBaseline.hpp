// A baseline model trained once per test program on the official FAIR sample (1,000 events) with a
// small classifier, and one pseudo-experiment of it: shared by the tests that need a fitted baseline.
#pragma once

#include "helpers/SharedData.hpp"
#include "higgsuq/io/ChallengeJson.hpp"
#include "higgsuq/io/CsvEvents.hpp"
#include "higgsuq/models/BaselineModel.hpp"

namespace higgsuq::test {

inline const EventTable& fairSample() {
  static const EventTable sample = readCsvEvents(fairSampleCsv(), CsvLayout::FairCsv);
  return sample;
}

inline const ChallengeDefinition& neurips2024() {
  static const ChallengeDefinition definition = loadChallengeDefinition("neurips2024");
  return definition;
}

/// Never destroyed: freeing an XGBoost booster during static destruction (after libxgboost's own
/// statics are gone) corrupts the heap, so the shared model lives until the process ends.
inline const BaselineModel& smallBaseline() {
  static const BaselineModel* const model = [] {
    BaselineConfig config;
    config.classifier.nEstimators = 15;
    config.classifier.threads = 1;
    config.binEdges = uniformEdges(5);
    config.polynomialDegree = 2;
    return new BaselineModel(BaselineModel::fit(fairSample(), neurips2024(), config));
  }();
  return *model;
}

/// Pseudo-experiment 0 of set 3 built from the FAIR sample (about a million events).
inline const PseudoExperiment& samplePseudoExperiment() {
  static const PseudoExperiment pe = PseudoExperimentFactory(fairSample(), neurips2024()).build({3, 0, 0});
  return pe;
}

}  // namespace higgsuq::test
