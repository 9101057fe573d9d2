// High-needs finance and appraisal: spend against a small case priced by hand (with inflation, a
// cost change, the DSG balance and, with places, children costed where they were placed); a drawn
// cost's mean against its known expectation; present values and NPV against hand-computed figures;
// bad cost tables refused with file, line and field.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/error.h"
#include "finance/appraisal.h"
#include "finance/cost_model.h"
#include "finance/spend.h"
#include "io/provision_register.h"
#include "io/taxonomy_reader.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

const Taxonomy& taxonomy() {
    static const Taxonomy t = read_taxonomy(source("model"));
    return t;
}

Dimensions dims_of(const Taxonomy& tax) { return {tax.ages(), static_cast<int>(tax.needs.size()), static_cast<int>(tax.settings.size())}; }

// Rows pricing every other placement at nothing, so a table names them all.
std::string zero_rows(const std::vector<std::string>& except) {
    std::string out;
    for (const auto& s : taxonomy().settings)
        if (std::find(except.begin(), except.end(), s.code) == except.end()) out += s.code + ",all,all,top_up,0,0,test\n";
    for (const char* oob : {"out_of_borough_resourced", "out_of_borough_state_special"})
        if (std::find(except.begin(), except.end(), oob) == except.end()) out += std::string(oob) + ",all,all,top_up,0,0,test\n";
    return out;
}

const char* kHeader = "placement,phase,need,element,gbp_a_year,uncertainty_percent,source\n";

Assumptions::Finance rates(double top_up_inflation, double transport_inflation) {
    Assumptions::Finance f;
    f.inflation_percent[cost_top_up] = top_up_inflation;
    f.inflation_percent[cost_transport] = transport_inflation;
    return f;
}

// The cost model of a scenario, its finance resolved as a run resolves it.
CostModel priced(const CostTable& table, const Taxonomy& tax, const PlacementPlan* plan, const Assumptions::Finance& rates, const Scenario& sc,
                 int base_year, int horizon) {
    Interventions changes;
    resolve_finance_changes(sc, tax, base_year, horizon, changes);
    return build_cost_model(table, tax, plan, rates, changes, base_year, horizon);
}

// A scenario's change the cost model must refuse, naming where it was given.
void expect_refused(const CostTable& table, const Scenario& sc, int horizon, long line, const std::string& field) {
    try {
        priced(table, taxonomy(), nullptr, rates(2.5, 5.0), sc, 2026, horizon);
        FAIL("accepted a change refused at " << field);
    } catch (const InputError& e) {
        CHECK(e.file() == "s.yaml");
        CHECK(e.line() == line);
        CHECK(e.field() == field);
    }
}

// Drives a collector's stages (the allocation first, with places) through the given stocks, as
// the projection would for one draw.
template <class Collector>
void run_draw(Collector& spend, SufficiencyCollector* places, const std::vector<Stock>& stocks, long draw = 0) {
    DrawStages stages;
    if (places) stages.push_back(places->stage()(stages));
    stages.push_back(spend.stage(places)(stages));
    for (auto& stage : stages) stage->start_draw(draw);
    for (std::size_t y = 0; y < stocks.size(); ++y)
        for (auto& stage : stages) stage->year(static_cast<int>(y), stocks[y], YearFlows{});
    for (auto& stage : stages) stage->merge();
}

}  // namespace

