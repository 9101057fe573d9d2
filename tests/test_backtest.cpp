// Backtests: nothing dated after the origin is used, the net-leaving estimate from censuses matches
// a hand computation, the scores are what their definitions say, and the CLI writes the agreed CSV.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "evaluate/backtest.h"
#include "io/csv.h"
#include "io/dfe_reader.h"
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
    write_text(to, out);
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

TEST_CASE("sendplan backtest writes the agreed CSV and refuses bad arguments", "[cli][backtest]") {
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
