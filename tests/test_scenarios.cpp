// Scenarios that extend another: what they inherit and change, the provisions they open or change,
// and the errors a planner can make in them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>

#include "core/error.h"
#include "evaluate/comparison.h"
#include "evaluate/run.h"
#include "io/csv.h"
#include "io/provision_register.h"
#include "io/scenario.h"
#include "io/taxonomy_reader.h"
#include "model/interventions.h"
#include "refusals.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

void expect_input_error(const std::function<void()>& f, const std::string& file, const std::string& field, const std::string& words) {
    expect_input_error(f, Refusal{file, {}, {}, field, words});
}

// The register as a projection from January 2026 over `horizon` years plans with it.
ProvisionRegister as_planned(const Scenario& sc, const Taxonomy& tax, const ProvisionRegister& published, int horizon) {
    Interventions changes;
    resolve_place_changes(sc, tax, published, 2026, horizon, changes);
    return changes.register_as_planned(published);
}

// Projecting the scenario at `path` (a few draws), for the errors that only calibration can find.
std::function<void()> projecting(const std::string& path) {
    return [path]() {
        RunSettings s;
        s.draws = 5;
        run_scenario_file(path, s);
    };
}

// Scenarios compared, the base first, at a number of draws.
struct CompareOptions {
    std::vector<std::string> scenarios;
    long draws = 0;
};

std::vector<Difference> compare_scenarios(const CompareOptions& o) {
    RunSettings s;
    s.draws = o.draws;
    return differences(run_on_common_random_numbers(o.scenarios, s));
}

// The baseline against an option extending it with `changes` (YAML text).
CompareOptions against_baseline(const TempDir& dir, const std::string& name, const std::string& changes, long draws) {
    write_text(dir / (name + ".yaml"), "scenario: " + name + "\nextends: " + source("scenarios/baseline.yaml") + "\n" + changes);
    return {{source("scenarios/baseline.yaml"), dir / (name + ".yaml")}, draws};
}

// Draw-year values of the differences before and from a year: how many there are before it, and
// how many of those, and of the later ones, differ from the base.
struct DifferencesByYear {
    long before = 0, differing_before = 0, differing_after = 0;
};
DifferencesByYear count_differences(const Difference& d, int from_year, DifferencesByYear sum = {}) {
    for (long draw = 0; draw < d.draws; ++draw)
        for (int y = 0; y < d.years(); ++y) {
            const std::size_t i = static_cast<std::size_t>(draw * d.years() + y);
            const bool differs = d.option_values[i] != d.base[i];
            if (d.base_year + y < from_year) {
                ++sum.before;
                sum.differing_before += differs;
            } else {
                sum.differing_after += differs;
            }
        }
    return sum;
}

}  // namespace

TEST_CASE("a scenario extending the baseline inherits it and opens a school", "[scenarios]") {
    const Scenario base = read_scenario(source("scenarios/baseline.yaml"));
    const Scenario sc = read_scenario(source("scenarios/new_autism_special_free_school.yaml"));
    CHECK(sc.name == "new_autism_special_free_school");
    CHECK(sc.area == base.area);
    CHECK(sc.dfe_releases == base.dfe_releases);
    CHECK(sc.population == base.population);
    CHECK(sc.provisions == base.provisions);
    CHECK(sc.horizon == base.horizon);
    CHECK(sc.seed == base.seed);
    CHECK(sc.assumptions.joiner_trend.damping == base.assumptions.joiner_trend.damping);
    REQUIRE(sc.extends.size() == 1);
    CHECK(sc.text.find("scenario: baseline") != std::string::npos);  // the text kept with the results includes what it extends
    REQUIRE(sc.provisions_opened.size() == 1);
    const ScenarioProvision& school = sc.provisions_opened[0];
    CHECK(school.type == "special_academy");
    CHECK(school.places == std::map<int, int>{{2029, 30}, {2030, 60}, {2031, 90}});

    const Taxonomy tax = read_taxonomy(sc.model_dir);
    const ProvisionRegister published = read_provision_register(sc.provisions, sc.provision_places, tax);
    const std::size_t before = published.provisions.size();
    const ProvisionRegister reg = as_planned(sc, tax, published, 15);
    REQUIRE(reg.provisions.size() == before + 1);
    const Provision& p = reg.provisions[*reg.find("autism_free_school")];
    CHECK(p.places_in(2028) == 0);
    CHECK(p.places_in(2030) == 60);
    CHECK(p.places_in(2040) == 90);
    CHECK(p.serves(*tax.need_index("ASD"), tax.age_index(15)));
    CHECK_FALSE(p.serves(*tax.need_index("ASD"), tax.age_index(19)));
}

