// Partial pooling across authorities (src/calibrate/pooled.*): fit_pooled recovers the persistence
// and spread of departures it is simulated with, pooled_area is England's rate plus persistence x
// the area's median recent departure, a one-off census jump does not become a persistent rate,
// nothing dated after the origin is used, too few areas (or no England) give no estimate, a last year
// too few areas have falls back to an earlier one, and an area's own departure is held within a limit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "calibrate/pooled.h"
#include "core/assumptions.h"

using namespace sendplan;

namespace {

constexpr double kEnglandLeaving = 0.06;  // England's net leaving per plan held, every year
constexpr double kEnglandRatio = 0.12;    // England's new plans per plan held, every year
constexpr int kFirst = 2010, kLastCensus = 2020;

Assumptions::Pooling pooling_settings() {
    Assumptions::Pooling p;
    p.enabled = true;
    p.window_years = 3;
    p.joiner_growth_years = 3;
    p.damping = 0.6;
    p.uncertainty_scale = 1;
    p.min_areas = 20;
    p.england_shock_years = 3;
    p.england_shock_scale = 1;
    return p;
}

// Departures from England drawn from known hierarchical parameters: a persistent part per area
// (sd tau) plus a fresh part each year (sd sigma), in net leaving (a difference of rates) and in new
// plans per plan held (a log ratio).
struct Spec {
    int areas = 200;
    double tau_l = 0.02, sigma_l = 0.01;
    double tau_j = 0.15, sigma_j = 0.08;
};

struct World {
    std::vector<AreaTotals> areas;
    AreaTotals england;
    // What each area was drawn with: persistent departures, and yearly departures in full (persistent
    // plus that year's noise), by calendar year.
    std::vector<double> persistent_l, persistent_j;
    std::vector<std::map<int, double>> departure_l, departure_j;
};

World simulate(const Spec& s, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> z(0.0, 1.0);
    std::uniform_real_distribution<double> size(500.0, 5000.0);
    World w;
    w.england.code = "E92000001";
    double s_eng = 1.0e6;
    for (int y = kFirst; y <= kLastCensus; ++y) {
        w.england.stock[y] = s_eng;
        if (y == kLastCensus) break;
        const double joined = kEnglandRatio * s_eng;
        w.england.joined[y] = joined;
        s_eng = s_eng + joined - kEnglandLeaving * s_eng;
    }
    for (int i = 0; i < s.areas; ++i) {
        AreaTotals a;
        a.code = "E0900" + std::to_string(1000 + i);
        const double a_l = s.tau_l * z(rng), a_j = s.tau_j * z(rng);
        w.persistent_l.push_back(a_l);
        w.persistent_j.push_back(a_j);
        std::map<int, double> dl, dj;
        double stock = size(rng);
        for (int y = kFirst; y <= kLastCensus; ++y) {
            a.stock[y] = stock;
            if (y == kLastCensus) break;
            dl[y] = a_l + s.sigma_l * z(rng);
            dj[y] = a_j + s.sigma_j * z(rng);
            const double leaving = kEnglandLeaving + dl[y];
            const double joined = kEnglandRatio * std::exp(dj[y]) * stock;
            a.joined[y] = joined;
            stock = stock + joined - leaving * stock;
        }
        w.departure_l.push_back(dl);
        w.departure_j.push_back(dj);
        w.areas.push_back(a);
    }
    return w;
}

// Variance of the median of three independent standard normals: 1 - sqrt(3)/pi (~0.4487).
const double kVarMedianOf3 = 1.0 - std::sqrt(3.0) / 3.14159265358979323846;

// The regression fit_pooled runs, y = a + e_last on x = a + median(e over the 3 years before), has
// population slope tau^2 / (tau^2 + v) with v = var(median of 3 noises), and the residual of that
// linear projection has variance sigma^2 + tau^2 v / (tau^2 + v).
struct Truth {
    double persistence, residual_sd, slope_se;  // slope_se: OLS standard error with n areas
};
Truth truth(double tau, double sigma, int n) {
    const double v = kVarMedianOf3 * sigma * sigma, t2 = tau * tau;
    Truth t;
    t.persistence = t2 / (t2 + v);
    t.residual_sd = std::sqrt(sigma * sigma + t2 * v / (t2 + v));
    t.slope_se = t.residual_sd / std::sqrt(static_cast<double>(n) * (t2 + v));
    return t;
}

double mean_of(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); }
double sd_of(const std::vector<double>& v) {
    const double m = mean_of(v);
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// Hand computations from the raw series, independent of pooled.cpp.
double leaving_rate(const AreaTotals& a, int t) { return (a.stock.at(t) + a.joined.at(t) - a.stock.at(t + 1)) / a.stock.at(t); }
double joiner_rate(const AreaTotals& a, int t) { return a.joined.at(t) / a.stock.at(t); }

// An area's own weight, by the method's equations (METHOD.md 11.2): tau^2 / (tau^2 + v), v = pi/2 x s^2 / 3,
// s^2 its departures' sample variance over the six years to `last` shrunk toward the median area's
// with the weight of four years.
double weight_by_hand(double between, double pooled_noise, const AreaTotals& a, const AreaTotals& eng, int last, bool joiners) {
    if (between <= 0) return 0.0;
    std::vector<double> d;
    for (int t = last - 5; t <= last; ++t) {
        if (!a.stock.count(t) || !a.stock.count(t + 1) || !a.joined.count(t)) continue;
        d.push_back(joiners ? std::log(joiner_rate(a, t) / joiner_rate(eng, t)) : leaving_rate(a, t) - leaving_rate(eng, t));
    }
    double m = 0, ss = 0;
    for (double x : d) m += x;
    m /= static_cast<double>(d.size());
    for (double x : d) ss += (x - m) * (x - m);
    const double own = ss / static_cast<double>(d.size() - 1), dof = static_cast<double>(d.size() - 1);
    const double s2 = (4 * pooled_noise + dof * own) / (4 + dof);
    const double v = 1.5707963267948966 * s2 / 3;
    return between / (between + v);
}
double median3(double a, double b, double c) { return std::max(std::min(a, b), std::min(std::max(a, b), c)); }

struct Estimates {
    std::vector<double> leaving_p, leaving_sd, joiner_p, joiner_sd;
};

// Fits K seeds of one specification; every fit must exist and keep every area.
Estimates fit_seeds(const Spec& spec, int seeds, std::uint64_t first_seed) {
    const auto pooling = pooling_settings();
    Estimates out;
    for (int k = 0; k < seeds; ++k) {
        const World w = simulate(spec, first_seed + static_cast<std::uint64_t>(k));
        const auto e = fit_pooled(w.areas, w.england, kLastCensus, pooling);
        REQUIRE(e.has_value());
        CHECK(e->areas == spec.areas);  // Gaussian departures: nothing beyond 5 robust SDs
        out.leaving_p.push_back(e->leaving_persistence);
        out.leaving_sd.push_back(e->leaving_residual_sd);
        out.joiner_p.push_back(e->joiner_persistence);
        out.joiner_sd.push_back(e->joiner_residual_sd);
    }
    return out;
}

// Checks estimates of a persistence 0 < p < 1 and its residual SD against the analytic values.
// Tolerances come from the sampling error: each seed within 4.5 OLS standard errors of the truth,
// the mean over K seeds within 4 standard errors of the mean, the spread across seeds within a
// factor 1.5 of the OLS standard error (its own sampling error with K = 40 is ~11%). Residual SD:
// the sample SD of n near-normal residuals has relative SE ~1/sqrt(2n) (5% at n = 200); each seed
// within 5 of those, the mean within 5 / sqrt(K) of them.
void check_recovery(const std::vector<double>& p, const std::vector<double>& sd, const Truth& t, int n) {
    const auto K = static_cast<double>(p.size());
    INFO("true persistence " << t.persistence << ", OLS SE " << t.slope_se << ", true residual SD " << t.residual_sd);
    for (double x : p) CHECK(std::abs(x - t.persistence) < 4.5 * t.slope_se);
    CHECK(std::abs(mean_of(p) - t.persistence) < 4.0 * t.slope_se / std::sqrt(K));
    CHECK(sd_of(p) < 1.5 * t.slope_se);
    CHECK(sd_of(p) > t.slope_se / 1.5);
    const double rel_se = 1.0 / std::sqrt(2.0 * n);
    for (double x : sd) CHECK(std::abs(x / t.residual_sd - 1) < 5 * rel_se);
    CHECK(std::abs(mean_of(sd) / t.residual_sd - 1) < 5 * rel_se / std::sqrt(K));
}

// No departure persists (tau = 0): the OLS slope is N(0, se^2), clamped at 0. Each seed's value
// stays under 4.5 se; the mean of max(0, N(0, se^2)) is se / sqrt(2 pi) with SD se x 0.584 per seed,
// so the mean over K seeds is within 4 x se x 0.584 / sqrt(K) of it; about half the seeds clamp to
// exactly 0 (binomial(K, 1/2): within 4 SDs of K/2).
void check_no_persistence(const std::vector<double>& p, const std::vector<double>& sd, double sigma, int n) {
    const Truth t = truth(0.0, sigma, n);
    const auto K = static_cast<double>(p.size());
    INFO("OLS SE " << t.slope_se);
    for (double x : p) {
        CHECK(x >= 0.0);
        CHECK(x < 4.5 * t.slope_se);
    }
    const double clamped_sd = std::sqrt(0.5 - 1.0 / (2.0 * 3.14159265358979323846));
    CHECK(std::abs(mean_of(p) - t.slope_se / std::sqrt(2.0 * 3.14159265358979323846)) < 4.0 * t.slope_se * clamped_sd / std::sqrt(K));
    const auto zeros = static_cast<double>(std::count(p.begin(), p.end(), 0.0));
    CHECK(std::abs(zeros - K / 2) < 4.0 * std::sqrt(K) / 2);
    const double rel_se = 1.0 / std::sqrt(2.0 * n);
    for (double x : sd) CHECK(std::abs(x / sigma - 1) < 5 * rel_se);
    CHECK(std::abs(mean_of(sd) / sigma - 1) < 5 * rel_se / std::sqrt(K));
}

void check_same(const PooledEstimates& a, const PooledEstimates& b) {
    CHECK(a.origin == b.origin);
    CHECK(a.areas == b.areas);
    CHECK(a.england.code == b.england.code);
    CHECK(a.england.stock == b.england.stock);
    CHECK(a.england.joined == b.england.joined);
    CHECK(a.england_net_leaving == b.england_net_leaving);
    CHECK(a.england_joiner_ratio == b.england_joiner_ratio);
    CHECK(a.england_joiner_growth == b.england_joiner_growth);
    CHECK(a.england_joiner_growth_sd == b.england_joiner_growth_sd);
    CHECK(a.leaving_persistence == b.leaving_persistence);
    CHECK(a.leaving_residual_sd == b.leaving_residual_sd);
    CHECK(a.joiner_persistence == b.joiner_persistence);
    CHECK(a.joiner_residual_sd == b.joiner_residual_sd);
}

}  // namespace

