// Backtests: nothing dated after the origin is used, the net-leaving estimate from censuses matches
// a hand computation, the scores are what their definitions say, and the CLI writes the agreed CSV.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "evaluate/accuracy.h"
#include "evaluate/backtest.h"
#include "io/csv.h"
#include "io/dfe_reader.h"
#include "national_data.h"
#include "shipped_data.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

// Copies a release file keeping only the rows dated up to `last` (parsed as the reader does).
void copy_rows_up_to(const std::string& from, const std::string& to, int last) {
    std::istringstream in(read_text(from));
    std::string header, line, out;
    std::getline(in, header);
    out = header + "\n";
    const std::size_t column = static_cast<std::size_t>(std::count(header.begin(), header.begin() + static_cast<long>(header.find("time_period")), ','));
    while (std::getline(in, line)) {
        std::stringstream fields(line);
        std::string field;
        for (std::size_t i = 0; i <= column; ++i) std::getline(fields, field, ',');
        if (parse_time_period(field) <= last) out += line + "\n";
    }
    // A release with nothing up to `last` was not yet published: its file is left out.
    std::filesystem::create_directories(std::filesystem::path(to).parent_path());
    if (out.size() > header.size() + 1) write_text(to, out);
}

std::vector<BacktestRow> backtest_of(const AreaHistory& history, int origin, const ShippedData& d) {
    BacktestOptions o;
    o.origin = origin;
    o.horizon = 3;
    o.draws = 200;
    o.seed = 11;
    std::vector<std::string> notes;
    return backtest(history, constant_population(d.tax), d.tax, d.as, o, notes);
}

}  // namespace

TEST_CASE("no look-ahead: deleting every row after the origin leaves the forecast bitwise unchanged", "[backtest]") {
    const ShippedData d;
    const std::vector<std::string> releases = {"dfe-ehcp-2022", "dfe-ehcp-2025", "dfe-ehcp-2026"};
    for (const int origin : {2017, 2020, 2023}) {
        TempDir cut;
        std::vector<std::string> dirs;
        for (const auto& release : releases) {
            dirs.push_back(cut / release);
            for (const auto& entry : std::filesystem::directory_iterator(source("data/" + release))) {
                const std::string name = entry.path().filename().string();
                // Censuses are dated by their January; new and ceased plans by calendar year, and the
                // origin's own calendar year is still to come at its January census.
                const bool flows = name.find("new") != std::string::npos || name.find("ceased") != std::string::npos;
                copy_rows_up_to(entry.path().string(), cut / (release + "/" + name), flows ? origin - 1 : origin);
            }
        }
        const AreaHistory truncated = read_dfe_releases(dirs, "E09000003", d.tax);
        CHECK(truncated.stock_total.rbegin()->first == origin);
        const auto full = backtest_of(d.history, origin, d);
        const auto cut_rows = backtest_of(truncated, origin, d);
        REQUIRE(full.size() == cut_rows.size());
        for (std::size_t i = 0; i < full.size(); ++i) {
            INFO("origin " << origin << ", horizon " << full[i].horizon);
            CHECK(full[i].mean == cut_rows[i].mean);
            CHECK(full[i].p05 == cut_rows[i].p05);
            CHECK(full[i].p50 == cut_rows[i].p50);
            CHECK(full[i].p95 == cut_rows[i].p95);
            CHECK(full[i].compound_growth == cut_rows[i].compound_growth);
            // The full history knows the outcome; the cut one does not.
            CHECK(full[i].actual.has_value());
            CHECK_FALSE(cut_rows[i].actual.has_value());
        }
    }
}

TEST_CASE("history_up_to keeps censuses to the origin and flows to the calendar year before it", "[backtest]") {
    const ShippedData d;
    const AreaHistory h = history_up_to(d.history, 2019);
    CHECK(h.stock_total.rbegin()->first == 2019);
    CHECK(h.stock_by_age.rbegin()->first == 2019);
    CHECK(h.new_total.rbegin()->first == 2018);
    CHECK(h.new_by_age.rbegin()->first == 2018);
    CHECK(h.ceased_total.empty());  // ceased plans are published from calendar year 2022 only
    CHECK(h.stock_by_need.empty());
}

