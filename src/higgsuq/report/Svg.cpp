// The SVG plotting layer of the report (see Svg.hpp).
#include "higgsuq/report/Svg.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace higgsuq::report {
namespace {

constexpr double kMarginLeft = 70.0, kMarginRight = 20.0, kMarginTop = 34.0, kMarginBottom = 52.0;

/// A pixel coordinate with two decimals.
std::string pixel(double value) { return fmt::format("{:.2f}", value); }

bool finite(double value) { return std::isfinite(value); }

}  // namespace

std::string escapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string formatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0.0) return "0";  // no "-0"
  return fmt::format("{:.6g}", value);
}

Range paddedRange(std::span<const double> values, double padFraction) {
  double low = INFINITY, high = -INFINITY;
  for (const double v : values) {
    if (!finite(v)) continue;
    low = std::min(low, v);
    high = std::max(high, v);
  }
  if (low > high) return {0.0, 1.0};
  if (low == high) {
    const double half = low == 0.0 ? 0.5 : 0.1 * std::abs(low);
    return {low - half, high + half};
  }
  const double pad = padFraction * (high - low);
  return {low - pad, high + pad};
}

double LinearScale::operator()(double value) const {
  const double width = domainHigh - domainLow;
  const double fraction = width == 0.0 ? 0.5 : (value - domainLow) / width;
  return rangeLow + fraction * (rangeHigh - rangeLow);
}

std::vector<double> niceTicks(double low, double high, int targetCount) {
  if (!finite(low) || !finite(high) || !(high > low) || targetCount < 1) return {};
  const double rawStep = (high - low) / targetCount;
  int exponent = static_cast<int>(std::floor(std::log10(rawStep)));
  double multiple = 10.0;
  for (const double candidate : {1.0, 2.0, 5.0}) {
    if (candidate * std::pow(10.0, exponent) >= rawStep) {
      multiple = candidate;
      break;
    }
  }
  if (multiple == 10.0) multiple = 1.0, ++exponent;
  // k * multiple is an exact integer; dividing by an exact power of ten gives the correctly rounded
  // decimal (3 * 2 / 10 == 0.6, whereas 3 * 0.2 != 0.6).
  const double powerOfTen = std::pow(10.0, std::abs(exponent));
  const auto tickAt = [&](double k) { return exponent < 0 ? k * multiple / powerOfTen : k * multiple * powerOfTen; };
  const double step = tickAt(1.0);
  std::vector<double> ticks;
  for (double k = std::ceil(low / step - 1e-9); tickAt(k) <= high + 1e-9 * step; k += 1.0)
    ticks.push_back(k == 0.0 ? 0.0 : tickAt(k));
  return ticks;
}

double Histogram::binWidth() const { return counts.empty() ? 0.0 : (high - low) / counts.size(); }

Histogram makeHistogram(std::span<const double> values, Range range, std::size_t bins) {
  Histogram histogram{range.low, range.high, std::vector<double>(std::max<std::size_t>(bins, 1), 0.0), 0, 0};
  const double width = histogram.binWidth();
  for (const double v : values) {
    if (!finite(v)) {
      ++histogram.nonFinite;
    } else if (v < range.low || v > range.high) {
      ++histogram.outside;
    } else {
      const auto bin = static_cast<std::size_t>((v - range.low) / width);
      histogram.counts[std::min(bin, histogram.counts.size() - 1)] += 1.0;
    }
  }
  return histogram;
}

std::size_t defaultBinCount(std::size_t finiteValues) {
  const auto root = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(finiteValues))));
  return std::clamp<std::size_t>(root, 5, 40);
}

SvgPlot::SvgPlot(Range x, Range y, int widthPixels, int heightPixels)
    : m_width(widthPixels),
      m_height(heightPixels),
      m_xRange(x),
      m_yRange(y),
      m_x{x.low, x.high, kMarginLeft, widthPixels - kMarginRight},
      m_y{y.low, y.high, heightPixels - kMarginBottom, kMarginTop} {}

void SvgPlot::rectangle(double x0, double x1, double y0, double y1, std::string_view cssClass) {
  if (!finite(x0) || !finite(x1) || !finite(y0) || !finite(y1)) return;
  const double left = std::min(m_x(x0), m_x(x1)), right = std::max(m_x(x0), m_x(x1));
  const double top = std::min(m_y(y0), m_y(y1)), bottom = std::max(m_y(y0), m_y(y1));
  m_marks += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                         escapeHtml(cssClass), pixel(left), pixel(top), pixel(right - left), pixel(bottom - top));
}

void SvgPlot::polyline(std::span<const double> xs, std::span<const double> ys, std::string_view cssClass) {
  std::string pointList;
  const auto flush = [&] {
    if (pointList.find(' ') != std::string::npos)  // two points or more
      m_marks += fmt::format("<polyline class=\"{}\" points=\"{}\"/>\n", escapeHtml(cssClass), pointList);
    pointList.clear();
  };
  for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    if (!finite(xs[i]) || !finite(ys[i])) {
      flush();
      continue;
    }
    if (!pointList.empty()) pointList += ' ';
    pointList += pixel(m_x(xs[i])) + "," + pixel(m_y(ys[i]));
  }
  flush();
}

