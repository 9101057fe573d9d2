#pragma once
// Fan charts as inline SVG, for a report that opens from disk with nothing else: shaded bands
// between percentiles (the widest first, so the narrower ones lie on top), lines for the median,
// the published history and other scenarios, year axis along the bottom. Coordinates are written to
// one decimal, so the same figures give the same text.
#include <string>
#include <string_view>
#include <vector>

namespace sendplan {

// A shaded interval between two percentiles, year by year over the chart's years.
struct ChartBand {
    std::string label;  // "90% interval"
    std::vector<double> low, high;
    std::string colour;
};

// A line through (year, value) points: a median, the published history, another scenario's median.
struct ChartLine {
    std::string label;
    std::vector<int> years;
    std::vector<double> values;
    std::string colour;
    bool dashed = false;
};

struct FanChart {
    std::string title;
    std::string unit;        // the vertical axis: "plans", "GBP million a year"
    std::vector<int> years;  // the bands' years
    std::vector<ChartBand> bands;
    std::vector<ChartLine> lines;
};

// Where values land in the drawing: the plotting area in pixels and the years and values it spans.
struct ChartScale {
    double left = 0, right = 0, top = 0, bottom = 0;
    int first_year = 0, last_year = 0;
    double lowest = 0, highest = 1;
    double x(double year) const;
    double y(double value) const;
};

// Round steps (1, 2 or 5 times a power of ten) from below `lo` to above `hi`, about `about` of them.
std::vector<double> axis_ticks(double lo, double hi, int about);

// The scale a chart is drawn on: every band and line inside it, the values' axis on round ticks.
ChartScale chart_scale(const FanChart& chart);

// Text made safe inside XML and HTML, in content and in quoted attributes.
std::string xml_escaped(std::string_view text);

// A number on an axis or in a table: whole numbers with thousands separators, others to one decimal.
std::string axis_number(double value);

// The chart as an <svg> element, with a <title> for readers of the page that cannot see it.
std::string svg_fan_chart(const FanChart& chart);

}  // namespace sendplan
