// The baseline's classifier chosen on the command line (`train` and `run`): xgboost (default), nn
// or nn-reference, with the networks' per-epoch progress printed on stderr.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "higgsuq/models/BaselineModel.hpp"

namespace higgsuq::cli {

inline constexpr const char* kClassifierHelp =
    "baseline: xgboost (default), nn (small network) or nn-reference (the challenge's 3 x 200 sigmoid "
    "network); networks print one progress line per epoch on stderr";

struct ClassifierChoice {
  std::string name = "xgboost";  ///< xgboost | nn | nn-reference
  int epochs = 0;                ///< network: maximum epochs; 0 = the preset's
  std::vector<int> hidden;       ///< network: hidden-layer widths; empty = the preset's
};

/// Sets the classifier part of `config` (threads and seed as for the trees).
void chooseClassifier(const ClassifierChoice& choice, int threads, std::uint64_t seed, BaselineConfig& config);

}  // namespace higgsuq::cli
