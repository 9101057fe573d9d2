#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "shipped_data.h"
#include "simulate/breakdowns.h"
#include "simulate/draw.h"
#include "simulate/projection.h"
#include "simulate/synthetic_history.h"

using namespace sendplan;
using sendplan::test::source;

namespace {

struct Fixture {
    test::ShippedData data;
    const Taxonomy& tax = data.tax;
    Calibration cal = calibrate(data.history, data.pop, data.tax, data.as, 0, 15);
};

const Fixture& barnet() {
    static const Fixture f;
    return f;
}

std::int64_t total(const Stock& s) { return std::accumulate(s.begin(), s.end(), std::int64_t{0}); }

class ConservationCheck : public DrawObserver {
public:
    long checked = 0, violations = 0;
    std::int64_t previous = 0;
    void year(int y, const Stock& stock, const YearFlows& f) override {
        for (auto n : stock)
            if (n < 0) ++violations;
        const std::int64_t now = total(stock);
        if (y > 0) {
            ++checked;
            if (now != previous + f.joiners + f.transfers_in - f.ceased - f.aged_out) ++violations;
        }
        previous = now;
    }
};

// A three-age, one-need, two-setting model whose expectations are worked out by hand.
Posterior small_model() {
    Posterior p;
    p.dims = Dimensions{3, 1, 2};
    p.base_year = 2020;
    p.horizon = 2;
    p.base_stock.assign(6, 0);
    p.base_stock[static_cast<std::size_t>(p.dims.cell(0, 0, 0))] = 200;
    p.base_stock[static_cast<std::size_t>(p.dims.cell(1, 0, 1))] = 50;
    p.trend.last_year = 2019;
    p.trend.coefficients = Eigen::Vector2d(std::log(10.0), 0.0);
    p.trend.unscaled_covariance = Eigen::Matrix2d::Zero();
    p.trend.damping = 1.0;
    p.population_by_year_age.assign({2, 3}, 1.0);
    p.reference_population.assign(3, 1.0);
    p.reference_population_total = 3.0;
    p.joiner_age_alpha = {1.0, 0.0, 0.0};       // every joiner is age 0: 10 x 3 x 1 = 30 a year
    p.joiner_need_alpha.assign({3, 1}, 1.0);
    p.joiner_setting_alpha.assign({3, 2}, 1.0);  // half to each setting
    p.joiner_need_setting_tilt.assign({1, 2}, 1.0);
    p.cease_alpha = {0.2, 0.1, 1.0};
    p.cease_beta = {0.8, 0.9, 1.0};
    p.transfer_mean = 0;
    p.transfer_sd = 0;
    p.move_alpha.assign({3, 2, 2}, 0.0);
    auto move = [&](int a, int from, double to0, double to1) {
        p.move_alpha(a, from, 0) = to0;
        p.move_alpha(a, from, 1) = to1;
    };
    move(0, 0, 0.7, 0.3);
    move(0, 1, 0.0, 1.0);
    move(1, 0, 1.0, 0.0);
    move(1, 1, 0.5, 0.5);
    p.without_parameter_uncertainty = true;
    return p;
}

class CellRecorder : public DrawObserver {
public:
    int cell = 0;
    std::vector<double> cell_values, totals;
    void year(int y, const Stock& stock, const YearFlows&) override {
        if (y != 2) return;
        cell_values.push_back(stock[static_cast<std::size_t>(cell)]);
        totals.push_back(static_cast<double>(total(stock)));
    }
};

void check_mean(const std::vector<double>& x, double expected) {
    const double n = static_cast<double>(x.size());
    const double m = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0;
    for (double v : x) ss += (v - m) * (v - m);
    const double se = std::sqrt(ss / (n - 1) / n);
    INFO("mean " << m << " expected " << expected << " se " << se);
    CHECK(std::abs(m - expected) < 4 * se);
}

}  // namespace

TEST_CASE("stock is conserved in every draw and year: stock(t+1) = stock(t) + joiners + arrivals - leavers") {
    const Posterior& p = barnet().cal.posterior;
    DrawSimulator sim(p);
    ConservationCheck check;
    for (std::uint64_t d = 0; d < 200; ++d) sim.run(99, d, check);
    CHECK(check.checked == 200L * p.horizon);
    CHECK(check.violations == 0);
}

