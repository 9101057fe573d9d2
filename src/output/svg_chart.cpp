#include "output/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/numbers.h"

namespace sendplan {
namespace {

constexpr double kWidth = 760, kHeight = 380;
constexpr double kLeft = 78, kRight = 20, kTop = 58, kBottom = 40;

// One decimal, and never "-0.0": the same figures always give the same text.
std::string px(double v) {
    const double r = std::round(v * 10) / 10;
    return fmt::format("{:.1f}", r == 0 ? 0.0 : r);
}

struct Extent {
    double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
    int first = std::numeric_limits<int>::max(), last = std::numeric_limits<int>::min();
    void value(double v) {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    void year(int y) {
        first = std::min(first, y);
        last = std::max(last, y);
    }
};

Extent extent_of(const FanChart& chart) {
    Extent e;
    for (int y : chart.years) e.year(y);
    for (const ChartBand& b : chart.bands)
        for (const auto* side : {&b.low, &b.high})
            for (double v : *side) e.value(v);
    for (const ChartLine& l : chart.lines) {
        for (int y : l.years) e.year(y);
        for (double v : l.values) e.value(v);
    }
    if (e.first > e.last) e.first = e.last = 0;
    if (!(e.lo <= e.hi)) e.lo = 0, e.hi = 1;
    return e;
}

// Points "x,y x,y ..." of (years, values), leaving out values that are missing.
std::string points(const ChartScale& s, const std::vector<int>& years, const std::vector<double>& values) {
    std::string out;
    for (std::size_t i = 0; i < years.size() && i < values.size(); ++i) {
        if (!std::isfinite(values[i])) continue;
        if (!out.empty()) out += ' ';
        out += px(s.x(years[i])) + "," + px(s.y(values[i]));
    }
    return out;
}

// The band as one closed shape: along the high side forward, back along the low side.
std::string band_shape(const ChartScale& s, const std::vector<int>& years, const ChartBand& b) {
    std::vector<int> back(years.rbegin(), years.rend());
    std::vector<double> low(b.low.rbegin(), b.low.rend());
    if (b.low.size() < years.size()) return "";
    const std::string forward = points(s, years, b.high), backward = points(s, back, low);
    if (forward.empty() || backward.empty()) return "";
    return fmt::format("<polygon points=\"{} {}\" fill=\"{}\" stroke=\"none\"/>\n", forward, backward, b.colour);
}

std::string value_axis(const ChartScale& s, const std::string& unit) {
    std::string out;
    for (double t : axis_ticks(s.lowest, s.highest, 6)) {
        const std::string y = px(s.y(t));
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#dddddd\"/>\n", px(s.left), y, px(s.right), y);
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>\n", px(s.left - 6), y,
                           xml_escaped(axis_number(t)));
    }
    out += fmt::format("<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>\n", px((s.top + s.bottom) / 2),
                       px((s.top + s.bottom) / 2), xml_escaped(unit));
    return out;
}

std::string year_axis(const ChartScale& s) {
    const int span = s.last_year - s.first_year;
    const int step = span <= 12 ? 1 : span <= 24 ? 2 : 5;
    std::string out = fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555555\"/>\n", px(s.left), px(s.bottom), px(s.right), px(s.bottom));
    for (int y = s.first_year; y <= s.last_year; ++y) {
        if ((y - s.first_year) % step != 0) continue;
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px(s.x(y)), px(s.bottom + 18), y);
    }
    return out;
}

// The key along the top: a swatch or a stroke, then the label, laid out left to right.
std::string legend(const FanChart& chart) {
    std::string out;
    double x = kLeft, y = 36;
    const auto place = [&](const std::string& label) {
        const double width = 28 + 6.5 * static_cast<double>(label.size());
        if (x + width > kWidth - kRight && x > kLeft) x = kLeft, y += 16;
        const double at = x;
        x += width;
        return at;
    };
    for (const ChartBand& b : chart.bands) {
        const double at = place(b.label);
        out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"16\" height=\"10\" fill=\"{}\"/>", px(at), px(y - 8), b.colour);
        out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", px(at + 20), px(y), xml_escaped(b.label));
    }
    for (const ChartLine& l : chart.lines) {
        const double at = place(l.label);
        out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2.5\"{}/>", px(at), px(y - 3), px(at + 16),
                           px(y - 3), l.colour, l.dashed ? " stroke-dasharray=\"5 3\"" : "");
        out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", px(at + 20), px(y), xml_escaped(l.label));
    }
    return out;
}

}  // namespace

double ChartScale::x(double year) const {
    if (last_year == first_year) return (left + right) / 2;
    return left + (year - first_year) * (right - left) / (last_year - first_year);
}

double ChartScale::y(double value) const { return bottom - (value - lowest) * (bottom - top) / (highest - lowest); }

std::vector<double> axis_ticks(double lo, double hi, int about) {
    if (!(hi > lo)) hi = lo + 1;
    const double rough = (hi - lo) / std::max(about, 1);
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    double step = power;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= rough) {
            step = m * power;
            break;
        }
    std::vector<double> ticks;
    for (double t = std::floor(lo / step) * step; ticks.size() < 100; t += step) {
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
        if (t >= hi - step * 1e-9) break;
    }
    return ticks;
}

ChartScale chart_scale(const FanChart& chart) {
    const Extent e = extent_of(chart);
    const std::vector<double> ticks = axis_ticks(e.lo, e.hi, 6);
    ChartScale s;
    s.left = kLeft;
    s.right = kWidth - kRight;
    s.top = kTop;
    s.bottom = kHeight - kBottom;
    s.first_year = e.first;
    s.last_year = e.last;
    s.lowest = ticks.front();
    s.highest = ticks.back();
    return s;
}

std::string xml_escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
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

std::string axis_number(double value) {
    if (!std::isfinite(value)) return "";
    if (std::abs(value - std::round(value)) < 1e-9) return written(std::round(value) == 0 ? 0.0 : std::round(value));
    return fmt::format("{:.1f}", value);
}

std::string svg_fan_chart(const FanChart& chart) {
    const ChartScale s = chart_scale(chart);
    std::string out = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" "
                                  "font-family=\"sans-serif\" font-size=\"12\">\n<title>{}</title>\n",
                                  kWidth, kHeight, kWidth, kHeight, xml_escaped(chart.title));
    out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", kWidth, kHeight);
    out += fmt::format("<text x=\"{}\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{}</text>\n", kLeft, xml_escaped(chart.title));
    out += value_axis(s, chart.unit);
    out += year_axis(s);
    for (const ChartBand& b : chart.bands) out += band_shape(s, chart.years, b);
    for (const ChartLine& l : chart.lines)
        out += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}/>\n", points(s, l.years, l.values), l.colour,
                           l.dashed ? " stroke-dasharray=\"5 3\"" : "");
    out += legend(chart);
    out += "</svg>\n";
    return out;
}

}  // namespace sendplan
