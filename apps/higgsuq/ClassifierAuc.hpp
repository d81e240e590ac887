// The H-vs-Z separation check of a trained classifier, shared by `higgsuq train --auc-sample` and
// `higgsuq simulate-validate --auc`: events are first put through the challenge's nominal post-selection
// (DER recomputed), as the baseline sees data, then the weighted AUC of htautau against ztautau only.
#pragma once

#include "higgsuq/events/EventTable.hpp"
#include "higgsuq/ml/Classifier.hpp"
#include "higgsuq/systematics/Systematics.hpp"

namespace higgsuq::cli {

/// `events` after the nominal post-selection (no shifts), with DER recomputed on the surviving rows.
EventTable nominalPostSelected(const EventTable& events, const SystematicsConfig& postSelection);

/// Weighted AUC of `classifier` for htautau (label 1) against ztautau, ignoring the other processes.
/// Throws std::invalid_argument when either process has no weight in `events`.
double htautauVsZtautauAuc(const Classifier& classifier, const EventTable& events);

}  // namespace higgsuq::cli
