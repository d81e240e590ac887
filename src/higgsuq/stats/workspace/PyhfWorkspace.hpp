// A pyhf workspace (JSON, schema version 1.0.0) -> stats::HistFactoryModel + observed counts.
// Keys read: channels[].{name, samples[].{name, data, modifiers[].{name, type, data}}}, observations[].{name,
// data}, measurements[].{name, config.{poi, parameters[].{name, inits, bounds, fixed, auxdata, sigmas}}},
// version. Supported modifier types: normfactor, normsys {hi, lo}, histosys {hi_data, lo_data}, lumi.
// staterror, shapesys and shapefactor are valid pyhf but not supported here; they, unknown keys, unknown types
// and malformed values throw higgsuq::InputError naming the JSON path, e.g.
//   channels[0].samples[2].modifiers[1]: unknown type "normsyss"
// The interpolation codes are not part of the workspace (pyhf takes them as modifier_settings); they come
// from WorkspaceOptions, defaulting to pyhf's (normsys code 4, histosys code 4p).
#pragma once

#include <Eigen/Dense>
#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "higgsuq/stats/HistFactoryModel.hpp"

namespace higgsuq::stats {

struct WorkspaceOptions {
  std::string measurement;  ///< empty: the first measurement
  std::string poi;          ///< empty: the measurement's poi
  NormsysCode normsysCode = NormsysCode::eCode4;
  HistosysCode histosysCode = HistosysCode::eCode4p;
};

struct PyhfWorkspace {
  std::shared_ptr<const HistFactoryModel> model;
  Eigen::VectorXd observed;  ///< concatenated over the model's channels
  std::string measurement;
  std::string poi;
  std::string version;
};

/// Builds the model of one measurement of a parsed workspace document.
PyhfWorkspace readPyhfWorkspace(const nlohmann::json& document, const WorkspaceOptions& options = {});

/// Parses JSON text first (syntax errors become InputError with the source name).
PyhfWorkspace parsePyhfWorkspace(const std::string& text, const std::string& sourceName,
                                 const WorkspaceOptions& options = {});

/// Reads a file ("-" is not special here).
PyhfWorkspace loadPyhfWorkspace(const std::filesystem::path& path, const WorkspaceOptions& options = {});

}  // namespace higgsuq::stats
