// New plans: the rate per head with its trend, and the mix of age, need and setting (METHOD.md, section 3).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include <fmt/format.h>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan::calibration {

namespace {

// The median of the unflagged years within two of `year`; none where it has no such neighbour.
std::optional<double> median_around(const std::map<int, double>& kept, int year) {
    std::vector<double> around;
    for (int y : {year - 2, year - 1, year + 1, year + 2})
        if (kept.count(y)) around.push_back(kept.at(y));
    if (around.empty()) return std::nullopt;
    std::sort(around.begin(), around.end());
    const std::size_t m = around.size();
    return m % 2 ? around[m / 2] : 0.5 * (around[m / 2 - 1] + around[m / 2]);
}

// The year of the window (after `window_start`) that differs most from the years around it, by
// more than `limit` in log rate; 0 where none does.
int worst_outlier(const std::map<int, double>& kept, int window_start, double limit) {
    int worst_year = 0;
    double worst = limit;
    for (const auto& [year, r] : kept) {
        if (year <= window_start) continue;
        const auto median = median_around(kept, year);
        if (!median) continue;
        const double deviation = (r > 0 && *median > 0) ? std::abs(std::log(r / *median)) : INFINITY;
        if (deviation > worst) {
            worst = deviation;
            worst_year = year;
        }
    }
    return worst_year;
}

// Log rate on years since the last, by least squares, with the noise variance's conjugate prior.
void fit_trend(JoinerTrendPosterior& t, const std::vector<double>& xs, const std::vector<double>& ys, double nu0, double s0) {
    const std::size_t n = xs.size();
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
}

// Too few years for a slope: the mean rate held, with a deliberately wide prior on change.
void hold_mean_rate(JoinerTrendPosterior& t, const std::vector<double>& ys, double nu0, double s0) {
    const std::size_t n = ys.size();
    const double mean = std::accumulate(ys.begin(), ys.end(), 0.0) / static_cast<double>(n);
    t.coefficients = Eigen::Vector2d(mean, 0.0);
    t.degrees_of_freedom = static_cast<int>(std::lround(nu0));
    t.residual_variance = s0 * s0;
    t.unscaled_covariance << 1.0 / static_cast<double>(n), 0.0, 0.0, 0.0025 / t.residual_variance;
}

}  // namespace

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
    while (const int worst_year = worst_outlier(kept, L - as.joiner_trend.window_years, limit)) {
        kept.erase(worst_year);
        t.years_flagged.push_back(worst_year);
        note(fmt::format("new plans in {} ({}) differ from the years around it by more than a factor {:g}; left out of the trend", worst_year,
                         std::lround(h.new_total.at(worst_year)), as.joiner_trend.outlier_ratio));
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
        fit_trend(t, xs, ys, nu0, s0);
    } else {
        hold_mean_rate(t, ys, nu0, s0);
        note("only " + std::to_string(n) + " usable year(s) of new plans: no trend fitted; rate held with slope sd 0.05");
    }
}

namespace {

// New plans of the recent years by age, and by age x setting, spread from the published rows;
// false where no recent year has them.
bool recent_joiners_by_age(const Builder& b, int first, int L, Vec& age_counts, Vec& age_setting) {
    bool have_age = false;
    for (const auto& [year, rows] : b.h.new_by_age) {
        if (year < first || year > L) continue;
        if (b.flagged(year)) continue;
        Vec tot, split;
        spread_age_rows(rows, b.population_weights(year), b.tax.min_age, b.S, tot, split);
        for (std::size_t i = 0; i < b.A; ++i) age_counts[i] += tot[i];
        for (std::size_t i = 0; i < b.A * b.S; ++i) age_setting[i] += split[i];
        have_age = true;
    }
    return have_age;
}

// The setting mix of joiners in the phase of age `a`, else of the base stock at that age, else even.
Vec phase_setting_mix(const Builder& b, std::size_t a, const Vec& age_setting) {
    const std::size_t A = b.A, K = b.K, S = b.S;
    const Posterior& p = b.out.posterior;
    const int phase = b.tax.phase_of_age(b.tax.min_age + static_cast<int>(a));
    Vec phase_mix(S, 0.0);
    for (std::size_t o = 0; o < A; ++o)
        if (b.tax.phase_of_age(b.tax.min_age + static_cast<int>(o)) == phase)
            for (std::size_t s = 0; s < S; ++s) phase_mix[s] += age_setting[o * S + s];
    if (std::accumulate(phase_mix.begin(), phase_mix.end(), 0.0) <= 0)
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t s = 0; s < S; ++s) phase_mix[s] += p.base_stock[(a * K + k) * S + s];
    if (std::accumulate(phase_mix.begin(), phase_mix.end(), 0.0) <= 0) phase_mix.assign(S, 1.0);
    return normalised(phase_mix);
}

