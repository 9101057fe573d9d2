#include "simulate/histogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/error.h"
#include "core/numbers.h"

namespace sendplan {
std::int64_t Histogram::width_for(std::int64_t typical) {
    std::int64_t w = 1;
    while (typical / w > 20000) w *= 2;
    return w;
}

void Histogram::cover(std::int64_t bin) {
    // Bin widths are set from the base year's counts; a draw a thousand times larger has diverged.
    if (!bins_.empty() && (bin < first_bin_ - max_span || bin > first_bin_ + static_cast<std::int64_t>(bins_.size()) + max_span))
        // The data cannot support the run (a divergent trend, or inputs far from any real area's):
        // refused like bad data, the count written without overflowing.
        throw DataError("a draw's count (" + written(static_cast<double>(bin) * static_cast<double>(width_)) +
                        ") is far outside the others: the projection has diverged; check the trend assumptions and the population and counts it is "
                        "calibrated from");
    if (bins_.empty()) {
        first_bin_ = bin;
        bins_.assign(1, 0);
        return;
    }
    if (bin < first_bin_) {
        // Grow with headroom so a run of ever smaller values does not reallocate every time.
        const std::int64_t extra = std::max<std::int64_t>(first_bin_ - bin, static_cast<std::int64_t>(bins_.size() / 2) + 8);
        bins_.insert(bins_.begin(), static_cast<std::size_t>(extra), 0);
        first_bin_ -= extra;
    } else if (bin >= first_bin_ + static_cast<std::int64_t>(bins_.size())) {
        const std::size_t needed = static_cast<std::size_t>(bin - first_bin_ + 1);
        bins_.resize(std::max(needed, bins_.size() + bins_.size() / 2 + 8), 0);
    }
}

void Histogram::merge(const Histogram& other) {
    if (other.n_ == 0) return;
    cover(other.first_bin_);
    cover(other.first_bin_ + static_cast<std::int64_t>(other.bins_.size()) - 1);
    for (std::size_t i = 0; i < other.bins_.size(); ++i)
        bins_[static_cast<std::size_t>(other.first_bin_ + static_cast<std::int64_t>(i) - first_bin_)] += other.bins_[i];
    n_ += other.n_;
    sum_ += other.sum_;
}

double Histogram::order_statistic(std::int64_t k) const {
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < bins_.size(); ++i) {
        if (bins_[i] == 0) continue;
        if (k < seen + bins_[i]) {
            const double start = static_cast<double>((first_bin_ + static_cast<std::int64_t>(i)) * width_);
            if (width_ == 1) return start;
            // Spread the bin's draws evenly across its width.
            const double within = (static_cast<double>(k - seen) + 0.5) / static_cast<double>(bins_[i]);
            return start + within * static_cast<double>(width_) - 0.5;
        }
        seen += bins_[i];
    }
    return static_cast<double>(first_bin_ * width_);
}

double Histogram::quantile(double q) const {
    if (n_ == 0) return NAN;
    const double h = q * static_cast<double>(n_ - 1);
    const auto k = static_cast<std::int64_t>(std::floor(h));
    const double lo = order_statistic(k);
    if (k + 1 >= n_) return lo;
    const double hi = order_statistic(k + 1);
    return lo + (h - static_cast<double>(k)) * (hi - lo);
}

double Histogram::fraction_above(double v) const {
    if (n_ == 0) return NAN;
    std::int64_t above = 0;
    for (std::size_t i = 0; i < bins_.size(); ++i)
        if (static_cast<double>((first_bin_ + static_cast<std::int64_t>(i)) * width_) > v) above += bins_[i];
    return static_cast<double>(above) / static_cast<double>(n_);
}

double Histogram::covering(double q) const {
    if (n_ == 0) return NAN;
    const auto needed = static_cast<std::int64_t>(std::ceil(q * static_cast<double>(n_) - 1e-9));
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < bins_.size(); ++i) {
        seen += bins_[i];
        if (seen >= needed && bins_[i] > 0) return static_cast<double>((first_bin_ + static_cast<std::int64_t>(i) + 1) * width_ - 1);
    }
    return static_cast<double>((first_bin_ + static_cast<std::int64_t>(bins_.size())) * width_ - 1);
}

}  // namespace sendplan
