#include "calibrate/calibrate.h"

#include <cmath>
#include <numeric>
#include <optional>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan {

using calibration::Vec;

void spread_age_rows(const std::vector<AgeRow>& rows, const Vec& weights, int min_age, std::size_t parts, Vec& totals, Vec& split) {
    const std::size_t A = weights.size();
    totals.assign(A, 0.0);
    split.assign(A * parts, 0.0);
    for (const auto& row : rows) {
        const int first = row.ages.first - min_age, last = row.ages.last - min_age;
        if (first < 0 || last >= static_cast<int>(A)) continue;
        double wsum = 0;
        for (int a = first; a <= last; ++a) wsum += weights[static_cast<std::size_t>(a)];
        for (int a = first; a <= last; ++a) {
            const double share = wsum > 0 ? weights[static_cast<std::size_t>(a)] / wsum : 1.0 / (last - first + 1);
            if (!std::isnan(row.total)) totals[static_cast<std::size_t>(a)] += share * row.total;
            if (!row.split.empty() && parts > 0)
                for (std::size_t p = 0; p < parts; ++p) split[static_cast<std::size_t>(a) * parts + p] += share * row.split[p];
        }
    }
}

namespace {
// A census published only as a total (January 2019..2023 in the 2023+ releases) gets the age shape
// of the latest earlier census by age, scaled to its total.
std::optional<AreaHistory> with_age_rows_for(const AreaHistory& h, int year, std::vector<std::string>& notes) {
    if (h.stock_by_age.count(year) || !h.stock_total.count(year) || std::isnan(h.stock_total.at(year))) return std::nullopt;
    auto earlier = h.stock_by_age.lower_bound(year);
    if (earlier == h.stock_by_age.begin()) return std::nullopt;
    --earlier;
    double total = 0;
    for (const auto& r : earlier->second)
        if (!std::isnan(r.total)) total += r.total;
    if (total <= 0) return std::nullopt;
    AreaHistory copy = h;
    std::vector<AgeRow> rows;
    for (const auto& r : earlier->second) rows.push_back(AgeRow{r.ages, r.total * h.stock_total.at(year) / total, {}});
    copy.stock_by_age[year] = rows;
    notes.push_back("the January " + std::to_string(year) + " census is published as a total only: its ages take the shape of January " +
                    std::to_string(earlier->first));
    return copy;
}
}  // namespace

int base_year_of(const AreaHistory& h, int requested) {
    if (requested != 0) return requested;
    // The latest census by age and setting; failing that (only the 2022 release's age bands), by age.
    std::optional<int> latest, latest_by_age;
    for (const auto& [year, rows] : h.stock_by_age) {
        if (rows.empty()) continue;
        latest_by_age = year;
        if (calibration::rows_have_split(rows)) latest = year;
    }
    if (!latest_by_age) throw DataError("no January census of " + h.area_name + " by age in the data: cannot start a projection");
    return latest ? *latest : *latest_by_age;
}

Calibration calibrate(const AreaHistory& history, const Population& pop, const Taxonomy& tax, const Assumptions& as, int base_year,
                      int horizon, const PooledEstimates* pooled) {
    Calibration out;
    std::optional<AreaHistory> filled;
    if (base_year != 0) filled = with_age_rows_for(history, base_year, out.notes);
    const AreaHistory& h = filled ? *filled : history;

    base_year = base_year_of(h, base_year);
    std::optional<int> latest_by_age;
    for (const auto& [year, rows] : h.stock_by_age)
        if (!rows.empty()) latest_by_age = year;
    if (!h.stock_by_age.count(base_year) || h.stock_by_age.at(base_year).empty())
        throw DataError("no January " + std::to_string(base_year) + " census of " + h.area_name + " by age; latest is " +
                        std::to_string(*latest_by_age));
    calibration::Builder b(h, pop, tax, as, out, base_year);
    Posterior& p = out.posterior;
    p.dims = Dimensions{tax.ages(), static_cast<int>(tax.needs.size()), static_cast<int>(tax.settings.size())};
    p.base_year = base_year;
    p.horizon = horizon;
    b.base_stock();
    b.joiner_trend();
    b.joiner_mix();
    b.ceasing();
    b.transfers();
    b.setting_moves();
    b.need_moves();
    p.reference_population = b.population_weights(p.trend.last_year);
    p.reference_population_total = std::accumulate(p.reference_population.begin(), p.reference_population.end(), 0.0);
    p.population_by_year_age.assign({static_cast<std::size_t>(horizon), p.reference_population.size()});
    for (int h_ = 0; h_ < horizon; ++h_) {
        const Vec w = b.population_weights(base_year + h_);
        std::copy(w.begin(), w.end(), p.population_by_year_age.row(h_).begin());
    }
    if (pooled && as.pooling.enabled) {
        if (pooled->origin != base_year)
            throw DataError("the pooled estimates are for January " + std::to_string(pooled->origin) + ", the projection starts from January " +
                            std::to_string(base_year));
        apply_pooling(*pooled, totals_of(h), as.pooling, p.reference_population_total, p, out.notes);
    }
    for (const auto& n : h.notes) out.notes.push_back(n);
    return out;
}

}  // namespace sendplan