TEST_CASE("net leaving inferred from two censuses matches the cohort identity worked by hand", "[backtest]") {
    // Two age bands, a constant population, so plans spread evenly over the ages of a band.
    ShippedData d;
    const Taxonomy& tax = d.tax;
    const int top = tax.max_age;
    AreaHistory h;
    h.area_code = "TEST";
    h.area_name = "Test";
    // January 2020: 100 plans aged 0..12 and 130 aged 13..top; January 2021: 110 and 140.
    h.stock_by_age[2020] = {AgeRow{{0, 12}, 100, {}}, AgeRow{{13, top}, 130, {}}};
    h.stock_by_age[2021] = {AgeRow{{0, 12}, 110, {}}, AgeRow{{13, top}, 140, {}}};
    h.stock_total[2020] = 230;
    h.stock_total[2021] = 250;
    // New plans in 2020: 26 aged 0..12 and 13 aged 13..top; a flat history so the trend is simple.
    for (int y = 2012; y <= 2020; ++y) h.new_total[y] = 39;
    h.new_by_age[2020] = {AgeRow{{0, 12}, 26, {}}, AgeRow{{13, top}, 13, {}}};
    d.as.ceasing.census_window_years = 1;
    const Calibration cal = calibrate(h, constant_population(tax), tax, d.as, 2021, 2);
    // Band 0..12 at 2021 could hold the 2020 plans aged 0..11 (100 * 12/13) plus its 26 joiners;
    // it holds 110. Band 13..top could hold the plans aged 12 (100/13) and 13..top-1 (130 * (n-1)/n).
    const double young_held = 100.0 * 12 / 13, young_left = young_held + 26 - 110;
    const int old_ages = top - 13 + 1;
    const double old_held = 100.0 / 13 + 130.0 * (old_ages - 1) / old_ages, old_left = old_held + 13 - 140;
    const double total_left = young_left + old_left;
    const double positive = std::max(young_left, 0.0) + std::max(old_left, 0.0);
    // Ceasing at age 5 (inside the young band) is its band's net leaving rate, scaled so the total balances.
    const Posterior& p = cal.posterior;
    const double prior_a = d.as.ceasing.prior_plans * d.as.ceasing.prior_rate;
    const double prior_b = d.as.ceasing.prior_plans * (1 - d.as.ceasing.prior_rate);
    const double held_at_5 = 100.0 / 13;
    const double expected_ceased_at_5 = std::max(young_left, 0.0) * std::max(total_left, 0.0) / positive / 12.0;
    CHECK(p.cease_alpha[5] == Approx(prior_a + expected_ceased_at_5).epsilon(1e-9));
    CHECK(p.cease_beta[5] == Approx(prior_b + held_at_5 - expected_ceased_at_5).epsilon(1e-9));
    if (total_left < 0) CHECK(p.transfer_mean == Approx(-total_left / (young_held + old_held)));
    else CHECK(p.transfer_mean == 0.0);
}