TEST_CASE("spend prices a small case as worked out by hand: specific rows, inflation, a cost change, the DSG balance", "[finance]") {
    const Taxonomy& tax = taxonomy();
    const Dimensions d = dims_of(tax);
    TempDir dir;
    write_text(dir / "costs.csv", std::string(kHeader) +
                                      "mainstream,all,all,top_up,7000,0,test\n"
                                      "mainstream,secondary,all,top_up,8000,0,test\n"   // a phase beats all phases
                                      "special_la,all,all,place,10000,0,test\n"
                                      "special_la,all,all,top_up,16000,0,test\n"
                                      "special_la,all,CI,top_up,15000,0,test\n"         // a broad area beats all needs
                                      "special_la,all,ASD,top_up,17000,0,test\n"        // a need beats its broad area
                                      "special_la,all,all,transport,6000,0,test\n" +
                                      zero_rows({"mainstream", "special_la"}));
    const CostTable table = read_cost_table(dir / "costs.csv");
    Scenario sc;
    sc.finance.cost_changes.push_back({2028, "special_la", "all", "all", "top_up", 10.0, "s.yaml", 3});
    sc.finance.has_income = true;
    sc.finance.income_year = 2026;
    sc.finance.income = 200000;
    sc.finance.income_growth_percent = 0;
    sc.finance.opening_balance = -10000;
    const CostModel m = priced(table, tax, nullptr, rates(2.5, 5.0), sc, 2026, 2);
    SpendCollector spend(m, d, tax, 7, 1);

    const int asd = *tax.need_index("ASD"), slcn = *tax.need_index("SLCN"), mld = *tax.need_index("MLD");
    const int ms = *tax.setting_index("mainstream"), la = *tax.setting_index("special_la");
    Stock stock(static_cast<std::size_t>(d.cells()), 0);
    stock[static_cast<std::size_t>(d.cell(tax.age_index(7), asd, ms))] = 3;    // primary
    stock[static_cast<std::size_t>(d.cell(tax.age_index(12), mld, ms))] = 2;   // secondary
    stock[static_cast<std::size_t>(d.cell(tax.age_index(8), asd, la))] = 4;
    stock[static_cast<std::size_t>(d.cell(tax.age_index(8), slcn, la))] = 1;
    stock[static_cast<std::size_t>(d.cell(tax.age_index(8), mld, la))] = 1;
    run_draw(spend, nullptr, {stock, stock, stock});
    const SpendResult& r = spend.result();

    // 2026: mainstream 3 x 7,000 + 2 x 8,000; special places 6 x 10,000; special top-ups
    // 4 x 17,000 + 15,000 + 16,000; transport 6 x 6,000.
    CHECK(r.at(0, 0, cost_top_up) == Approx(37000.0 + 99000.0));
    CHECK(r.at(0, 0, cost_place) == Approx(60000.0));
    CHECK(r.at(0, 0, cost_transport) == Approx(36000.0));
    CHECK(r.high_needs(0, 0) == Approx(196000.0));
    // 2027: top-ups grow 2.5%, transport 5%, place funding not at all.
    CHECK(r.at(0, 1, cost_top_up) == Approx(136000.0 * 1.025));
    CHECK(r.at(0, 1, cost_place) == Approx(60000.0));
    CHECK(r.at(0, 1, cost_transport) == Approx(36000.0 * 1.05));
    // 2028: special-school top-ups 10% higher on top of two years' growth.
    CHECK(r.at(0, 2, cost_top_up) == Approx((37000.0 + 99000.0 * 1.1) * 1.025 * 1.025));
    // By placement: everything special_la costs, transport included.
    CHECK(r.at(0, 0, cost_elements + la) == Approx(60000.0 + 99000.0 + 36000.0));
    // The DSG balance: -10,000 + 200,000 - (60,000 + 139,400) at the end of 2027.
    CHECK(r.balance(0, 1) == Approx(-10000.0 + 200000.0 - (60000.0 + 136000.0 * 1.025)));
}

