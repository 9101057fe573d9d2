#pragma once
// A scenario file: which area and data, which model definition, how far and how many draws, and any
// assumptions changed from model/assumptions.yaml. Paths are relative to the scenario file.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/assumptions.h"
#include "core/numbers.h"

namespace sendplan {

// A provision a scenario opens, or a change to the places of one in the register, from a year.
struct ScenarioProvision {
    std::string id, name, type;
    std::vector<std::string> needs;   // need codes or broad areas
    int age_from = 0, age_to = 0;
    bool in_borough = true;
    std::map<int, int> places;        // January census year -> places from then on
    std::map<int, double> capital;    // year -> capital spent that year, in pounds (cash)
    std::string file;                 // where it was given
    long line = 0, column = 0;
};
struct ScenarioPlacesChange {
    std::string id;
    std::map<int, int> places;
    std::map<int, double> capital;
    std::string file;
    long line = 0, column = 0;
};

// A limit on the growth of new plans from a year (census years).
struct ScenarioGrowthCap {
    int from_year = 0;                // 0: none
    double at_most_percent = 0;       // a year
    std::string file;
    long line = 0, column = 0;
};

// A share of setting moves sent elsewhere from a year: codes as in the model's taxonomy.
struct ScenarioMoveRedirect {
    int from_year = 0;
    std::vector<int> ages;                 // age at the earlier census
    std::vector<std::string> needs, to;    // need codes or broad areas; settings the moves would go to
    double share = 0;
    std::string instead;                   // the setting they go to instead
    std::string file;
    long line = 0, column = 0;
};

// A change in what a placement costs from a year: every cost-table cell it names, by placement,
// phase, need and element ("all" for any), is multiplied by 1 + change_percent / 100.
struct ScenarioCostChange {
    int from_year = 0;
    std::string placement, phase = "all", need = "all", element = "all";
    double change_percent = 0;
    std::string file;
    long line = 0, column = 0;
};

// A change in how fast an element of cost grows, from a year: from then on its yearly growth is
// `percent_a_year` (still drawn about that rate with the assumed uncertainty) in place of the
// assumption's. Prices before the year, and what they grew from, are as they were.
struct ScenarioInflationChange {
    int from_year = 0;
    std::string element = "all";      // place, top_up, fee, transport or all
    double percent_a_year = 0;
    std::string file;
    long line = 0, column = 0;
};

// The money side of a scenario: changes of cost and of their growth, and the high-needs block's income with the
// dedicated schools grant's opening balance, from which the cumulative balance follows.
struct ScenarioFinance {
    std::vector<ScenarioCostChange> cost_changes;
    std::vector<ScenarioInflationChange> inflation_changes;
    bool has_income = false;
    int income_year = 0;              // the year the income figure is for
    double income = 0;                // high-needs block income that year, pounds
    double income_growth_percent = 0; // a year, after it
    double opening_balance = 0;       // the DSG balance before the first projected year (a deficit is negative)
    bool has_opening_balance = false;
};

struct Scenario {
    std::string path;   // the scenario file as given
    std::string text;   // its full text (and those it extends), stored with the results
    std::vector<std::string> extends;  // the files it extends, nearest first
    std::string name, description;
    std::string area;
    std::vector<std::string> dfe_releases;  // oldest first; may be empty when person_level is given
    std::string person_level;               // the LA's person-level history (SEN2 censuses or witan.send transitions)
    std::string code_map;                   // witan.send codes -> model codes
    std::string population;                 // empty: constant population
    std::string provisions, provision_places;  // the provision register; empty: demand only
    std::string costs;                      // the cost table; empty: no finance
    std::string model_dir;
    int base_year = 0;                      // 0: the latest January census in the data
    Where base_year_at;                     // where base_year was given, for the check against the data
    int horizon = 0;
    long draws = 0;
    std::uint64_t seed = 0;
    Assumptions assumptions;
    std::vector<ScenarioProvision> provisions_opened;
    std::vector<ScenarioPlacesChange> provisions_changed;
    // Changes of a place group's cascade from a year (`changes: cascade:`); the cascade of every
    // year is in `assumptions`.
    std::vector<Assumptions::Capacity::Cascade> cascade_changes;
    ScenarioGrowthCap joiner_growth;
    std::vector<ScenarioMoveRedirect> move_redirects;
    ScenarioFinance finance;
};

// A scenario's change must fall within the projection: refused with its file, line and field.
void require_projection_year(int year, int first_year, int last_year, const std::string& file, long line, long column, const std::string& field);

// Reads a scenario. One that `extends` another starts from it: what it gives replaces the other's
// (key by key under `data` and `assumptions`), and its provision changes come after the other's.
Scenario read_scenario(const std::string& path);

// Reads model/assumptions.yaml (every key required) into `out`, once it is checked against the
// schema's `assumptions` (io/schema.h).
void read_assumptions(const std::string& path, Assumptions& out);

// The keys of assumptions the reader reads, as section.key (section.mapping.key within a mapping of
// one): the schema's, as a test checks.
std::vector<std::string> assumption_keys();

}  // namespace sendplan