TEST_CASE("backtest scores follow their definitions", "[backtest]") {
    std::vector<BacktestRow> rows(2);
    rows[0].horizon = 1;
    rows[0].actual = 100;
    rows[0].mean = 110;
    rows[0].p05 = 80, rows[0].p10 = 90, rows[0].p90 = 105, rows[0].p95 = 120;
    rows[0].p025 = 70, rows[0].p975 = 130;
    rows[0].last_value = 90;
    rows[0].compound_growth = 100;
    rows[1] = rows[0];
    rows[1].actual = 200;
    rows[1].mean = 150;
    rows[1].p05 = 100, rows[1].p10 = 150, rows[1].p90 = 190, rows[1].p95 = 195;
    rows[1].p025 = 90, rows[1].p975 = 230;
    rows[1].last_value = 200;
    rows[1].compound_growth.reset();
    const auto s = score_backtest(rows);
    REQUIRE(s.size() == 1);
    CHECK(s[0].forecasts == 2);
    CHECK(s[0].engine_mape == Approx((10.0 + 25.0) / 2));
    CHECK(s[0].last_value_mape == Approx((10.0 + 0.0) / 2));
    CHECK(s[0].compound_growth_forecasts == 1);
    CHECK(s[0].compound_growth_mape == Approx(0.0));
    CHECK(s[0].inside_80 == Approx(0.5));  // 100 is inside [90, 105]; 200 is above [150, 190]
    CHECK(s[0].inside_90 == Approx(0.5));  // 200 is above [100, 195]
    CHECK(s[0].inside_95 == Approx(1.0));
}

TEST_CASE("sendplan backtest writes the agreed CSV and refuses bad arguments", "[slow][cli][backtest]") {
    TempDir dir;
    const std::string out = dir / "backtest.csv";
    auto r = run_sendplan("backtest --data-dir " + source("data") + " --area 302 --origin 2024 --horizon 3 --draws 200 --out " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("constant population") != std::string::npos);
    const CsvTable t = CsvTable::read(out);
    const std::vector<std::string> header = {"area_code", "origin", "year", "horizon", "actual", "mean", "p05", "p10", "p50", "p90", "p95",
                                             "area_name", "region", "p025", "p975", "last_value", "growth_3y", "england_growth_3y"};
    REQUIRE(t.header() == header);
    REQUIRE(t.rows() == 3);
    CHECK(t.text(0, 0) == "E09000003");
    CHECK(t.text(0, 4) == "4320.0");  // January 2025
    CHECK(t.text(1, 4) == "4840.0");  // January 2026
    CHECK(t.text(2, 4).empty());      // January 2027 is not known
    for (std::size_t i = 0; i < t.rows(); ++i) CHECK(std::stod(t.text(i, 6)) <= std::stod(t.text(i, 8)));
    // What produced it, beside it: seed, version and the checksum of every input.
    const std::string provenance = read_text(out + ".provenance.txt");
    CHECK(provenance.find("seed 20260123") != std::string::npos);
    CHECK(provenance.find("data/dfe-ehcp-2025/caseload.csv") != std::string::npos);
    CHECK(provenance.find("assumptions.yaml") != std::string::npos);

    // The chart of forecasts against what happened renders from that CSV.
    const std::string plot = "/usr/bin/python3 " + source("python-plots/plot_backtest.py") + " " + out + " " + (dir / "plots") + " 2>&1";
    REQUIRE(std::system(plot.c_str()) == 0);
    CHECK(std::filesystem::file_size(dir / "plots/backtest_E09000003.png") > 10000);

    auto bad = run_sendplan("backtest --data-dir " + source("data") + " --area E09000003 --origins 20x6..2021 --horizon 2 --out " + out);
    CHECK(bad.status == 2);
    CHECK(bad.output.find("origins") != std::string::npos);
    bad = run_sendplan("backtest --data-dir " + source("data") + " --area E99999999 --origin 2020 --horizon 2 --out " + (dir / "x.csv"));
    CHECK(bad.status == 2);
    CHECK(bad.output.find("E99999999") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "x.csv"));
    bad = run_sendplan("backtest --data-dir " + source("data") + " --area E09000003 --origin 2009 --horizon 2 --out " + (dir / "y.csv"));
    CHECK(bad.status == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "y.csv"));
}

