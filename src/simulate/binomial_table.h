#pragma once
// Binomial(n, p) for every n below a bound and one p, by inversion of tabulated distribution
// functions: one 32-bit number and a comparison or two per draw, where cells of a few plans would
// otherwise spend a logarithm or a number per plan. Rebuilt when p changes (once per Monte Carlo
// draw); storage is allocated once.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/rng.h"

namespace sendplan {

class BinomialTable {
public:
    explicit BinomialTable(std::int32_t bound) : bound_(bound), start_(static_cast<std::size_t>(bound) + 1, 0) {
        // Enough for the longest tables (p near one half); reserving keeps rebuilds from allocating.
        below_.reserve(static_cast<std::size_t>(bound) * static_cast<std::size_t>(bound + 1) / 2 + static_cast<std::size_t>(bound));
    }

    void build(double p) {
        p_ = std::clamp(p, 0.0, 1.0);
        below_.clear();
        for (std::int32_t n = 0; n < bound_; ++n) {
            start_[static_cast<std::size_t>(n)] = below_.size();
            if (p_ <= 0.0 || p_ >= 1.0 || n == 0) {
                below_.push_back(kAll);  // a single outcome: none, or all
                continue;
            }
            // P(K = k) by the recurrence from (1-p)^n; the table stops once the tail left is below
            // what 32 bits can resolve, and its last entry takes every number left.
            const double odds = p_ / (1.0 - p_);
            double mass = std::exp(static_cast<double>(n) * std::log1p(-p_)), cumulative = 0.0;
            for (std::int32_t k = 0; k < n; ++k) {
                cumulative += mass;
                if (cumulative >= 1.0 - 0x1.0p-34) break;
                below_.push_back(threshold_of_32_bits(cumulative));
                mass *= odds * static_cast<double>(n - k) / static_cast<double>(k + 1);
            }
            below_.push_back(kAll);
        }
        start_[static_cast<std::size_t>(bound_)] = below_.size();
    }

    // Binomial(n, p) from 32 random bits; n below the bound.
    std::int32_t sample(std::int32_t n, std::uint32_t bits) const {
        if (p_ >= 1.0) return n;
        const std::uint64_t* below = &below_[start_[static_cast<std::size_t>(n)]];
        std::int32_t k = 0;
        while (bits >= below[k]) ++k;
        return k;
    }

private:
    static constexpr std::uint64_t kAll = std::uint64_t{1} << 32;  // above every 32-bit number: certainty
    std::int32_t bound_;
    double p_ = 0.0;
    std::vector<std::size_t> start_;
    std::vector<std::uint64_t> below_;  // per n, P(K <= k) x 2^32 for k = 0, 1, ...
};

}  // namespace sendplan
