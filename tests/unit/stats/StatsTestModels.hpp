// Small HistFactory models shared by the stats unit tests.
#pragma once

#include <vector>

#include "higgsuq/stats/HistFactoryModel.hpp"

namespace higgsuq::test {

/// Two channels (5 + 3 bins) using every supported modifier, including a normsys and a histosys sharing
/// the parameter "jes", and a sample carrying two multiplicative modifiers on different parameters.
inline stats::HistFactorySpec richSpec(stats::NormsysCode normsysCode, stats::HistosysCode histosysCode) {
  using stats::ModifierSpec;
  using stats::ModifierType;
  const ModifierSpec mu{"mu", ModifierType::eNormfactor, 1, 1, {}, {}};
  const ModifierSpec lumi{"lumi", ModifierType::eLumi, 1, 1, {}, {}};
  stats::SampleSpec signalA{"signal", {3, 8, 15, 9, 4}, {mu, lumi, {"sig_xs", ModifierType::eNormsys, 1.1, 0.92, {}, {}}}};
  stats::SampleSpec backgroundA{
      "background",
      {50, 40, 30, 22, 15},
      {{"jes", ModifierType::eHistosys, 1, 1, {54, 41, 29, 20, 13}, {47, 39.5, 31, 23, 16.5}},
       {"jes", ModifierType::eNormsys, 1.05, 0.97, {}, {}},
       {"bkg_norm", ModifierType::eNormsys, 1.2, 0.85, {}, {}},
       lumi}};
  stats::SampleSpec signalB{"signal", {2, 5, 3}, {mu, lumi}};
  stats::SampleSpec backgroundB{
      "ttbar", {12, 9, 6}, {{"k_ttbar", ModifierType::eNormfactor, 1, 1, {}, {}},
                             {"tes", ModifierType::eHistosys, 1, 1, {13, 9.5, 5}, {11.5, 8, 6.8}}}};
  stats::HistFactorySpec spec;
  spec.channels = {{"A", {signalA, backgroundA}}, {"B", {signalB, backgroundB}}};
  spec.settings = {{"lumi", std::nullopt, 0.5, 1.5, std::nullopt, 1.0, 0.02},
                   {"k_ttbar", 1.0, 0.1, 5.0, std::nullopt, std::nullopt, std::nullopt}};
  spec.poi = "mu";
  spec.normsysCode = normsysCode;
  spec.histosysCode = histosysCode;
  return spec;
}

}  // namespace higgsuq::test
