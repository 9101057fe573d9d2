#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "core/error.h"
#include "io/cost_table.h"
#include "io/taxonomy_reader.h"
#include "model/interventions.h"
#include "refusals.h"
#include "support.h"

using namespace sendplan;
using sendplan::test::expect_input_error;
using sendplan::test::source;

namespace {

// A redirection of moves at ages 10 and 11, as if given at line 12, column 7 of `option.yaml`.
ScenarioMoveRedirect redirection(int from_year, std::vector<std::string> needs, std::vector<std::string> to, std::string instead) {
    ScenarioMoveRedirect r;
    r.from_year = from_year;
    r.ages = {10, 11};
    r.needs = std::move(needs);
    r.to = std::move(to);
    r.share = 0.2;
    r.instead = std::move(instead);
    r.file = "option.yaml";
    r.line = 12;
    r.column = 7;
    return r;
}

int need(const Taxonomy& tax, const std::string& code) { return *tax.need_index(code); }
int setting(const Taxonomy& tax, const std::string& code) { return *tax.setting_index(code); }

// Resolving for a projection from January 2025 over ten years refuses with the change's file, line,
// column and field, and words saying why.
void expect_refused(const std::function<void()>& resolve, const std::string& field, const std::string& words) {
    expect_input_error(resolve, {"option.yaml", 12, 7, field, words});
}

const Taxonomy& taxonomy() {
    static const Taxonomy tax = read_taxonomy(source("model"));
    return tax;
}
std::function<void()> demand(const Scenario& sc) {
    return [sc]() { resolve_interventions(sc, taxonomy(), 2025, 10); };
}
// The scenario's provisions and cascades, resolved against an empty register for the same projection.
Interventions place_changes(const Scenario& sc) {
    Interventions out;
    resolve_place_changes(sc, taxonomy(), ProvisionRegister{}, 2025, 10, out);
    return out;
}
std::function<void()> resolving_places(const Scenario& sc) {
    return [sc]() { place_changes(sc); };
}
// The scenario's finance, resolved for the same projection.
Interventions finance_changes(const Scenario& sc) {
    Interventions out;
    resolve_finance_changes(sc, taxonomy(), 2025, 10, out);
    return out;
}

}  // namespace

TEST_CASE("a scenario's changes to demand resolve codes to indices and broad areas to their needs") {
    const Taxonomy& tax = taxonomy();
    Scenario sc;
    sc.joiner_growth = {2028, 5.0, "option.yaml", 10, 3};
    sc.move_redirects.push_back(redirection(2027, {"ASD", "CL"}, {"special_la", "special_academy"}, "resourced"));
    const Interventions changes = resolve_interventions(sc, tax, 2025, 10);

    CHECK(changes.joiner_growth_cap.from_year == 2028);
    CHECK(changes.joiner_growth_cap.log_growth == std::log1p(0.05));
    REQUIRE(changes.move_redirections.size() == 1);
    const MoveRedirection& r = changes.move_redirections.front();
    CHECK(r.from_year == 2027);
    CHECK(r.ages == std::vector<int>{tax.age_index(10), tax.age_index(11)});
    // ASD, then every need of cognition and learning, in the taxonomy's order.
    CHECK(r.needs == std::vector<int>{need(tax, "ASD"), need(tax, "MLD"), need(tax, "SLD"), need(tax, "PMLD"), need(tax, "SpLD"), need(tax, "DS")});
    CHECK(r.to == std::vector<int>{setting(tax, "special_la"), setting(tax, "special_academy")});
    CHECK(r.instead == setting(tax, "resourced"));
    CHECK(r.share == 0.2);
}

