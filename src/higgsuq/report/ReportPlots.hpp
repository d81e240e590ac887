// The plots of the report, each returned as one <svg> element (internal to the report module).
#pragma once

#include <string>
#include <vector>

#include "higgsuq/report/Report.hpp"

namespace higgsuq::report::detail {

/// Per-set coverage with the 68.27% target and the binomial +-1 sigma / +-2 sigma band of each set.
std::string coveragePlot(const ReportInput& input);
/// mu-hat with [p16, p84] bars against mu_true, and the diagonal.
std::string muHatPlot(const ReportInput& input);
/// Histogram of p84 - p16.
std::string intervalWidthPlot(const ReportInput& input);
/// Histogram of (mu-hat - mu_true) / delta-mu-hat as a density, with the unit Gaussian.
std::string pullPlot(const ReportInput& input);

/// The drawn nuisance names in the records (keys without the fitted_ prefix), sorted.
std::vector<std::string> drawnNuisanceNames(const ReportInput& input);
/// The names with both "name" and "fitted_name" recorded.
std::vector<std::string> fittedNuisanceNames(const ReportInput& input);
/// Histogram of one drawn nuisance.
std::string nuisanceHistogramPlot(const ReportInput& input, const std::string& name);
/// Fitted against drawn values of one nuisance, with the diagonal.
std::string fittedVsTruePlot(const ReportInput& input, const std::string& name);

}  // namespace higgsuq::report::detail
