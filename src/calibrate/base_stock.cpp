// The base-year stock by age x need x setting, rebuilt from published margins (METHOD.md, section 7).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan::calibration {

namespace {

// The base census by age and by age x setting.
void base_age_setting(Builder& b, Vec& by_age, Vec& by_age_setting) {
    if (b.stock_age_setting(b.B, by_age, by_age_setting)) return;
    // Censuses before 2023 are published by age band without settings. Plans are spread over
    // settings by the latest all-ages setting mix up to the base year (else all in the first
    // setting). Settings and needs do not change how many plans there are, only where they are.
    const std::size_t A = b.A, S = b.S;
    Vec unused;
    spread_age_rows(b.h.stock_by_age.at(b.B), b.population_weights(b.B), b.tax.min_age, 0, by_age, unused);
    Vec mix(S, 0.0);
    if (auto y = latest_year_up_to(b.h.stock_by_setting, b.B)) mix = normalised(b.h.stock_by_setting.at(*y));
    if (std::accumulate(mix.begin(), mix.end(), 0.0) <= 0) mix[0] = 1.0;
    by_age_setting.assign(A * S, 0.0);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t s = 0; s < S; ++s) by_age_setting[a * S + s] = by_age[a] * mix[s];
    b.note("no census by age and setting in " + year_text(b.B) + ": settings spread by the all-ages mix; totals are unaffected");
}

// Integer plans per (age, setting): the settings' totals rounded so they keep the whole total,
// then each setting's ages rounded so they keep its total.
std::vector<std::int32_t> whole_plans_by_age_setting(const Vec& by_age_setting, std::size_t A, std::size_t S) {
    std::vector<std::int32_t> base_as(A * S, 0);
    Vec setting_sums(S, 0.0);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t s = 0; s < S; ++s) setting_sums[s] += by_age_setting[a * S + s];
    const auto setting_totals = round_preserving_total(setting_sums.data(), S);
    for (std::size_t s = 0; s < S; ++s) {
        Vec col(A);
        for (std::size_t a = 0; a < A; ++a) col[a] = by_age_setting[a * S + s];
        auto ints = round_preserving_total(col.data(), A, setting_totals[s]);
        for (std::size_t a = 0; a < A; ++a) base_as[a * S + s] = ints[a];
    }
    return base_as;
}

void note_published_total(Builder& b, const std::vector<std::int32_t>& base_as) {
    const double published_total = b.h.stock_total.count(b.B) ? b.h.stock_total.at(b.B) : NAN;
    const long rebuilt = std::accumulate(base_as.begin(), base_as.end(), 0L);
    if (!std::isnan(published_total) && std::abs(published_total - static_cast<double>(rebuilt)) > 0.5)
        b.note("base year " + year_text(b.B) + ": the age rows add up to " + std::to_string(rebuilt) + " plans, the published total is " +
               std::to_string(std::lround(published_total)) + "; the age rows are used");
}

// Need given age from the need year's age rows, pooled toward the all-ages mix `overall`.
Vec need_by_age(const Builder& b, std::optional<int> need_year, const Vec& overall, double tau) {
    const std::size_t A = b.A, K = b.K;
    Vec by_age(A * K, 0.0);
    Vec age_counts, age_split;
    if (need_year && b.h.stock_need_by_age.count(*need_year))
        spread_age_rows(b.h.stock_need_by_age.at(*need_year), b.population_weights(*need_year), b.tax.min_age, K, age_counts, age_split);
    else
        age_split.assign(A * K, 0.0);
    for (std::size_t a = 0; a < A; ++a) {
        double n = 0;
        for (std::size_t k = 0; k < K; ++k) n += age_split[a * K + k];
        for (std::size_t k = 0; k < K; ++k) by_age[a * K + k] = (age_split[a * K + k] + tau * overall[k]) / (n + tau);
    }
    return by_age;
}