TEST_CASE("a scenario's change to demand outside the projection or the taxonomy is refused with file, line and field") {
    const Taxonomy& tax = taxonomy();
    SECTION("a cap from a year the projection does not reach") {
        Scenario sc;
        sc.joiner_growth = {2036, 5.0, "option.yaml", 12, 7};  // the projection from January 2025 ends in 2035
        expect_refused(demand(sc), "changes.joiner_growth.from", "year 2036 is outside the projection: expected 2026..2035");
    }
    SECTION("a cap from the base census, which is not projected") {
        Scenario sc;
        sc.joiner_growth = {2025, 5.0, "option.yaml", 12, 7};
        expect_refused(demand(sc), "changes.joiner_growth.from", "outside the projection");
    }
    SECTION("redirections: their year, ages, needs and settings") {
        Scenario sc;
        sc.move_redirects.push_back(redirection(2040, {"ASD"}, {"special_la"}, "resourced"));
        expect_refused(demand(sc), "changes.setting_moves.from", "year 2040 is outside the projection");
        sc.move_redirects.front() = redirection(2030, {"AUT"}, {"special_la"}, "resourced");
        expect_refused(demand(sc), "changes.setting_moves.needs", "unknown need code 'AUT'");
        sc.move_redirects.front() = redirection(2030, {"ASD"}, {"specal_la"}, "resourced");
        expect_refused(demand(sc), "changes.setting_moves.to", "unknown setting 'specal_la'");
        sc.move_redirects.front() = redirection(2030, {"ASD"}, {"special_la"}, "resourcd");
        expect_refused(demand(sc), "changes.setting_moves.instead", "unknown setting 'resourcd'");
        sc.move_redirects.front().instead = "resourced";
        sc.move_redirects.front().ages = {tax.max_age};
        expect_refused(demand(sc), "changes.setting_moves.ages", "has no next census");
    }
}

TEST_CASE("the changes to demand in force in a census year are those from that year or earlier") {
    Interventions changes;
    CHECK_FALSE(changes.joiner_growth_limit(2030));
    CHECK_FALSE(changes.redirects_moves());
    CHECK(changes.move_redirections_in(2030).empty());

    changes.joiner_growth_cap = {2028, std::log(1.05)};
    CHECK_FALSE(changes.joiner_growth_limit(2027));
    REQUIRE(changes.joiner_growth_limit(2028));
    CHECK(*changes.joiner_growth_limit(2028) == std::log(1.05));
    CHECK(*changes.joiner_growth_limit(2035) == std::log(1.05));

    changes.move_redirections.push_back({2029, {0}, {0}, {1}, 0.5, 0});
    changes.move_redirections.push_back({2027, {0}, {0}, {1}, 0.25, 2});
    CHECK(changes.redirects_moves());
    CHECK(changes.move_redirections_in(2026).empty());
    // In the scenario's order, so that a later one of the same moves overrides an earlier one.
    const std::vector<const MoveRedirection*> in_2028 = changes.move_redirections_in(2028);
    REQUIRE(in_2028.size() == 1);
    CHECK(in_2028.front()->instead == 2);
    const std::vector<const MoveRedirection*> in_2029 = changes.move_redirections_in(2029);
    REQUIRE(in_2029.size() == 2);
    CHECK(in_2029[0]->instead == 0);
    CHECK(in_2029[1]->instead == 2);
}

TEST_CASE("a scenario's changes of cascades are checked against the place groups and the projection's years") {
    Scenario sc;
    sc.cascade_changes.push_back({"state_special", {"independent_special"}, 2030, "option.yaml", 12, 7});
    const std::vector<CascadeChange> changes = place_changes(sc).cascade_changes;
    REQUIRE(changes.size() == 1);
    CHECK(changes.front().steps == std::vector<std::string>{"independent_special"});

    sc.cascade_changes.front().place_group = "special";  // a setting's code, not its place group
    expect_refused(resolving_places(sc), "changes.cascade.place_group", "'special' is not a place group");
    sc.cascade_changes.front() = {"state_special", {"independent_special"}, 2036, "option.yaml", 12, 7};
    expect_refused(resolving_places(sc), "changes.cascade.from", "year 2036 is outside the projection");
}

