#include "model/alias_table.h"

#include <algorithm>
#include <cmath>

namespace sendplan {

namespace {
// A probability as a threshold out of 2^32. Certainty saturates one short of 2^32; the slot's
// alias is then the slot itself, so the draw is still certain.
std::uint32_t threshold_of(double p) {
    if (p >= 1.0) return 0xFFFFFFFFu;
    if (p <= 0.0) return 0;
    return static_cast<std::uint32_t>(std::min(p * 4294967296.0, 4294967295.0));  // times 2^32 is exact
}
}  // namespace

void build_alias(const double* weights, std::size_t n, AliasSlot* slots, AliasWorkspace& w) {
    if (w.scaled.size() < n) {
        w.scaled.resize(n);
        w.small.resize(n);
        w.large.resize(n);
    }
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += weights[i];
    std::size_t ns = 0, nl = 0;
    for (std::size_t i = 0; i < n; ++i) {
        w.scaled[i] = total > 0 ? weights[i] * static_cast<double>(n) / total : (i == 0 ? static_cast<double>(n) : 0.0);
        slots[i] = AliasSlot{0xFFFFFFFFu, static_cast<std::uint32_t>(i)};
        // Written to both lists, kept by one: no branch to mispredict on random weights.
        const bool small = w.scaled[i] < 1.0;
        w.small[ns] = static_cast<std::uint32_t>(i);
        w.large[nl] = static_cast<std::uint32_t>(i);
        ns += small;
        nl += !small;
    }
    while (ns > 0 && nl > 0) {
        const std::uint32_t s = w.small[--ns];
        const std::uint32_t l = w.large[nl - 1];
        slots[s] = AliasSlot{threshold_of(w.scaled[s]), l};
        w.scaled[l] = (w.scaled[l] + w.scaled[s]) - 1.0;
        if (w.scaled[l] < 1.0) {
            --nl;
            w.small[ns++] = l;
        }
    }
    // What is left is 1 up to rounding: those slots keep their own category.
}

}  // namespace sendplan