TEST_CASE("an inflation change from a year changes growth from that year on, and nothing before it, draw for draw", "[finance]") {
    const Taxonomy& tax = taxonomy();
    const Dimensions d = dims_of(tax);
    TempDir dir;
    write_text(dir / "costs.csv", std::string(kHeader) + "special_la,all,all,top_up,16000,0,test\n"
                                                          "special_la,all,all,transport,6000,0,test\n" + zero_rows({"special_la"}));
    const CostTable table = read_cost_table(dir / "costs.csv");
    const int la = *tax.setting_index("special_la"), asd = *tax.need_index("ASD");
    Stock stock(static_cast<std::size_t>(d.cells()), 0);
    stock[static_cast<std::size_t>(d.cell(tax.age_index(8), asd, la))] = 2;
    const std::vector<Stock> years(4, stock);

    Scenario changed;
    changed.finance.inflation_changes.push_back({2028, "transport", 10.0, "s.yaml", 4, 5});
    changed.finance.inflation_changes.push_back({2029, "all", 0.0, "s.yaml", 5, 5});

    SECTION("by hand, without uncertainty") {
        const CostModel m = priced(table, tax, nullptr, rates(2.5, 5.0), changed, 2026, 3);
        SpendCollector spend(m, d, tax, 7, 1);
        run_draw(spend, nullptr, years);
        const SpendResult& r = spend.result();
        CHECK(r.at(0, 1, cost_transport) == Approx(12000.0 * 1.05));
        CHECK(r.at(0, 2, cost_transport) == Approx(12000.0 * 1.05 * 1.10));
        CHECK(r.at(0, 3, cost_transport) == Approx(12000.0 * 1.05 * 1.10));
        CHECK(r.at(0, 2, cost_top_up) == Approx(32000.0 * 1.025 * 1.025));  // transport's change leaves top-ups alone
        CHECK(r.at(0, 3, cost_top_up) == Approx(32000.0 * 1.025 * 1.025));  // no growth from 2029
    }
    SECTION("with drawn growth: the same draws before the change, faster growth after it in every draw") {
        Assumptions::Finance uncertain = rates(2.5, 5.0);
        uncertain.inflation_uncertainty_percent = 1.0;
        const long draws = 50;
        const CostModel base = priced(table, tax, nullptr, uncertain, Scenario{}, 2026, 3);
        const CostModel option = priced(table, tax, nullptr, uncertain, changed, 2026, 3);
        SpendCollector base_spend(base, d, tax, 11, draws), option_spend(option, d, tax, 11, draws);
        for (long draw = 0; draw < draws; ++draw) {
            run_draw(base_spend, nullptr, years, draw);
            run_draw(option_spend, nullptr, years, draw);
        }
        const SpendResult &b = base_spend.result(), &o = option_spend.result();
        bool drawn = false;
        for (long draw = 0; draw < draws; ++draw) {
            for (int line = 0; line < b.lines(); ++line) {
                CHECK(o.at(draw, 0, line) == b.at(draw, 0, line));
                CHECK(o.at(draw, 1, line) == b.at(draw, 1, line));
            }
            drawn = drawn || b.at(draw, 1, cost_transport) != b.at(0, 1, cost_transport);
            // The same yearly noise about a rate 5 points higher.
            CHECK(o.at(draw, 2, cost_transport) / o.at(draw, 1, cost_transport) > b.at(draw, 2, cost_transport) / b.at(draw, 1, cost_transport) + 0.049);
            CHECK(o.at(draw, 2, cost_top_up) == b.at(draw, 2, cost_top_up));
        }
        CHECK(drawn);  // growth was drawn, so matching draws is a real check
    }
    SECTION("outside the projection, refused with file, line and field") {
        Scenario late;
        late.finance.inflation_changes.push_back({2031, "fee", 6.0, "s.yaml", 8, 7});
        expect_refused(table, late, 3, 8, "finance.inflation_changes.from");
    }
}

TEST_CASE("with places, a child is costed where she was placed and local place funding follows the places", "[finance]") {
    const Taxonomy& tax = taxonomy();
    const Dimensions d = dims_of(tax);
    TempDir dir;
    write_text(dir / "provisions.csv", "id,name,type,needs,age_from,age_to,in_borough\n"
                                       "a,A,special_la,ASD,5,11,yes\n"
                                       "b,B,special_academy,ASD;MLD,5,11,yes\n"
                                       "c,C,special_out_of_borough,ASD,5,11,no\n");
    write_text(dir / "places.csv", "id,year,places\na,2020,5\nb,2020,3\nc,2020,2\n");
    const ProvisionRegister reg = read_provision_register(dir / "provisions.csv", dir / "places.csv", tax);
    Assumptions as;
    read_assumptions(source("model/assumptions.yaml"), as);
    const int asd = *tax.need_index("ASD"), mld = *tax.need_index("MLD"), la = *tax.setting_index("special_la");
    Stock base(static_cast<std::size_t>(d.cells()), 0);
    base[static_cast<std::size_t>(d.cell(tax.age_index(7), asd, la))] = 6;
    base[static_cast<std::size_t>(d.cell(tax.age_index(7), mld, la))] = 2;
    base[static_cast<std::size_t>(d.cell(tax.age_index(20), asd, la))] = 4;  // out of the borough at the base census
    const PlacementPlan plan = build_placement_plan(tax, d, reg, as.capacity, Interventions{}, base, 2026, 1);
    write_text(dir / "costs.csv", std::string(kHeader) +
                                      "special_la,all,all,place,10000,0,test\n"
                                      "special_la,all,all,top_up,16000,0,test\n"
                                      "special_la,all,all,transport,6000,0,test\n"
                                      "special_academy,all,all,place,10000,0,test\n"
                                      "special_academy,all,all,top_up,16000,0,test\n"
                                      "out_of_borough_state_special,all,all,place,0,0,test\n"
                                      "out_of_borough_state_special,all,all,top_up,22000,0,test\n"
                                      "out_of_borough_state_special,all,all,transport,15000,0,test\n" +
                                      zero_rows({"special_la", "special_academy", "out_of_borough_state_special"}));
    const CostTable table = read_cost_table(dir / "costs.csv");
    const CostModel m = priced(table, tax, &plan, rates(0, 0), Scenario{}, 2026, 1);
    SufficiencyCollector places(plan, tax, reg, 7, 1);
    SpendCollector spend(m, d, tax, 7, 1);
    run_draw(spend, &places, {base});
    const SpendResult& r = spend.result();
    // Place funding for the 8 places in the borough (C's are another authority's); top-ups and
    // transport for the 8 children in them, and the out-of-borough rates for the 4 placed away.
    CHECK(r.at(0, 0, cost_place) == Approx(8 * 10000.0));
    CHECK(r.at(0, 0, cost_top_up) == Approx(8 * 16000.0 + 4 * 22000.0));
    CHECK(r.at(0, 0, cost_transport) == Approx(8 * 6000.0 + 4 * 15000.0));
    const int oob = static_cast<int>(tax.settings.size()) + 1;  // out_of_borough_state_special
    REQUIRE(r.placement_codes[static_cast<std::size_t>(oob)] == "out_of_borough_state_special");
    CHECK(r.at(0, 0, cost_elements + oob) == Approx(4 * (22000.0 + 15000.0)));
}