TEST_CASE("a scenario's own keys replace the ones it extends; its assumptions add to them", "[scenarios]") {
    TempDir dir;
    write_text(dir / "option.yaml", "scenario: option\nextends: " + source("scenarios/baseline.yaml") +
                                        "\nhorizon: 5\nassumptions:\n  joiner_trend:\n    damping: 0.5\n"
                                        "provisions:\n  change:\n    - {id: northway, places: {2029: 160}}\n");
    const Scenario sc = read_scenario(dir / "option.yaml");
    CHECK(sc.horizon == 5);
    CHECK(sc.assumptions.joiner_trend.damping == 0.5);
    CHECK(sc.assumptions.joiner_trend.window_years == read_scenario(source("scenarios/baseline.yaml")).assumptions.joiner_trend.window_years);
    const Taxonomy tax = read_taxonomy(sc.model_dir);
    const ProvisionRegister reg = as_planned(sc, tax, read_provision_register(sc.provisions, sc.provision_places, tax), 5);
    CHECK(reg.provisions[*reg.find("northway")].places_in(2028) == 141);
    CHECK(reg.provisions[*reg.find("northway")].places_in(2029) == 160);
}

TEST_CASE("provision changes a scenario gets wrong are refused with file, line and field", "[scenarios]") {
    TempDir dir;
    const std::string head = "scenario: option\nextends: " + source("scenarios/baseline.yaml") + "\n";
    auto scenario = [&](const std::string& body) {
        write_text(dir / "option.yaml", head + body);
        return dir / "option.yaml";
    };
    auto applied = [&](const std::string& path) {
        return [path]() {
            const Scenario sc = read_scenario(path);
            const Taxonomy tax = read_taxonomy(sc.model_dir);
            as_planned(sc, tax, read_provision_register(sc.provisions, sc.provision_places, tax), 15);
        };
    };
    const std::string school = "provisions:\n  open:\n    - {id: new, type: special_academy, needs: [ASD], ages: [4, 11], in_borough: yes, places: ";
    expect_input_error(applied(scenario("provisions:\n  change:\n    - {id: nowhere, places: {2030: 10}}\n")), dir / "option.yaml",
                       "provisions.change.id", "no provision 'nowhere'");
    expect_input_error(applied(scenario(school + "{2050: 30}}\n")), dir / "option.yaml", "provisions.open.places", "outside the projection");
    expect_input_error(applied(scenario(school + "{2030: -3}}\n")), dir / "option.yaml", "provisions.open[0].places.2030", "from 0 to 100000");
    expect_input_error(applied(scenario(school + "{2030: many}}\n")), dir / "option.yaml", "provisions.open[0].places.2030", "");
    expect_input_error(applied(scenario("provisions:\n  open:\n    - {id: new, type: special_academy, needs: [XYZ], ages: [4, 11], in_borough: yes, places: {2030: 5}}\n")),
                       dir / "option.yaml", "provisions.open.needs", "unknown need code 'XYZ'");
    expect_input_error(applied(scenario("provisions:\n  open:\n    - {id: new, typ: special_academy}\n")), dir / "option.yaml", "provisions.open[0].typ", "unknown key");
    expect_input_error(applied(scenario("provisions:\n  open:\n    - {id: northway, type: special_academy, needs: [ASD], ages: [4, 11], in_borough: yes, places: {2030: 5}}\n")),
                       dir / "option.yaml", "provisions.open.id", "already in the register");
    // Two scenarios extending each other.
    write_text(dir / "a.yaml", "scenario: a\nextends: b.yaml\n");
    write_text(dir / "b.yaml", "scenario: b\nextends: a.yaml\n");
    expect_input_error([&]() { read_scenario(dir / "a.yaml"); }, dir / "a.yaml", "extends", "loop");
}