TEST_CASE("pooling recovers the persistence and spread of departures it was simulated with", "[pooling]") {
    constexpr int K = 40;
    SECTION("departures mostly persistent (tau 0.02, sigma 0.01 in net leaving; tau 0.15, sigma 0.08 in log joiner ratio)") {
        const Spec spec{200, 0.02, 0.01, 0.15, 0.08};
        const Estimates e = fit_seeds(spec, K, 1000);
        check_recovery(e.leaving_p, e.leaving_sd, truth(spec.tau_l, spec.sigma_l, spec.areas), spec.areas);
        check_recovery(e.joiner_p, e.joiner_sd, truth(spec.tau_j, spec.sigma_j, spec.areas), spec.areas);
    }
    SECTION("persistent and yearly parts equal (tau = sigma): the median of 3, not the mean, over the 3 years before") {
        // Persistence 0.69 here; with the mean of 3 it would be 0.75, with the last year inside the
        // window far higher: both beyond the tolerance of the mean over 40 seeds (~0.04).
        const Spec spec{200, 0.02, 0.02, 0.10, 0.10};
        const Estimates e = fit_seeds(spec, K, 2000);
        check_recovery(e.leaving_p, e.leaving_sd, truth(spec.tau_l, spec.sigma_l, spec.areas), spec.areas);
        check_recovery(e.joiner_p, e.joiner_sd, truth(spec.tau_j, spec.sigma_j, spec.areas), spec.areas);
    }
    SECTION("no persistent departure (tau 0): persistence near 0, residual SD the yearly noise") {
        const Spec spec{1000, 0.0, 0.01, 0.0, 0.08};
        const Estimates e = fit_seeds(spec, K, 3000);
        check_no_persistence(e.leaving_p, e.leaving_sd, spec.sigma_l, spec.areas);
        check_no_persistence(e.joiner_p, e.joiner_sd, spec.sigma_j, spec.areas);
    }
    SECTION("England's rates and growth are its own last year's") {
        const World w = simulate(Spec{}, 7);
        const auto e = fit_pooled(w.areas, w.england, kLastCensus, pooling_settings());
        REQUIRE(e.has_value());
        CHECK(e->origin == kLastCensus);
        CHECK(e->england_net_leaving == Approx(kEnglandLeaving).epsilon(1e-12));
        CHECK(e->england_joiner_ratio == Approx(kEnglandRatio).epsilon(1e-12));
        // England's plans grow by 1 + 0.12 - 0.06 a year, and its new plans with them.
        CHECK(e->england_joiner_growth == Approx(std::log(1.06)).epsilon(1e-12));
        CHECK(e->england_joiner_growth_sd == Approx(0.0).margin(1e-12));
        CHECK(e->persistence_year == kLastCensus - 1);
    }
}

