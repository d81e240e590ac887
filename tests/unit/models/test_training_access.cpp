// fit(TrainingAccess): models build every shifted copy through the access's systematics function,
// and fitModel() fits any kind from one access.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "SmallBaseline.hpp"
#include "helpers/FloatCompare.hpp"
#include "higgsuq/models/CountingModel.hpp"
#include "higgsuq/models/ModelFiles.hpp"

namespace higgsuq {
namespace {

/// The challenge's systematics, recording the nuisance values of every call.
struct RecordingSystematics {
  std::vector<NuisanceValues> calls;
  TrainingAccess accessFor(const EventTable& events, const ChallengeDefinition& challenge) {
    TrainingAccess standard = TrainingAccess::standard(events, challenge);
    return TrainingAccess{events, challenge,
                          [this, inner = standard.systematics](const EventTable& e, const NuisanceValues& v,
                                                               const SoftMetNoise& n) {
                            calls.push_back(v);
                            return inner(e, v, n);
                          }};
  }
};

TEST(TrainingAccess, CountingModelSeesTheAccessSystematics) {
  const auto& sample = test::fairSample();
  const CountingModel standard = CountingModel::fit(TrainingAccess::standard(sample, test::neurips2024()));
  const CountingModel viaOldSignature = CountingModel::fit(sample, test::neurips2024().postSelection);
  EXPECT_EQ(standard.expectedSignal(), viaOldSignature.expectedSignal());
  EXPECT_EQ(standard.expectedBackground(), viaOldSignature.expectedBackground());

  // A systematics function that doubles every weight doubles S and B.
  const TrainingAccess base = TrainingAccess::standard(sample, test::neurips2024());
  const TrainingAccess doubled{sample, test::neurips2024(),
                               [inner = base.systematics](const EventTable& e, const NuisanceValues& v,
                                                          const SoftMetNoise& n) {
                                 EventTable out = inner(e, v, n);
                                 for (double& w : out.weights()) w *= 2.0;
                                 return out;
                               }};
  const CountingModel twice = CountingModel::fit(doubled);
  HIGGSUQ_EXPECT_CLOSE_REL(twice.expectedSignal(), 2.0 * standard.expectedSignal(), 1e-12);
  HIGGSUQ_EXPECT_CLOSE_REL(twice.expectedBackground(), 2.0 * standard.expectedBackground(), 1e-12);
}

TEST(TrainingAccess, BaselineBuildsEveryShiftedCopyThroughTheAccess) {
  BaselineConfig config;
  config.classifier.nEstimators = 5;
  config.classifier.threads = 1;
  config.binEdges = uniformEdges(4);
  config.polynomialDegree = 2;
  config.tesGrid = {0.97, 1.0, 1.03};
  config.jesGrid = {0.98, 1.0, 1.02};
  config.softMetGrid = {0.0, 2.0, 4.0, 5.0};
  RecordingSystematics recorder;
  const BaselineModel model =
      BaselineModel::fit(recorder.accessFor(test::fairSample(), test::neurips2024()), config);
  // Nominal training copy, nominal background scores, nominal templates, then each grid point.
  ASSERT_EQ(recorder.calls.size(), 3u + 3u + 3u + 4u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(recorder.calls[i].tes, 1.0);
  std::vector<double> tes, jes, soft;
  for (std::size_t i = 3; i < 6; ++i) tes.push_back(recorder.calls[i].tes);
  for (std::size_t i = 6; i < 9; ++i) jes.push_back(recorder.calls[i].jes);
  for (std::size_t i = 9; i < 13; ++i) soft.push_back(recorder.calls[i].softMet);
  EXPECT_EQ(tes, config.tesGrid);
  EXPECT_EQ(jes, config.jesGrid);
  EXPECT_EQ(soft, config.softMetGrid);
  EXPECT_GT(model.templates().nBins(), 0u);
}

TEST(TrainingAccess, FitModelFitsEveryKind) {
  ModelOptions options;
  options.baseline.classifier.nEstimators = 5;
  options.baseline.classifier.threads = 1;
  options.baseline.binEdges = uniformEdges(4);
  options.baseline.polynomialDegree = 2;
  const TrainingAccess access = TrainingAccess::standard(test::fairSample(), test::neurips2024());
  EXPECT_EQ(fitModel(ModelKind::StatOnly, access, options)->name(), "counting");
  EXPECT_EQ(fitModel(ModelKind::Baseline, access, options)->name(), "baseline");
}

}  // namespace
}  // namespace higgsuq
