// Setting moves and need changes between censuses, rebuilt by IPF (METHOD.md, sections 5 and 6).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan::calibration {

namespace {

// Joiners between the censuses of `year` and `year + 1`, new plans of calendar year `year`, by age x
// setting: as published where the year's age rows have settings, else the year's total spread by
// the joiners' age and setting mix.
Vec joiners_by_age_setting(const Builder& b, int year) {
    const std::size_t A = b.A, S = b.S;
    const Posterior& p = b.out.posterior;
    Vec j_age(A, 0.0), j_as(A * S, 0.0);
    auto nit = b.h.new_by_age.find(year);
    if (nit != b.h.new_by_age.end() && rows_have_split(nit->second)) {
        spread_age_rows(nit->second, b.population_weights(year), b.tax.min_age, S, j_age, j_as);
    } else if (b.h.new_total.count(year)) {
        const double total_alpha = std::accumulate(p.joiner_age_alpha.begin(), p.joiner_age_alpha.end(), 0.0);
        for (std::size_t a = 0; a < A; ++a) {
            double row = 0;
            for (std::size_t s = 0; s < S; ++s) row += p.joiner_setting_alpha(a, s);
            for (std::size_t s = 0; s < S; ++s)
                j_as[a * S + s] = b.h.new_total.at(year) * p.joiner_age_alpha[a] / total_alpha * p.joiner_setting_alpha(a, s) / row;
        }
    }
    return j_as;
}

// One pair of censuses: at each age, the survivors' settings at the first census and the settings a
// year older at the second (less joiners), and the flows between them rebuilt by IPF.
void add_census_pair_flows(const Builder& b, const Vec& as0, const Vec& as1, const Vec& j_as, Vec& flows, Vec& dest_mix) {
    const std::size_t A = b.A, S = b.S;
    const Posterior& p = b.out.posterior;
    for (std::size_t a = 0; a + 1 < A; ++a) {
        const double survive = p.cease_beta[a] / (p.cease_alpha[a] + p.cease_beta[a]);
        Eigen::VectorXd origin(S), dest(S);
        for (std::size_t s = 0; s < S; ++s) {
            origin(static_cast<Eigen::Index>(s)) = as0[a * S + s] * survive;
            dest(static_cast<Eigen::Index>(s)) = std::max(0.0, as1[(a + 1) * S + s] - j_as[(a + 1) * S + s]);
        }
        const double sd = dest.sum();
        for (std::size_t s = 0; s < S; ++s) dest_mix[a * S + s] += sd > 0 ? dest(static_cast<Eigen::Index>(s)) / sd : 0.0;
        if (origin.sum() <= 0 || sd <= 0) continue;
        const Eigen::MatrixXd table = b.rebuild_flows(origin, dest, b.prior_moves(a, dest / sd));
        for (std::size_t s = 0; s < S; ++s)
            for (std::size_t t = 0; t < S; ++t) flows[(a * S + s) * S + t] += table(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(t));
    }
}

// The flows counted, plus the prior's pattern toward where plans a year older are (in the data,
// else in the base stock) with the weight of `prior_strength` moves.
void setting_move_alpha(const Builder& b, const Vec& flows, const Vec& dest_mix, Posterior& p) {
    const std::size_t A = b.A, K = b.K, S = b.S;
    p.move_alpha.assign({A, S, S}, 0.0);
    for (std::size_t a = 0; a + 1 < A; ++a) {
        Eigen::VectorXd mix(S);
        for (std::size_t s = 0; s < S; ++s) mix(static_cast<Eigen::Index>(s)) = dest_mix[a * S + s];
        if (mix.sum() <= 0)  // no plans at this age in the data: the base stock's settings a year older
            for (std::size_t k = 0; k < K; ++k)
                for (std::size_t s = 0; s < S; ++s) mix(static_cast<Eigen::Index>(s)) += p.base_stock[((a + 1) * K + k) * S + s];
        if (mix.sum() > 0) mix /= mix.sum();
        Eigen::MatrixXd prior = b.prior_moves(a, mix);
        for (std::size_t s = 0; s < S; ++s)
            for (std::size_t t = 0; t < S; ++t)
                p.move_alpha(a, s, t) =
                    flows[(a * S + s) * S + t] + b.as.setting_moves.prior_strength * prior(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(t));
    }
}

}  // namespace

void Builder::setting_moves() {
    Posterior& p = out.posterior;
    Vec flows(A * S * S, 0.0), dest_mix(A * S, 0.0);
    int pairs = 0;
    for (const auto& [year, rows] : h.stock_by_age) {
        if (year + 1 > B) continue;
        Vec age0, as0, age1, as1;
        if (!stock_age_setting(year, age0, as0) || !stock_age_setting(year + 1, age1, as1)) continue;
        const Vec j_as = joiners_by_age_setting(*this, year);
        ++pairs;
        add_census_pair_flows(*this, as0, as1, j_as, flows, dest_mix);
    }
    if (pairs == 0) note("no two consecutive censuses by age and setting up to " + year_text(B) + ": setting moves come from the prior alone");
    setting_move_alpha(*this, flows, dest_mix, p);
}

// Flows whose rows add up to `origin` and columns to `dest` (rescaled to the same total), as close
// to the prior's pattern as IPF makes them; zero when either margin is empty.
Eigen::MatrixXd Builder::rebuild_flows(const Eigen::VectorXd& origin, Eigen::VectorXd dest, const Eigen::MatrixXd& prior) const {
    const double so = origin.sum(), sd = dest.sum();
    Eigen::MatrixXd flows = Eigen::MatrixXd::Zero(prior.rows(), prior.cols());
    if (so <= 0 || sd <= 0) return flows;
    dest *= so / sd;
    flows = prior;
    for (Eigen::Index r = 0; r < flows.rows(); ++r) flows.row(r) *= origin(r);
    ipf_2d(flows, origin, dest, as.setting_moves.ipf_tolerance, as.setting_moves.ipf_max_iterations);
    return flows;
}