TEST_CASE("compare: a scenario against itself differs by exactly zero in every draw", "[slow][scenarios][compare]") {
    TempDir dir;
    write_text(dir / "same.yaml", "scenario: same\nextends: " + source("scenarios/baseline.yaml") + "\n");
    CompareOptions o;
    o.scenarios = {source("scenarios/baseline.yaml"), dir / "same.yaml"};
    o.draws = 60;
    const std::vector<Difference> diffs = compare_scenarios(o);
    // Plans; high-needs spend, transport and capital; three measures for each of the two place groups.
    REQUIRE(diffs.size() == 1 + 3 + 2 * 3);
    long compared = 0, nonzero = 0;
    for (const Difference& d : diffs)
        for (std::size_t i = 0; i < d.base.size(); ++i) {
            ++compared;
            nonzero += d.option_values[i] != d.base[i];
        }
    CHECK(compared == 10L * 60 * 16);
    CHECK(nonzero == 0);
}

TEST_CASE("compare: common random numbers make differences less variable than independent runs", "[slow][scenarios][compare]") {
    TempDir dir;
    // An option that changes demand itself: the new-plan trend damped harder.
    const CompareOptions o = against_baseline(dir, "damped", "assumptions:\n  joiner_trend:\n    damping: 0.7\n", 200);
    const Difference common = compare_scenarios(o).front();
    // The same option on its own seed: the draws of the two runs are independent.
    RunSettings base, option;
    base.draws = option.draws = 200;
    base.seed = 20260123;
    option.seed = 7;
    const auto b = run_scenario_file(o.scenarios[0], base), p = run_scenario_file(o.scenarios[1], option);
    const int year = 5, Y = common.years();
    auto variance = [&](auto&& difference_of_draw) {
        double s = 0, ss = 0;
        for (long d = 0; d < 200; ++d) {
            const double v = difference_of_draw(d);
            s += v;
            ss += v * v;
        }
        return (ss - s * s / 200.0) / 199.0;
    };
    const double crn = variance([&](long d) {
        const std::size_t i = static_cast<std::size_t>(d * Y + year);
        return common.option_values[i] - common.base[i];
    });
    const double independent = variance([&](long d) {
        const std::size_t i = static_cast<std::size_t>(d * Y + year);
        return static_cast<double>(p->result().total_by_draw[i]) - static_cast<double>(b->result().total_by_draw[i]);
    });
    INFO("variance of the 2031 difference in plans: common " << crn << ", independent " << independent);
    CHECK(crn < independent / 4);
}

TEST_CASE("compare: a school that opens later changes nothing in the years before it opens", "[slow][scenarios][compare]") {
    CompareOptions o;
    o.scenarios = {source("scenarios/baseline.yaml"), source("scenarios/new_autism_special_free_school.yaml")};
    o.draws = 60;
    DifferencesByYear n;
    for (const Difference& d : compare_scenarios(o)) {
        if (d.measure == "capital_gbp") {
            // Capital is spent before the school opens: 5.0 million in 2027, 6.7 million in 2028.
            for (long draw = 0; draw < d.draws; ++draw)
                for (int y = 0; y < d.years(); ++y) {
                    const std::size_t i = static_cast<std::size_t>(draw * d.years() + y);
                    const int year = d.base_year + y;
                    CHECK(d.option_values[i] - d.base[i] == (year == 2027 ? 5.0e6 : year == 2028 ? 6.7e6 : 0.0));
                }
            continue;
        }
        n = count_differences(d, 2029, n);
    }
    CHECK(n.before == 9L * 60 * 3);
    CHECK(n.differing_before == 0);
    CHECK(n.differing_after > 0);
}

