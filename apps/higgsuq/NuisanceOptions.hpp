// The --tes/--jes/--soft-met/--ttbar-scale/--diboson-scale/--bkg-scale/--wjets-scale options,
// shared by the subcommands that take a nuisance point (omitted nuisances stay nominal).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "higgsuq/systematics/Nuisance.hpp"

namespace higgsuq::cli {

inline void addNuisanceOptions(CLI::App& cmd, NuisanceValues& values) {
  cmd.add_option("--tes", values.tes, "tau energy scale factor (nominal 1)");
  cmd.add_option("--jes", values.jes, "jet energy scale factor (nominal 1)");
  cmd.add_option("--soft-met", values.softMet, "soft-MET noise sigma in GeV (nominal 0)");
  cmd.add_option("--ttbar-scale", values.ttbarScale, "ttbar normalisation (nominal 1)");
  cmd.add_option("--diboson-scale", values.dibosonScale, "diboson normalisation (nominal 1)");
  cmd.add_option("--bkg-scale", values.bkgScale, "background normalisation (nominal 1)");
  cmd.add_option("--wjets-scale", values.wjetsScale, "W+jets normalisation (nominal 1)");
}

/// {"tes": 1.0, ...} for the nuisances in kAllNuisances.
std::string nuisancesJson(const NuisanceValues& values);

}  // namespace higgsuq::cli
