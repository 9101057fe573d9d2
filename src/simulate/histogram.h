#pragma once
// A histogram of integer counts over draws, from which percentiles are read. The bin width is fixed
// when the histogram is made (one plan, unless the count is in the tens of thousands), so histograms
// filled by different threads merge by adding bins: the result never depends on the thread count.
#include <cstddef>
#include <cstdint>
#include <utility>
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

// Each draw's counts, one per histogram, held back and added to their histograms a batch of draws
// at a time, one histogram after another, which keeps each histogram's bins in cache. Zeros (most of
// a detailed table) are not added one by one: finish() counts them once. A null target is a count
// that is kept in the rows but reaches no histogram. Every draw sets every count of its row.
template <class Count>
class HistogramBatch {
public:
    static constexpr std::size_t kDraws = 64;

    HistogramBatch() = default;
    explicit HistogramBatch(std::vector<Histogram*> targets) : targets_(std::move(targets)), counts_(kDraws * targets_.size(), 0) {}

    // The row of counts of the next draw (a full batch is added to the histograms first).
    Count* next_draw() {
        if (in_batch_ == kDraws) flush();
        return &counts_[in_batch_++ * targets_.size()];
    }

    void flush() {
        const std::size_t H = targets_.size();
        for (std::size_t j = 0; j < H; ++j) {
            Histogram* h = targets_[j];
            if (!h) continue;
            for (std::size_t d = 0; d < in_batch_; ++d)
                if (const Count v = counts_[d * H + j]; v != 0) h->add(v);
        }
        draws_done_ += static_cast<std::int64_t>(in_batch_);
        in_batch_ = 0;
    }

    // Adds what is held back and the zeros left out: every histogram has then seen every draw.
    void finish() {
        flush();
        for (Histogram* h : targets_)
            if (h) h->add(0, draws_done_ - h->draws());
    }

private:
    std::vector<Histogram*> targets_;
    std::vector<Count> counts_;  // [draw in batch][histogram]
    std::size_t in_batch_ = 0;
    std::int64_t draws_done_ = 0;
};

}  // namespace sendplan