TEST_CASE("an area's pooled rates are England's plus persistence x its median recent departure", "[pooling]") {
    const auto pooling = pooling_settings();
    const World w = simulate(Spec{}, 11);
    const auto fitted = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(fitted.has_value());
    const int last = kLastCensus - 1;
    const AreaTotals& eng = w.england;

    // Hand computation from the raw series: departures in the 3 calendar years up to origin - 1.
    auto hand = [&](const PooledEstimates& e, const AreaTotals& a, double& dl, double& dj, double& leaving, double& joiners) {
        double l[3], j[3];
        for (int k = 0; k < 3; ++k) {
            const int t = last - 2 + k;
            l[k] = leaving_rate(a, t) - leaving_rate(eng, t);
            j[k] = std::log(joiner_rate(a, t) / joiner_rate(eng, t));
        }
        dl = median3(l[0], l[1], l[2]);
        dj = median3(j[0], j[1], j[2]);
        leaving = leaving_rate(eng, last) + e.leaving_offset + weight_by_hand(e.leaving_between_variance, e.leaving_noise_variance, a, eng, last, false) * dl;
        joiners = a.stock.at(last) * joiner_rate(eng, last) *
                  std::exp(e.joiner_offset + weight_by_hand(e.joiner_between_variance, e.joiner_noise_variance, a, eng, last, true) * dj);
    };

    // The area furthest from England in net leaving, by its median departure.
    std::size_t far = 0;
    double far_dep = 0;
    for (std::size_t i = 0; i < w.areas.size(); ++i) {
        const auto& d = w.departure_l[i];
        const double m = std::abs(median3(d.at(last - 2), d.at(last - 1), d.at(last)));
        if (m > far_dep) far_dep = m, far = i;
    }
    REQUIRE(far_dep > 0.03);  // a large departure: 1.5 tau and more
    const AreaTotals& area = w.areas[far];

    SECTION("with the fitted persistence") {
        const PooledEstimates& e = *fitted;
        REQUIRE(e.leaving_persistence > 0.5);
        REQUIRE(e.leaving_persistence < 1.0);
        REQUIRE(e.joiner_persistence > 0.5);
        REQUIRE(e.joiner_persistence < 1.0);
        double dl, dj, leaving, joiners;
        hand(e, area, dl, dj, leaving, joiners);
        const PooledArea p = pooled_area(e, area, pooling);
        CHECK(p.leaving_years == 3);
        CHECK(p.joiner_years == 3);
        CHECK(p.own_leaving_departure == Approx(dl).epsilon(1e-10));
        CHECK(p.own_joiner_departure == Approx(dj).epsilon(1e-10));
        CHECK(p.net_leaving == Approx(leaving).epsilon(1e-12));
        CHECK(p.joiners == Approx(joiners).epsilon(1e-12));
        // The departures are the simulated ones (England's rates are exactly 0.06 and 0.12).
        const auto& d = w.departure_l[far];
        CHECK(dl == Approx(median3(d.at(last - 2), d.at(last - 1), d.at(last))).margin(1e-9));
        // Shrunk: strictly between England's rate and England's plus the area's whole departure.
        CHECK(std::abs(p.net_leaving - e.england_net_leaving - e.leaving_offset) < std::abs(dl));
        CHECK(std::abs(p.net_leaving - e.england_net_leaving - e.leaving_offset) > 0.5 * std::abs(dl));
    }
    SECTION("with the between-area variances set by hand, every area") {
        PooledEstimates e = *fitted;
        e.leaving_between_variance = 1e-4;
        e.joiner_between_variance = 0.01;
        for (const auto& a : w.areas) {
            double dl, dj, leaving, joiners;
            hand(e, a, dl, dj, leaving, joiners);
            const PooledArea p = pooled_area(e, a, pooling);
            CHECK(p.net_leaving == Approx(leaving).epsilon(1e-12));
            CHECK(p.joiners == Approx(joiners).epsilon(1e-12));
        }
        // No lasting departures between areas: England's rates and the mean departure for everyone,
        // new plans scaled to the plans held.
        e.leaving_between_variance = 0;
        e.joiner_between_variance = 0;
        const PooledArea p = pooled_area(e, area, pooling);
        CHECK(p.net_leaving == e.england_net_leaving + e.leaving_offset);
        CHECK(p.joiners == Approx(area.stock.at(last) * kEnglandRatio * std::exp(e.joiner_offset)).epsilon(1e-12));
        // Offsets 0 as well: England's rates exactly.
        e.leaving_offset = 0;
        e.joiner_offset = 0;
        const PooledArea q = pooled_area(e, area, pooling);
        CHECK(q.net_leaving == e.england_net_leaving);
        CHECK(q.joiners == Approx(area.stock.at(last) * kEnglandRatio).epsilon(1e-12));
    }
    SECTION("a year missing from the window: the median of the two left, their mean") {
        AreaTotals a = area;
        a.joined.erase(last - 1);  // neither net leaving nor new plans known in that year
        const PooledArea p = pooled_area(*fitted, a, pooling);
        CHECK(p.leaving_years == 2);
        CHECK(p.joiner_years == 2);
        const double dl = 0.5 * ((leaving_rate(a, last - 2) - leaving_rate(eng, last - 2)) + (leaving_rate(a, last) - leaving_rate(eng, last)));
        const double dj = 0.5 * (std::log(joiner_rate(a, last - 2) / joiner_rate(eng, last - 2)) + std::log(joiner_rate(a, last) / joiner_rate(eng, last)));
        CHECK(p.own_leaving_departure == Approx(dl).epsilon(1e-10));
        CHECK(p.own_joiner_departure == Approx(dj).epsilon(1e-10));
        CHECK(p.net_leaving == Approx(fitted->england_net_leaving + fitted->leaving_offset + p.leaving_weight * dl).epsilon(1e-12));
    }
    SECTION("an area new at the origin: England's rates, new plans scaled by its first census") {
        AreaTotals a;
        a.code = "E06000999";
        a.stock[kLastCensus] = 3000;
        const PooledArea p = pooled_area(*fitted, a, pooling);
        CHECK(p.leaving_years == 0);
        CHECK(p.joiner_years == 0);
        CHECK(p.net_leaving == fitted->england_net_leaving + fitted->leaving_offset);
        CHECK(p.joiners == Approx(3000 * fitted->england_joiner_ratio * std::exp(fitted->joiner_offset)).epsilon(1e-12));
    }
}

