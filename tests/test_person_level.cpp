// Person-level input: the SEN2 census history and witan.send's transitions.csv give the same counts;
// bad rows are refused with their line; calibration from a synthetic history recovers the parameters
// that made it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <numeric>

#include "calibrate/person_level.h"
#include "core/error.h"
#include "io/csv.h"
#include "model/parameters.h"
#include "shipped_data.h"
#include "simulate/synthetic_history.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

// Five children over three censuses: A stays (moves setting at 10 -> 11), B ceases, C joins in
// 2021, D ages out at 25, E changes need and joins the 2022 census only as a newcomer F would.
const char* kCensuses =
    "person_id,census_year,age,need,setting\n"
    "A,2020,10,ASD,mainstream\n"
    "B,2020,7,SLCN,mainstream\n"
    "D,2020,25,SLD,fe\n"
    "E,2020,14,MLD,special_la\n"
    "A,2021,11,ASD,special_la\n"
    "C,2021,4,SEMH,early_years\n"
    "E,2021,15,SEMH,special_la\n"
    "A,2022,12,ASD,special_la\n"
    "C,2022,5,SEMH,mainstream\n"
    "F,2022,16,ASD,fe\n";

// The same history as witan.send transitions (national curriculum year = age - 4).
const char* kTransitions =
    "calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2\n"
    "2020,mainstream,ASD,6,special_la,ASD,7\n"
    "2020,mainstream,SLCN,3,NONSEND,NA,4\n"
    "2020,fe,SLD,21,NONSEND,NA,22\n"
    "2020,special_la,MLD,10,special_la,SEMH,11\n"
    "2020,NONSEND,NA,-1,early_years,SEMH,0\n"
    "2021,special_la,ASD,7,special_la,ASD,8\n"
    "2021,early_years,SEMH,0,mainstream,SEMH,1\n"
    "2021,special_la,SEMH,11,NONSEND,NA,12\n"
    "2021,NONSEND,NA,11,fe,ASD,12\n";

bool before(const PersonTransition& a, const PersonTransition& b) {
    auto key = [](const PersonTransition& t) {
        auto s = [](const std::optional<PersonState>& x) { return x ? std::tuple(x->age, x->need, x->setting) : std::tuple(-1, -1, -1); };
        return std::tuple(t.year, s(t.from), s(t.to));
    };
    return key(a) < key(b);
}

std::vector<PersonTransition> sorted(std::vector<PersonTransition> v) {
    std::sort(v.begin(), v.end(), before);
    return v;
}

}  // namespace

TEST_CASE("census history and witan.send transitions give the same counts on a hand-made history", "[person]") {
    const ShippedData d;
    TempDir dir;
    write_text(dir / "census.csv", kCensuses);
    write_text(dir / "transitions.csv", kTransitions);
    const PersonHistory census = read_person_level(dir / "census.csv", d.tax);
    CodeMap codes;
    codes.needs["NA"] = "UNK";  // witan writes NA beside NONSEND; never read there
    const PersonHistory witan = read_person_level(dir / "transitions.csv", d.tax, codes);
    REQUIRE(census.transitions.size() == 9);
    const auto a = sorted(census.transitions), b = sorted(witan.transitions);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].year == b[i].year);
        CHECK(a[i].from == b[i].from);
        CHECK(a[i].to == b[i].to);
    }
    for (const auto* h : {&census, &witan}) {
        CHECK(h->first_census == 2020);
        CHECK(h->last_census == 2022);
        CHECK(h->censuses.at(2020).size() == 4);
        CHECK(h->censuses.at(2021).size() == 3);
        CHECK(h->censuses.at(2022).size() == 3);
        const AreaHistory s = summarise_person_history(*h, d.tax, "TEST", "Test");
        CHECK(s.new_total.at(2020) == 1);     // C
        CHECK(s.new_total.at(2021) == 1);     // F
        CHECK(s.ceased_total.at(2020) == 2);  // B ceased, D aged out at 25
        CHECK(s.ceased_total.at(2021) == 1);  // E
        const int asd = *d.tax.need_index("ASD");
        CHECK(s.stock_by_need.at(2022)[static_cast<std::size_t>(asd)] == 2);
        const int age11 = d.tax.age_index(11), special = *d.tax.setting_index("special_la");
        CHECK(s.stock_by_age.at(2021)[static_cast<std::size_t>(age11)].split[static_cast<std::size_t>(special)] == 1);
    }
}

