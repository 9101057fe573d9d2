// `sendplan init`: any authority of England started from the national data, for three kinds of
// authority (a London borough, a county, a metropolitan district), run end to end as a user would,
// before and after the local files are filled; and the mistakes it refuses.
#include <catch2/catch.hpp>

#include <filesystem>

#include "io/cost_table.h"
#include "io/provision_register.h"
#include "io/taxonomy_reader.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;
namespace fs = std::filesystem;

namespace {

// The scenario as the authority leaves it once its files are filled: the lines naming them, and
// the finance block, uncommented with figures of its own.
std::string filled(const std::string& scenario) {
    std::string text = read_text(scenario);
    for (const std::string key : {"provisions:", "provision_places:", "costs:"}) {
        const auto at = text.find("  # " + key);
        REQUIRE(at != std::string::npos);
        text.erase(at + 2, 2);
    }
    const auto finance = text.find("# finance:");
    REQUIRE(finance != std::string::npos);
    return text.substr(0, finance) + "finance:\n  high_needs_income: {year: 2026, pounds: 50000000, growth_percent_a_year: 3}\n  opening_dsg_balance: 0\n";
}

}  // namespace

TEST_CASE("init starts a London borough, a county and a metropolitan district that run as they are and once filled", "[cli][init][slow]") {
    TempDir dir;
    const Taxonomy tax = read_taxonomy(source("model"));
    for (const auto& [area, code] : std::vector<std::pair<std::string, std::string>>{{"Camden", "E09000007"}, {"Kent", "E10000016"}, {"370", "E08000016"}}) {
        INFO(area);
        const std::string folder = dir / code;
        const CommandResult made = run_sendplan("init " + area + " --out " + folder, 120);
        REQUIRE(made.status == 0);
        CHECK(made.output.find("scenario.yaml") != std::string::npos);
        for (const char* f : {"scenario.yaml", "provisions.csv", "provision_places.csv", "costs.csv", "README.md"}) CHECK(fs::exists(fs::path(folder) / f));
        CHECK(read_text(folder + "/scenario.yaml").find("area: " + code) != std::string::npos);
        // Every local file states the area, and reads as the run will read it.
        const ProvisionRegister reg = read_provision_register(folder + "/provisions.csv", folder + "/provision_places.csv", tax);
        CHECK(reg.area_code == code);
        const CostTable costs = read_cost_table(folder + "/costs.csv");
        CHECK(costs.area_code == code);

        const CommandResult as_is = run_sendplan("run " + folder + "/scenario.yaml --draws 20 --threads 2 --quiet --out " + folder + "/out", 300);
        INFO(as_is.output);
        CHECK(as_is.status == 0);
        CHECK(fs::exists(fs::path(folder) / "out/projection_totals.csv"));

        write_text(folder + "/filled.yaml", filled(folder + "/scenario.yaml"));
        const CommandResult full = run_sendplan("run " + folder + "/filled.yaml --draws 20 --threads 2 --quiet --out " + folder + "/full", 300);
        INFO(full.output);
        CHECK(full.status == 0);
        CHECK(fs::exists(fs::path(folder) / "full/high_needs_spend.csv"));
        CHECK(fs::exists(fs::path(folder) / "full/special_places_plan.csv"));
    }
}

TEST_CASE("init refuses an unknown or dissolved authority, one that is not an authority, and a folder that exists", "[cli][init]") {
    TempDir dir;
    const CommandResult unknown = run_sendplan("init Barnslee --out " + (dir / "x"), 120);
    CHECK(unknown.status == 2);
    CHECK(unknown.output.find("Barnsley") != std::string::npos);  // the closest names
    CHECK_FALSE(fs::exists(dir / "x"));
    const CommandResult region = run_sendplan("init England --out " + (dir / "x"), 120);
    CHECK(region.status == 2);
    CHECK(region.output.find("not a local authority") != std::string::npos);
    fs::create_directories(dir / "taken");
    const CommandResult taken = run_sendplan("init Barnet --out " + (dir / "taken"), 120);
    CHECK(taken.status == 2);
    CHECK(taken.output.find("already exists") != std::string::npos);
    for (const auto& entry : fs::directory_iterator(dir.path())) CHECK(entry.path().filename().string().rfind(".init-", 0) != 0);  // nothing half made
}

TEST_CASE("the finance block init writes must be filled: REQUIRED is refused by name, and income needs its opening balance", "[cli][init]") {
    TempDir dir;
    const std::string folder = dir / "barnet";
    REQUIRE(run_sendplan("init Barnet --out " + folder, 120).status == 0);
    // Uncommented as written, without the figures: the run names the first figure still missing.
    std::string text = filled(folder + "/scenario.yaml");
    text = text.substr(0, text.find("finance:\n"));
    const std::string as_written = read_text(folder + "/scenario.yaml");
    const std::string block = as_written.substr(as_written.find("# finance:"));
    std::istringstream lines(block);
    for (std::string line; std::getline(lines, line);) text += line.substr(2) + "\n";
    write_text(folder + "/unfilled.yaml", text);
    const CommandResult unfilled = run_sendplan("run " + folder + "/unfilled.yaml --draws 5 --quiet --out " + (dir / "u"), 300);
    CHECK(unfilled.status == 2);
    CHECK(unfilled.output.find("field 'finance.high_needs_income.pounds'") != std::string::npos);
    CHECK(unfilled.output.find("still REQUIRED") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "u"));

    std::string no_balance = filled(folder + "/scenario.yaml");
    no_balance.erase(no_balance.find("  opening_dsg_balance"));
    write_text(folder + "/no_balance.yaml", no_balance);
    const CommandResult refused = run_sendplan("run " + folder + "/no_balance.yaml --draws 5 --quiet --out " + (dir / "n"), 300);
    CHECK(refused.status == 2);
    CHECK(refused.output.find("finance.opening_dsg_balance") != std::string::npos);
    CHECK(refused.output.find("required with high_needs_income") != std::string::npos);
}