TEST_CASE("a one-off stock jump two years before the origin does not become a persistent rate", "[pooling]") {
    const auto pooling = pooling_settings();
    const int origin = kLastCensus, last = origin - 1;
    SECTION("no departure persists: the area's pooled net leaving stays near England's") {
        const Spec spec{1000, 0.0, 0.01, 0.0, 0.08};
        World w = simulate(spec, 21);
        AreaTotals& a = w.areas[0];
        a.stock[origin - 2] *= 1.4;
        // The naive rate from either census pair around the jump is far off England's.
        CHECK(std::abs(leaving_rate(a, origin - 3) - kEnglandLeaving) > 0.3);
        CHECK(std::abs(leaving_rate(a, origin - 2) - kEnglandLeaving) > 0.2);
        CHECK(std::abs(std::log(joiner_rate(a, origin - 2) / kEnglandRatio)) > 0.15);
        const auto e = fit_pooled(w.areas, w.england, origin, pooling);
        REQUIRE(e.has_value());
        const Truth t = truth(0.0, spec.sigma_l, spec.areas);
        CHECK(e->leaving_persistence < 4.5 * t.slope_se);
        const PooledArea p = pooled_area(*e, a, pooling);
        // The jump moves the departures of years origin-3 (down) and origin-2 (up); the median of
        // the three is the untouched year's, the simulated one.
        CHECK(p.own_leaving_departure == Approx(w.departure_l[0].at(last)).margin(1e-9));
        CHECK(std::abs(p.net_leaving - e->england_net_leaving - e->leaving_offset) <= e->leaving_persistence * std::abs(w.departure_l[0].at(last)) + 1e-12);
        CHECK(std::abs(p.net_leaving - e->england_net_leaving) < 0.01);  // the yearly noise's SD
        CHECK(std::abs(e->leaving_offset) < 0.002);  // no area departs on average: the mean departure is noise
        // New plans: one year's ratio is off by log 1.4; the median of three keeps it out unless
        // both others lie beyond it, and the persistence (~0) carries little of it anyway.
        const Truth tj = truth(0.0, spec.sigma_j, spec.areas);
        CHECK(e->joiner_persistence < 4.5 * tj.slope_se);
        CHECK(std::abs(std::log(p.joiners / (a.stock.at(last) * e->england_joiner_ratio)) - e->joiner_offset) < e->joiner_persistence * 4 * spec.sigma_j + 1e-12);
    }
    SECTION("departures persist: the area keeps its own departure, not the jump") {
        World w = simulate(Spec{}, 22);
        AreaTotals& a = w.areas[0];
        a.stock[origin - 2] *= 1.4;
        const auto e = fit_pooled(w.areas, w.england, origin, pooling);
        REQUIRE(e.has_value());
        const PooledArea p = pooled_area(*e, a, pooling);
        CHECK(p.own_leaving_departure == Approx(w.departure_l[0].at(last)).margin(1e-9));
        CHECK(p.net_leaving == Approx(e->england_net_leaving + e->leaving_offset + p.leaving_weight * w.departure_l[0].at(last)).margin(1e-9));
    }
    SECTION("a jump at the last census in a few areas does not set the rule for everyone") {
        // Plans at January origin-1 up 40% in 5 areas: their last-year departure is ~+0.27, far
        // beyond 5 robust SDs of everyone else's. They are left out of the fit.
        const Spec spec{};
        const World clean = simulate(spec, 23);
        World w = clean;
        for (int i = 0; i < 5; ++i) w.areas[static_cast<std::size_t>(i)].stock[last] *= 1.4;
        const auto with = fit_pooled(w.areas, w.england, origin, pooling);
        const auto without = fit_pooled(clean.areas, clean.england, origin, pooling);
        REQUIRE(with.has_value());
        REQUIRE(without.has_value());
        CHECK(with->areas == spec.areas);
        CHECK(with->leaving_areas_left_out == 5);
        CHECK(without->leaving_areas_left_out == 0);
        const Truth t = truth(spec.tau_l, spec.sigma_l, spec.areas);
        CHECK(std::abs(with->leaving_persistence - without->leaving_persistence) < t.slope_se);
        CHECK(with->leaving_residual_sd == Approx(without->leaving_residual_sd).epsilon(0.05));
        CHECK(with->leaving_residual_sd < 1.2 * t.residual_sd);
    }
}

