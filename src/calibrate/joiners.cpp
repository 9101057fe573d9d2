// New plans: the rate per head with its trend, and the mix of age, need and setting (METHOD.md, section 3).
#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan::calibration {

void Builder::joiner_trend() {
    JoinerTrendPosterior& t = out.posterior.trend;
    t.damping = as.joiner_trend.damping;
    std::map<int, double> rate;
    for (const auto& [year, n] : h.new_total)
        if (year <= B - 1 && !std::isnan(n)) rate[year] = n / pop.total(year);
    if (rate.empty()) throw DataError("no new-plan counts up to calendar year " + year_text(B - 1) + " for " + h.area_name);
    const int L = rate.rbegin()->first;
    t.last_year = L;
    // Outliers, most extreme first: a year is compared with the median of the unflagged years
    // within two of it, and flagged when it differs by more than `outlier_ratio`. Taking them one at
    // a time keeps one wild year from getting its honest neighbours flagged too.
    const double limit = std::log(as.joiner_trend.outlier_ratio);
    std::map<int, double> kept = rate;
    for (;;) {
        int worst_year = 0;
        double worst = limit;
        for (const auto& [year, r] : kept) {
            if (year <= L - as.joiner_trend.window_years) continue;
            std::vector<double> around;
            for (int y : {year - 2, year - 1, year + 1, year + 2})
                if (kept.count(y)) around.push_back(kept.at(y));
            if (around.empty()) continue;
            std::sort(around.begin(), around.end());
            const std::size_t m = around.size();
            const double median = m % 2 ? around[m / 2] : 0.5 * (around[m / 2 - 1] + around[m / 2]);
            const double deviation = (r > 0 && median > 0) ? std::abs(std::log(r / median)) : INFINITY;
            if (deviation > worst) {
                worst = deviation;
                worst_year = year;
            }
        }
        if (worst_year == 0) break;
        kept.erase(worst_year);
        t.years_flagged.push_back(worst_year);
        note(fmt::format("new plans in {} ({}) differ from the years around it by more than a factor {:g}; left out of the trend",
                         worst_year, std::lround(h.new_total.at(worst_year)), as.joiner_trend.outlier_ratio));
    }
    std::sort(t.years_flagged.begin(), t.years_flagged.end());
    std::vector<double> xs, ys;
    for (const auto& [year, r] : kept) {
        if (year <= L - as.joiner_trend.window_years) continue;
        t.years_used.push_back(year);
        xs.push_back(year - L);
        ys.push_back(std::log(r));
    }
    const std::size_t n = xs.size();
    if (n == 0) throw DataError("every year of new plans was flagged as an outlier for " + h.area_name);
    // Conjugate prior on the yearly noise variance, sigma^2 ~ scaled-inverse-chi^2(nu0, s0^2): with
    // a handful of years the data alone would allow absurdly large variances (an inverse-chi^2
    // with one or two degrees of freedom has no mean).
    const double nu0 = as.joiner_trend.noise_prior_years, s0 = as.joiner_trend.noise_prior_sd;
    if (n >= 3) {
        Eigen::MatrixXd X(n, 2);
        Eigen::VectorXd y(n);
        for (std::size_t i = 0; i < n; ++i) {
            X(static_cast<Eigen::Index>(i), 0) = 1.0;
            X(static_cast<Eigen::Index>(i), 1) = xs[i];
            y(static_cast<Eigen::Index>(i)) = ys[i];
        }
        Eigen::Matrix2d xtx = X.transpose() * X;
        t.unscaled_covariance = xtx.inverse();
        t.coefficients = t.unscaled_covariance * X.transpose() * y;
        // Residual sum of squares, summed by hand (Eigen's vectorised norm trips a GCC 12 false warning).
        double rss = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double e = ys[i] - (t.coefficients(0) + t.coefficients(1) * xs[i]);
            rss += e * e;
        }
        const double dof = static_cast<double>(n) - 2;
        t.degrees_of_freedom = static_cast<int>(std::lround(nu0 + dof));
        t.residual_variance = (nu0 * s0 * s0 + rss) / (nu0 + dof);
    } else {
        // Too few years for a slope: hold the mean rate, with a deliberately wide prior on change.
        const double mean = std::accumulate(ys.begin(), ys.end(), 0.0) / static_cast<double>(n);
        t.coefficients = Eigen::Vector2d(mean, 0.0);
        t.degrees_of_freedom = static_cast<int>(std::lround(nu0));
        t.residual_variance = s0 * s0;
        t.unscaled_covariance << 1.0 / static_cast<double>(n), 0.0, 0.0, 0.0025 / t.residual_variance;
        note("only " + std::to_string(n) + " usable year(s) of new plans: no trend fitted; rate held with slope sd 0.05");
    }
}

