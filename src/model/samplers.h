#pragma once
// The random variates the model draws, each from a keyed Stream (core/rng.h). Kept in one place so
// each can be checked against its distribution (tests/test_samplers.cpp). Poisson and binomial sit
// in the innermost loop of every draw, so they are inline here.
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "core/rng.h"

namespace sendplan {

// Poisson variate: inversion for small means (most cells), Boost's PTRD rejection for large ones.
// A mean of zero or below (no one expected) gives none.
inline std::int64_t sample_poisson(Stream& s, double mean) {
    if (!(mean > 0)) return 0;
    if (mean < 12.0) {
        const double limit = std::exp(-mean);
        double p = s.uniform();
        std::int64_t k = 0;
        while (p > limit) {
            p *= s.uniform();
            ++k;
        }
        return k;
    }
    boost::random::poisson_distribution<std::int64_t, double> d(mean);
    return d(s);
}

// Binomial(n, p). With few expected successes (or failures), by counting geometric gaps between
// them: about n min(p, 1-p) + 1 logarithms and no setup, where the cells here usually are; otherwise
// Boost's BTRD rejection sampler. A count below zero or a probability outside 0..1 (NaN included)
// is a fault upstream and is thrown, never clamped into a plausible number.
inline std::int32_t sample_binomial(Stream& s, std::int32_t n, double p) {
    if (n < 0 || !(p >= 0.0 && p <= 1.0))
        throw std::invalid_argument("binomial of " + std::to_string(n) + " with probability " + std::to_string(p));
    if (n == 0 || p == 0.0) return 0;
    if (p == 1.0) return n;
    const bool flip = p > 0.5;
    const double q = flip ? 1.0 - p : p;
    std::int32_t k = 0;
    if (static_cast<double>(n) * q < 16.0) {
        const double log_miss = std::log1p(-q);
        double position = 0;
        for (;;) {
            position += std::floor(std::log(1.0 - s.uniform()) / log_miss) + 1.0;
            if (position > n) break;
            ++k;
        }
    } else {
        boost::random::binomial_distribution<std::int32_t, double> d(n, q);
        k = d(s);
    }
    return flip ? n - k : k;
}

// Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below one through Gamma(shape + 1) *
// U^(1/shape). A shape of zero or below gives zero.
double sample_gamma(Stream& s, double shape);

// Beta(a, b) as a ratio of gammas; with `mean_only`, or should both gammas underflow, its mean.
double sample_beta(Stream& s, double a, double b, bool mean_only);

// Dirichlet(alpha) into out[0..n); with `mean_only` the mean alpha / sum(alpha). Components with
// pseudo-counts below kSmallDirichletAlpha share one gamma draw for their total, split in
// proportion to their pseudo-counts: their total is exact (aggregation property), each alone is not.
constexpr double kSmallDirichletAlpha = 0.05;
void sample_dirichlet(Stream& s, const double* alpha, std::size_t n, double* out, bool mean_only);

}  // namespace sendplan