TEST_CASE("pooling uses nothing dated after the origin", "[pooling]") {
    const auto pooling = pooling_settings();
    const int origin = 2017;
    const World w = simulate(Spec{}, 31);
    const auto base = fit_pooled(w.areas, w.england, origin, pooling);
    REQUIRE(base.has_value());

    // Wild values for every census after the origin and every calendar year of new plans from the
    // origin on, for every area and England, with years beyond the simulated ones too.
    std::mt19937_64 rng(32);
    std::uniform_real_distribution<double> factor(0.01, 100.0);
    std::uniform_int_distribution<int> kind(0, 4);
    auto wild = [&](double x) {
        switch (kind(rng)) {
            case 0: return 0.0;
            case 1: return -x;
            case 2: return std::numeric_limits<double>::quiet_NaN();
            default: return x * factor(rng);
        }
    };
    auto scramble = [&](AreaTotals& a) {
        for (int y = origin + 1; y <= kLastCensus + 10; ++y) {
            const double was = a.stock.count(y) ? a.stock.at(y) : 1000.0;
            a.stock[y] = wild(was);
        }
        for (int y = origin; y <= kLastCensus + 10; ++y) {
            const double was = a.joined.count(y) ? a.joined.at(y) : 100.0;
            a.joined[y] = wild(was);
        }
    };
    World v = w;
    for (auto& a : v.areas) scramble(a);
    scramble(v.england);
    const auto after = fit_pooled(v.areas, v.england, origin, pooling);
    REQUIRE(after.has_value());
    check_same(*base, *after);
    for (std::size_t i = 0; i < w.areas.size(); i += 17) {
        const PooledArea p = pooled_area(*base, w.areas[i], pooling), q = pooled_area(*after, v.areas[i], pooling);
        CHECK(p.net_leaving == q.net_leaving);
        CHECK(p.joiners == q.joiners);
        CHECK(p.own_leaving_departure == q.own_leaving_departure);
        CHECK(p.own_joiner_departure == q.own_joiner_departure);
        CHECK(p.leaving_years == q.leaving_years);
        CHECK(p.joiner_years == q.joiner_years);
    }

    // The check can fail: the census at the origin and the new plans of the year before it are used.
    SECTION("England's census at the origin moves its net leaving") {
        World u = w;
        u.england.stock[origin] *= 1.01;
        const auto e = fit_pooled(u.areas, u.england, origin, pooling);
        REQUIRE(e.has_value());
        CHECK(e->england_net_leaving != base->england_net_leaving);
    }
    SECTION("one area's new plans in the year before the origin move the fit") {
        World u = w;
        u.areas[3].joined[origin - 1] *= 1.01;
        const auto e = fit_pooled(u.areas, u.england, origin, pooling);
        REQUIRE(e.has_value());
        CHECK(e->leaving_persistence != base->leaving_persistence);
        CHECK(e->joiner_persistence != base->joiner_persistence);
    }
}

