#include "model/alias_table.h"

namespace sendplan {

void AliasTable::build(const double* weights, std::size_t n) {
    if (threshold_.size() < n) reserve(n);
    size_ = n;
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += weights[i];
    std::size_t ns = 0, nl = 0;
    for (std::size_t i = 0; i < n; ++i) {
        scaled_[i] = total > 0 ? weights[i] * static_cast<double>(n) / total : (i == 0 ? static_cast<double>(n) : 0.0);
        alias_[i] = static_cast<std::uint32_t>(i);
        if (scaled_[i] < 1.0) small_[ns++] = static_cast<std::uint32_t>(i);
        else large_[nl++] = static_cast<std::uint32_t>(i);
    }
    while (ns > 0 && nl > 0) {
        const std::uint32_t s = small_[--ns];
        const std::uint32_t l = large_[nl - 1];
        threshold_[s] = scaled_[s];
        alias_[s] = l;
        scaled_[l] = (scaled_[l] + scaled_[s]) - 1.0;
        if (scaled_[l] < 1.0) {
            --nl;
            small_[ns++] = l;
        }
    }
    // What is left is 1 up to rounding.
    while (nl > 0) threshold_[large_[--nl]] = 1.0;
    while (ns > 0) threshold_[small_[--ns]] = 1.0;
}

}  // namespace sendplan
