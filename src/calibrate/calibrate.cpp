#include "calibrate/calibrate.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <sstream>

#include "core/error.h"

namespace sendplan {
namespace {

using Vec = std::vector<double>;

template <class Map>
std::optional<int> latest_year_up_to(const Map& m, int limit) {
    std::optional<int> best;
    for (const auto& [year, value] : m)
        if (year <= limit && !value.empty()) best = year;
    return best;
}

bool rows_have_split(const std::vector<AgeRow>& rows) {
    return std::any_of(rows.begin(), rows.end(), [](const AgeRow& r) { return !r.split.empty(); });
}

// Integers that add up to round(sum(x)) and differ from x by less than one (largest remainder).
std::vector<std::int32_t> round_preserving_total(const double* x, std::size_t n) {
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
    long missing = std::lround(total) - assigned;
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

}  // namespace

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

struct Builder {
    const AreaHistory& h;
    const Population& pop;
    const Taxonomy& tax;
    const Assumptions& as;
    Calibration& out;
    std::size_t A, K, S;
    int B = 0;

    Builder(const AreaHistory& history, const Population& population, const Taxonomy& taxonomy, const Assumptions& assumptions,
            Calibration& calibration, int base_year)
        : h(history), pop(population), tax(taxonomy), as(assumptions), out(calibration), A(static_cast<std::size_t>(taxonomy.ages())),
          K(taxonomy.needs.size()), S(taxonomy.settings.size()), B(base_year) {}

    Vec population_weights(int year) const {
        Vec w(A);
        for (std::size_t a = 0; a < A; ++a) w[a] = pop.at(year, static_cast<int>(a));
        return w;
    }

    // Stock at a census by age x setting, spread from the published rows.
    bool stock_age_setting(int year, Vec& by_age, Vec& by_age_setting) const {
        auto it = h.stock_by_age.find(year);
        if (it == h.stock_by_age.end() || !rows_have_split(it->second)) return false;
        spread_age_rows(it->second, population_weights(year), tax.min_age, S, by_age, by_age_setting);
        return true;
    }

    void note(const std::string& s) { out.notes.push_back(s); }