TEST_CASE("a drawn cost averages its table value, within a tolerance from the draws", "[finance]") {
    const Taxonomy& tax = taxonomy();
    const Dimensions d = dims_of(tax);
    TempDir dir;
    write_text(dir / "costs.csv", std::string(kHeader) + "mainstream,all,all,top_up,10000,20,test\n" + zero_rows({"mainstream"}));
    const CostTable table = read_cost_table(dir / "costs.csv");
    Assumptions::Finance f = rates(0, 0);
    const CostModel m = priced(table, tax, nullptr, f, Scenario{}, 2026, 1);
    const long draws = 4000;
    SpendCollector spend(m, d, tax, 11, draws);
    Stock stock(static_cast<std::size_t>(d.cells()), 0);
    stock[static_cast<std::size_t>(d.cell(tax.age_index(7), 0, *tax.setting_index("mainstream")))] = 10;
    const DrawStages none;
    auto ext = spend.stage(nullptr)(none);
    double sum = 0, sum2 = 0;
    for (long draw = 0; draw < draws; ++draw) {
        ext->start_draw(draw);
        ext->year(0, stock, YearFlows{});
        const double v = spend.result().at(draw, 0, cost_top_up);
        sum += v;
        sum2 += v * v;
    }
    const double mean = sum / draws, sd = std::sqrt(sum2 / draws - mean * mean);
    // The factor is lognormal with mean one and log-sd 0.2: its sd is sqrt(exp(0.04) - 1).
    CHECK(sd / 100000.0 == Approx(std::sqrt(std::exp(0.04) - 1.0)).epsilon(0.05));
    CHECK(std::abs(mean - 100000.0) < 4.0 * sd / std::sqrt(static_cast<double>(draws)));
}

TEST_CASE("present values and the NPV of an option match a hand-computed example", "[finance][appraisal]") {
    // 100 a year for three years at 3.5%: 100 + 100/1.035 + 100/1.035^2.
    CHECK(present_value({100, 100, 100}, 0.0, 3.5) == Approx(289.969428).epsilon(1e-7));
    // With 2% general inflation each year's cash is first deflated: 100 + 100/(1.02*1.035) + 100/(1.02*1.035)^2.
    CHECK(present_value({100, 100, 100}, 2.0, 3.5) == Approx(284.450014).epsilon(1e-7));

    // Base and option over two draws and three years; the option spends 1,000 capital in year 1 and
    // saves 600 of high-needs spend in year 2.
    auto result = [](std::vector<double> hn_draw0, std::vector<double> hn_draw1, std::vector<double> capital) {
        SpendResult r;
        r.horizon = 2;
        r.base_year = 2026;
        r.draws = 2;
        r.placements = 0;
        r.by_draw.assign(shape_of(2, 3, cost_elements), 0.0);
        for (int y = 0; y < 3; ++y) {
            r.by_draw(0, y, cost_top_up) = hn_draw0[static_cast<std::size_t>(y)];
            r.by_draw(1, y, cost_top_up) = hn_draw1[static_cast<std::size_t>(y)];
        }
        r.capital = std::move(capital);
        return r;
    };
    const SpendResult base = result({1000, 1000, 1000}, {2000, 2000, 2000}, {0, 0, 0});
    const SpendResult option = result({1000, 1000, 400}, {2000, 2000, 1400}, {0, 1000, 0});
    const AppraisalTables t = appraise({"base", &base, nullptr, {}}, {{"option", &option, nullptr, {}}}, 0.0, 10.0);
    // NPV = 600 / 1.1^2 - 1000 / 1.1 = 495.87 - 909.09 = -413.22 in both draws.
    bool found = false;
    for (const auto& row : t.summary)
        if (row.text[1].rfind("Net present value", 0) == 0) {
            found = true;
            CHECK(row.numbers[0] == Approx(600.0 / 1.21 - 1000.0 / 1.1));
            CHECK(row.numbers[1] == Approx(600.0 / 1.21 - 1000.0 / 1.1));
        }
    CHECK(found);
}