TEST_CASE("Monte Carlo means match the expectations worked out by hand") {
    const Posterior p = small_model();
    DrawSimulator sim(p);
    CellRecorder rec;
    rec.cell = p.dims.cell(2, 0, 0);
    for (std::uint64_t d = 0; d < 4000; ++d) sim.run(2024, d, rec);
    // Year 2, age 2, setting 0: 200 x 0.8 x 0.7 x 0.9 (stayed) + 200 x 0.8 x 0.3 x 0.9 x 0.5 (moved back).
    check_mean(rec.cell_values, 200 * 0.8 * 0.7 * 0.9 + 200 * 0.8 * 0.3 * 0.9 * 0.5);
    // Year 2 total: age 2 = 200 x 0.8 x 0.9; age 1 = 30 x 0.8; age 0 = 30.
    check_mean(rec.totals, 200 * 0.8 * 0.9 + 30 * 0.8 + 30);
}

TEST_CASE("plans arriving from other authorities: as many as the rate gives, settled as plans that go on") {
    Posterior p = small_model();
    p.transfer_mean = 0.05;  // each plan held brings another with chance 0.05
    DrawSimulator sim(p);
    class FirstYear : public DrawObserver {
    public:
        std::vector<double> arrivals, moved, stayed;
        void year(int y, const Stock& stock, const YearFlows& f) override {
            if (y != 1) return;
            arrivals.push_back(static_cast<double>(f.transfers_in));
            stayed.push_back(stock[2]);  // age 1, setting 0
            moved.push_back(stock[3]);   // age 1, setting 1
        }
    } rec;
    for (std::uint64_t d = 0; d < 4000; ++d) sim.run(77, d, rec);
    // 250 plans below the top age: 12.5 arrivals. Those like the 200 at age 0 in setting 0 stay
    // there with chance 0.7 (they go on, so ceasing does not touch them) and move with 0.3.
    check_mean(rec.arrivals, 250 * 0.05);
    check_mean(rec.stayed, 200 * 0.8 * 0.7 + 200 * 0.05 * 0.7);
    check_mean(rec.moved, 200 * 0.8 * 0.3 + 200 * 0.05 * 0.3);
}

TEST_CASE("a scenario's cap on the growth of new plans holds the expected joiners to it from its year") {
    Posterior p = small_model();
    p.horizon = 4;
    p.population_by_year_age.assign({4, 3}, 1.0);
    p.trend.coefficients = Eigen::Vector2d(std::log(10.0), std::log(1.2));  // 20% more new plans each year
    Interventions changes;
    changes.joiner_growth_cap = {2022, std::log(1.05)};                      // at most 5% a year from the 2022 census
    class JoinerRecorder : public DrawObserver {
    public:
        std::vector<std::vector<double>> by_year = std::vector<std::vector<double>>(5);
        void year(int y, const Stock&, const YearFlows& f) override {
            if (y > 0) by_year[static_cast<std::size_t>(y)].push_back(static_cast<double>(f.joiners));
        }
    } rec;
    DrawSimulator sim(p, {}, changes);
    for (std::uint64_t d = 0; d < 4000; ++d) sim.run(77, d, rec);
    // New plans joining at census 2020 + y: 3 (the population weight) x 10 x 1.2 in the first year,
    // then 5% growth a year instead of 20%.
    check_mean(rec.by_year[1], 30 * 1.2);
    check_mean(rec.by_year[2], 30 * 1.2 * 1.05);
    check_mean(rec.by_year[3], 30 * 1.2 * 1.05 * 1.05);
    check_mean(rec.by_year[4], 30 * 1.2 * std::pow(1.05, 3));
}