TEST_CASE("bad person-level rows are refused with file, line and field", "[person]") {
    const ShippedData d;
    TempDir dir;
    auto refused = [&](const std::string& text, const std::string& field, long line, const std::string& words) {
        write_text(dir / "bad.csv", text);
        try {
            read_person_level(dir / "bad.csv", d.tax);
            FAIL("accepted: " << text);
        } catch (const InputError& e) {
            INFO(e.what());
            CHECK(e.line() == line);
            CHECK(e.field() == field);
            CHECK(std::string(e.what()).find(words) != std::string::npos);
        }
    };
    const std::string head = "person_id,census_year,age,need,setting\n";
    refused(head + "A,2020,10,ASD,mainstream\nB,2020,9,AUTISM,mainstream\n", "need", 3, "unknown need code 'AUTISM'");
    refused(head + "A,2020,10,ASD,mainstream\nB,2020,27,ASD,mainstream\n", "age", 3, "outside the model's ages");
    refused(head + "A,2020,10,ASD,mainstream\nB,2020,9,ASD,mainstream\nA,2020,11,ASD,special_la\n", "person_id", 4, "already in the 2020 census, at line 2");
    refused(head + "A,2020,10,ASD,castle\n", "setting", 2, "unknown setting code 'castle'");
    refused(head + "A,20x0,10,ASD,mainstream\n", "census_year", 2, "");
    refused("person_id,census_year,need,setting\nA,2020,ASD,mainstream\n", "age", 1, "'age' or 'ncy'");
    refused("calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2\n2020,mainstream,ASD,6,special_la,ASD,25\n",
            "academic-year-2", 2, "outside the model's ages");
}

TEST_CASE("parameter recovery: calibration from a synthetic ten-year history recovers the rates that made it", "[person]") {
    // Truth: Barnet's posterior means on a constant population, no net transfers, an undamped trend
    // whose last fitted year sits just before the first synthetic census.
    ShippedData d;
    const Population flat = constant_population(d.tax);
    Calibration made = calibrate(d.history, flat, d.tax, d.as, 0, 12);
    Posterior truth = made.posterior;
    truth.without_parameter_uncertainty = true;
    truth.transfer_mean = 0;
    truth.transfer_sd = 0;
    truth.trend.damping = 1.0;
    const int first = 2016;
    truth.trend.last_year = first - 1;
    DrawParameters q(truth);
    std::vector<double> scratch;
    Stream unused(1, 0, StreamPurpose::parameters);
    sample_parameters(truth, unused, q, scratch);

    SyntheticOptions so;
    so.first_census = first;
    so.years = 10;
    so.seed = 99;
    const std::vector<CensusRow> rows = synthesise_history(truth, so);
    const PersonHistory ph = person_history_from_censuses(rows, "synthetic");
    REQUIRE(ph.last_census == first + 10);
    const Calibration got = calibrate_person_level(ph, flat, d.tax, d.as, first + 10, 5, "SYN", "Synthetic");
    const Posterior& p = got.posterior;
    const int A = truth.dims.ages, S = truth.dims.settings;

    // The trend: slope and the log rate in the last fitted year, within three posterior sd.
    const JoinerTrendPosterior& t = p.trend;
    REQUIRE(t.last_year == first + 9);
    const double slope_sd = std::sqrt(t.residual_variance * t.unscaled_covariance(1, 1));
    const double level_sd = std::sqrt(t.residual_variance * t.unscaled_covariance(0, 0));
    CHECK(std::abs(t.coefficients(1) - q.trend_slope) < 3 * slope_sd);
    const double true_level = q.trend_intercept + q.trend_slope * (t.last_year - truth.trend.last_year);
    CHECK(std::abs(t.coefficients(0) - true_level) < 3 * level_sd);

    // Ceasing by age, and the share staying in the same setting among those who do not cease: the
    // truth inside the posterior's central 99.9% interval (exact Beta quantiles) for nearly all
    // well-populated cells. A truth of none (a setting nobody stays in) or all is never inside a
    // central interval, however well it is recovered, so those cells are left out.
    int checked = 0, inside = 0;
    auto within = [&](double alpha, double beta, double truth_value) {
        if (truth_value <= 0 || truth_value >= 1) return;
        const boost::math::beta_distribution<double> posterior(alpha, beta);
        ++checked;
        inside += truth_value >= boost::math::quantile(posterior, 0.0005) && truth_value <= boost::math::quantile(posterior, 0.9995);
    };
    for (int a = 0; a + 1 < A; ++a) {
        if (p.cease_alpha[static_cast<std::size_t>(a)] + p.cease_beta[static_cast<std::size_t>(a)] < 100) continue;
        within(p.cease_alpha[static_cast<std::size_t>(a)], p.cease_beta[static_cast<std::size_t>(a)], q.cease_probability[static_cast<std::size_t>(a)]);
    }
    const int ceasing_checked = checked;
    for (int a = 0; a + 1 < A; ++a)
        for (int s = 0; s < S; ++s) {
            const auto alphas = p.move_alpha.row(a, s);
            const double total = std::accumulate(alphas.begin(), alphas.end(), 0.0);
            if (total < 100) continue;
            const double stay_alpha = p.move_alpha(a, s, s);
            const double cease = q.cease_probability[static_cast<std::size_t>(a)];
            within(stay_alpha, total - stay_alpha, q.stay_probability(a, s) / (1 - cease));
        }
    INFO(inside << " of " << checked << " cells inside (" << ceasing_checked << " ceasing)");
    CHECK(ceasing_checked >= 15);
    CHECK(checked >= 40);
    CHECK(inside >= checked - std::max(1, checked / 50));

    // The base stock is the last census exactly.
    long last = 0;
    for (auto n : p.base_stock) last += n;
    CHECK(static_cast<std::size_t>(last) == ph.censuses.at(first + 10).size());
}