TEST_CASE("pooling needs enough areas and England's last year", "[pooling]") {
    const auto pooling = pooling_settings();  // min_areas 20
    const int origin = kLastCensus, last = origin - 1;
    SECTION("exactly min_areas areas fit; one fewer does not") {
        const World w = simulate(Spec{20, 0.02, 0.01, 0.15, 0.08}, 41);
        const auto e = fit_pooled(w.areas, w.england, origin, pooling);
        REQUIRE(e.has_value());
        CHECK(e->areas == 20);
        std::vector<AreaTotals> fewer(w.areas.begin(), w.areas.end() - 1);
        CHECK_FALSE(fit_pooled(fewer, w.england, origin, pooling).has_value());
    }
    SECTION("areas without a usable record in any recent year do not count") {
        World w = simulate(Spec{25, 0.02, 0.01, 0.15, 0.08}, 42);
        REQUIRE(fit_pooled(w.areas, w.england, origin, pooling).has_value());
        // 6 of 25 without new plans in origin-4 .. origin-2: no departure in those years, and none
        // before origin-1 to set the last year's against.
        for (int i = 0; i < 6; ++i)
            for (int t = last - 3; t < last; ++t) w.areas[static_cast<std::size_t>(i)].joined.erase(t);
        CHECK_FALSE(fit_pooled(w.areas, w.england, origin, pooling).has_value());
    }
    SECTION("areas short of the last year: the carrying is learnt from the latest year enough areas have") {
        World w = simulate(Spec{25, 0.02, 0.01, 0.15, 0.08}, 42);
        const auto full = fit_pooled(w.areas, w.england, origin, pooling);
        REQUIRE(full.has_value());
        CHECK(full->persistence_year == last);
        int year = 0;
        SECTION("no census at origin - 1 in 6 areas: no departure in origin - 2 or origin - 1") {
            for (int i = 0; i < 6; ++i) w.areas[static_cast<std::size_t>(i)].stock.erase(last);
            year = last - 2;
        }
        SECTION("no new plans in origin - 1 in 6 areas: no joiner ratio that year") {
            for (int i = 0; i < 6; ++i) w.areas[static_cast<std::size_t>(i)].joined[last] = 0.0;
            year = last - 1;
        }
        const auto e = fit_pooled(w.areas, w.england, origin, pooling);
        REQUIRE(e.has_value());
        CHECK(e->persistence_year == year);
        // England's rates are still those of its last year.
        CHECK(e->england_net_leaving == full->england_net_leaving);
        CHECK(e->england_joiner_ratio == full->england_joiner_ratio);
        CHECK(e->england_joiner_growth == full->england_joiner_growth);
        // The carrying and its spread are exactly what a fit at the origin after that year learns.
        const auto earlier = fit_pooled(w.areas, w.england, year + 1, pooling);
        REQUIRE(earlier.has_value());
        CHECK(earlier->persistence_year == year);
        CHECK(e->areas == 25);
        CHECK(e->areas == earlier->areas);
        CHECK(e->leaving_persistence == earlier->leaving_persistence);
        CHECK(e->leaving_residual_sd == earlier->leaving_residual_sd);
        CHECK(e->joiner_persistence == earlier->joiner_persistence);
        CHECK(e->joiner_residual_sd == earlier->joiner_residual_sd);
        CHECK(e->leaving_departure_limit == earlier->leaving_departure_limit);
        CHECK(e->joiner_departure_limit == earlier->joiner_departure_limit);
        // ... and not what the full record's last year says.
        CHECK(e->leaving_persistence != full->leaving_persistence);
    }
    SECTION("England without the year before the origin") {
        World w = simulate(Spec{}, 43);
        REQUIRE(fit_pooled(w.areas, w.england, origin, pooling).has_value());
        SECTION("census") { w.england.stock.erase(last); }
        SECTION("new plans") { w.england.joined.erase(last); }
        SECTION("census at the origin") { w.england.stock.erase(origin); }
        SECTION("new plans at the start of its growth window") { w.england.joined.erase(last - pooling.joiner_growth_years); }
        CHECK_FALSE(fit_pooled(w.areas, w.england, origin, pooling).has_value());
    }
    SECTION("no data at all") { CHECK_FALSE(fit_pooled({}, AreaTotals{}, origin, pooling).has_value()); }
}

