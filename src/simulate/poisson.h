#pragma once
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <cstdint>

#include "core/rng.h"

namespace sendplan {

// Poisson variate: inversion for small means (most cells), Boost's PTRD rejection for large ones.
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

}  // namespace sendplan