    void base_stock() {
        Posterior& p = out.posterior;
        Vec by_age, by_age_setting;
        stock_age_setting(B, by_age, by_age_setting);
        // Integer plans per (age, setting), rounding within each setting so its total is kept.
        std::vector<std::int32_t> base_as(A * S, 0);
        for (std::size_t s = 0; s < S; ++s) {
            Vec col(A);
            for (std::size_t a = 0; a < A; ++a) col[a] = by_age_setting[a * S + s];
            auto ints = round_preserving_total(col.data(), A);
            for (std::size_t a = 0; a < A; ++a) base_as[a * S + s] = ints[a];
        }
        const double published_total = h.stock_total.count(B) ? h.stock_total.at(B) : NAN;
        const long rebuilt = std::accumulate(base_as.begin(), base_as.end(), 0L);
        if (!std::isnan(published_total) && std::abs(published_total - static_cast<double>(rebuilt)) > 0.5)
            note("base year " + year_text(B) + ": the age rows add up to " + std::to_string(rebuilt) + " plans, the published total is " +
                 std::to_string(std::lround(published_total)) + "; the age rows are used");

        // Need mix from the latest need tables up to the base year, pooled toward the all-ages mix.
        const double tau = as.joiner_mix.need_prior_strength;
        Vec overall(K, 0.0);
        auto need_year = latest_year_up_to(h.stock_by_need, B);
        const std::size_t unknown = static_cast<std::size_t>(tax.need_index("unknown").value_or(static_cast<int>(K) - 1));
        if (need_year) {
            overall = normalised(h.stock_by_need.at(*need_year));
        } else {
            overall[unknown] = 1.0;
            note("no primary-need table up to " + year_text(B) + ": every plan's need is 'unknown'");
        }
        need_year_ = need_year;
        Vec& need_by_age = need_by_age_;
        need_by_age.assign(A * K, 0.0);
        Vec need_by_setting(S * K);
        Vec age_counts, age_split;
        if (need_year && h.stock_need_by_age.count(*need_year))
            spread_age_rows(h.stock_need_by_age.at(*need_year), population_weights(*need_year), tax.min_age, K, age_counts, age_split);
        else
            age_split.assign(A * K, 0.0);
        for (std::size_t a = 0; a < A; ++a) {
            double n = 0;
            for (std::size_t k = 0; k < K; ++k) n += age_split[a * K + k];
            for (std::size_t k = 0; k < K; ++k) need_by_age[a * K + k] = (age_split[a * K + k] + tau * overall[k]) / (n + tau);
        }
        const std::vector<Vec>* by_setting = nullptr;
        if (need_year && h.stock_need_by_setting.count(*need_year)) by_setting = &h.stock_need_by_setting.at(*need_year);
        for (std::size_t s = 0; s < S; ++s) {
            double n = 0;
            for (std::size_t k = 0; k < K; ++k) n += by_setting ? (*by_setting)[s][k] : 0.0;
            for (std::size_t k = 0; k < K; ++k)
                need_by_setting[s * K + k] = ((by_setting ? (*by_setting)[s][k] : 0.0) + tau * overall[k]) / (n + tau);
        }
        // Margins of the joint (age i, need j, setting k): (age,need), (need,setting), (age,setting).
        Vec age_total(A, 0.0), setting_total(S, 0.0);
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t s = 0; s < S; ++s) {
                age_total[a] += base_as[a * S + s];
                setting_total[s] += base_as[a * S + s];
            }
        Vec m_age_need(A * K), m_need_setting(K * S), m_age_setting(A * S);
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t k = 0; k < K; ++k) m_age_need[a * K + k] = age_total[a] * need_by_age[a * K + k];
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t s = 0; s < S; ++s) m_need_setting[k * S + s] = setting_total[s] * need_by_setting[s * K + k];
        for (std::size_t i = 0; i < A * S; ++i) m_age_setting[i] = base_as[i];
        Vec joint(A * K * S, 1.0);
        out.base_stock_fit = ipf_3d(joint, static_cast<int>(A), static_cast<int>(K), static_cast<int>(S), m_age_need, m_need_setting,
                                    m_age_setting, as.setting_moves.ipf_tolerance, as.setting_moves.ipf_max_iterations);
        // Whole plans: within each (age, setting) the fitted need split is rounded keeping the total.
        p.base_stock.assign(A * K * S, 0);
        Vec cell(K);
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t s = 0; s < S; ++s) {
                double sum = 0;
                for (std::size_t k = 0; k < K; ++k) sum += (cell[k] = joint[(a * K + k) * S + s]);
                const double target = base_as[a * S + s];
                for (std::size_t k = 0; k < K; ++k) cell[k] = sum > 0 ? cell[k] * target / sum : (k == unknown ? target : 0.0);
                auto ints = round_preserving_total(cell.data(), K);
                for (std::size_t k = 0; k < K; ++k) p.base_stock[(a * K + k) * S + s] = ints[k];
            }
    }

    void joiner_trend() {
        JoinerTrendPosterior& t = out.posterior.trend;
        t.damping = as.joiner_trend.damping;
        std::map<int, double> rate;
        for (const auto& [year, n] : h.new_total)
            if (year <= B - 1 && !std::isnan(n)) rate[year] = n / pop.total(year);
        if (rate.empty()) throw DataError("no new-plan counts up to calendar year " + year_text(B - 1) + " for " + h.area_name);
        const int L = rate.rbegin()->first;
        t.last_year = L;
        std::vector<double> xs, ys;
        for (const auto& [year, r] : rate) {
            if (year <= L - as.joiner_trend.window_years) continue;
            std::vector<double> neighbours;
            for (int y : {year - 1, year + 1})
                if (rate.count(y)) neighbours.push_back(rate.at(y));
            bool flagged = r <= 0;
            if (!flagged && !neighbours.empty()) {
                const double med = neighbours.size() == 1 ? neighbours[0] : 0.5 * (neighbours[0] + neighbours[1]);
                const double ratio = med > 0 ? r / med : INFINITY;
                flagged = ratio > as.joiner_trend.outlier_ratio || ratio < 1.0 / as.joiner_trend.outlier_ratio;
            }
            if (flagged) {
                t.years_flagged.push_back(year);
                note("new plans in " + year_text(year) + " (" + std::to_string(std::lround(h.new_total.at(year))) +
                     ") differ from the neighbouring years by more than a factor " + std::to_string(as.joiner_trend.outlier_ratio) +
                     "; left out of the trend");
                continue;
            }
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
            const Eigen::VectorXd resid = y - X * t.coefficients;
            const double dof = static_cast<double>(n) - 2;
            t.degrees_of_freedom = static_cast<int>(std::lround(nu0 + dof));
            t.residual_variance = (nu0 * s0 * s0 + resid.squaredNorm()) / (nu0 + dof);
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

    void joiner_mix() {
        Posterior& p = out.posterior;
        const int L = p.trend.last_year;
        const int first = L - as.joiner_mix.recent_years + 1;
        Vec age_counts(A, 0.0), age_setting(A * S, 0.0);
        bool have_age = false;
        for (const auto& [year, rows] : h.new_by_age) {
            if (year < first || year > L) continue;
            if (std::find(p.trend.years_flagged.begin(), p.trend.years_flagged.end(), year) != p.trend.years_flagged.end()) continue;
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

    void ceasing() {
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

    void transfers() {
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

    void setting_moves() {
        Posterior& p = out.posterior;
        const auto& sm = as.setting_moves;
        Vec flows(A * S * S, 0.0), dest_mix(A * S, 0.0);
        int pairs = 0;
        for (const auto& [year, rows] : h.stock_by_age) {
            if (year + 1 > B) continue;
            Vec age0, as0, age1, as1;
            if (!stock_age_setting(year, age0, as0) || !stock_age_setting(year + 1, age1, as1)) continue;
            // Joiners between the two censuses: new plans of calendar year `year`, by age and setting.
            Vec j_age(A, 0.0), j_as(A * S, 0.0);
            auto nit = h.new_by_age.find(year);
            if (nit != h.new_by_age.end() && rows_have_split(nit->second)) {
                spread_age_rows(nit->second, population_weights(year), tax.min_age, S, j_age, j_as);
            } else if (h.new_total.count(year)) {
                const double total_alpha = std::accumulate(p.joiner_age_alpha.begin(), p.joiner_age_alpha.end(), 0.0);
                for (std::size_t a = 0; a < A; ++a) {
                    double row = 0;
                    for (std::size_t s = 0; s < S; ++s) row += p.joiner_setting_alpha[a * S + s];
                    for (std::size_t s = 0; s < S; ++s)
                        j_as[a * S + s] = h.new_total.at(year) * p.joiner_age_alpha[a] / total_alpha * p.joiner_setting_alpha[a * S + s] / row;
                }
            }
            ++pairs;
            for (std::size_t a = 0; a + 1 < A; ++a) {
                const double survive = p.cease_beta[a] / (p.cease_alpha[a] + p.cease_beta[a]);
                Eigen::VectorXd origin(S), dest(S);
                for (std::size_t s = 0; s < S; ++s) {
                    origin(static_cast<Eigen::Index>(s)) = as0[a * S + s] * survive;
                    dest(static_cast<Eigen::Index>(s)) = std::max(0.0, as1[(a + 1) * S + s] - j_as[(a + 1) * S + s]);
                }
                const double so = origin.sum(), sd = dest.sum();
                for (std::size_t s = 0; s < S; ++s) dest_mix[a * S + s] += sd > 0 ? dest(static_cast<Eigen::Index>(s)) / sd : 0.0;
                if (so <= 0 || sd <= 0) continue;
                dest *= so / sd;
                Eigen::MatrixXd table = prior_moves(a, dest / so) ;
                for (std::size_t s = 0; s < S; ++s) table.row(static_cast<Eigen::Index>(s)) *= origin(static_cast<Eigen::Index>(s));
                ipf_2d(table, origin, dest, sm.ipf_tolerance, sm.ipf_max_iterations);
                for (std::size_t s = 0; s < S; ++s)
                    for (std::size_t t = 0; t < S; ++t) flows[(a * S + s) * S + t] += table(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(t));
            }
        }
        if (pairs == 0) note("no two consecutive censuses by age and setting up to " + year_text(B) + ": setting moves come from the prior alone");
        p.move_alpha.assign(A * S * S, 0.0);
        for (std::size_t a = 0; a + 1 < A; ++a) {
            Eigen::VectorXd mix(S);
            for (std::size_t s = 0; s < S; ++s) mix(static_cast<Eigen::Index>(s)) = dest_mix[a * S + s];
            if (mix.sum() <= 0)  // no plans at this age in the data: the base stock's settings a year older
                for (std::size_t k = 0; k < K; ++k)
                    for (std::size_t s = 0; s < S; ++s) mix(static_cast<Eigen::Index>(s)) += p.base_stock[((a + 1) * K + k) * S + s];
            if (mix.sum() > 0) mix /= mix.sum();
            Eigen::MatrixXd prior = prior_moves(a, mix);
            for (std::size_t s = 0; s < S; ++s)
                for (std::size_t t = 0; t < S; ++t)
                    p.move_alpha[(a * S + s) * S + t] = flows[(a * S + s) * S + t] + sm.prior_strength * prior(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(t));
        }
    }

    // Prior setting moves from age a: stay with weight w, otherwise go where plans a year older are;
    // settings nobody a year older is in are closed. A row with no open setting stays put.
    Eigen::MatrixXd prior_moves(std::size_t a, const Eigen::VectorXd& dest_share) const {
        const auto& sm = as.setting_moves;
        const int age = tax.min_age + static_cast<int>(a);
        const bool transfer = std::find(sm.transfer_ages.begin(), sm.transfer_ages.end(), age) != sm.transfer_ages.end();
        return prior_transitions(transfer ? sm.stay_weight_transfer : sm.stay_weight, dest_share, false);
    }

    // Stay with weight w, otherwise move in proportion to `dest_share`. With `always_stay` a state
    // nobody is seen in a year older can still be kept (a need is never closed; a setting can be).
    static Eigen::MatrixXd prior_transitions(double w, const Eigen::VectorXd& dest_share, bool always_stay) {
        const Eigen::Index n = dest_share.size();
        Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, n);
        const bool any_open = dest_share.sum() > 0;
        for (Eigen::Index s = 0; s < n; ++s) {
            for (Eigen::Index t = 0; t < n; ++t) {
                const bool open = !any_open || dest_share(t) > 0 || (always_stay && s == t);
                if (!open) continue;
                m(s, t) = (s == t ? w : 0.0) + (1 - w) * dest_share(t);
            }
            const double sum = m.row(s).sum();
            if (sum > 0) m.row(s) /= sum;
            else m(s, s) = 1.0;
        }
        return m;
    }

    // Changes of recorded primary need between censuses. Aggregates give the need mix by age at one
    // census only; taking that age profile as stable, the flows from need at age a to need at a+1
    // that reproduce it (net of joiners) are rebuilt by IPF, as for settings (METHOD.md).
    void need_moves() {
        Posterior& p = out.posterior;
        const auto& nm = as.need_moves;
        p.need_move_alpha.clear();
        if (!need_year_ || !h.stock_need_by_age.count(*need_year_)) {
            note("no primary need by age up to " + year_text(B) + ": needs are held as they are");
            return;
        }
        Vec age_total, age_need;
        spread_age_rows(h.stock_need_by_age.at(*need_year_), population_weights(*need_year_), tax.min_age, K, age_total, age_need);
        // The need mix by age, smoothed over neighbouring ages: year-to-year differences in a single
        // census are mostly noise in small needs, and flows rebuilt from noise would churn needs.
        Vec smooth(A * K, 0.0);
        Vec overall(K, 0.0);
        for (std::size_t i = 0; i < A * K; ++i) overall[i % K] += age_need[i];
        overall = normalised(overall);
        const int window = as.need_moves.smoothing_ages;
        for (std::size_t a = 0; a < A; ++a) {
            double n = 0;
            Vec counts(K, 0.0);
            for (int b = static_cast<int>(a) - window; b <= static_cast<int>(a) + window; ++b) {
                if (b < 0 || b >= static_cast<int>(A)) continue;
                for (std::size_t k = 0; k < K; ++k) {
                    counts[k] += age_need[static_cast<std::size_t>(b) * K + k];
                    n += age_need[static_cast<std::size_t>(b) * K + k];
                }
            }
            const double tau = as.joiner_mix.need_prior_strength;
            for (std::size_t k = 0; k < K; ++k) smooth[a * K + k] = (counts[k] + tau * overall[k]) / (n + tau);
        }
        const double new_plans = h.new_total.count(*need_year_ - 1) ? h.new_total.at(*need_year_ - 1) : 0.0;
        const double alpha_age = std::accumulate(p.joiner_age_alpha.begin(), p.joiner_age_alpha.end(), 0.0);
        p.need_move_alpha.assign(A * K * K, 0.0);
        for (std::size_t a = 0; a + 1 < A; ++a) {
            const double survive = p.cease_beta[a] / (p.cease_alpha[a] + p.cease_beta[a]);
            const double joiners = new_plans * p.joiner_age_alpha[a + 1] / alpha_age;
            double alpha_need = 0;
            for (std::size_t k = 0; k < K; ++k) alpha_need += p.joiner_need_alpha[(a + 1) * K + k];
            Eigen::VectorXd origin(K), dest(K);
            for (std::size_t k = 0; k < K; ++k) {
                origin(static_cast<Eigen::Index>(k)) = age_total[a] * smooth[a * K + k] * survive;
                dest(static_cast<Eigen::Index>(k)) = std::max(
                    0.0, age_total[a + 1] * smooth[(a + 1) * K + k] - joiners * p.joiner_need_alpha[(a + 1) * K + k] / alpha_need);
            }
            const double so = origin.sum(), sd = dest.sum();
            Eigen::VectorXd share = sd > 0 ? Eigen::VectorXd(dest / sd) : Eigen::VectorXd::Zero(static_cast<Eigen::Index>(K));
            Eigen::MatrixXd prior = prior_transitions(nm.stay_weight, share, true);
            Eigen::MatrixXd flows = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(K));
            if (so > 0 && sd > 0) {
                dest *= so / sd;
                flows = prior;
                for (std::size_t k = 0; k < K; ++k) flows.row(static_cast<Eigen::Index>(k)) *= origin(static_cast<Eigen::Index>(k));
                ipf_2d(flows, origin, dest, as.setting_moves.ipf_tolerance, as.setting_moves.ipf_max_iterations);
            }
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t j = 0; j < K; ++j)
                    p.need_move_alpha[(a * K + k) * K + j] = flows(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) +
                                                             nm.prior_strength * prior(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j));
        }
    }

    std::optional<int> need_year_;
    Vec need_by_age_;
};

}  // namespace

Calibration calibrate(const AreaHistory& h, const Population& pop, const Taxonomy& tax, const Assumptions& as, int base_year, int horizon) {
    Calibration out;

    std::optional<int> latest;
    for (const auto& [year, rows] : h.stock_by_age)
        if (rows_have_split(rows)) latest = year;
    if (!latest) throw DataError("no January census of " + h.area_name + " by age and setting in the data: cannot start a projection");
    if (base_year == 0) base_year = *latest;
    if (!h.stock_by_age.count(base_year) || !rows_have_split(h.stock_by_age.at(base_year)))
        throw DataError("no January " + std::to_string(base_year) + " census of " + h.area_name + " by age and setting; latest is " +
                        std::to_string(*latest));
    Builder b(h, pop, tax, as, out, base_year);
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
    p.population_by_year_age.clear();
    for (int h_ = 0; h_ < horizon; ++h_) {
        Vec w = b.population_weights(base_year + h_);
        p.population_by_year_age.insert(p.population_by_year_age.end(), w.begin(), w.end());
    }
    for (const auto& n : h.notes) out.notes.push_back(n);
    return out;
}

}  // namespace sendplan
