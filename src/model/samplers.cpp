#include "model/samplers.h"

#include <boost/random/normal_distribution.hpp>
#include <cmath>

namespace sendplan {

// Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below one through the boost
// Gamma(shape + 1) * U^(1/shape). Several times faster than the generic algorithm, and the
// Dirichlet rows of every draw need thousands of these.
double sample_gamma(Stream& s, double shape) {
    if (shape <= 0) return 0.0;
    double boost = 1.0;
    if (shape < 1.0) {
        boost = std::exp(std::log1p(-s.uniform()) / shape);  // U^(1/shape), cheaper than pow
        shape += 1.0;
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    boost::random::normal_distribution<double> normal;
    for (;;) {
        double x, v;
        do {
            x = normal(s);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = 1.0 - s.uniform();
        const double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2 || std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return boost * d * v;
    }
}

// Beta(a, b) as a ratio of gammas; with `mean_only`, or should both gammas underflow, its mean.
double sample_beta(Stream& s, double a, double b, bool mean_only) {
    if (!mean_only) {
        const double x = sample_gamma(s, a), y = sample_gamma(s, b);
        if (x + y > 0) return x / (x + y);
    }
    return a / (a + b);
}

// Dirichlet(alpha) into out; with `mean_only` the posterior mean alpha / sum(alpha).
// Components with pseudo-counts below kSmallDirichletAlpha (prior crumbs on unlikely moves) share one gamma
// draw for their total, split in proportion to their pseudo-counts: by the aggregation property the
// total is exact, and it saves thousands of slow small-shape gamma draws per Monte Carlo draw.
void sample_dirichlet(Stream& s, const double* alpha, std::size_t n, double* out, bool mean_only) {
    double total = 0, small = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (alpha[i] < kSmallDirichletAlpha) small += alpha[i];
    const double small_mass = (!mean_only && small > 0) ? sample_gamma(s, small) : small;
    for (std::size_t i = 0; i < n; ++i) {
        if (alpha[i] < kSmallDirichletAlpha) out[i] = small > 0 ? small_mass * alpha[i] / small : 0.0;
        else out[i] = mean_only ? alpha[i] : sample_gamma(s, alpha[i]);
        total += out[i];
    }
    if (total <= 0) {
        // Every draw underflowed (tiny shapes): fall back to the mean, which is what the draws approach.
        double a = 0;
        for (std::size_t i = 0; i < n; ++i) a += alpha[i];
        for (std::size_t i = 0; i < n; ++i) out[i] = a > 0 ? alpha[i] / a : 1.0 / static_cast<double>(n);
        return;
    }
    for (std::size_t i = 0; i < n; ++i) out[i] /= total;
}

}  // namespace sendplan