TEST_CASE("compare: a cascade changed from a year changes nothing before it, and sends children where it says after", "[slow][scenarios][compare]") {
    TempDir dir;
    // From 2031, state special children who find no place in the borough go straight to the
    // independent sector, not to other authorities' schools first.
    CompareOptions o = against_baseline(dir, "independent_first",
                                        "changes:\n  cascade:\n    - {from: 2031, place_group: state_special, steps: [independent_special]}\n", 40);
    DifferencesByYear n;
    for (const Difference& d : compare_scenarios(o)) n = count_differences(d, 2031, n);
    CHECK(n.before > 0);
    CHECK(n.differing_before == 0);
    CHECK(n.differing_after > 0);

    // Where state special children were placed, on average, as each scenario's placements.csv says.
    const auto written = run_sendplan("compare " + o.scenarios[0] + " " + o.scenarios[1] + " --draws 40 --quiet --out " + (dir / "compare"), 600);
    REQUIRE(written.status == 0);
    auto placed = [&](const std::string& scenario, int year, const std::string& kind) {
        const CsvTable t = CsvTable::read(dir / ("compare/" + scenario + "/placements.csv"));
        for (std::size_t r = 0; r < t.rows(); ++r)
            if (t.text(r, t.column("year")) == std::to_string(year) && t.text(r, t.column("place_group")) == "state_special" &&
                t.text(r, t.column("placement")) == kind)
                return t.number(r, t.column("pupils_mean"), 0, kMaxCount);
        FAIL("no row for " << scenario << " " << year << " " << kind);
        return 0.0;
    };
    CHECK(placed("independent_first", 2030, "out_of_borough_because_full") == placed("baseline", 2030, "out_of_borough_because_full"));
    CHECK(placed("independent_first", 2030, "independent_because_full") == placed("baseline", 2030, "independent_because_full"));
    // After the change, no child is newly sent to other authorities' schools: those there stay on
    // until they leave, so fewer remain each year, and the rest go to independent schools.
    CHECK(placed("baseline", 2035, "out_of_borough_because_full") > placed("independent_first", 2035, "out_of_borough_because_full") + 10);
    CHECK(placed("independent_first", 2035, "independent_because_full") > placed("baseline", 2035, "independent_because_full") + 10);
    CHECK(placed("independent_first", 2034, "out_of_borough_because_full") >= placed("independent_first", 2035, "out_of_borough_because_full"));
}

TEST_CASE("a cascade changed from a year is refused with file, line and field when it is wrong", "[slow][scenarios]") {
    TempDir dir;
    auto scenario_with = [&](const std::string& entry) {
        write_text(dir / "bad.yaml", "scenario: bad\nextends: " + source("scenarios/baseline.yaml") + "\nchanges:\n  cascade:\n    - " + entry + "\n");
        return dir / "bad.yaml";
    };
    expect_input_error(projecting(scenario_with("{from: 2045, place_group: state_special, steps: [independent_special]}")), dir / "bad.yaml",
                       "changes.cascade.from", "outside the projection");
    expect_input_error(projecting(scenario_with("{from: 2030, place_group: state_special, steps: [independnt_special]}")), dir / "bad.yaml",
                       "changes.cascade.steps", "unknown step 'independnt_special'");
    expect_input_error(projecting(scenario_with("{from: 2030, place_group: special, steps: [independent_special]}")), dir / "bad.yaml",
                       "changes.cascade.place_group", "not a place group");
    expect_input_error([&]() { read_scenario(scenario_with("{from: 2030, steps: [independent_special]}")); }, dir / "bad.yaml",
                       "changes.cascade[0].place_group", "required key is missing");
}