TEST_CASE("age rows whose totals are suppressed are restored from the published total", "[backtest]") {
    // Barnet's January 2025 census with the totals of ages 20..24 suppressed, as a small authority's
    // would be: the age rows then fall short of the 4,320 plans, and the gap goes back to those rows.
    const ShippedData d;
    TempDir dir;
    std::istringstream in(read_text(source("data/dfe-ehcp-2025/caseload.csv")));
    std::string line, out;
    int blanked = 0;
    while (std::getline(in, line)) {
        const bool target = line.find(",E09000003,") != std::string::npos && line.rfind("202425,", 0) == 0 &&
                            line.find("Child or young persons age,age 2") != std::string::npos && line.find("age 2,") == std::string::npos;
        if (target) {
            // The total (ehcplans, the 13th column) and every placement column after it are suppressed.
            std::vector<std::string> fields;
            std::stringstream ss(line);
            std::string f;
            while (std::getline(ss, f, ',')) fields.push_back(f);
            for (std::size_t i = 12; i < fields.size(); ++i) fields[i] = "c";
            line.clear();
            for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + fields[i];
            ++blanked;
        }
        out += line + "\n";
    }
    REQUIRE(blanked == 5);  // ages 20 to 24 (none is published at 25)
    write_text(dir / "release/caseload.csv", out);
    std::filesystem::copy_file(source("data/dfe-ehcp-2025/newplans.csv"), dir / "release/newplans.csv");
    const AreaHistory h = read_dfe_releases({dir / "release"}, "E09000003", d.tax);
    double rows = 0;
    for (const auto& r : h.stock_by_age.at(2025)) rows += r.total;
    CHECK(rows == Approx(4320));
    bool noted = false;
    for (const auto& n : h.notes) noted |= n.find("suppressed age rows restored") != std::string::npos;
    CHECK(noted);
    const Calibration cal = calibrate(h, d.pop, d.tax, d.as, 2025, 2);
    long base = 0;
    for (auto n : cal.posterior.base_stock) base += n;
    CHECK(base == 4320);
}

// ---------------------------------------------------------------------------------------------
// Every authority in the national releases, and backtests over them.

namespace {

struct Model {
    Taxonomy tax = read_taxonomy(source("model"));
    Assumptions as;
    Population pop;
    Model() : pop(constant_population(tax)) { read_assumptions(source("model/assumptions.yaml"), as); }
};
const Model& model() {
    static const Model m;
    return m;
}

std::vector<BacktestRow> run_backtest_of(const AreaHistory& history, int origin, int horizon, long draws, std::uint64_t seed = 17) {
    BacktestOptions o;
    o.origin = origin;
    o.horizon = horizon;
    o.draws = draws;
    o.seed = seed;
    o.threads = 1;
    std::vector<std::string> notes;
    return backtest(history, model().pop, model().tax, model().as, o, notes);
}

// Applies `f(year, is_flow, value)` to every count of every table of the history.
template <class F>
void for_each_count(AreaHistory& h, F f) {
    auto series = [&](YearSeries& s, bool flow) {
        for (auto& [y, v] : s) f(y, flow, v);
    };
    auto split = [&](YearSplit& s, bool flow) {
        for (auto& [y, v] : s)
            for (auto& x : v) f(y, flow, x);
    };
    auto ages = [&](YearAgeRows& s, bool flow) {
        for (auto& [y, rows] : s)
            for (auto& r : rows) {
                f(y, flow, r.total);
                for (auto& x : r.split) f(y, flow, x);
            }
    };
    auto table = [&](std::map<int, std::vector<std::vector<double>>>& s, bool flow) {
        for (auto& [y, t] : s)
            for (auto& row : t)
                for (auto& x : row) f(y, flow, x);
    };
    series(h.stock_total, false), split(h.stock_by_setting, false), ages(h.stock_by_age, false), split(h.stock_by_need, false);
    ages(h.stock_need_by_age, false), table(h.stock_need_by_setting, false);
    series(h.new_total, true), split(h.new_by_setting, true), ages(h.new_by_age, true), series(h.ceased_total, true);
    ages(h.ceased_by_age, true), split(h.new_by_need, true), ages(h.new_need_by_age, true), table(h.new_need_by_setting, true);
}

// Every year of every table: censuses and flows apart.
void years_of(const AreaHistory& h, std::set<int>& censuses, std::set<int>& flows) {
    AreaHistory copy = h;
    for_each_count(copy, [&](int y, bool flow, double&) { (flow ? flows : censuses).insert(y); });
    // Tables with a year but no counts in it still count as holding that year.
    for (const auto* m : {&h.stock_by_age, &h.stock_need_by_age})
        for (const auto& [y, rows] : *m) censuses.insert(y);
    for (const auto* m : {&h.new_by_age, &h.ceased_by_age, &h.new_need_by_age})
        for (const auto& [y, rows] : *m) flows.insert(y);
}

void check_same_forecasts(const std::vector<BacktestRow>& a, const std::vector<BacktestRow>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("horizon " << a[i].horizon);
        CHECK(a[i].year == b[i].year);
        CHECK(a[i].mean == b[i].mean);
        CHECK(a[i].p025 == b[i].p025);
        CHECK(a[i].p05 == b[i].p05);
        CHECK(a[i].p10 == b[i].p10);
        CHECK(a[i].p50 == b[i].p50);
        CHECK(a[i].p90 == b[i].p90);
        CHECK(a[i].p95 == b[i].p95);
        CHECK(a[i].p975 == b[i].p975);
        CHECK(a[i].last_value == b[i].last_value);
        CHECK(a[i].compound_growth == b[i].compound_growth);
    }
}

}  // namespace

