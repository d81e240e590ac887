// Paths to the real data and golden outputs beside the checkout (../shared), and to the built CLI.
#pragma once

#include <filesystem>
#include <string>

namespace higgsuq::test {

inline std::filesystem::path sharedDir() { return std::filesystem::path(HIGGSUQ_SHARED_DIR); }
inline std::filesystem::path goldenDir() { return sharedDir() / "golden"; }
inline std::filesystem::path fairSampleCsv() {
  return sharedDir() / "data" / "fair-universe-sample" / "FAIR_Universe_HiggsML_data.csv";
}
inline std::filesystem::path atlas2014Csv() {
  return sharedDir() / "data" / "atlas-higgsml-2014" / "atlas-higgs-challenge-2014-v2.first22889.csv";
}
inline std::filesystem::path cliBinary() { return std::filesystem::path(HIGGSUQ_BINARY); }
inline std::filesystem::path sourceDir() { return std::filesystem::path(HIGGSUQ_SOURCE_DIR); }

}  // namespace higgsuq::test
