// Plans that cease, and net transfers in from other authorities (METHOD.md, section 4).
#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

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
    if (years == 0) years = net_leaving_from_censuses(ceased, exposure);
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

namespace {

// Net leaving over one pair of censuses, summed over the later census's age bands.
struct PairLeaving {
    bool used = false;
    double left = 0, exposure = 0;
};

// Each band of the later census: the plans held a year younger at the earlier census, plus the
// band's new plans, less the band's plans. With `sets_level` it is shared over the ages held in
// proportion to their plans, into `ceased` and `exposure`.
PairLeaving leaving_by_band(const std::vector<AgeRow>& bands, const Vec& held, const Vec& joiners, int min_age, std::size_t A, bool sets_level, Vec& ceased,
                            Vec& exposure) {
    PairLeaving pair;
    for (const AgeRow& band : bands) {
        if (std::isnan(band.total)) continue;
        const int f = band.ages.first - min_age, l = band.ages.last - min_age;
        if (f < 0 || l >= static_cast<int>(A)) continue;
        double could_be = 0, joined_band = 0;
        for (int a = std::max(f - 1, 0); a <= l - 1; ++a) could_be += held[static_cast<std::size_t>(a)];
        for (int a = f; a <= l; ++a) joined_band += joiners[static_cast<std::size_t>(a)];
        if (could_be <= 0) continue;
        const double left = could_be + joined_band - band.total;
        pair.left += left;
        pair.exposure += could_be;
        for (int a = std::max(f - 1, 0); a <= l - 1 && sets_level; ++a) {
            const double share = held[static_cast<std::size_t>(a)] / could_be;
            ceased[static_cast<std::size_t>(a)] += share * left;
            exposure[static_cast<std::size_t>(a)] += held[static_cast<std::size_t>(a)];
        }
        pair.used = true;
    }
    return pair;
}

// Ages where more arrived than left cannot have negative ceasing; the others' leaving is scaled
// down so that the total still balances. Returns the net arrival rate: what is left over, per plan
// held, when more arrived than left overall.
double balance_negative_leaving(Vec& ceased, const Vec& exposure) {
    double total = 0, positive = 0, held = 0;
    for (std::size_t a = 0; a < ceased.size(); ++a) {
        total += ceased[a];
        positive += std::max(ceased[a], 0.0);
        held += exposure[a];
    }
    const double scale = positive > 0 ? std::max(total, 0.0) / positive : 0.0;
    for (std::size_t a = 0; a < ceased.size(); ++a) ceased[a] = std::clamp(ceased[a] * scale, 0.0, exposure[a]);
    return held > 0 && total < 0 ? -total / held : 0.0;
}

}  // namespace

// Without published ceased plans (before the 2023 release), the cohort identity gives net leaving
// (ceasing less net transfers in) for each age band of the census: the plans that could be in band
// [f, l] at census t+1 are those held at ages f-1..l-1 at census t plus the band's new plans in
// calendar year t; what the census finds fewer left. The count is shared over those ages in
// proportion to their plans. Net leaving can come out negative (more arrived than left); see below.
int Builder::net_leaving_from_censuses(Vec& ceased, Vec& exposure) {
    int pairs = 0;
    const int spread_years = std::max(as.ceasing.census_window_years, as.ceasing.census_spread_years);
    for (int t = B - 1; t >= B - spread_years; --t) {
        // Recent pairs set the level; a longer run of pairs shows how much it moves year to year.
        const bool sets_level = t >= B - as.ceasing.census_window_years;
        auto s0 = h.stock_by_age.find(t), s1 = h.stock_by_age.find(t + 1);
        auto joined = h.new_by_age.find(t);
        if (s0 == h.stock_by_age.end() || s1 == h.stock_by_age.end() || joined == h.new_by_age.end()) continue;
        if (flagged(t)) continue;  // a flagged year of new plans would make the balance meaningless
        Vec held, joiners, unused;
        spread_age_rows(s0->second, population_weights(t), tax.min_age, 0, held, unused);
        spread_age_rows(joined->second, population_weights(t + 1), tax.min_age, 0, joiners, unused);
        const PairLeaving pair = leaving_by_band(s1->second, held, joiners, tax.min_age, A, sets_level, ceased, exposure);
        pairs += pair.used && sets_level;
        if (pair.used && pair.exposure > 0) net_leaving_rates_.push_back(pair.left / pair.exposure);
    }
    if (pairs == 0) net_leaving_rates_.clear();
    if (pairs > 0) {
        net_arrival_rate_ = balance_negative_leaving(ceased, exposure);
        note("no ceased plans by age up to " + year_text(B - 1) + ": net leaving by age inferred from " + std::to_string(pairs) +
             " pair(s) of censuses and new plans (METHOD.md, section 4)");
    }
    return pairs;
}

void Builder::transfers() {
    Posterior& p = out.posterior;
    if (!net_leaving_rates_.empty()) {
        // Ceasing is already net of transfers. How much net leaving moved from one year to the next
        // is the uncertainty of its level in the years ahead: a transfer rate centred on zero whose
        // spread is the predictive spread of the yearly rates (at least half a per cent).
        const double n = static_cast<double>(net_leaving_rates_.size());
        const double mean = std::accumulate(net_leaving_rates_.begin(), net_leaving_rates_.end(), 0.0) / n;
        double ss = 0;
        for (double r : net_leaving_rates_) ss += (r - mean) * (r - mean);
        const double sd = net_leaving_rates_.size() >= 2 ? std::sqrt(ss / (n - 1)) : 0.01;
        p.transfer_mean = net_arrival_rate_;
        p.transfer_sd = std::max(0.005, sd * std::sqrt(1.0 + 1.0 / n));
        p.transfer_dof = net_leaving_rates_.size() >= 2 ? static_cast<int>(net_leaving_rates_.size()) - 1 : 0;
        note(fmt::format("net leaving varied by {:.1f}% a year between censuses: carried as the uncertainty of net transfers", 100 * sd));
        return;
    }
    std::vector<double> rates;
    for (const auto& [year, s0] : h.stock_total) {
        if (year + 1 > B || !h.stock_total.count(year + 1) || !h.new_total.count(year) || !h.ceased_total.count(year)) continue;
        if (flagged(year)) continue;
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