TEST_CASE("end to end: synth writes a history that a scenario then runs from, ids never reaching the results", "[person][cli]") {
    TempDir dir;
    const std::string history = dir / "persons.csv";
    auto r = run_sendplan("synth " + source("scenarios/baseline.yaml") + " --years 4 --seed 5 --out " + history);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const CsvTable t = CsvTable::read(history);
    REQUIRE(t.header() == std::vector<std::string>{"person_id", "census_year", "age", "need", "setting"});
    CHECK(t.text(0, 1) == "2022");
    CHECK(t.text(t.rows() - 1, 1) == "2026");

    write_text(dir / "scenario.yaml", "scenario: from_persons\narea: E09000003\ndata:\n  person_level: persons.csv\nmodel: " + source("model") +
                                          "\nbase_year: latest\nhorizon: 5\ndraws: 100\nseed: 3\n");
    r = run_sendplan("run " + (dir / "scenario.yaml") + " --out " + (dir / "results"));
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("person-level history 2022..2026") != std::string::npos);
    const CsvTable totals = CsvTable::read(dir / "results/projection_totals.csv");
    REQUIRE(totals.rows() > 0);
    // The base year is the last synthetic census, its total the number of children in it.
    long in_2026 = 0;
    for (std::size_t i = 0; i < t.rows(); ++i) in_2026 += t.text(i, 1) == "2026";
    CHECK(totals.text(0, 2) == "2026");
    CHECK(std::lround(std::stod(totals.text(0, 3))) == in_2026);
    // No pseudonymous id appears in any output.
    for (const auto& f : {"projection_totals.csv", "projection_detail.csv", "flows.csv", "notes.txt"})
        CHECK(read_text(dir / (std::string("results/") + f)).find(t.text(0, 0) + ",") == std::string::npos);

    // Beside the national releases the area's own totals are read through the pool of every authority;
    // without them the notes say it was not pooled.
    CHECK(r.output.find("not pooled across authorities") != std::string::npos);
    write_text(dir / "pooled.yaml", "scenario: pooled\narea: E09000003\ndata:\n  person_level: persons.csv\n  dfe_releases: [" +
                                        source("data/dfe-national") + "/education-health-and-care-plans_2022.zip, " + source("data/dfe-national") +
                                        "/education-health-and-care-plans_2025.zip, " + source("data/dfe-ehcp-2026") + "]\nmodel: " + source("model") +
                                        "\nbase_year: latest\nhorizon: 5\ndraws: 100\nseed: 3\n");
    r = run_sendplan("run " + (dir / "pooled.yaml") + " --out " + (dir / "pooled_results"));
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("pooled with") != std::string::npos);
    CHECK(r.output.find("person-level history 2022..2026") != std::string::npos);

    // witan.send codes through a code map, refused without it.
    write_text(dir / "t.csv", "calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2\n2024,MMSIB,ASD,6,SPEC,ASD,7\n");
    write_text(dir / "map.csv", "kind,from,to\nsetting,MMSIB,mainstream\nsetting,SPEC,special_la\n");
    write_text(dir / "witan.yaml", "scenario: witan\narea: E09000003\ndata:\n  person_level: t.csv\n  code_map: map.csv\nmodel: " + source("model") +
                                       "\nhorizon: 2\ndraws: 10\nseed: 3\n");
    r = run_sendplan("run " + (dir / "witan.yaml") + " --out " + (dir / "witan_results"));
    INFO(r.output);
    CHECK(r.status == 0);
    write_text(dir / "nomap.yaml", "scenario: nomap\narea: E09000003\ndata:\n  person_level: t.csv\nmodel: " + source("model") +
                                       "\nhorizon: 2\ndraws: 10\nseed: 3\n");
    r = run_sendplan("run " + (dir / "nomap.yaml") + " --out " + (dir / "nomap_results"));
    CHECK(r.status == 2);
    CHECK(r.output.find("setting-1") != std::string::npos);
    CHECK(r.output.find("MMSIB") != std::string::npos);
}

