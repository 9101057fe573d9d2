#pragma once
// Percentiles of an amount of money over draws. Money is not binned like counts: the draws' values
// are sorted and read exactly (Hyndman & Fan type 7, as the count histograms are).
#include <algorithm>
#include <cmath>
#include <vector>

namespace sendplan {

struct MoneySummary {
    double mean = 0, p5 = 0, p10 = 0, p50 = 0, p90 = 0, p95 = 0;
    double share_below_zero = 0;
};

inline double sorted_quantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return NAN;
    const double h = q * static_cast<double>(sorted.size() - 1);
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Sorts `values` in place.
inline MoneySummary summarise_money(std::vector<double>& values) {
    MoneySummary s;
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    double sum = 0;
    std::size_t below = 0;
    for (double v : values) {
        sum += v;
        below += v < 0;
    }
    const double n = static_cast<double>(values.size());
    s.mean = sum / n;
    s.share_below_zero = static_cast<double>(below) / n;
    s.p5 = sorted_quantile(values, 0.05);
    s.p10 = sorted_quantile(values, 0.10);
    s.p50 = sorted_quantile(values, 0.50);
    s.p90 = sorted_quantile(values, 0.90);
    s.p95 = sorted_quantile(values, 0.95);
    return s;
}

}  // namespace sendplan
