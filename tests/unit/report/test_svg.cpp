// Unit tests of the report's SVG layer: scales, ticks, ranges, histograms, escaping, NaN handling.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "higgsuq/report/Svg.hpp"

namespace higgsuq::report {
namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

TEST(LinearScale, MapsEndsAndMidpointIncludingReversedRange) {
  const LinearScale x{0.0, 10.0, 100.0, 300.0};
  EXPECT_DOUBLE_EQ(x(0.0), 100.0);
  EXPECT_DOUBLE_EQ(x(10.0), 300.0);
  EXPECT_DOUBLE_EQ(x(2.5), 150.0);
  const LinearScale y{-1.0, 1.0, 400.0, 0.0};  // pixels grow downwards
  EXPECT_DOUBLE_EQ(y(-1.0), 400.0);
  EXPECT_DOUBLE_EQ(y(1.0), 0.0);
  EXPECT_DOUBLE_EQ(y(0.0), 200.0);
}

TEST(NiceTicks, StepsAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(niceTicks(0.0, 1.0, 5), (std::vector<double>{0.0, 0.2, 0.4, 0.6, 0.8, 1.0}));
  EXPECT_EQ(niceTicks(0.0, 100.0, 4), (std::vector<double>{0.0, 50.0, 100.0}));
  EXPECT_EQ(niceTicks(-0.37, 2.9, 6), (std::vector<double>{0.0, 1.0, 2.0}));  // step 0.545 -> 1
  EXPECT_EQ(niceTicks(-0.37, 2.9, 12), (std::vector<double>{0.0, 0.5, 1.0, 1.5, 2.0, 2.5}));  // 0.27 -> 0.5
  EXPECT_EQ(niceTicks(-0.37, 2.9, 17), (std::vector<double>{-0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6,
                                                            1.8, 2.0, 2.2, 2.4, 2.6, 2.8}));  // 0.192 -> 0.2
  EXPECT_EQ(niceTicks(0.0012, 0.0049, 3), (std::vector<double>{0.002, 0.004}));  // 0.00123 -> 0.002
  const std::vector<double> negative = niceTicks(-5.0, 5.0, 6);
  EXPECT_EQ(negative.front(), -4.0);
  EXPECT_EQ(negative.back(), 4.0);
  EXPECT_EQ(std::count(negative.begin(), negative.end(), 0.0), 1);
}

TEST(NiceTicks, DegenerateOrNonFiniteRangesGiveNoTicks) {
  EXPECT_TRUE(niceTicks(1.0, 1.0).empty());
  EXPECT_TRUE(niceTicks(2.0, 1.0).empty());
  EXPECT_TRUE(niceTicks(NAN, 1.0).empty());
  EXPECT_TRUE(niceTicks(0.0, INFINITY).empty());
}

TEST(PaddedRange, SkipsNaNAndWidensDegenerateRanges) {
  const std::vector<double> values{NAN, 1.0, 3.0, INFINITY};
  const Range range = paddedRange(values, 0.1);
  EXPECT_DOUBLE_EQ(range.low, 0.8);
  EXPECT_DOUBLE_EQ(range.high, 3.2);
  const std::vector<double> single{2.0};
  EXPECT_LT(paddedRange(single).low, 2.0);
  EXPECT_GT(paddedRange(single).high, 2.0);
  const std::vector<double> none{NAN};
  EXPECT_DOUBLE_EQ(paddedRange(none).low, 0.0);
  EXPECT_DOUBLE_EQ(paddedRange(none).high, 1.0);
}

TEST(Histogram, CountsFiniteValuesAndTheTopEdge) {
  const std::vector<double> values{0.0, 0.1, 0.5, 1.0, 2.0, NAN, -INFINITY};
  const Histogram histogram = makeHistogram(values, {0.0, 1.0}, 2);
  EXPECT_EQ(histogram.counts, (std::vector<double>{2.0, 2.0}));
  EXPECT_EQ(histogram.outside, 1u);
  EXPECT_EQ(histogram.nonFinite, 2u);
  EXPECT_DOUBLE_EQ(histogram.binWidth(), 0.5);
  EXPECT_EQ(defaultBinCount(0), 5u);
  EXPECT_EQ(defaultBinCount(100), 10u);
  EXPECT_EQ(defaultBinCount(1000000), 40u);
}

TEST(Escaping, ReplacesTheFiveSpecialCharacters) {
  EXPECT_EQ(escapeHtml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escapeHtml("plain μ text"), "plain μ text");
}

TEST(FormatNumber, SpellsOutNonFiniteValues) {
  EXPECT_EQ(formatNumber(NAN), "NaN");
  EXPECT_EQ(formatNumber(INFINITY), "inf");
  EXPECT_EQ(formatNumber(-INFINITY), "-inf");
  EXPECT_EQ(formatNumber(-0.0), "0");
  EXPECT_EQ(formatNumber(0.682667), "0.682667");
  EXPECT_EQ(formatNumber(1234567.0), "1.23457e+06");
}

TEST(SvgPlot, SkipsNaNPointsAndBreaksLinesAtNaN) {
  SvgPlot plot({0.0, 4.0}, {0.0, 4.0});
  const std::vector<double> xs{0.0, 1.0, 2.0, 3.0, 4.0};
  const std::vector<double> ys{0.0, 1.0, NAN, 3.0, 4.0};
  plot.points(xs, ys, "point");
  plot.polyline(xs, ys, "line");
  plot.errorBars(xs, ys, xs, "bar");
  const std::string svg = plot.render("t", "x", "y");
  EXPECT_EQ(occurrences(svg, "<circle"), 4u);
  EXPECT_EQ(occurrences(svg, "<polyline"), 2u);
  EXPECT_EQ(occurrences(svg, "class=\"bar\""), 4u);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("NaN"), std::string::npos);
}

TEST(SvgPlot, RendersAxesTicksAndEscapedLabels) {
  SvgPlot plot({0.0, 1.0}, {0.0, 10.0}, 400, 300);
  plot.rectangle(0.25, 0.75, 2.0, 4.0, "band");
  plot.note("<note>");
  const std::string svg = plot.render("Title & <b>", "x <axis>", "y \"axis\"");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(occurrences(svg, "<svg"), 1u);
  EXPECT_NE(svg.find("Title &amp; &lt;b&gt;"), std::string::npos);
  EXPECT_NE(svg.find("x &lt;axis&gt;"), std::string::npos);
  EXPECT_NE(svg.find("y &quot;axis&quot;"), std::string::npos);
  EXPECT_NE(svg.find("&lt;note&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(occurrences(svg, "class=\"ticklabel\""), niceTicks(0.0, 1.0).size() + niceTicks(0.0, 10.0).size());
  // The band spans x 0.25..0.75 of a 310-pixel-wide plotting area starting at 70.
  EXPECT_NE(svg.find("class=\"band\" x=\"147.50\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"155.00\""), std::string::npos);
}

}  // namespace
}  // namespace higgsuq::report