TEST_CASE("a rare need's changes borrow from its broad area of need", "[person]") {
    // At age 8, 200 children with ASD of whom 20 move to SEMH; 2 with SLCN (same broad area, CI)
    // who keep it. SLCN's own counts show no change, but its prior follows the CI area: some mass on
    // SEMH. MLD (another area) gets none.
    const ShippedData d;
    const int asd = *d.tax.need_index("ASD"), slcn = *d.tax.need_index("SLCN"), semh = *d.tax.need_index("SEMH"), mld = *d.tax.need_index("MLD");
    const int mainstream = *d.tax.setting_index("mainstream"), age8 = d.tax.age_index(8);
    std::vector<CensusRow> rows;
    auto id = [](char prefix, int i) { return std::string(1, prefix).append(std::to_string(i)); };
    for (int i = 0; i < 200; ++i) {
        rows.push_back(CensusRow{id('a', i), 2020, PersonState{age8, asd, mainstream}});
        rows.push_back(CensusRow{id('a', i), 2021, PersonState{age8 + 1, i < 20 ? semh : asd, mainstream}});
    }
    for (int i = 0; i < 2; ++i) {
        rows.push_back(CensusRow{id('s', i), 2020, PersonState{age8, slcn, mainstream}});
        rows.push_back(CensusRow{id('s', i), 2021, PersonState{age8 + 1, slcn, mainstream}});
    }
    rows.push_back(CensusRow{"new", 2021, PersonState{age8, asd, mainstream}});
    const PersonHistory ph = person_history_from_censuses(rows, "hand-made");
    const Calibration cal = calibrate_person_level(ph, constant_population(d.tax), d.tax, d.as, 2021, 2, "T", "T");
    const auto alpha = [&](int from, int to) { return cal.posterior.need_move_alpha(age8, from, to); };
    CHECK(alpha(asd, semh) >= 20.0);
    CHECK(alpha(asd, semh) <= 20.0 + d.as.need_moves.prior_strength);
    CHECK(alpha(slcn, semh) > 0.01);
    CHECK(alpha(slcn, mld) == 0.0);
    CHECK(alpha(slcn, slcn) > 2.0);
}