TEST_CASE("a cap on the growth of new plans is read, and refused outside the projection", "[scenarios]") {
    TempDir dir;
    const std::string head = "scenario: capped\nextends: " + source("scenarios/baseline.yaml") + "\nchanges:\n  joiner_growth: ";
    write_text(dir / "capped.yaml", head + "{from: 2028, at_most_percent_a_year: 5}\n");
    const Scenario sc = read_scenario(dir / "capped.yaml");
    CHECK(sc.joiner_growth.from_year == 2028);
    CHECK(sc.joiner_growth.at_most_percent == 5.0);
    auto projected = [&](const std::string& body) {
        write_text(dir / "capped.yaml", head + body);
        return projecting(dir / "capped.yaml");
    };
    expect_input_error(projected("{from: 2070, at_most_percent_a_year: 5}\n"), dir / "capped.yaml", "changes.joiner_growth.from", "outside the projection");
    expect_input_error(projected("{from: 2028, at_most_percent_a_year: -100}\n"), dir / "capped.yaml", "changes.joiner_growth.at_most_percent_a_year",
                       "above -100");
    expect_input_error(projected("{from: 2028, at_most: 5}\n"), dir / "capped.yaml", "changes.joiner_growth.at_most", "unknown key");
}

TEST_CASE("every shipped scenario reads and runs", "[slow][scenarios]") {
    int ran = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source("scenarios"))) {
        if (entry.path().extension() != ".yaml") continue;
        INFO(entry.path());
        RunSettings s;
        s.draws = 5;
        const auto p = run_scenario_file(entry.path().string(), s);
        CHECK(p->result().draws == 5);
        CHECK(p->sufficiency() != nullptr);
        ++ran;
    }
    CHECK(ran >= 3);
}

TEST_CASE("redirections of setting moves a scenario gets wrong are refused with file, line and field", "[slow][scenarios]") {
    TempDir dir;
    const std::string head = "scenario: moves\nextends: " + source("scenarios/baseline.yaml") + "\nchanges:\n  setting_moves:\n    - ";
    auto projected = [&](const std::string& body) {
        write_text(dir / "moves.yaml", head + body + "\n");
        return projecting(dir / "moves.yaml");
    };
    const std::string rest = "ages: [10], needs: [ASD], share: 0.2";
    expect_input_error(projected("{from: 2028, " + rest + ", to: [special_la], instead: resourcd}"), dir / "moves.yaml", "changes.setting_moves.instead",
                       "unknown setting 'resourcd'");
    expect_input_error(projected("{from: 2028, " + rest + ", to: [specal_la], instead: resourced}"), dir / "moves.yaml", "changes.setting_moves.to",
                       "unknown setting");
    expect_input_error(projected("{from: 2060, " + rest + ", to: [special_la], instead: resourced}"), dir / "moves.yaml", "changes.setting_moves.from",
                       "outside the projection");
    expect_input_error(projected("{from: 2028, ages: [10], needs: [ASD], share: 1.5, to: [special_la], instead: resourced}"), dir / "moves.yaml",
                       "changes.setting_moves[0].share", "from 0 to 1");
    expect_input_error(projected("{from: 2028, ages: [10], needs: [AUT], share: 0.2, to: [special_la], instead: resourced}"), dir / "moves.yaml",
                       "changes.setting_moves.needs", "unknown need code 'AUT'");
}