TEST_CASE("a scenario's redirection of moves sends the given share elsewhere, as worked out by hand") {
    Posterior p = small_model();
    // From the first projected census, half the moves at age 0 into setting 1 go to setting 0 instead.
    Interventions changes;
    changes.move_redirections.push_back({2021, {0}, {0}, {1}, 0.5, 0});
    class YearOne : public DrawObserver {
    public:
        std::vector<double> moved, total;
        void year(int y, const Stock& stock, const YearFlows&) override {
            if (y != 1) return;
            moved.push_back(stock[3]);  // age 1, setting 1 (cell (1, 0, 1) of a 3 x 1 x 2 model)
            total.push_back(static_cast<double>(std::accumulate(stock.begin(), stock.end(), std::int64_t{0})));
        }
    } rec;
    REQUIRE(p.dims.cell(1, 0, 1) == 3);
    DrawSimulator sim(p, {}, changes);
    for (std::uint64_t d = 0; d < 4000; ++d) sim.run(91, d, rec);
    // Of 200 at age 0 in setting 0, 0.8 stay on a plan and 0.3 of those move to setting 1: half of them now don't.
    check_mean(rec.moved, 200 * 0.8 * 0.3 * 0.5);
    // Nobody is lost or gained: the year's total is as without the redirection (200 x 0.8 + 50 x 0.9 + 30 new plans).
    check_mean(rec.total, 200 * 0.8 + 50 * 0.9 + 30);
}

TEST_CASE("a synthetic history moves its children as the scenario redirects moves, child by child") {
    Posterior p = small_model();
    Interventions changes;
    changes.move_redirections.push_back({2021, {0}, {0}, {1}, 0.5, 0});
    SyntheticOptions so;
    so.first_census = 2020;
    so.years = 1;
    so.interventions = changes;
    std::vector<double> moved, stayed;
    for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
        so.seed = seed;
        std::map<std::string, PersonState> at_first;
        double to_setting_1 = 0, in_setting_0 = 0;
        for (const CensusRow& r : synthesise_history(p, so)) {
            if (r.year == 2020) {
                at_first[r.person_id] = r.state;
                continue;
            }
            const auto was = at_first.find(r.person_id);
            if (was == at_first.end() || was->second.age != 0 || was->second.setting != 0) continue;
            to_setting_1 += r.state.setting == 1;
            in_setting_0 += r.state.setting == 0;
        }
        moved.push_back(to_setting_1);
        stayed.push_back(in_setting_0);
    }
    // Of the 200 children at age 0 in setting 0, 0.8 keep their plans and 0.3 of those would move
    // to setting 1; half of those moves go back to setting 0.
    check_mean(moved, 200 * 0.8 * 0.3 * 0.5);
    check_mean(stayed, 200 * 0.8 * (0.7 + 0.3 * 0.5));
}

TEST_CASE("a synthetic history holds, census by census and cell by cell, the stock of draw 0 with the same seed") {
    const Fixture& f = barnet();
    const Posterior& p = f.cal.posterior;
    // A scenario's changes that a history by its own rules would miss: a cap on new plans and a redirection of moves.
    Interventions changes;
    changes.joiner_growth_cap = {p.base_year + 2, std::log(1.01)};
    const int special = *f.tax.setting_index("special_la"), mainstream = *f.tax.setting_index("mainstream");
    std::vector<int> needs(static_cast<std::size_t>(p.dims.needs));
    std::iota(needs.begin(), needs.end(), 0);
    changes.move_redirections.push_back({p.base_year + 1, {f.tax.age_index(10), f.tax.age_index(11)}, needs, {special}, 0.6, mainstream});
    class Stocks : public DrawObserver {
    public:
        std::vector<Stock> by_census;
        void year(int, const Stock& stock, const YearFlows&) override { by_census.push_back(stock); }
    } projected;
    DrawSimulator(p, {}, changes).run(31, 0, projected);

    SyntheticOptions so;
    so.first_census = p.base_year;
    so.years = p.horizon;
    so.seed = 31;
    so.interventions = changes;
    std::vector<Stock> synthetic(static_cast<std::size_t>(p.horizon + 1), Stock(p.base_stock.size(), 0));
    std::map<std::string, PersonState> last_seen;
    long older_by_a_year = 0, stayed_on = 0;
    for (const CensusRow& r : synthesise_history(p, so)) {
        const std::size_t y = static_cast<std::size_t>(r.year - p.base_year);
        ++synthetic[y][static_cast<std::size_t>(p.dims.cell(r.state.age, r.state.need, r.state.setting))];
        if (const auto was = last_seen.find(r.person_id); was != last_seen.end()) {
            ++stayed_on;
            older_by_a_year += r.state.age == was->second.age + 1;
        }
        last_seen[r.person_id] = r.state;
    }
    REQUIRE(projected.by_census.size() == synthetic.size());
    for (std::size_t y = 0; y < synthetic.size(); ++y) {
        INFO("census " << p.base_year + static_cast<int>(y));
        CHECK(synthetic[y] == projected.by_census[y]);
    }
    CHECK(stayed_on > 10000);
    CHECK(older_by_a_year == stayed_on);
}

