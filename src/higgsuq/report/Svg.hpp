// A tiny hand-written SVG plotting layer for the HTML report: linear scales, "nice" axis ticks,
// frames with tick labels and axis titles, points with error bars, polylines, filled rectangles
// (bands) and histograms. Written by hand because no plotting library packaged for C++ in Debian 12
// emits standalone SVG text (matplot++ needs gnuplot at run time, ROOT is not packaged), and the
// report must be one self-contained file without JavaScript.
//
// NaN (and infinite) coordinates are skipped: a point is not drawn, a polyline is broken there.
// Every piece of text that goes into the SVG is escaped with escapeHtml.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace higgsuq::report {

/// Text safe inside HTML/SVG element content and double- or single-quoted attributes.
std::string escapeHtml(std::string_view text);

/// A number for labels and tables: up to 6 significant digits; "NaN", "inf", "-inf" spelled out.
std::string formatNumber(double value);

/// A closed interval of data values.
struct Range {
  double low = 0.0;
  double high = 1.0;
};

/// The finite values' [min, max] widened by `padFraction` of its width on each side; a degenerate
/// range (one value) is widened by +-0.5 (or +-10% of |value|); no finite values give [0, 1].
Range paddedRange(std::span<const double> values, double padFraction = 0.05);

/// Maps [domainLow, domainHigh] linearly onto [rangeLow, rangeHigh] (pixels; the range may be
/// reversed, as for a y axis).
struct LinearScale {
  double domainLow = 0.0, domainHigh = 1.0;
  double rangeLow = 0.0, rangeHigh = 1.0;
  double operator()(double value) const;
};

/// Tick positions inside [low, high] at a step of 1, 2 or 5 times a power of ten, about
/// `targetCount` of them (at least two for a non-degenerate range).
std::vector<double> niceTicks(double low, double high, int targetCount = 6);

/// Fixed-width bins over [low, high]; counts hold the finite values inside (the top edge included).
struct Histogram {
  double low = 0.0, high = 1.0;
  std::vector<double> counts;
  std::size_t outside = 0;  ///< finite values outside [low, high]
  std::size_t nonFinite = 0;
  double binWidth() const;
};

Histogram makeHistogram(std::span<const double> values, Range range, std::size_t bins);

/// sqrt(n) bins, clamped to [5, 40].
std::size_t defaultBinCount(std::size_t finiteValues);

/// One plot: a frame with axes, to which marks are added in data coordinates.
class SvgPlot {
 public:
  SvgPlot(Range x, Range y, int widthPixels = 560, int heightPixels = 360);

  /// A filled rectangle [x0, x1] x [y0, y1] (a band); `cssClass` styles it.
  void rectangle(double x0, double x1, double y0, double y1, std::string_view cssClass);
  void polyline(std::span<const double> xs, std::span<const double> ys, std::string_view cssClass);
  void points(std::span<const double> xs, std::span<const double> ys, std::string_view cssClass);
  /// Vertical bars from lows[i] to highs[i] at xs[i].
  void errorBars(std::span<const double> xs, std::span<const double> lows, std::span<const double> highs,
                 std::string_view cssClass);
  /// Bars of height counts[i] * scale.
  void histogram(const Histogram& histogram, std::string_view cssClass, double scale = 1.0);
  /// A text note in the top-left corner of the plotting area.
  void note(std::string_view text);

  /// The <svg> element with axes, ticks, tick labels, axis titles and the plot title.
  std::string render(std::string_view title, std::string_view xLabel, std::string_view yLabel) const;

  const LinearScale& xScale() const { return m_x; }
  const LinearScale& yScale() const { return m_y; }

 private:
  std::string axes(std::string_view xLabel, std::string_view yLabel) const;

  int m_width, m_height;
  Range m_xRange, m_yRange;
  LinearScale m_x, m_y;
  std::string m_marks;
  std::vector<std::string> m_notes;
};

}  // namespace higgsuq::report