TEST_CASE("an area's own departure is held within five robust spreads of all areas'", "[pooling]") {
    const auto pooling = pooling_settings();
    const int origin = kLastCensus, last = origin - 1;
    const Spec spec{1000, 0.02, 0.01, 0.15, 0.08};
    const World w = simulate(spec, 51);
    const auto e = fit_pooled(w.areas, w.england, origin, pooling);
    REQUIRE(e.has_value());
    // The past departures the fit sees are near normal with SD sqrt(tau^2 + var(median of 3)); 1.4826
    // x their MAD estimates it with relative SE ~sqrt(1.36 / n) (3.7% at n = 1000), and their median
    // is within ~0.1 SD of 0. So the limit is 5 SDs to within +/-15% (4 SEs).
    const double sd_l = std::sqrt(spec.tau_l * spec.tau_l + kVarMedianOf3 * spec.sigma_l * spec.sigma_l);
    const double sd_j = std::sqrt(spec.tau_j * spec.tau_j + kVarMedianOf3 * spec.sigma_j * spec.sigma_j);
    CHECK(e->leaving_departure_limit / (5 * sd_l) == Approx(1.0).margin(0.15));
    CHECK(e->joiner_departure_limit / (5 * sd_j) == Approx(1.0).margin(0.15));
    // No simulated area is near it: each keeps its own median departure.
    for (std::size_t i = 0; i < w.areas.size(); i += 7) {
        const auto& dl = w.departure_l[i];
        const auto& dj = w.departure_j[i];
        const PooledArea p = pooled_area(*e, w.areas[i], pooling);
        CHECK(p.own_leaving_departure == Approx(median3(dl.at(last - 2), dl.at(last - 1), dl.at(last))).margin(1e-9));
        CHECK(p.own_joiner_departure == Approx(median3(dj.at(last - 2), dj.at(last - 1), dj.at(last))).margin(1e-9));
    }
    // An area far outside every other: net leaving 0.5 above England's (or 0.3 below) every year,
    // new plans per plan held 3 times England's (or a third).
    auto outlier = [&](double leaving_shift, double ratio_factor) {
        AreaTotals a;
        a.code = "E06000998";
        double stock = 2000;
        for (int y = kFirst; y <= kLastCensus; ++y) {
            a.stock[y] = stock;
            if (y == kLastCensus) break;
            const double joined = kEnglandRatio * ratio_factor * stock;
            a.joined[y] = joined;
            stock = stock + joined - (kEnglandLeaving + leaving_shift) * stock;
        }
        return a;
    };
    SECTION("above") {
        const PooledArea p = pooled_area(*e, outlier(0.5, 3.0), pooling);
        CHECK(p.own_leaving_departure == e->leaving_departure_limit);
        CHECK(p.own_joiner_departure == e->joiner_departure_limit);
        CHECK(p.net_leaving == Approx(e->england_net_leaving + e->leaving_offset + p.leaving_weight * e->leaving_departure_limit).epsilon(1e-12));
    }
    SECTION("below") {
        const AreaTotals a = outlier(-0.3, 1.0 / 3.0);
        const PooledArea p = pooled_area(*e, a, pooling);
        CHECK(p.own_leaving_departure == -e->leaving_departure_limit);
        CHECK(p.own_joiner_departure == -e->joiner_departure_limit);
        CHECK(p.joiners ==
              Approx(a.stock.at(last) * e->england_joiner_ratio * std::exp(e->joiner_offset - p.joiner_weight * e->joiner_departure_limit)).epsilon(1e-12));
    }
}

namespace {
// An area that follows England's rates with a departure of its own in net leaving that flips sign
// every year (+d, -d, +d, ...): a departure that never carries.
AreaTotals flipping_area(int index, double d) {
    AreaTotals a;
    a.code = "E06" + std::to_string(100000 + index).substr(1);
    double stock = 1000 + 10 * index;
    for (int y = kFirst; y <= kLastCensus; ++y) {
        a.stock[y] = stock;
        if (y == kLastCensus) break;
        const double joined = kEnglandRatio * stock;
        a.joined[y] = joined;
        const double sign = (y % 2 == 0) ? 1.0 : -1.0;
        stock = stock + joined - (kEnglandLeaving + sign * d) * stock;
    }
    return a;
}
}  // namespace

TEST_CASE("the spread recorded is that of the rule as used, and alike areas do not empty the fit", "[pooling]") {
    auto pooling = pooling_settings();
    const int origin = kLastCensus;
    SECTION("departures that reverse every year: the carrying is clamped at 0 and the spread is the departures' own") {
        // The past median of three flipping departures is +d or -d opposite to the next year's, so
        // least squares finds a slope near -1, kept at 0; the rule's error is then the departure itself.
        std::vector<AreaTotals> areas;
        for (int i = 0; i < 60; ++i) areas.push_back(flipping_area(i, 0.01 + 0.0005 * i));
        const World w = simulate(Spec{}, 61);  // England only
        const auto e = fit_pooled(areas, w.england, origin, pooling);
        REQUIRE(e.has_value());
        CHECK(e->leaving_persistence == 0.0);
        // The departures of the last year all have one sign: about their mean (the offset) they
        // spread as 0.0005 x the standard deviation of 0..59, 0.0087. The unclamped fit (slope -1)
        // would have left almost nothing.
        CHECK(e->leaving_residual_sd == Approx(0.0005 * 17.46).margin(0.001));
    }
    SECTION("most areas exactly England's: nothing is trimmed and the varying ones set the carrying") {
        const Spec spec{50, 0.02, 0.01, 0.15, 0.08};
        World w = simulate(spec, 62);
        const auto alone = fit_pooled(w.areas, w.england, origin, pooling);
        REQUIRE(alone.has_value());
        for (int i = 0; i < 150; ++i) w.areas.push_back(flipping_area(200 + i, 0.0));
        const auto e = fit_pooled(w.areas, w.england, origin, pooling);
        REQUIRE(e.has_value());
        CHECK(e->areas == 200);
        CHECK(e->leaving_areas_left_out == 0);
        CHECK(e->leaving_persistence > 0.5 * alone->leaving_persistence);
        CHECK(e->leaving_departure_limit > 0);
        CHECK(e->joiner_departure_limit > 0);
    }
    SECTION("settings that cannot be fitted give no estimates, not a division by zero") {
        const World w = simulate(Spec{}, 63);
        pooling.joiner_growth_years = 0;
        CHECK_FALSE(fit_pooled(w.areas, w.england, origin, pooling).has_value());
        pooling = pooling_settings();
        pooling.min_areas = 0;
        CHECK_FALSE(fit_pooled({}, w.england, origin, pooling).has_value());
    }
}

