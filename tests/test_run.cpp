// The engine as a library: a Run built from a scenario file, projected, and projected again.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/error.h"
#include "evaluate/run.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

// Every draw's total plans, and each place group's demand and shortfall, in one list.
std::vector<double> draw_values(const Run& run) {
    std::vector<double> out(run.result().total_by_draw.begin(), run.result().total_by_draw.end());
    if (run.sufficiency()) out.insert(out.end(), run.sufficiency()->result().by_draw.begin(), run.sufficiency()->result().by_draw.end());
    if (run.spend()) out.insert(out.end(), run.spend()->result().by_draw.begin(), run.spend()->result().by_draw.end());
    return out;
}

}  // namespace

TEST_CASE("a Run projects a scenario with places and costs, gives the same draws when projected again, and says what it read", "[run]") {
    RunSettings settings;
    settings.draws = 12;
    settings.threads = 2;
    std::vector<std::string> notes;
    settings.note = [&](const std::string& text) { notes.push_back(text); };
    std::vector<long> progress;
    settings.progress = [&](const std::string& scenario, long done, long total) {
        CHECK(scenario == "places_and_costs");
        CHECK(total == 12);
        progress.push_back(done);
    };
    Run run(read_run_scenario(source("tests/golden/places_and_costs.yaml"), settings), settings);
    CHECK(run.scenario().draws == 12);
    REQUIRE(run.plan() != nullptr);
    REQUIRE(run.provisions() != nullptr);
    CHECK(run.sufficiency() == nullptr);  // nothing is collected before the draws
    run.project();
    REQUIRE(run.sufficiency() != nullptr);
    REQUIRE(run.spend() != nullptr);
    CHECK(run.result().draws == 12);
    CHECK(!progress.empty());
    CHECK(progress.back() == 12);
    const std::vector<double> first = draw_values(run);
    run.project();
    CHECK(draw_values(run) == first);
    // Every input it read is recorded with its checksum, and the scenario file is among them.
    bool scenario_recorded = false;
    for (const auto& [path, sha] : run.record().inputs) {
        CHECK(sha.size() == 64);
        scenario_recorded |= path == source("tests/golden/places_and_costs.yaml");
    }
    CHECK(scenario_recorded);
    CHECK(run.record().area_code == "E09000003");
}

TEST_CASE("a Run's draw and seed overrides are taken, and fewer than one draw is refused", "[run]") {
    RunSettings settings;
    settings.draws = 3;
    settings.seed = 99;
    const Scenario sc = read_run_scenario(source("tests/golden/plans_only.yaml"), settings);
    CHECK(sc.draws == 3);
    CHECK(sc.seed == 99u);
    settings.draws = 0;
    CHECK_THROWS_AS(read_run_scenario(source("tests/golden/plans_only.yaml"), settings), InputError);
}