TEST_CASE("bad cost tables and cost changes are refused with file, line and field", "[finance][errors]") {
    const Taxonomy& tax = taxonomy();
    TempDir dir;
    auto refused = [&](const std::string& body, const std::string& field, long line) {
        write_text(dir / "costs.csv", std::string(kHeader) + body);
        try {
            const CostTable table = read_cost_table(dir / "costs.csv");
            priced(table, tax, nullptr, rates(0, 0), Scenario{}, 2026, 5);
            FAIL("accepted: " << body);
        } catch (const InputError& e) {
            CHECK(e.field() == field);
            CHECK(e.line() == line);
        }
    };
    refused("mainstream,all,all,top_up,seven,0,test\n" + zero_rows({"mainstream"}), "gbp_a_year", 2);
    refused("mainstream,all,all,top_up,-5,0,test\n" + zero_rows({"mainstream"}), "gbp_a_year", 2);
    refused("mainstream,all,all,tip_up,5,0,test\n" + zero_rows({"mainstream"}), "element", 2);
    refused("mainstream,all,ASDX,top_up,5,0,test\n" + zero_rows({"mainstream"}), "need", 2);
    refused("mainstream,primry,all,top_up,5,0,test\n" + zero_rows({"mainstream"}), "phase", 2);
    refused("mainstrem,all,all,top_up,5,0,test\n" + zero_rows({"mainstream"}), "placement", 2);
    refused("mainstream,all,all,top_up,5,150,test\n" + zero_rows({"mainstream"}), "uncertainty_percent", 2);
    refused("mainstream,all,all,top_up,5,0.2,test\n" + zero_rows({"mainstream"}), "uncertainty_percent", 2);  // a fraction for 20%
    write_text(dir / "costs.csv", std::string(kHeader) + "mainstream,all,all,top_up,5,0.2%,test\n" + zero_rows({"mainstream"}));
    CHECK(read_cost_table(dir / "costs.csv").rows.front().uncertainty_percent == 0.2);
    refused("mainstream,all,all,top_up,5,0,test\nmainstream,all,all,top_up,6,0,test\n" + zero_rows({"mainstream"}), "need", 3);  // equally specific
    refused(zero_rows({"mainstream"}), "placement", 0);  // mainstream not priced at all
    // A cost change in a year outside the projection.
    write_text(dir / "costs.csv", std::string(kHeader) + zero_rows({}));
    const CostTable ok = read_cost_table(dir / "costs.csv");
    Scenario sc;
    sc.finance.cost_changes.push_back({2040, "mainstream", "all", "all", "all", 5.0, "s.yaml", 9});
    expect_refused(ok, sc, 5, 9, "finance.cost_changes.from");
}

TEST_CASE("spend does not depend on the number of threads", "[finance]") {
    TempDir dir;
    for (const char* threads : {"1", "2"}) {
        const CommandResult r = run_sendplan("run " + source("scenarios/baseline.yaml") + " --draws 40 --quiet --threads " + threads + " --out " +
                                             (dir / threads));
        INFO(r.output);
        REQUIRE(r.status == 0);
    }
    const std::string one = read_text(dir / "1/high_needs_spend.csv"), two = read_text(dir / "2/high_needs_spend.csv");
    CHECK(one.size() > 1000);
    CHECK(one == two);
}
