// Plans that cease, and net transfers in from other authorities (METHOD.md, section 4).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan::calibration {

void Builder::ceasing() {
    Posterior& p = out.posterior;
    Vec ceased(A, 0.0), exposure(A, 0.0);
    int years = 0;
    for (const auto& [year, rows] : h.ceased_by_age) {
        if (year > B - 1) continue;
        Vec stock_age, stock_split;
        if (!stock_age_setting(year, stock_age, stock_split)) {
            auto it = h.stock_by_age.find(year);
            if (it == h.stock_by_age.end()) continue;
            spread_age_rows(it->second, population_weights(year), tax.min_age, 0, stock_age, stock_split);
        }
        // Plans held at the top age end by age; the model ends them itself, so they are taken out
        // of the top band's ceased count before it is spread by stock over the younger ages.
        Vec weights = stock_age;
        weights[A - 1] = 0;
        std::vector<AgeRow> adjusted = rows;
        for (auto& r : adjusted)
            if (r.ages.last == tax.max_age && !std::isnan(r.total)) r.total = std::max(0.0, r.total - stock_age[A - 1]);
        Vec c, unused;
        spread_age_rows(adjusted, weights, tax.min_age, 0, c, unused);
        for (std::size_t a = 0; a + 1 < A; ++a) {
            ceased[a] += c[a];
            exposure[a] += stock_age[a];
        }
        ++years;
    }
    if (years == 0) note("no ceased plans by age up to " + year_text(B - 1) + ": ceasing rates come from the prior alone");
    p.cease_alpha.resize(A);
    p.cease_beta.resize(A);
    const double a0 = as.ceasing.prior_plans * as.ceasing.prior_rate, b0 = as.ceasing.prior_plans * (1 - as.ceasing.prior_rate);
    for (std::size_t a = 0; a < A; ++a) {
        const double c = std::min(ceased[a], exposure[a]);
        p.cease_alpha[a] = a0 + c;
        p.cease_beta[a] = b0 + exposure[a] - c;
    }
}

void Builder::transfers() {
    Posterior& p = out.posterior;
    std::vector<double> rates;
    for (const auto& [year, s0] : h.stock_total) {
        if (year + 1 > B || !h.stock_total.count(year + 1) || !h.new_total.count(year) || !h.ceased_total.count(year)) continue;
        if (std::find(p.trend.years_flagged.begin(), p.trend.years_flagged.end(), year) != p.trend.years_flagged.end()) continue;
        if (s0 <= 0) continue;
        rates.push_back((h.stock_total.at(year + 1) - s0 - h.new_total.at(year) + h.ceased_total.at(year)) / s0);
    }
    const double n = static_cast<double>(rates.size());
    if (rates.empty()) {
        p.transfer_mean = 0;
        p.transfer_sd = 0.01;
        note("no year with stock, new and ceased plans together: net transfers in assumed 0 +/- 1% a year");
        return;
    }
    p.transfer_mean = std::accumulate(rates.begin(), rates.end(), 0.0) / n;
    double ss = 0;
    for (double r : rates) ss += (r - p.transfer_mean) * (r - p.transfer_mean);
    p.transfer_sd = rates.size() >= 2 ? std::sqrt(ss / (n - 1)) : std::abs(p.transfer_mean) / 2;
    p.transfer_sd = std::max(p.transfer_sd, 0.005);
}

}  // namespace sendplan::calibration
