// Helpers shared by the calibration steps.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan::calibration {

bool rows_have_split(const std::vector<AgeRow>& rows) {
    return std::any_of(rows.begin(), rows.end(), [](const AgeRow& r) { return !r.split.empty(); });
}

// Integers that add up to round(sum(x)) and differ from x by less than one (largest remainder).
std::vector<std::int32_t> round_preserving_total(const double* x, std::size_t n, std::optional<long> target) {
    std::vector<std::int32_t> out(n);
    double total = 0;
    std::vector<std::pair<double, std::size_t>> remainders(n);
    long assigned = 0;
    for (std::size_t i = 0; i < n; ++i) {
        total += x[i];
        out[i] = static_cast<std::int32_t>(std::floor(x[i]));
        assigned += out[i];
        remainders[i] = {x[i] - std::floor(x[i]), i};
    }
    long missing = (target ? *target : std::lround(total)) - assigned;
    std::stable_sort(remainders.begin(), remainders.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < n && missing > 0; ++i, --missing) ++out[remainders[i].second];
    return out;
}

Vec normalised(Vec v) {
    const double s = std::accumulate(v.begin(), v.end(), 0.0);
    if (s > 0)
        for (auto& x : v) x /= s;
    return v;
}

std::string year_text(int y) { return std::to_string(y); }

Vec Builder::population_weights(int year) const {
    Vec w(A);
    for (std::size_t a = 0; a < A; ++a) w[a] = pop.at(year, static_cast<int>(a));
    return w;
}

// Stock at a census by age x setting, spread from the published rows.
bool Builder::stock_age_setting(int year, Vec& by_age, Vec& by_age_setting) const {
    auto it = h.stock_by_age.find(year);
    if (it == h.stock_by_age.end() || !rows_have_split(it->second)) return false;
    spread_age_rows(it->second, population_weights(year), tax.min_age, S, by_age, by_age_setting);
    return true;
}

void Builder::note(const std::string& s) { out.notes.push_back(s); }

bool Builder::flagged(int year) const {
    const auto& f = out.posterior.trend.years_flagged;
    return std::find(f.begin(), f.end(), year) != f.end();
}

}  // namespace sendplan::calibration