TEST_CASE("the same seed gives bitwise-identical results with 1, 2 or 3 threads") {
    const Fixture& f = barnet();
    ProjectionOptions o;
    o.draws = 300;
    o.seed = 77;
    o.keep_draws = true;
    o.threads = 1;
    ProjectionResult one = project(f.cal.posterior, standard_breakdowns(f.tax, f.cal.posterior.dims), o);
    for (int threads : {2, 3}) {
        o.threads = threads;
        ProjectionResult many = project(f.cal.posterior, standard_breakdowns(f.tax, f.cal.posterior.dims), o);
        CHECK(many.total_by_draw == one.total_by_draw);
        CHECK(many.detail_by_draw == one.detail_by_draw);
        CHECK(many.mean_stock == one.mean_stock);
        bool same = true;
        for (std::size_t b = 0; b < one.stock.size(); ++b)
            for (std::size_t y = 0; y < one.stock[b].size(); ++y)
                for (std::size_t c = 0; c < one.stock[b][y].size(); ++c)
                    for (double q : {0.05, 0.1, 0.5, 0.9, 0.95})
                        same &= one.stock[b][y][c].quantile(q) == many.stock[b][y][c].quantile(q) ||
                                (std::isnan(one.stock[b][y][c].quantile(q)) && std::isnan(many.stock[b][y][c].quantile(q)));
        CHECK(same);
    }
    // A different seed gives different draws.
    o.seed = 78;
    ProjectionResult other = project(f.cal.posterior, standard_breakdowns(f.tax, f.cal.posterior.dims), o);
    CHECK(other.total_by_draw != one.total_by_draw);
}

TEST_CASE("summaries agree with each other: breakdowns add up to the total in every draw") {
    const Fixture& f = barnet();
    ProjectionOptions o;
    o.draws = 50;
    o.seed = 5;
    o.keep_draws = true;
    ProjectionResult r = project(f.cal.posterior, standard_breakdowns(f.tax, f.cal.posterior.dims), o);
    const std::size_t D = r.breakdowns[r.detail_breakdown].categories(), Y = static_cast<std::size_t>(r.years());
    for (std::size_t d = 0; d < 50; ++d)
        for (std::size_t y = 0; y < Y; ++y) {
            std::int64_t sum = 0;
            for (std::size_t c = 0; c < D; ++c) sum += r.detail_by_draw[(d * Y + y) * D + c];
            REQUIRE(sum == r.total_by_draw[d * Y + y]);
        }
    for (std::size_t b = 0; b < r.breakdowns.size(); ++b) {
        double means = 0;
        for (const auto& h : r.stock[b][Y - 1]) means += h.mean();
        CHECK(means == Approx(r.stock[0][Y - 1][0].mean()));
    }
    CHECK(r.stock[0][0][0].quantile(0.05) == 4840);
    CHECK(r.stock[0][0][0].quantile(0.95) == 4840);
}

