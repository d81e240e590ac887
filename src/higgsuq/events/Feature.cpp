#include "higgsuq/events/Feature.hpp"

namespace higgsuq {
namespace {

constexpr std::array<std::string_view, kNumFeatures> kFeatureNames{
    "PRI_lep_pt",           "PRI_lep_eta",
    "PRI_lep_phi",          "PRI_had_pt",
    "PRI_had_eta",          "PRI_had_phi",
    "PRI_jet_leading_pt",   "PRI_jet_leading_eta",
    "PRI_jet_leading_phi",  "PRI_jet_subleading_pt",
    "PRI_jet_subleading_eta", "PRI_jet_subleading_phi",
    "PRI_n_jets",           "PRI_jet_all_pt",
    "PRI_met",              "PRI_met_phi",
    "DER_mass_transverse_met_lep", "DER_mass_vis",
    "DER_pt_h",             "DER_deltaeta_jet_jet",
    "DER_mass_jet_jet",     "DER_prodeta_jet_jet",
    "DER_deltar_had_lep",   "DER_pt_tot",
    "DER_sum_pt",           "DER_pt_ratio_lep_had",
    "DER_met_phi_centrality", "DER_lep_eta_centrality",
};

constexpr std::array<std::string_view, kNumProcesses> kProcessNames{"htautau", "ztautau", "ttbar",
                                                                    "diboson", "wjets",   "background"};

}  // namespace

std::string_view featureName(Feature f) { return kFeatureNames[index(f)]; }

std::optional<Feature> featureFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNumFeatures; ++i) {
    if (kFeatureNames[i] == name) return featureAt(i);
  }
  return std::nullopt;
}

std::string_view processName(Process p) { return kProcessNames[index(p)]; }

std::optional<Process> processFromName(std::string_view name) {
  for (Process p : kAllProcesses) {
    if (kProcessNames[index(p)] == name) return p;
  }
  return std::nullopt;
}

}  // namespace higgsuq