// Need given setting from the need year's placement table, pooled toward the all-ages mix `overall`.
Vec need_by_setting(const Builder& b, std::optional<int> need_year, const Vec& overall, double tau) {
    const std::size_t K = b.K, S = b.S;
    Vec by_setting_mix(S * K);
    const std::vector<Vec>* by_setting = nullptr;
    if (need_year && b.h.stock_need_by_setting.count(*need_year)) by_setting = &b.h.stock_need_by_setting.at(*need_year);
    for (std::size_t s = 0; s < S; ++s) {
        double n = 0;
        for (std::size_t k = 0; k < K; ++k) n += by_setting ? (*by_setting)[s][k] : 0.0;
        for (std::size_t k = 0; k < K; ++k) by_setting_mix[s * K + k] = ((by_setting ? (*by_setting)[s][k] : 0.0) + tau * overall[k]) / (n + tau);
    }
    return by_setting_mix;
}

// The joint (age i, need j, setting k) fitted by IPF to its margins (age,need), (need,setting) and
// (age,setting), the last held exactly.
Vec fitted_joint(Builder& b, const std::vector<std::int32_t>& base_as, const Vec& need_given_age, const Vec& need_given_setting) {
    const std::size_t A = b.A, K = b.K, S = b.S;
    Vec age_total(A, 0.0), setting_total(S, 0.0);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t s = 0; s < S; ++s) {
            age_total[a] += base_as[a * S + s];
            setting_total[s] += base_as[a * S + s];
        }
    Vec m_age_need(A * K), m_need_setting(K * S), m_age_setting(A * S);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t k = 0; k < K; ++k) m_age_need[a * K + k] = age_total[a] * need_given_age[a * K + k];
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t s = 0; s < S; ++s) m_need_setting[k * S + s] = setting_total[s] * need_given_setting[s * K + k];
    for (std::size_t i = 0; i < A * S; ++i) m_age_setting[i] = base_as[i];
    Vec joint(A * K * S, 1.0);
    b.out.base_stock_fit = ipf_3d(joint, static_cast<int>(A), static_cast<int>(K), static_cast<int>(S), m_age_need, m_need_setting, m_age_setting,
                                  b.as.setting_moves.ipf_tolerance, b.as.setting_moves.ipf_max_iterations);
    return joint;
}

// Whole plans: within each (age, setting) the fitted need split is rounded keeping the total; an
// empty one puts the plans in the unknown need.
void round_base_stock(Builder& b, const Vec& joint, const std::vector<std::int32_t>& base_as, std::size_t unknown) {
    const std::size_t A = b.A, K = b.K, S = b.S;
    auto& base_stock = b.out.posterior.base_stock;
    base_stock.assign(A * K * S, 0);
    Vec cell(K);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t s = 0; s < S; ++s) {
            double sum = 0;
            for (std::size_t k = 0; k < K; ++k) sum += (cell[k] = joint[(a * K + k) * S + s]);
            const double target = base_as[a * S + s];
            for (std::size_t k = 0; k < K; ++k) cell[k] = sum > 0 ? cell[k] * target / sum : (k == unknown ? target : 0.0);
            auto ints = round_preserving_total(cell.data(), K);
            for (std::size_t k = 0; k < K; ++k) base_stock[(a * K + k) * S + s] = ints[k];
        }
}

}  // namespace

void Builder::base_stock() {
    Vec by_age, by_age_setting;
    base_age_setting(*this, by_age, by_age_setting);
    const std::vector<std::int32_t> base_as = whole_plans_by_age_setting(by_age_setting, A, S);
    note_published_total(*this, base_as);

    // Need mix from the latest need tables up to the base year, pooled toward the all-ages mix.
    const double tau = as.joiner_mix.need_prior_strength;
    Vec overall(K, 0.0);
    auto need_year = latest_year_up_to(h.stock_by_need, B);
    const std::size_t unknown = static_cast<std::size_t>(tax.need_index("UNK").value_or(static_cast<int>(K) - 1));
    if (need_year) {
        overall = normalised(h.stock_by_need.at(*need_year));
    } else {
        overall[unknown] = 1.0;
        note("no primary-need table up to " + year_text(B) + ": every plan's need is 'UNK' (not recorded)");
    }
    need_year_ = need_year;
    const Vec need_given_age = need_by_age(*this, need_year, overall, tau);
    const Vec need_given_setting = need_by_setting(*this, need_year, overall, tau);
    const Vec joint = fitted_joint(*this, base_as, need_given_age, need_given_setting);
    round_base_stock(*this, joint, base_as, unknown);
}

}  // namespace sendplan::calibration