// Prior setting moves from age a: stay with weight w, otherwise go where plans a year older are;
// settings nobody a year older is in are closed. A row with no open setting stays put.
Eigen::MatrixXd Builder::prior_moves(std::size_t a, const Eigen::VectorXd& dest_share) const {
    const auto& sm = as.setting_moves;
    const int age = tax.min_age + static_cast<int>(a);
    const bool transfer = std::find(sm.transfer_ages.begin(), sm.transfer_ages.end(), age) != sm.transfer_ages.end();
    return prior_transitions(transfer ? sm.stay_weight_transfer : sm.stay_weight, dest_share, false);
}

// Stay with weight w, otherwise move in proportion to `dest_share`. With `always_stay` a state
// nobody is seen in a year older can still be kept (a need is never closed; a setting can be).
Eigen::MatrixXd Builder::prior_transitions(double w, const Eigen::VectorXd& dest_share, bool always_stay) {
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

namespace {

// The need mix by age, smoothed over neighbouring ages: year-to-year differences in a single
// census are mostly noise in small needs, and flows rebuilt from noise would churn needs.
Vec smoothed_need_mix(const Builder& b, const Vec& age_need) {
    const std::size_t A = b.A, K = b.K;
    Vec smooth(A * K, 0.0);
    Vec overall(K, 0.0);
    for (std::size_t i = 0; i < A * K; ++i) overall[i % K] += age_need[i];
    overall = normalised(overall);
    const int window = b.as.need_moves.smoothing_ages;
    for (std::size_t a = 0; a < A; ++a) {
        double n = 0;
        Vec counts(K, 0.0);
        for (int o = static_cast<int>(a) - window; o <= static_cast<int>(a) + window; ++o) {
            if (o < 0 || o >= static_cast<int>(A)) continue;
            for (std::size_t k = 0; k < K; ++k) {
                counts[k] += age_need[static_cast<std::size_t>(o) * K + k];
                n += age_need[static_cast<std::size_t>(o) * K + k];
            }
        }
        const double tau = b.as.joiner_mix.need_prior_strength;
        for (std::size_t k = 0; k < K; ++k) smooth[a * K + k] = (counts[k] + tau * overall[k]) / (n + tau);
    }
    return smooth;
}

// From age a to a+1: the survivors' needs at a, and the needs at a+1 less the joiners' (`joiners`
// new plans at a+1, by their need mix); the flows between rebuilt by IPF, plus the prior.
void need_move_alpha_at(const Builder& b, std::size_t a, const Vec& age_total, const Vec& smooth, double joiners, Posterior& p) {
    const std::size_t K = b.K;
    const auto& nm = b.as.need_moves;
    const double survive = p.cease_beta[a] / (p.cease_alpha[a] + p.cease_beta[a]);
    double alpha_need = 0;
    for (std::size_t k = 0; k < K; ++k) alpha_need += p.joiner_need_alpha(a + 1, k);
    Eigen::VectorXd origin(K), dest(K);
    for (std::size_t k = 0; k < K; ++k) {
        origin(static_cast<Eigen::Index>(k)) = age_total[a] * smooth[a * K + k] * survive;
        dest(static_cast<Eigen::Index>(k)) =
            std::max(0.0, age_total[a + 1] * smooth[(a + 1) * K + k] - joiners * p.joiner_need_alpha(a + 1, k) / alpha_need);
    }
    const double sd = dest.sum();
    Eigen::VectorXd share = sd > 0 ? Eigen::VectorXd(dest / sd) : Eigen::VectorXd::Zero(static_cast<Eigen::Index>(K));
    const Eigen::MatrixXd prior = Builder::prior_transitions(nm.stay_weight, share, true);
    const Eigen::MatrixXd flows = b.rebuild_flows(origin, dest, prior);
    for (std::size_t k = 0; k < K; ++k)
        for (std::size_t j = 0; j < K; ++j)
            p.need_move_alpha(a, k, j) = flows(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) +
                                         nm.prior_strength * prior(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j));
}

}  // namespace

// Changes of recorded primary need between censuses. Aggregates give the need mix by age at one
// census only; taking that age profile as stable, the flows from need at age a to need at a+1
// that reproduce it (net of joiners) are rebuilt by IPF, as for settings (METHOD.md).
void Builder::need_moves() {
    Posterior& p = out.posterior;
    p.need_move_alpha.clear();
    if (!need_year_ || !h.stock_need_by_age.count(*need_year_)) {
        note("no primary need by age up to " + year_text(B) + ": needs are held as they are");
        return;
    }
    Vec age_total, age_need;
    spread_age_rows(h.stock_need_by_age.at(*need_year_), population_weights(*need_year_), tax.min_age, K, age_total, age_need);
    const Vec smooth = smoothed_need_mix(*this, age_need);
    const double new_plans = h.new_total.count(*need_year_ - 1) ? h.new_total.at(*need_year_ - 1) : 0.0;
    const double alpha_age = std::accumulate(p.joiner_age_alpha.begin(), p.joiner_age_alpha.end(), 0.0);
    p.need_move_alpha.assign({A, K, K}, 0.0);
    for (std::size_t a = 0; a + 1 < A; ++a) {
        const double joiners = new_plans * p.joiner_age_alpha[a + 1] / alpha_age;
        need_move_alpha_at(*this, a, age_total, smooth, joiners, p);
    }
}

}  // namespace sendplan::calibration
