// The report's plots (see ReportPlots.hpp).
#include "higgsuq/report/ReportPlots.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>

#include "higgsuq/report/Svg.hpp"

namespace higgsuq::report::detail {
namespace {

/// The most PEs drawn in the mu-hat plot; larger runs are thinned with a fixed stride.
constexpr std::size_t kMaxDrawnPes = 3000;

struct PeColumns {
  std::vector<double> muTrue, muHat, deltaMuHat, p16, p84;
};

PeColumns peColumns(const ReportInput& input) {
  PeColumns columns;
  for (const scoring::SetResults& set : input.sets) {
    for (std::size_t i = 0; i < set.muHats.size(); ++i) {
      columns.muTrue.push_back(set.muTrue);
      columns.muHat.push_back(set.muHats[i]);
      columns.deltaMuHat.push_back(i < set.deltaMuHats.size() ? set.deltaMuHats[i] : NAN);
      columns.p16.push_back(i < set.p16.size() ? set.p16[i] : NAN);
      columns.p84.push_back(i < set.p84.size() ? set.p84[i] : NAN);
    }
  }
  return columns;
}

std::size_t countFinite(const std::vector<double>& values) {
  return static_cast<std::size_t>(std::count_if(values.begin(), values.end(), [](double v) { return std::isfinite(v); }));
}

void noteSkipped(SvgPlot& plot, std::size_t total, std::size_t drawn, std::string_view what) {
  if (drawn < total) plot.note(fmt::format("{} of {} {} not finite: not drawn", total - drawn, total, what));
}

/// A histogram plot of values with a y range from 0 to the tallest bin.
std::string histogramPlot(const std::vector<double>& values, std::string_view title, std::string_view xLabel) {
  const Range range = paddedRange(values, 0.02);
  const Histogram histogram = makeHistogram(values, range, defaultBinCount(countFinite(values)));
  const double tallest = *std::max_element(histogram.counts.begin(), histogram.counts.end());
  SvgPlot plot(range, {0.0, std::max(1.0, tallest * 1.1)});
  plot.histogram(histogram, "bar");
  noteSkipped(plot, values.size(), values.size() - histogram.nonFinite, "values");
  return plot.render(title, xLabel, "pseudo-experiments");
}

std::vector<double> recordValues(const ReportInput& input, const std::string& key) {
  std::vector<double> values;
  for (const ingest::PseudoExperimentRecord& record : input.records) {
    const auto found = record.nuisances.find(key);
    values.push_back(found == record.nuisances.end() ? NAN : found->second);
  }
  return values;
}

}  // namespace

std::string coveragePlot(const ReportInput& input) {
  const std::vector<scoring::SetScore>& perSet = input.scores.perSet;
  const double count = static_cast<double>(perSet.size());
  SvgPlot plot({-0.6, std::max(count, 1.0) - 0.4}, {0.0, 1.0});
  std::vector<double> positions, coverages;
  for (std::size_t i = 0; i < perSet.size(); ++i) {
    const double x = static_cast<double>(i);
    const scoring::CoverageWindow window = scoring::coverageWindow(perSet[i].quantiles.n);
    const double target = scoring::ScoreConfig{}.oneSigma;
    plot.rectangle(x - 0.45, x + 0.45, target - 2 * window.sigma68, target + 2 * window.sigma68, "band2");
    plot.rectangle(x - 0.45, x + 0.45, target - window.sigma68, target + window.sigma68, "band1");
    positions.push_back(x);
    coverages.push_back(perSet[i].quantiles.coverage);
  }
  const std::vector<double> lineX{-0.6, std::max(count, 1.0) - 0.4};
  const std::vector<double> lineY(2, scoring::ScoreConfig{}.oneSigma);
  plot.polyline(lineX, lineY, "target");
  plot.points(positions, coverages, "point");
  noteSkipped(plot, coverages.size(), countFinite(coverages), "coverages");
  return plot.render("Coverage per set (target 68.27%, binomial ±1σ/±2σ band)", "set", "coverage");
}

std::string muHatPlot(const ReportInput& input) {
  const PeColumns all = peColumns(input);
  const std::size_t stride = std::max<std::size_t>(1, (all.muHat.size() + kMaxDrawnPes - 1) / kMaxDrawnPes);
  PeColumns drawn;
  for (std::size_t i = 0; i < all.muHat.size(); i += stride) {
    drawn.muTrue.push_back(all.muTrue[i]);
    drawn.muHat.push_back(all.muHat[i]);
    drawn.p16.push_back(all.p16[i]);
    drawn.p84.push_back(all.p84[i]);
  }
  std::vector<double> everything = drawn.muTrue;
  for (const auto* column : {&drawn.muHat, &drawn.p16, &drawn.p84})
    everything.insert(everything.end(), column->begin(), column->end());
  const Range range = paddedRange(everything);
  SvgPlot plot(paddedRange(drawn.muTrue), range);
  const std::vector<double> diagonal{range.low, range.high};
  plot.polyline(diagonal, diagonal, "target");
  plot.errorBars(drawn.muTrue, drawn.p16, drawn.p84, "errorbar");
  plot.points(drawn.muTrue, drawn.muHat, "point");
  if (stride > 1) plot.note(fmt::format("every {}th of {} pseudo-experiments drawn", stride, all.muHat.size()));
  noteSkipped(plot, drawn.muHat.size(), countFinite(drawn.muHat), "μ̂");
  return plot.render("μ̂ and [p16, p84] vs μ_true", "μ_true", "μ̂");
}

std::string intervalWidthPlot(const ReportInput& input) {
  const PeColumns all = peColumns(input);
  std::vector<double> widths;
  for (std::size_t i = 0; i < all.p16.size(); ++i) widths.push_back(all.p84[i] - all.p16[i]);
  return histogramPlot(widths, "Interval width p84 − p16", "p84 − p16");
}

std::string pullPlot(const ReportInput& input) {
  const PeColumns all = peColumns(input);
  std::vector<double> pulls;
  for (std::size_t i = 0; i < all.muHat.size(); ++i)
    pulls.push_back(all.deltaMuHat[i] > 0.0 ? (all.muHat[i] - all.muTrue[i]) / all.deltaMuHat[i] : NAN);
  const Range range{-5.0, 5.0};
  const Histogram histogram = makeHistogram(pulls, range, 40);
  const double finiteCount = static_cast<double>(pulls.size() - histogram.nonFinite);
  const double density = finiteCount > 0 ? 1.0 / (finiteCount * histogram.binWidth()) : 0.0;
  const double tallest = *std::max_element(histogram.counts.begin(), histogram.counts.end()) * density;
  SvgPlot plot(range, {0.0, std::max(0.45, tallest * 1.1)});
  plot.histogram(histogram, "bar", density);
  std::vector<double> gaussX, gaussY;
  for (double x = range.low; x <= range.high + 1e-9; x += 0.05) {
    gaussX.push_back(x);
    gaussY.push_back(std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi));
  }
  plot.polyline(gaussX, gaussY, "curve");
  if (histogram.outside > 0) plot.note(fmt::format("{} pulls outside [−5, 5]", histogram.outside));
  noteSkipped(plot, pulls.size(), pulls.size() - histogram.nonFinite, "pulls (or Δμ̂ ≤ 0)");
  return plot.render("Pull (μ̂ − μ_true) / Δμ̂ with unit Gaussian", "pull", "density");
}