TEST_CASE("the cascade in force in a census year is the place group's latest change from that year or before") {
    Interventions changes;
    changes.cascade_changes.push_back({"state_special", {"out_of_borough"}, 2031, "", 0, 0});
    changes.cascade_changes.push_back({"state_special", {"independent_special"}, 2028, "", 0, 0});
    changes.cascade_changes.push_back({"resourced", {"independent_special"}, 2028, "", 0, 0});
    CHECK(changes.cascade_change_years() == std::vector<int>{2028, 2031});
    CHECK(changes.cascade_change_in_force("state_special", 2027) == nullptr);
    CHECK(changes.cascade_change_in_force("state_special", 2028) == &changes.cascade_changes[1]);
    CHECK(changes.cascade_change_in_force("state_special", 2030) == &changes.cascade_changes[1]);
    CHECK(changes.cascade_change_in_force("state_special", 2035) == &changes.cascade_changes[0]);
    CHECK(changes.cascade_change_in_force("resourced", 2035) == &changes.cascade_changes[2]);
    CHECK(changes.cascade_change_in_force("independent", 2035) == nullptr);
}

TEST_CASE("a scenario's changes of inflation resolve their element, and the last given in force for an element applies") {
    Scenario sc;
    sc.finance.inflation_changes.push_back({2030, "transport", 10.0, "option.yaml", 12, 7});
    sc.finance.inflation_changes.push_back({2028, "all", 0.0, "option.yaml", 12, 7});
    const Interventions changes = finance_changes(sc);
    REQUIRE(changes.inflation_changes.size() == 2);
    CHECK(changes.inflation_changes[0].element == cost_transport);
    CHECK(changes.inflation_changes[1].element == -1);
    CHECK_FALSE(changes.inflation_percent_in(2027, cost_transport));
    CHECK(*changes.inflation_percent_in(2029, cost_transport) == 0.0);
    // The change of every element comes later in the list, so it overrides transport's from 2030 too.
    CHECK(*changes.inflation_percent_in(2031, cost_transport) == 0.0);
    CHECK(*changes.inflation_percent_in(2031, cost_fee) == 0.0);

    sc.finance.inflation_changes.push_back({2036, "fee", 6.0, "option.yaml", 12, 7});
    expect_refused([&sc]() { finance_changes(sc); }, "finance.inflation_changes.from", "year 2036 is outside the projection");
}

TEST_CASE("capital on provisions opened and changed is added up by year, from the base year on") {
    Scenario sc;
    ScenarioProvision school;
    school.capital = {{2025, 1000.0}, {2027, 250.0}};
    school.file = "option.yaml";
    school.line = 12;
    school.column = 7;
    sc.provisions_opened.push_back(school);
    ScenarioPlacesChange more;
    more.capital = {{2027, 100.0}};
    sc.provisions_changed.push_back(more);
    const Interventions changes = finance_changes(sc);
    CHECK(changes.capital_in(2025) == 1000.0);
    CHECK(changes.capital_in(2026) == 0.0);
    CHECK(changes.capital_in(2027) == 350.0);

    sc.provisions_opened.front().capital[2036] = 5.0;
    expect_refused([&sc]() { finance_changes(sc); }, "provisions.open.capital", "year 2036 is outside the projection: expected 2025..2035");
}