void SvgPlot::points(std::span<const double> xs, std::span<const double> ys, std::string_view cssClass) {
  for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    if (!finite(xs[i]) || !finite(ys[i])) continue;
    m_marks += fmt::format("<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"2.5\"/>\n", escapeHtml(cssClass),
                           pixel(m_x(xs[i])), pixel(m_y(ys[i])));
  }
}

void SvgPlot::errorBars(std::span<const double> xs, std::span<const double> lows, std::span<const double> highs,
                        std::string_view cssClass) {
  const std::size_t n = std::min({xs.size(), lows.size(), highs.size()});
  for (std::size_t i = 0; i < n; ++i) {
    if (!finite(xs[i]) || !finite(lows[i]) || !finite(highs[i])) continue;
    const std::string x = pixel(m_x(xs[i]));
    m_marks += fmt::format("<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", escapeHtml(cssClass),
                           x, pixel(m_y(lows[i])), x, pixel(m_y(highs[i])));
  }
}

void SvgPlot::histogram(const Histogram& histogram, std::string_view cssClass, double scale) {
  const double width = histogram.binWidth();
  for (std::size_t bin = 0; bin < histogram.counts.size(); ++bin) {
    if (histogram.counts[bin] <= 0.0) continue;
    const double left = histogram.low + bin * width;
    rectangle(left, left + width, 0.0, histogram.counts[bin] * scale, cssClass);
  }
}

void SvgPlot::note(std::string_view text) { m_notes.emplace_back(text); }

std::string SvgPlot::axes(std::string_view xLabel, std::string_view yLabel) const {
  const double left = kMarginLeft, right = m_width - kMarginRight;
  const double top = kMarginTop, bottom = m_height - kMarginBottom;
  std::string out = fmt::format("<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n",
                                pixel(left), pixel(top), pixel(right - left), pixel(bottom - top));
  for (const double tick : niceTicks(m_xRange.low, m_xRange.high)) {
    const std::string x = pixel(m_x(tick));
    out += fmt::format("<line class=\"tick\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
                       "<text class=\"ticklabel\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
                       x, pixel(bottom), pixel(bottom + 5), pixel(bottom + 18), escapeHtml(formatNumber(tick)));
  }
  for (const double tick : niceTicks(m_yRange.low, m_yRange.high)) {
    const std::string y = pixel(m_y(tick));
    out += fmt::format("<line class=\"tick\" x1=\"{1}\" y1=\"{0}\" x2=\"{2}\" y2=\"{0}\"/>"
                       "<text class=\"ticklabel\" x=\"{3}\" y=\"{0}\" dy=\"4\" text-anchor=\"end\">{4}</text>\n",
                       y, pixel(left - 5), pixel(left), pixel(left - 8), escapeHtml(formatNumber(tick)));
  }
  out += fmt::format("<text class=\"axislabel\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     pixel((left + right) / 2), pixel(m_height - 12.0), escapeHtml(xLabel));
  out += fmt::format("<text class=\"axislabel\" transform=\"translate(16,{}) rotate(-90)\" "
                     "text-anchor=\"middle\">{}</text>\n",
                     pixel((top + bottom) / 2), escapeHtml(yLabel));
  return out;
}

std::string SvgPlot::render(std::string_view title, std::string_view xLabel, std::string_view yLabel) const {
  const double left = kMarginLeft, top = kMarginTop;
  const double width = m_width - kMarginLeft - kMarginRight, height = m_height - kMarginTop - kMarginBottom;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"{2}\">\n<title>{2}</title>\n",
      m_width, m_height, escapeHtml(title));
  const std::string clipId = fmt::format("clip{:x}", std::hash<std::string_view>{}(title));  // unique per title
  out += fmt::format("<defs><clipPath id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>\n",
                     clipId, pixel(left), pixel(top), pixel(width), pixel(height));
  out += fmt::format("<text class=\"plottitle\" x=\"{}\" y=\"20\" text-anchor=\"middle\">{}</text>\n",
                     pixel(m_width / 2.0), escapeHtml(title));
  out += fmt::format("<g clip-path=\"url(#{})\">\n{}</g>\n", clipId, m_marks);
  out += axes(xLabel, yLabel);
  for (std::size_t i = 0; i < m_notes.size(); ++i) {
    out += fmt::format("<text class=\"note\" x=\"{}\" y=\"{}\">{}</text>\n", pixel(left + 8),
                       pixel(top + 16 + 14.0 * i), escapeHtml(m_notes[i]));
  }
  return out + "</svg>\n";
}

}  // namespace higgsuq::report