void Builder::joiner_mix() {
    Posterior& p = out.posterior;
    const int L = p.trend.last_year;
    const int first = L - as.joiner_mix.recent_years + 1;
    Vec age_counts(A, 0.0), age_setting(A * S, 0.0);
    bool have_age = false;
    for (const auto& [year, rows] : h.new_by_age) {
        if (year < first || year > L) continue;
        if (flagged(year)) continue;
        Vec tot, split;
        spread_age_rows(rows, population_weights(year), tax.min_age, S, tot, split);
        for (std::size_t i = 0; i < A; ++i) age_counts[i] += tot[i];
        for (std::size_t i = 0; i < A * S; ++i) age_setting[i] += split[i];
        have_age = true;
    }
    if (!have_age) {
        note("no new plans by age in " + year_text(first) + ".." + year_text(L) + ": joiners take the age mix of the base stock");
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t s = 0; s < S; ++s) age_counts[a] += p.base_stock[(a * K + k) * S + s];
    }
    p.joiner_age_alpha.resize(A);
    for (std::size_t a = 0; a < A; ++a) p.joiner_age_alpha[a] = age_counts[a] + 0.1;

    // Setting given age, pooled toward the phase's mix (then the base stock's mix at that age).
    p.joiner_setting_alpha.assign(A * S, 0.0);
    for (std::size_t a = 0; a < A; ++a) {
        const int phase = tax.phase_of_age(tax.min_age + static_cast<int>(a));
        Vec phase_mix(S, 0.0);
        for (std::size_t b = 0; b < A; ++b)
            if (tax.phase_of_age(tax.min_age + static_cast<int>(b)) == phase)
                for (std::size_t s = 0; s < S; ++s) phase_mix[s] += age_setting[b * S + s];
        if (std::accumulate(phase_mix.begin(), phase_mix.end(), 0.0) <= 0)
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t s = 0; s < S; ++s) phase_mix[s] += p.base_stock[(a * K + k) * S + s];
        if (std::accumulate(phase_mix.begin(), phase_mix.end(), 0.0) <= 0) phase_mix.assign(S, 1.0);
        phase_mix = normalised(phase_mix);
        for (std::size_t s = 0; s < S; ++s)
            p.joiner_setting_alpha[a * S + s] = age_setting[a * S + s] + as.joiner_mix.setting_prior_strength * phase_mix[s];
    }

    // Need given age, pooled toward the all-ages mix of new plans.
    const double tau = as.joiner_mix.need_prior_strength;
    Vec overall(K, 0.0);
    if (auto y = latest_year_up_to(h.new_by_need, L)) overall = normalised(h.new_by_need.at(*y));
    else {
        for (std::size_t i = 0; i < p.base_stock.size(); ++i) overall[static_cast<std::size_t>(p.dims.need_of(static_cast<int>(i)))] += p.base_stock[i];
        overall = normalised(overall);
        note("no new plans by need up to " + year_text(L) + ": joiners take the need mix of the base stock");
    }
    Vec need_age(A * K, 0.0);
    for (const auto& [year, rows] : h.new_need_by_age) {
        if (year < first || year > L) continue;
        Vec tot, split;
        spread_age_rows(rows, population_weights(year), tax.min_age, K, tot, split);
        for (std::size_t i = 0; i < A * K; ++i) need_age[i] += split[i];
    }
    p.joiner_need_alpha.assign(A * K, 0.0);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t k = 0; k < K; ++k) p.joiner_need_alpha[a * K + k] = need_age[a * K + k] + tau * overall[k] + 1e-3;

    // How much more (or less) likely each setting is for a need than for joiners overall.
    p.joiner_need_setting_tilt.assign(K * S, 1.0);
    if (auto y = latest_year_up_to(h.new_need_by_setting, L)) {
        const auto& table = h.new_need_by_setting.at(*y);  // [setting][need]
        Vec setting_total(S, 0.0), need_total(K, 0.0);
        double all = 0;
        for (std::size_t s = 0; s < S; ++s)
            for (std::size_t k = 0; k < K; ++k) {
                setting_total[s] += table[s][k];
                need_total[k] += table[s][k];
                all += table[s][k];
            }
        const double c = as.joiner_mix.setting_prior_strength;
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t s = 0; s < S; ++s) {
                const double ps = all > 0 ? setting_total[s] / all : 0;
                if (ps <= 0) continue;
                const double ps_given_k = (table[s][k] + c * ps) / (need_total[k] + c);
                p.joiner_need_setting_tilt[k * S + s] = ps_given_k / ps;
            }
    }
}

}  // namespace sendplan::calibration