TEST_CASE("a scenario's cost changes multiply, in the order given, the cells they select from their year on") {
    const Taxonomy& tax = taxonomy();
    Scenario sc;
    sc.finance.cost_changes.push_back({2028, "special_la", "all", "ASD", "top_up", 10.0, "option.yaml", 12, 7});
    sc.finance.cost_changes.push_back({2030, "all", "secondary", "CI", "all", -50.0, "option.yaml", 12, 7});
    const Interventions changes = finance_changes(sc);
    REQUIRE(changes.cost_changes.size() == 2);
    const int special = setting(tax, "special_la"), asd = need(tax, "ASD"), slcn = need(tax, "SLCN"), mld = need(tax, "MLD");
    const int primary = 1, secondary = 2;  // phases, as model/ages.yaml orders them
    CHECK(changes.cost_factor_in(2027, special, primary, asd, cost_top_up, tax) == 1.0);
    CHECK(changes.cost_factor_in(2028, special, primary, asd, cost_top_up, tax) == Approx(1.1));
    CHECK(changes.cost_factor_in(2028, special, primary, asd, cost_transport, tax) == 1.0);  // another element
    CHECK(changes.cost_factor_in(2029, special, secondary, slcn, cost_fee, tax) == 1.0);     // SLCN is of CI, but not until 2030
    // Both changes select special schools' secondary autism top-ups from 2030: 1.1 then 0.5.
    CHECK(changes.cost_factor_in(2030, special, secondary, asd, cost_top_up, tax) == Approx(1.1 * 0.5));
    CHECK(changes.cost_factor_in(2030, 0, secondary, slcn, cost_place, tax) == 0.5);
    CHECK(changes.cost_factor_in(2030, 0, secondary, mld, cost_place, tax) == 1.0);  // MLD is of CL

    sc.finance.cost_changes.push_back({2029, "special_nowhere", "all", "all", "all", 5.0, "option.yaml", 12, 7});
    expect_refused([&sc]() { finance_changes(sc); }, "finance.cost_changes.placement", "unknown placement 'special_nowhere'");
    sc.finance.cost_changes.back() = {2036, "all", "all", "all", "all", 5.0, "option.yaml", 12, 7};
    expect_refused([&sc]() { finance_changes(sc); }, "finance.cost_changes.from", "year 2036 is outside the projection");
    sc.finance.cost_changes.back() = {2029, "all", "college", "all", "all", 5.0, "option.yaml", 12, 7};
    expect_refused([&sc]() { finance_changes(sc); }, "finance.cost_changes.phase", "unknown phase 'college'");
}

TEST_CASE("high-needs income grows from the year it is given for, and falls before it") {
    Scenario sc;
    CHECK_FALSE(finance_changes(sc).income);
    sc.finance.has_income = true;
    sc.finance.income_year = 2026;
    sc.finance.income = 1000.0;
    sc.finance.income_growth_percent = 10.0;
    sc.finance.opening_balance = -250.0;
    const Interventions changes = finance_changes(sc);
    REQUIRE(changes.income);
    CHECK(changes.income->in(2026) == 1000.0);
    CHECK(changes.income->in(2028) == Approx(1210.0));
    CHECK(changes.income->in(2025) == Approx(1000.0 / 1.1));
    CHECK(changes.income->opening_balance == -250.0);
}

TEST_CASE("provisions a scenario opens join the register, and a change of places may name one of them") {
    const Taxonomy& tax = taxonomy();
    Scenario sc;
    ScenarioProvision school;
    school.id = "autism_free_school";
    school.type = "special_academy";
    school.needs = {"ASD"};
    school.age_from = 11;
    school.age_to = 16;
    school.places = {{2028, 30}, {2029, 60}};
    school.file = "option.yaml";
    school.line = 12;
    school.column = 7;
    sc.provisions_opened.push_back(school);
    sc.provisions_changed.push_back({"autism_free_school", {{2031, 90}}, {}, "option.yaml", 12, 7});
    const Interventions changes = place_changes(sc);
    const ProvisionRegister planned = changes.register_as_planned(ProvisionRegister{});
    REQUIRE(planned.provisions.size() == 1);
    const Provision& p = planned.provisions.front();
    CHECK(p.setting == setting(tax, "special_academy"));
    CHECK(p.places_in(2027) == 0);
    CHECK(p.places_in(2029) == 60);
    CHECK(p.places_in(2031) == 90);
    CHECK(p.serves(need(tax, "ASD"), tax.age_index(16)));
    CHECK_FALSE(p.serves(need(tax, "ASD"), tax.age_index(17)));

    sc.provisions_opened.push_back(school);
    expect_refused(resolving_places(sc), "provisions.open.id", "already in the register");
    sc.provisions_opened.pop_back();
    sc.provisions_changed.front().id = "nowhere";
    expect_refused(resolving_places(sc), "provisions.change.id", "no provision 'nowhere'");
    sc.provisions_changed.front() = {"autism_free_school", {{2036, 90}}, {}, "option.yaml", 12, 7};
    expect_refused(resolving_places(sc), "provisions.change.places", "year 2036 is outside the projection");
}