// The all-ages need mix of the latest new plans up to `L`, else of the base stock.
Vec joiner_need_mix(Builder& b, int L) {
    const Posterior& p = b.out.posterior;
    Vec overall(b.K, 0.0);
    if (auto y = latest_year_up_to(b.h.new_by_need, L)) return normalised(b.h.new_by_need.at(*y));
    for (std::size_t i = 0; i < p.base_stock.size(); ++i) overall[static_cast<std::size_t>(p.dims.need_of(static_cast<int>(i)))] += p.base_stock[i];
    overall = normalised(overall);
    b.note("no new plans by need up to " + year_text(L) + ": joiners take the need mix of the base stock");
    return overall;
}

// How much more (or less) likely each setting is for a need than for joiners overall, from the
// latest table of new plans by need and setting up to `L`.
void joiner_need_setting_tilt(const Builder& b, int L, Posterior& p) {
    const std::size_t K = b.K, S = b.S;
    p.joiner_need_setting_tilt.assign({K, S}, 1.0);
    const auto y = latest_year_up_to(b.h.new_need_by_setting, L);
    if (!y) return;
    const auto& table = b.h.new_need_by_setting.at(*y);  // [setting][need]
    Vec setting_total(S, 0.0), need_total(K, 0.0);
    double all = 0;
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t k = 0; k < K; ++k) {
            setting_total[s] += table[s][k];
            need_total[k] += table[s][k];
            all += table[s][k];
        }
    const double c = b.as.joiner_mix.setting_prior_strength;
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t s = 0; s < S; ++s) {
            const double ps = all > 0 ? setting_total[s] / all : 0;
            if (ps <= 0) continue;
            const double ps_given_k = (table[s][k] + c * ps) / (need_total[k] + c);
            p.joiner_need_setting_tilt(k, s) = ps_given_k / ps;
        }
}

}  // namespace

void Builder::joiner_mix() {
    Posterior& p = out.posterior;
    const int L = p.trend.last_year;
    const int first = L - as.joiner_mix.recent_years + 1;
    Vec age_counts(A, 0.0), age_setting(A * S, 0.0);
    if (!recent_joiners_by_age(*this, first, L, age_counts, age_setting)) {
        note("no new plans by age in " + year_text(first) + ".." + year_text(L) + ": joiners take the age mix of the base stock");
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t s = 0; s < S; ++s) age_counts[a] += p.base_stock[(a * K + k) * S + s];
    }
    p.joiner_age_alpha.resize(A);
    for (std::size_t a = 0; a < A; ++a) p.joiner_age_alpha[a] = age_counts[a] + 0.1;

    // Setting given age, pooled toward the phase's mix (then the base stock's mix at that age).
    p.joiner_setting_alpha.assign({A, S}, 0.0);
    for (std::size_t a = 0; a < A; ++a) {
        const Vec phase_mix = phase_setting_mix(*this, a, age_setting);
        for (std::size_t s = 0; s < S; ++s) p.joiner_setting_alpha(a, s) = age_setting[a * S + s] + as.joiner_mix.setting_prior_strength * phase_mix[s];
    }

    // Need given age, pooled toward the all-ages mix of new plans.
    const double tau = as.joiner_mix.need_prior_strength;
    const Vec overall = joiner_need_mix(*this, L);
    Vec need_age(A * K, 0.0);
    for (const auto& [year, rows] : h.new_need_by_age) {
        if (year < first || year > L) continue;
        Vec tot, split;
        spread_age_rows(rows, population_weights(year), tax.min_age, K, tot, split);
        for (std::size_t i = 0; i < A * K; ++i) need_age[i] += split[i];
    }
    p.joiner_need_alpha.assign({A, K}, 0.0);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t k = 0; k < K; ++k) p.joiner_need_alpha(a, k) = need_age[a * K + k] + tau * overall[k] + 1e-3;

    joiner_need_setting_tilt(*this, L, p);
}

}  // namespace sendplan::calibration