TEST_CASE("plans by national curriculum year are plans by age, labelled by year group", "[outputs]") {
    CHECK(year_group_label(0) == "Reception");
    CHECK(year_group_label(1) == "Year 1");
    CHECK(year_group_label(13) == "Year 13");
    CHECK(year_group_label(-4) == "Nursery (NCY -4)");
    const Fixture& f = barnet();
    CHECK(f.tax.ncy_of_age(4) == 0);
    CHECK(f.tax.ncy_of_age(16) == 12);
    const auto breakdowns = standard_breakdowns(f.tax, f.cal.posterior.dims);
    const auto named = [&](const std::string& name) {
        const auto it = std::find_if(breakdowns.begin(), breakdowns.end(), [&](const Breakdown& b) { return b.name == name; });
        REQUIRE(it != breakdowns.end());
        return static_cast<std::size_t>(it - breakdowns.begin());
    };
    const std::size_t age = named("age"), ncy = named("ncy");
    REQUIRE(breakdowns[ncy].labels.size() == breakdowns[age].labels.size());
    for (std::size_t c = 0; c < breakdowns[age].labels.size(); ++c)
        CHECK(std::stoi(breakdowns[ncy].labels[c][0]) == f.tax.ncy_of_age(std::stoi(breakdowns[age].labels[c][0])));
    ProjectionOptions o;
    o.draws = 20;
    o.seed = 9;
    const ProjectionResult r = project(f.cal.posterior, breakdowns, o);
    for (std::size_t y = 0; y < static_cast<std::size_t>(r.years()); ++y)
        for (std::size_t c = 0; c < breakdowns[age].labels.size(); ++c) CHECK(r.stock[ncy][y][c].mean() == r.stock[age][y][c].mean());
}

TEST_CASE("England-wide shocks widen new plans as worked out by hand, keep their mean, and are shared by areas") {
    // 250 plans held, 30 new plans expected in the first year. A shock x ~ N(0, s^2) per plan held
    // moves them by 250 x: mean 30, variance 30 (Poisson) + (250 s)^2.
    Posterior p = small_model();
    p.england_shock_sd = 0.02;
    // Another area, a hundred times the plans and ten times the population: its new plans move
    // with the shock far more than with chance (shock variance 250,000 against 300).
    Posterior bigger = small_model();
    bigger.england_shock_sd = 0.02;
    for (auto& n : bigger.base_stock) n *= 100;
    bigger.population_by_year_age.assign({2, 3}, 10.0);
    class FirstYear : public DrawObserver {
    public:
        std::vector<double> joiners;
        void year(int y, const Stock&, const YearFlows& f) override {
            if (y == 1) joiners.push_back(static_cast<double>(f.joiners));
        }
    } small_area, large_area;
    DrawSimulator sim(p), sim_bigger(bigger);
    const std::uint64_t draws = 4000;
    for (std::uint64_t d = 0; d < draws; ++d) {
        sim.run(5, d, small_area);
        sim_bigger.run(5, d, large_area);
    }
    check_mean(small_area.joiners, 30.0);
    const double n = static_cast<double>(draws);
    auto variance = [n](const std::vector<double>& x) {
        const double m = std::accumulate(x.begin(), x.end(), 0.0) / n;
        double ss = 0;
        for (double v : x) ss += (v - m) * (v - m);
        return ss / (n - 1);
    };
    const double expected = 30.0 + (250 * 0.02) * (250 * 0.02);
    // The sample variance of near-normal draws has a standard error of about var x sqrt(2 / n).
    CHECK(std::abs(variance(small_area.joiners) - expected) < 5 * expected * std::sqrt(2 / n));
    // The same draw gives both areas the same England-wide shock: their new plans move together.
    const double ma = std::accumulate(small_area.joiners.begin(), small_area.joiners.end(), 0.0) / n;
    const double mb = std::accumulate(large_area.joiners.begin(), large_area.joiners.end(), 0.0) / n;
    double cov = 0;
    for (std::size_t i = 0; i < small_area.joiners.size(); ++i) cov += (small_area.joiners[i] - ma) * (large_area.joiners[i] - mb);
    cov /= n - 1;
    const double correlation = cov / std::sqrt(variance(small_area.joiners) * variance(large_area.joiners));
    // Shared shocks: at least the shock's share of the small area's variance, sqrt(25 / 55) = 0.67
    // (independent shocks would leave only what common random numbers give the Poisson counts).
    CHECK(correlation > 0.6);
    CHECK(correlation == Approx(std::sqrt(25.0 / 55.0 * 250000.0 / 250300.0)).margin(0.1));
}