TEST_CASE("every authority of the national releases calibrates and projects from January 2025", "[dfe][national][backtest]") {
    const DfeReleases& releases = national_releases();
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> failures;
    std::size_t projected = 0;
    for (const auto& la : releases.local_authorities()) {
        if (la.last_census != 2025 || !la.successors.empty()) continue;
        INFO(la.code << " " << la.name);
        std::vector<BacktestRow> rows;
        try {
            const AreaHistory h = releases.history(la.code, model().tax);
            rows = run_backtest_of(h, 2025, 3, 20);
            ++projected;
            REQUIRE(rows.size() == 3);
            CHECK(rows[0].last_value == h.stock_total.at(2025));
        } catch (const std::exception& e) {
            failures.push_back(la.code + " " + la.name + ": " + e.what());
            continue;
        }
        for (const auto& r : rows) {
            INFO("January " << r.year);
            CHECK(r.area_code == la.code);
            CHECK_FALSE(r.actual.has_value());  // the national zips end at January 2025
            for (double x : {r.mean, r.p025, r.p05, r.p10, r.p50, r.p90, r.p95, r.p975}) {
                CHECK(std::isfinite(x));
                CHECK(x > 0);
            }
            CHECK(r.p025 <= r.p50);
            CHECK(r.p50 <= r.p975);
            // A year ahead, an authority's plans neither halve nor double.
            if (r.horizon == 1) {
                CHECK(r.p50 > 0.5 * r.last_value);
                CHECK(r.p50 < 2.0 * r.last_value);
            }
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO([&] {
        std::string s;
        for (const auto& f : failures) s += f + "\n";
        return s;
    }());
    CHECK(failures.empty());
    CHECK(projected + failures.size() == 153);
    WARN(projected << " authorities projected in " << seconds << " s");
}

TEST_CASE("every dissolved authority backtests from its last census and every successor from its first", "[dfe][national][backtest]") {
    const DfeReleases& releases = national_releases();
    for (const auto& la : releases.local_authorities()) {
        if (la.successors.empty()) continue;
        INFO(la.code << " " << la.name << " from January " << la.last_census);
        const AreaHistory h = releases.history(la.code, model().tax, true);
        std::vector<BacktestRow> rows;
        REQUIRE_NOTHROW(rows = run_backtest_of(h, la.last_census, 2, 20));
        REQUIRE(rows.size() == 2);
        CHECK_FALSE(rows[0].actual.has_value());  // it was gone by the next January
        CHECK(std::isfinite(rows[0].mean));
        CHECK(rows[0].mean > 0);
        // Its successors' own histories from a year after they began (a census and a year of flows).
        for (const auto& code : la.successors) {
            const AreaHistory s = releases.history(code, model().tax);
            REQUIRE_FALSE(s.stock_total.empty());
            const int origin = s.stock_total.begin()->first + 1;
            INFO("successor " << code << " from January " << origin);
            std::vector<BacktestRow> srows;
            REQUIRE_NOTHROW(srows = run_backtest_of(s, origin, 1, 20));
            REQUIRE(srows.size() == 1);
            CHECK(std::isfinite(srows[0].mean));
            CHECK(srows[0].mean > 0);
        }
    }
}

TEST_CASE("backtests of national authorities never read data dated after their origin", "[dfe][national][backtest]") {
    const DfeReleases& releases = national_releases();
    const int origin = 2019;
    // Large and small, a changed code (Gateshead), an anomalous flow (Barnsley), tiny authorities
    // with suppressed cells (City of London, Isles of Scilly), a county dissolved later.
    for (const char* area : {"E09000003", "370", "Gateshead", "E09000001", "E06000053", "Slough", "E10000021"}) {
        const AreaHistory full = releases.history(area, model().tax, true);
        INFO(area << " (" << full.area_name << ")");
        REQUIRE(full.stock_total.count(origin));
        const AreaHistory cut = history_up_to(full, origin);

        // What history_up_to keeps: censuses to January `origin`, flows of calendar years before it,
        // every kept count as it was, and what the area is.
        std::set<int> censuses, flows, full_censuses, full_flows;
        years_of(cut, censuses, flows);
        years_of(full, full_censuses, full_flows);
        REQUIRE_FALSE(censuses.empty());
        CHECK(*censuses.rbegin() == origin);
        REQUIRE_FALSE(flows.empty());
        CHECK(*flows.rbegin() == origin - 1);
        CHECK(full_censuses.count(origin + 1));  // there was something to drop
        CHECK(full_flows.count(origin));
        for (int y : full_censuses)
            if (y <= origin) CHECK(censuses.count(y));
        for (int y : full_flows)
            if (y < origin) CHECK(flows.count(y));
        CHECK(cut.stock_total == history_up_to(cut, origin).stock_total);
        for (const auto& [y, v] : cut.stock_total) CHECK(v == full.stock_total.at(y));
        for (const auto& [y, v] : cut.new_total) CHECK(v == full.new_total.at(y));
        CHECK(cut.area_code == full.area_code);
        CHECK(cut.area_name == full.area_name);

        // The forecast from the cut history is the forecast from the full one, bit for bit.
        const auto from_full = run_backtest_of(full, origin, 3, 50);
        const auto from_cut = run_backtest_of(cut, origin, 3, 50);
        check_same_forecasts(from_full, from_cut);
        for (std::size_t i = 0; i < from_full.size(); ++i) {
            // The outcome where it was published (Northamptonshire's ends with its last census).
            const auto outcome = full.stock_total.find(from_full[i].year);
            CHECK(from_full[i].actual.has_value() == (outcome != full.stock_total.end()));
            if (outcome != full.stock_total.end()) CHECK(from_full[i].actual == outcome->second);
            CHECK_FALSE(from_cut[i].actual.has_value());
        }

        // And changing every count dated after the origin, in every table, changes nothing either.
        AreaHistory altered = full;
        for_each_count(altered, [&](int y, bool flow, double& x) {
            if (flow ? y >= origin : y > origin) x = std::isnan(x) ? 1.0 : 3 * x + 7;
        });
        check_same_forecasts(from_full, run_backtest_of(altered, origin, 3, 50));
        // While changing the origin census itself does change it (the comparison can fail).
        AreaHistory moved = full;
        for (auto& r : moved.stock_by_age.at(origin)) {
            r.total *= 1.5;
            for (auto& x : r.split) x *= 1.5;
        }
        moved.stock_total.at(origin) *= 1.5;
        CHECK(run_backtest_of(moved, origin, 3, 50)[0].mean != from_full[0].mean);
    }
}

TEST_CASE("sendplan backtest --area all --region runs every authority of the region from the national zips", "[slow][cli][backtest][national]") {
    TempDir dir;
    const std::string out = dir / "north-east.csv", report = dir / "north-east-report.csv";
    const auto r = run_sendplan("backtest --data-dir " + source("data/dfe-national") +
                                " --area all --region \"North East\" --origin 2019 --horizon 2 --draws 20 --out " + out + " --report " + report);
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find(", 0 failed") != std::string::npos);
    const CsvTable t = CsvTable::read(out);
    const std::size_t code = t.column("area_code"), region = t.column("region"), england = t.column("england_growth_3y"),
                      origin = t.column("origin"), horizon = t.column("horizon"), actual = t.column("actual"), mean = t.column("mean"),
                      name = t.column("area_name");
    std::set<std::string> codes;
    for (std::size_t i = 0; i < t.rows(); ++i) {
        INFO("row " << i << ": " << t.text(i, code));
        codes.insert(t.text(i, code));
        CHECK(t.text(i, region) == "North East");
        CHECK(t.text(i, origin) == "2019");
        CHECK((t.text(i, horizon) == "1" || t.text(i, horizon) == "2"));
        CHECK_FALSE(t.text(i, name).empty());
        REQUIRE_FALSE(t.text(i, england).empty());
        CHECK(std::stod(t.text(i, england)) > 0);
        REQUIRE_FALSE(t.text(i, actual).empty());  // January 2020 and 2021 are in the 2025 release
        CHECK(std::stod(t.text(i, mean)) > 0);
    }
    // The North East's twelve authorities, Gateshead under its current code only.
    CHECK(codes.size() >= 10);
    CHECK(codes.size() == 12);
    CHECK(t.rows() == 2 * codes.size());
    CHECK(codes.count("E08000037"));
    CHECK_FALSE(codes.count("E08000020"));
    CHECK_FALSE(codes.count("E09000003"));
    CHECK_FALSE(codes.count("E92000001"));
    CHECK_FALSE(codes.count("E12000001"));
    // The report scores them all together, and the provenance names the archives read.
    const CsvTable rep = CsvTable::read(report);
    bool all = false;
    for (std::size_t i = 0; i < rep.rows(); ++i)
        if (rep.text(i, rep.column("scope")) == "all") {
            all = true;
            CHECK(std::stoi(rep.text(i, rep.column("forecasts"))) == static_cast<int>(codes.size()));
        }
    CHECK(all);
    const std::string provenance = read_text(out + ".provenance.txt");
    CHECK(provenance.find("education-health-and-care-plans_2025.zip") != std::string::npos);
    CHECK(provenance.find("region North East") != std::string::npos);

    // The accuracy charts render from that CSV.
    const std::string plot = "/usr/bin/python3 " + source("python-plots/plot_backtest_accuracy.py") + " " + out + " " + (dir / "plots") + " > /dev/null 2>&1";
    REQUIRE(std::system(plot.c_str()) == 0);
    for (const char* png : {"backtest_accuracy.png", "backtest_calibration.png", "backtest_errors_by_area.png"})
        CHECK(std::filesystem::file_size(dir / (std::string("plots/") + png)) > 10000);

    // A region that has no authority is refused with its name, and nothing is written.
    const std::string nowhere = dir / "atlantis.csv";
    auto bad = run_sendplan("backtest --data-dir " + source("data/dfe-national") + " --area all --region Atlantis --origin 2019 --horizon 2 --draws 20 --out " +
                            nowhere);
    CHECK(bad.status == 2);
    CHECK(bad.output.find("Atlantis") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(nowhere));
    // --region only chooses among all authorities.
    bad = run_sendplan("backtest --data-dir " + source("data/dfe-national") + " --area Slough --region London --origin 2019 --horizon 2 --draws 20 --out " +
                       nowhere);
    CHECK(bad.status == 2);
    CHECK(bad.output.find("--region") != std::string::npos);
}

TEST_CASE("the record by kind of area follows its definitions and reads back", "[backtest][accuracy]") {
    // Ten authorities' forecasts one year ahead: errors 1..10% of actuals of 1,000 (small band) or 5,000.
    std::vector<BacktestRow> rows;
    for (int i = 1; i <= 10; ++i) {
        BacktestRow r;
        r.area_code = "E0900000" + std::to_string(i - 1);
        r.horizon = 1;
        const double actual = i <= 5 ? 1000 : 5000;
        r.actual = actual;
        r.last_value = actual;
        r.mean = actual * (1 + i / 100.0);
        r.p10 = actual * 0.98;  // the actual is inside every 80% range...
        r.p90 = actual * 1.02;
        r.p025 = i <= 8 ? actual * 0.9 : actual * 1.001;  // ...and inside 8 of 10 95% ranges
        r.p975 = actual * 1.1;
        rows.push_back(r);
    }
    BacktestRow england = rows.front();
    england.area_code = "E92000001";  // not an authority: left out
    england.mean = 1e6;
    rows.push_back(england);
    const auto table = accuracy_by_kind(rows);
    auto find = [&](const std::string& kind) {
        for (const auto& a : table)
            if (a.kind == kind) return a;
        FAIL("no row for " << kind);
        return AccuracyRow{};
    };
    const AccuracyRow all = find("all authorities");
    CHECK(all.forecasts == 10);
    CHECK(all.mape == Approx(5.5));
    CHECK(all.median_ape == Approx(5.5));   // halfway between the 5th and 6th of 1..10
    CHECK(all.ape_p90 == Approx(9.1));      // 90th percentile of 1..10, linear between order statistics
    CHECK(all.inside_80 == Approx(1.0));
    CHECK(all.inside_95 == Approx(0.8));
    CHECK(find("authorities with fewer than 1,500 plans").mape == Approx(3.0));
    CHECK(find("authorities with 4,000 plans or more").mape == Approx(8.0));

    TempDir dir;
    AccuracyTable t{"made by hand", table};
    write_text(dir / "acc.csv", accuracy_table_text(t));
    const AccuracyTable back = read_accuracy_table(dir / "acc.csv");
    CHECK(back.source == "made by hand");
    REQUIRE(back.rows.size() == table.size());
    const auto small = accuracy_for(back, 1200, true);
    REQUIRE(small.size() == 1);
    CHECK(small[0].kind == "authorities with fewer than 1,500 plans");
    CHECK(accuracy_for(back, 600000, false)[0].kind == "all authorities");
    const std::string sentence = accuracy_sentence(small, back.source);
    CHECK(sentence.find("within 3% of the plans actually counted 1 year ahead in half of the cases") != std::string::npos);
    CHECK(sentence.find("made by hand") != std::string::npos);

    // A malformed table is refused with file, line and field.
    write_text(dir / "bad.csv", "# x\nkind,min_plans,max_plans,horizon,forecasts,median_ape,ape_p90,mape,inside_80,inside_95\n\"a\",0,0,1,5,3,2,3,0.8,0.9\n");
    CHECK_THROWS_WITH(read_accuracy_table(dir / "bad.csv"), Catch::Contains("bad.csv") && Catch::Contains("median_ape"));
    write_text(dir / "bad2.csv", "# x\nkind,min_plans,max_plans,horizon,forecasts,median_ape,ape_p90,mape,inside_80,inside_95\n\"a\",0,0,1,5,x1,2,3,0.8,0.9\n");
    CHECK_THROWS_AS(read_accuracy_table(dir / "bad2.csv"), InputError);
    CHECK_THROWS_AS(read_accuracy_table(dir / "missing.csv"), InputError);
    // The shipped table reads.
    CHECK_FALSE(read_accuracy_table(source("model/forecast_accuracy.csv")).rows.empty());
}
