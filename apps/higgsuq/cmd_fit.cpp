// higgsuq fit WORKSPACE.json [--poi NAME] [--measurement NAME] [--normsys-code 1|4] [--histosys-code 0|4p]:
// a maximum-likelihood fit of a pyhf workspace; prints JSON to stdout with the best-fit values, HESSE errors,
// covariance, NLL at the minimum, status flags, and the HESSE and profile-likelihood intervals of the POI.
// Bad input (unreadable or malformed workspace) exits with code 2 and names the JSON path.
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "Commands.hpp"
#include "higgsuq/stats/BinnedNll.hpp"
#include "higgsuq/stats/Minimiser.hpp"
#include "higgsuq/stats/ProfileInterval.hpp"
#include "higgsuq/stats/workspace/PyhfWorkspace.hpp"
#include "higgsuq/util/Errors.hpp"

namespace higgsuq::cli {
namespace {
using ordered_json = nlohmann::ordered_json;

struct FitCommandOptions {
  std::string workspace;
  std::string poi;
  std::string measurement;
  std::string normsysCode = "4";
  std::string histosysCode = "4p";
};

/// NaN and infinities as null.
ordered_json number(double value) { return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr); }

ordered_json parametersJson(const std::vector<stats::ParameterSpec>& specs, const stats::FitResult& fit) {
  ordered_json out = ordered_json::array();
  for (std::size_t parIdx = 0; parIdx < specs.size(); ++parIdx) {
    const auto k = static_cast<Eigen::Index>(parIdx);
    out.push_back({{"name", specs[parIdx].name},
                   {"value", number(fit.values[k])},
                   {"error", number(fit.errors[k])},
                   {"fixed", specs[parIdx].fixed},
                   {"bounds", {number(specs[parIdx].lo), number(specs[parIdx].hi)}}});
  }
  return out;
}

ordered_json covarianceJson(const Eigen::MatrixXd& covariance) {
  ordered_json rows = ordered_json::array();
  for (Eigen::Index row = 0; row < covariance.rows(); ++row) {
    ordered_json values = ordered_json::array();
    for (Eigen::Index col = 0; col < covariance.cols(); ++col) values.push_back(number(covariance(row, col)));
    rows.push_back(std::move(values));
  }
  return rows;
}

ordered_json statusJson(const stats::FitResult& fit) {
  return {{"valid", fit.valid()},
          {"converged", fit.converged},
          {"covariance_pos_def", fit.covariancePosDef},
          {"at_bound", fit.atBound},
          {"call_limit_reached", fit.callLimitReached}};
}

ordered_json profileJson(const stats::ProfileIntervalResult& interval) {
  return {{"lower", number(interval.lower.value)},
          {"upper", number(interval.upper.value)},
          {"valid", interval.valid()},
          {"lower_found", interval.lower.found},
          {"upper_found", interval.upper.found},
          {"lower_at_bound", interval.lower.atBound},
          {"upper_at_bound", interval.upper.atBound},
          {"all_fits_converged", interval.allFitsConverged},
          {"profile_fits", interval.profileFits}};
}

stats::WorkspaceOptions workspaceOptions(const FitCommandOptions& options) {
  const std::map<std::string, stats::NormsysCode> normsys{{"1", stats::NormsysCode::eCode1}, {"4", stats::NormsysCode::eCode4}};
  const std::map<std::string, stats::HistosysCode> histosys{{"0", stats::HistosysCode::eCode0},
                                                             {"4p", stats::HistosysCode::eCode4p}};
  return {options.measurement, options.poi, normsys.at(options.normsysCode), histosys.at(options.histosysCode)};
}

void runFit(const FitCommandOptions& options) {
  const auto workspace = stats::loadPyhfWorkspace(options.workspace, workspaceOptions(options));
  const auto& model = *workspace.model;
  const auto& specs = model.parameters();
  const std::size_t poi = model.poiIndex();
  if (specs[poi].fixed) throw InputError("--poi: parameter '" + specs[poi].name + "' is fixed in the measurement");
  const stats::BinnedNll nll(model, workspace.observed);
  stats::NllObjective objective(nll);
  const stats::FitResult fit = stats::minimise(objective, specs);
  const auto hesse = stats::hesseInterval(fit, poi);
  const auto profile = stats::profileInterval(objective, specs, poi, fit);
  ordered_json out{{"workspace", options.workspace},
                   {"measurement", workspace.measurement},
                   {"poi", workspace.poi},
                   {"poi_value", number(fit.values[static_cast<Eigen::Index>(poi)])},
                   {"poi_hesse_error", number(fit.errors[static_cast<Eigen::Index>(poi)])},
                   {"poi_hesse_interval", {number(hesse.lower), number(hesse.upper)}},
                   {"poi_profile_interval", profileJson(profile)},
                   {"nll_min", number(fit.nll)},
                   {"edm", number(fit.edm)},
                   {"iterations", fit.iterations},
                   {"evaluations", fit.evaluations},
                   {"status", statusJson(fit)},
                   {"parameters", parametersJson(specs, fit)},
                   {"covariance", covarianceJson(fit.covariance)}};
  std::cout << out.dump(2) << "\n";
}

}  // namespace

void addFitCommand(CLI::App& app) {
  auto options = std::make_shared<FitCommandOptions>();
  auto* cmd = app.add_subcommand("fit", "Maximum-likelihood fit of a pyhf workspace (JSON out on stdout)");
  cmd->add_option("workspace", options->workspace, "pyhf workspace JSON (schema 1.0.0)")->required();
  cmd->add_option("--poi", options->poi, "parameter of interest (default: the measurement's poi)");
  cmd->add_option("--measurement", options->measurement, "measurement name (default: the first)");
  cmd->add_option("--normsys-code", options->normsysCode, "normsys interpolation code")
      ->check(CLI::IsMember({"1", "4"}))
      ->capture_default_str();
  cmd->add_option("--histosys-code", options->histosysCode, "histosys interpolation code")
      ->check(CLI::IsMember({"0", "4p"}))
      ->capture_default_str();
  cmd->callback([options] { runFit(*options); });
}

}  // namespace higgsuq::cli