std::vector<std::string> drawnNuisanceNames(const ReportInput& input) {
  std::set<std::string> names;
  const std::string prefix = kFittedPrefix;
  for (const ingest::PseudoExperimentRecord& record : input.records)
    for (const auto& entry : record.nuisances)
      if (!entry.first.starts_with(prefix)) names.insert(entry.first);
  return {names.begin(), names.end()};
}

std::vector<std::string> fittedNuisanceNames(const ReportInput& input) {
  std::set<std::string> names;
  const std::string prefix = kFittedPrefix;
  for (const ingest::PseudoExperimentRecord& record : input.records)
    for (const auto& entry : record.nuisances)
      if (entry.first.starts_with(prefix) && record.nuisances.contains(entry.first.substr(prefix.size())))
        names.insert(entry.first.substr(prefix.size()));
  return {names.begin(), names.end()};
}

std::string nuisanceHistogramPlot(const ReportInput& input, const std::string& name) {
  return histogramPlot(recordValues(input, name), "Drawn nuisance " + name, name);
}

std::string fittedVsTruePlot(const ReportInput& input, const std::string& name) {
  const std::vector<double> truth = recordValues(input, name);
  const std::vector<double> fitted = recordValues(input, kFittedPrefix + name);
  std::vector<double> both = truth;
  both.insert(both.end(), fitted.begin(), fitted.end());
  const Range range = paddedRange(both);
  SvgPlot plot(range, range);
  const std::vector<double> diagonal{range.low, range.high};
  plot.polyline(diagonal, diagonal, "target");
  plot.points(truth, fitted, "point");
  std::size_t drawn = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) drawn += std::isfinite(truth[i]) && std::isfinite(fitted[i]);
  noteSkipped(plot, truth.size(), drawn, "pairs");
  return plot.render("Fitted vs true " + name, name + " (true)", name + " (fitted)");
}

}  // namespace higgsuq::report::detail