TEST_CASE("the written schema refuses each kind of error with file, line, column and what was expected", "[slow][scenarios][schema]") {
    TempDir dir;
    const std::string head = "scenario: option\nextends: " + source("scenarios/baseline.yaml") + "\n";
    // Reads (and, where the check needs the projection's years or the register, projects) a
    // scenario whose third line on is `body`; expects a refusal at (line, column) of `field`.
    auto refused = [&](const std::string& body, long line, long column, const std::string& field, const std::string& words, bool project) {
        write_text(dir / "option.yaml", head + body);
        try {
            if (project) {
                RunSettings s;
                s.draws = 2;
                run_scenario_file(dir / "option.yaml", s);
            } else {
                read_scenario(dir / "option.yaml");
            }
            FAIL("accepted: " << body);
        } catch (const InputError& e) {
            INFO(e.what());
            CHECK(e.file() == dir / "option.yaml");
            CHECK(e.line() == line);
            CHECK(e.column() == column);
            CHECK(e.field() == field);
            CHECK(std::string(e.what()).find(words) != std::string::npos);
            // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string here.
            std::string where(":");
            where += std::to_string(line);
            where += ':';
            where += std::to_string(column);
            where += ':';
            CHECK(std::string(e.what()).find(where) != std::string::npos);
        }
    };
    // An unknown key, where it is misspelt.
    refused("horizn: 10\n", 3, 1, "horizn", "unknown key; expected one of", false);
    refused("finance:\n  opening_dsg_balence: -5\n", 4, 3, "finance.opening_dsg_balence", "unknown key", false);
    // A wrong type, with what was expected.
    refused("draws: many\n", 3, 8, "draws", "expected a whole number from 1 to 1000000, found 'many'", false);
    refused("provisions:\n  open:\n    - id: x\n      type: special_la\n      needs: ASD\n", 7, 14, "provisions.open[0].needs",
            "expected a list (each a text value), found 'ASD'", false);
    refused("changes:\n  joiner_growth: {from: soon, at_most_percent_a_year: 5}\n", 4, 25, "changes.joiner_growth.from", "expected a year such as 2029", false);
    refused("finance:\n  cost_changes:\n    - {from: 2030, placement: fe, element: fees, change_percent: 5}\n", 5, 44,
            "finance.cost_changes[0].element", "one of: place, top_up, fee, transport, all", false);
    refused("finance:\n  inflation_changes:\n    - {from: 2030, percent_a_year: 80}\n", 5, 36, "finance.inflation_changes[0].percent_a_year",
            "expected a number from -10 to 50, found '80'", false);
    refused("changes:\n  cascade:\n    - {from: 2030, place_group: state_special, steps: independent_special}\n", 5, 55,
            "changes.cascade[0].steps", "expected a list", false);
    // A required key left out.
    refused("changes:\n  joiner_growth: {from: 2030}\n", 4, 18, "changes.joiner_growth.at_most_percent_a_year", "required key is missing", false);
    // A year outside the horizon, found once the projection's years are known.
    refused("changes:\n  joiner_growth: {from: 2050, at_most_percent_a_year: 5}\n", 4, 18, "changes.joiner_growth.from", "outside the projection", true);
    refused("provisions:\n  open:\n    - {id: x, type: special_la, needs: [ASD], ages: [4, 11], in_borough: yes, places: {2045: 8}}\n", 5, 7,
            "provisions.open.places", "outside the projection", true);
    // A reference to a provision that does not exist.
    refused("provisions:\n  change:\n    - {id: nowhere, places: {2030: 10}}\n", 5, 7, "provisions.change.id", "no provision 'nowhere'", true);
    // A YAML typo: an unclosed bracket.
    refused("provisions: {open: [\n", 4, 1, "", "YAML syntax error", false);
}

TEST_CASE("a provision opens by the month it opens, counted from the next January census", "[scenarios]") {
    TempDir dir;
    const std::string head = "scenario: option\nextends: " + source("scenarios/baseline.yaml") +
                             "\nprovisions:\n  open:\n    - {id: new, type: special_academy, needs: [ASD], ages: [4, 11], in_borough: yes, places: ";
    write_text(dir / "option.yaml", head + "{2028-09: 30, 2030-01: 60}}\n");
    const Scenario sc = read_scenario(dir / "option.yaml");
    CHECK(sc.provisions_opened.front().places == std::map<int, int>{{2029, 30}, {2030, 60}});
    write_text(dir / "option.yaml", head + "{2028-09: 30, 2029: 40}}\n");
    expect_input_error([&]() { read_scenario(dir / "option.yaml"); }, dir / "option.yaml", "provisions.open.places",
                       "'2028-09' and '2029' both give the places at the January 2029 census");
    write_text(dir / "option.yaml", head + "{2028-13: 30}}\n");
    expect_input_error([&]() { read_scenario(dir / "option.yaml"); }, dir / "option.yaml", "provisions.open[0].places", "or the month a provision opens such as 2028-09");
}
