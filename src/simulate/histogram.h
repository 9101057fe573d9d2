#pragma once
// A histogram of integer counts over draws, from which percentiles are read. The bin width is fixed
// when the histogram is made (one plan, unless the count is in the tens of thousands), so histograms
// filled by different threads merge by adding bins: the result never depends on the thread count.
#include <cstdint>
#include <vector>

namespace sendplan {

class Histogram {
public:
    explicit Histogram(std::int64_t width = 1) : width_(width < 1 ? 1 : width) {}

    // Inline, and without a division when the bin width is one plan (almost every histogram): the
    // summaries add thousands of values per draw.
    void add(std::int64_t value, std::int64_t times = 1) {
        if (times <= 0) return;
        const std::int64_t bin = width_ == 1 ? value : floor_div(value, width_);
        if (bins_.empty() || bin < first_bin_ || bin >= first_bin_ + static_cast<std::int64_t>(bins_.size())) [[unlikely]]
            cover(bin);
        bins_[static_cast<std::size_t>(bin - first_bin_)] += static_cast<std::uint32_t>(times);
        n_ += times;
        sum_ += value * times;
    }
    void merge(const Histogram& other);
    std::int64_t draws() const { return n_; }
    std::int64_t width() const { return width_; }
    double mean() const { return n_ ? static_cast<double>(sum_) / static_cast<double>(n_) : 0.0; }
    // Percentile q in [0,1], interpolating between order statistics (Hyndman & Fan type 7); exact
    // when the width is one plan.
    double quantile(double q) const;
    // Share of draws whose value is above `v` (bins wider than one count as at their lower edge).
    double fraction_above(double v) const;
    // The smallest value that at least a share q of draws do not exceed (the inverse distribution
    // function): the number of places that meets demand with confidence q.
    double covering(double q) const;

    // Width that keeps a count of about `typical` within a few tens of thousands of bins.
    static std::int64_t width_for(std::int64_t typical);

    static constexpr std::int64_t max_span = 1 << 22;

private:
    static std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
    void cover(std::int64_t bin);      // grow so that bin index (value / width) is stored
    double order_statistic(std::int64_t k) const;  // k-th smallest value, 0-based
    std::int64_t width_;
    std::int64_t first_bin_ = 0;       // bin index of bins_[0]
    std::vector<std::uint32_t> bins_;
    std::int64_t n_ = 0, sum_ = 0;
};

}  // namespace sendplan
