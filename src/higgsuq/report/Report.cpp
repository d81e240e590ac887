// The report's HTML page: tables and the assembly of the plots (see Report.hpp).
#include "higgsuq/report/Report.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "higgsuq/report/ReportPlots.hpp"
#include "higgsuq/report/Svg.hpp"

namespace higgsuq::report {
namespace {

constexpr const char* kStyle = R"(body{font-family:sans-serif;margin:24px;color:#222;max-width:1180px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}
td.num{text-align:right;font-family:monospace}th{background:#f0f0f0}
.plots{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0}figcaption{font-size:12px;max-width:560px;color:#555}
svg{background:#fff}.frame{fill:none;stroke:#333;stroke-width:1}.tick{stroke:#333}
.ticklabel{font-size:11px;fill:#333}.axislabel{font-size:13px;fill:#111}.plottitle{font-size:14px;font-weight:bold}
.note{font-size:11px;fill:#a33}.point{fill:#1f5fa8}.errorbar{stroke:#7fa7d6;stroke-width:1}
.target{stroke:#c0392b;stroke-width:1.5;fill:none;stroke-dasharray:5,3}.curve{stroke:#c0392b;stroke-width:2;fill:none}
.bar{fill:#8fb3de;stroke:#3d6fa8;stroke-width:0.5}.band1{fill:#f4c542;opacity:0.55}.band2{fill:#fbe7a8;opacity:0.7}
pre{background:#f6f6f6;padding:8px;font-size:12px;overflow-x:auto}
)";

std::string cell(double value) { return "<td class=\"num\">" + escapeHtml(formatNumber(value)) + "</td>"; }

std::string summaryRow(std::string_view key, std::string_view label, std::string value) {
  return fmt::format("<tr><th>{}</th><td class=\"num\" id=\"summary-{}\">{}</td></tr>\n", escapeHtml(label),
                     escapeHtml(key), escapeHtml(value));
}

std::string bootstrapRow(std::string_view key, const scoring::Moments& moments) {
  return summaryRow("bootstrap-" + std::string(key), "bootstrap " + std::string(key) + " (mean ± std)",
                    formatNumber(moments.mean) + " ± " + formatNumber(moments.std));
}

std::string summaryTable(const ReportInput& input) {
  const scoring::ScoreReport& scores = input.scores;
  std::string rows = summaryRow("quantiles_score", "quantiles_score", formatNumber(scores.pooled.score));
  rows += summaryRow("coverage", "coverage", formatNumber(scores.pooled.coverage));
  rows += summaryRow("interval", "interval", formatNumber(scores.pooled.interval));
  rows += summaryRow("rmse", "rmse", formatNumber(scores.rmse));
  rows += summaryRow("mae", "mae", formatNumber(scores.mae));
  rows += summaryRow("sets", "sets", std::to_string(scores.perSet.size()));
  rows += summaryRow("pseudo_experiments", "pseudo-experiments", std::to_string(scores.pooled.n));
  rows += summaryRow("status", "status", std::string(scoring::scoreStatusName(scores.status)));
  if (input.bootstrap) {
    rows += summaryRow("bootstrap-n", "bootstrap resamples", std::to_string(input.bootstrap->samples.size()));
    rows += bootstrapRow("quantiles_score", input.bootstrap->quantilesScore);
    rows += bootstrapRow("coverage", input.bootstrap->coverage);
    rows += bootstrapRow("interval", input.bootstrap->interval);
  }
  return "<h2>Summary</h2>\n<table>\n" + rows + "</table>\n";
}

std::string perSetTable(const ReportInput& input) {
  std::string out = "<h2>Per set</h2>\n<table>\n<tr><th>set</th><th>μ_true</th><th>N</th><th>coverage</th>"
                    "<th>interval</th><th>quantiles_score</th><th>rmse</th><th>mae</th></tr>\n";
  for (const scoring::SetScore& set : input.scores.perSet) {
    out += fmt::format("<tr id=\"set-{}\"><td class=\"num\">{}</td>{}<td class=\"num\">{}</td>{}{}{}{}{}</tr>\n",
                       set.set, set.set, cell(set.muTrue), set.quantiles.n, cell(set.quantiles.coverage),
                       cell(set.quantiles.interval), cell(set.quantiles.score), cell(set.rmse), cell(set.mae));
  }
  return out + "</table>\n";
}

std::size_t countNaN(const ReportInput& input, std::vector<double> scoring::SetResults::*column) {
  std::size_t count = 0;
  for (const scoring::SetResults& set : input.sets)
    count += static_cast<std::size_t>(std::count_if((set.*column).begin(), (set.*column).end(),
                                                    [](double v) { return std::isnan(v); }));
  return count;
}

std::string qualityTable(const ReportInput& input) {
  std::string rows = summaryRow("nan-mu_hat", "NaN μ̂", std::to_string(countNaN(input, &scoring::SetResults::muHats)));
  rows += summaryRow("nan-delta_mu_hat", "NaN Δμ̂", std::to_string(countNaN(input, &scoring::SetResults::deltaMuHats)));
  rows += summaryRow("nan-p16", "NaN p16", std::to_string(countNaN(input, &scoring::SetResults::p16)));
  rows += summaryRow("nan-p84", "NaN p84", std::to_string(countNaN(input, &scoring::SetResults::p84)));
  std::map<std::string, std::size_t> statuses;
  for (const ingest::PseudoExperimentRecord& record : input.records)
    if (record.status != "ok") ++statuses[record.status];
  std::size_t notOk = 0;
  for (const auto& [status, count] : statuses) {
    rows += summaryRow("status-" + status, "status " + status, std::to_string(count));
    notOk += count;
  }
  rows += summaryRow("not-ok", "records with status other than ok",
                     input.records.empty() ? "no records" : std::to_string(notOk));
  return "<h2>Missing values and failures</h2>\n<table>\n" + rows + "</table>\n";
}

double median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const std::size_t half = values.size() / 2;
  return values.size() % 2 == 1 ? values[half] : 0.5 * (values[half - 1] + values[half]);
}

/// ingestion_seconds, else 60 x ingestion_duration (minutes), from ingestion_duration.json's object.
double wallSeconds(const std::optional<nlohmann::json>& duration) {
  if (!duration || !duration->is_object()) return NAN;
  if (duration->contains("ingestion_seconds") && (*duration)["ingestion_seconds"].is_number())
    return (*duration)["ingestion_seconds"].get<double>();
  if (duration->contains("ingestion_duration") && (*duration)["ingestion_duration"].is_number())
    return 60.0 * (*duration)["ingestion_duration"].get<double>();
  return NAN;
}

std::string timingTable(const ReportInput& input) {
  std::vector<double> seconds;
  for (const ingest::PseudoExperimentRecord& record : input.records)
    if (std::isfinite(record.seconds)) seconds.push_back(record.seconds);
  double total = 0.0;
  for (const double s : seconds) total += s;
  std::string rows = summaryRow("wall_seconds", "ingestion wall time [s]", formatNumber(wallSeconds(input.ingestionDuration)));
  rows += summaryRow("pe_seconds_total", "sum of per-PE times [s]", formatNumber(seconds.empty() ? NAN : total));
  rows += summaryRow("pe_seconds_mean", "mean per PE [s]", formatNumber(seconds.empty() ? NAN : total / seconds.size()));
  rows += summaryRow("pe_seconds_median", "median per PE [s]", formatNumber(median(seconds)));
  return "<h2>Timing</h2>\n<table>\n" + rows + "</table>\n";
}

std::string configurationSection(const ReportInput& input) {
  std::string out = "<h2>Configuration (ingestion.json)</h2>\n";
  if (input.configuration.is_null()) return out + "<p>No ingestion.json in the results directory.</p>\n";
  return out + "<pre>" + escapeHtml(input.configuration.dump(2)) + "</pre>\n";
}

std::string figure(const std::string& svg, std::string_view caption) {
  return "<figure>\n" + svg + "<figcaption>" + escapeHtml(caption) + "</figcaption>\n</figure>\n";
}

std::string plotsSection(const ReportInput& input) {
  std::string out = "<h2>Plots</h2>\n<div class=\"plots\">\n";
  out += figure(detail::coveragePlot(input),
                "Fraction of each set's pseudo-experiments whose [p16, p84] contains μ_true. Dashed: 68.27% target; "
                "bands: binomial ±1σ and ±2σ for that set's N (the score's penalty-free window is ±2σ).");
  out += figure(detail::muHatPlot(input), "Each point a pseudo-experiment; bars its [p16, p84]; dashed: μ̂ = μ_true.");
  out += figure(detail::intervalWidthPlot(input), "Distribution of the interval width p84 − p16.");
  out += figure(detail::pullPlot(input),
                "(μ̂ − μ_true)/Δμ̂ as a density; a calibrated Δμ̂ follows the unit Gaussian (solid).");
  const std::vector<std::string> drawn = detail::drawnNuisanceNames(input);
  if (drawn.empty()) out += "<p>No nuisance values were recorded for these pseudo-experiments.</p>\n";
  for (const std::string& name : drawn)
    out += figure(detail::nuisanceHistogramPlot(input, name), "Values of " + name + " drawn for the pseudo-experiments.");
  for (const std::string& name : detail::fittedNuisanceNames(input))
    out += figure(detail::fittedVsTruePlot(input, name), "Fitted against drawn " + name + "; dashed: equality.");
  return out + "</div>\n";
}

}  // namespace

std::size_t plotCount(const ReportInput& input) {
  return 4 + detail::drawnNuisanceNames(input).size() + detail::fittedNuisanceNames(input).size();
}

std::string renderReport(const ReportInput& input) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>higgsuq report: " +
                     escapeHtml(input.title) + "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n";
  html += "<h1>higgsuq report: " + escapeHtml(input.title) + "</h1>\n";
  html += summaryTable(input);
  html += plotsSection(input);
  html += perSetTable(input);
  html += qualityTable(input);
  html += timingTable(input);
  html += configurationSection(input);
  return html + "</body>\n</html>\n";
}

}  // namespace higgsuq::report
