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

    void add(std::int64_t value, std::int64_t times = 1);
    void merge(const Histogram& other);
    std::int64_t draws() const { return n_; }
    std::int64_t width() const { return width_; }
    double mean() const { return n_ ? static_cast<double>(sum_) / static_cast<double>(n_) : 0.0; }
    // Percentile q in [0,1], interpolating between order statistics (Hyndman & Fan type 7); exact
    // when the width is one plan.
    double quantile(double q) const;

    // Width that keeps a count of about `typical` within a few tens of thousands of bins.
    static std::int64_t width_for(std::int64_t typical);

    static constexpr std::int64_t max_span = 1 << 22;

private:
    void cover(std::int64_t bin);      // grow so that bin index (value / width) is stored
    double order_statistic(std::int64_t k) const;  // k-th smallest value, 0-based
    std::int64_t width_;
    std::int64_t first_bin_ = 0;       // bin index of bins_[0]
    std::vector<std::uint32_t> bins_;
    std::int64_t n_ = 0, sum_ = 0;
};

}  // namespace sendplan