TEST_CASE("England itself takes England's rates, without the authorities' mean departure", "[pooling]") {
    const auto pooling = pooling_settings();
    const World w = simulate(Spec{}, 71);
    auto e = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(e.has_value());
    e->leaving_offset = 0.01;  // as if the typical authority left more than England's total shows
    e->joiner_offset = 0.1;
    const PooledArea england = pooled_area(*e, w.england, pooling);
    CHECK(england.own_leaving_departure == 0.0);
    CHECK(england.net_leaving == e->england_net_leaving);
    CHECK(england.joiners == Approx(w.england.stock.at(kLastCensus - 1) * e->england_joiner_ratio).epsilon(1e-12));
    const PooledArea authority = pooled_area(*e, w.areas[0], pooling);
    CHECK(authority.net_leaving == Approx(e->england_net_leaving + 0.01 + authority.leaving_weight * authority.own_leaving_departure).epsilon(1e-12));
}

TEST_CASE("a short or erratic record borrows more than a long steady one", "[pooling]") {
    const auto pooling = pooling_settings();
    const World w = simulate(Spec{}, 81);
    const auto e = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(e.has_value());
    REQUIRE(e->leaving_between_variance > 0);
    const int last = kLastCensus - 1;
    // The same lasting departure (+0.02 in net leaving), steady in one area, with yearly swings of
    // +-0.03 in another, and only one year of record in a third.
    auto area = [&](const std::string& code, auto departure, int first) {
        AreaTotals a;
        a.code = code;
        double stock = 2000;
        for (int y = first; y <= kLastCensus; ++y) {
            a.stock[y] = stock;
            if (y == kLastCensus) break;
            const double joined = kEnglandRatio * stock;
            a.joined[y] = joined;
            stock = stock + joined - (kEnglandLeaving + departure(y)) * stock;
        }
        return a;
    };
    const AreaTotals steady = area("E06000901", [](int) { return 0.02; }, kFirst);
    const AreaTotals erratic = area("E06000902", [](int y) { return 0.02 + ((y % 2) ? 0.03 : -0.03); }, kFirst);
    const AreaTotals short_record = area("E06000903", [](int) { return 0.02; }, last);
    const PooledArea s = pooled_area(*e, steady, pooling), n = pooled_area(*e, erratic, pooling), r = pooled_area(*e, short_record, pooling);
    CHECK(s.own_leaving_departure == Approx(0.02).margin(1e-9));
    CHECK(r.leaving_years == 1);
    CHECK(s.leaving_weight > n.leaving_weight);
    CHECK(s.leaving_weight > r.leaving_weight);
    CHECK(n.leaving_weight > 0);
    // By the equations: the steady area's own scatter is nil, so its sampling variance is the
    // pooled prior's share alone.
    CHECK(s.leaving_weight == Approx(weight_by_hand(e->leaving_between_variance, e->leaving_noise_variance, steady, w.england, last, false)).epsilon(1e-12));
    // And its pooled rate keeps that much of its departure.
    CHECK(s.net_leaving == Approx(e->england_net_leaving + e->leaving_offset + s.leaving_weight * 0.02).epsilon(1e-12));
}

TEST_CASE("England-wide shocks are as large as the recent changes in England's growth of plans", "[pooling]") {
    auto pooling = pooling_settings();
    World w = simulate(Spec{}, 91);
    auto steady = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(steady.has_value());
    // England's plans grow by the same 6% every year: nothing has shifted.
    CHECK(steady->england_growth_change_sd == Approx(0.0).margin(1e-12));
    // Growth of 6% then 10%, 7%, 7% in the last three years: changes of +4, -3 and 0 points.
    const std::vector<double> growth = {0.10, 0.07, 0.07};
    for (int i = 0; i < 3; ++i) {
        const int year = kLastCensus - 2 + i;
        w.england.stock[year] = w.england.stock.at(year - 1) * (1 + growth[static_cast<std::size_t>(i)]);
    }
    const auto shifted = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(shifted.has_value());
    const double g0 = w.england.stock.at(kLastCensus - 3) / w.england.stock.at(kLastCensus - 4) - 1;
    const double c1 = 0.10 - g0, c2 = 0.07 - 0.10, c3 = 0.0;
    CHECK(shifted->england_growth_change_sd == Approx(std::sqrt((c1 * c1 + c2 * c2 + c3 * c3) / 3)).epsilon(1e-9));
    // The window counts back from the origin: a wider one takes in steady years and averages them in.
    pooling.england_shock_years = 6;
    const auto wider = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(wider.has_value());
    CHECK(wider->england_growth_change_sd == Approx(std::sqrt((c1 * c1 + c2 * c2 + c3 * c3) / 6)).epsilon(1e-6));
    // Weighed by recency, the change j years before the newest counts lambda^j: the newest (c3)
    // fully, c2 by lambda, c1 by lambda^2, the steady years before them by lambda^3..lambda^5.
    pooling.england_shock_decay = 0.5;
    const auto recent = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(recent.has_value());
    const double weights = 1 + 0.5 + 0.25 + 0.125 + 0.0625 + 0.03125;
    CHECK(recent->england_growth_change_sd == Approx(std::sqrt((c3 * c3 + 0.5 * c2 * c2 + 0.25 * c1 * c1) / weights)).epsilon(1e-6));
    // With lambda 0 the newest change alone counts, and it was nil.
    pooling.england_shock_decay = 0;
    const auto newest = fit_pooled(w.areas, w.england, kLastCensus, pooling);
    REQUIRE(newest.has_value());
    CHECK(newest->england_growth_change_sd == Approx(0.0).margin(1e-12));
}
