#pragma once
// A scenario's changes from a year, resolved once against the model's taxonomy and the projection's
// years: codes become indices, broad areas their needs, and every year is checked to fall within
// the projection. The simulation and the placement plan ask what applies in each census year; the
// calibrated posterior stays as calibration left it, so one calibration serves every scenario of an area.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/assumptions.h"
#include "core/taxonomy.h"
#include "io/provision_register.h"
#include "io/scenario.h"
#include "model/cost_selection.h"

namespace sendplan {

// A limit on the growth of new plans: from the census of `from_year`, the trend's rate of new
// plans rises by at most `log_growth` log units a year (log(1.05) for 5%).
struct JoinerGrowthCap {
    int from_year = 0;  // 0: no limit
    double log_growth = 0;
};

// A redirection of setting moves: from the census of `from_year`, a share of the moves made at the
// given ages by children with the given needs into the given settings go to `instead` (e.g. 20% of
// secondary-transfer autism moves to special schools go to ARPs).
struct MoveRedirection {
    int from_year = 0;
    std::vector<int> ages, needs, to;  // age indices (at the earlier census), need and setting indices
    double share = 0;
    int instead = 0;                   // setting index
};

// A change in how fast an element of cost grows: from `from_year` on, its yearly growth is
// `percent_a_year` in place of the assumption's.
struct InflationChange {
    int from_year = 0;
    int element = -1;  // cost element; -1: all
    double percent_a_year = 0;
};

// A change in what the cells a selection names cost: from `from_year` on, `element` (-1: all) costs
// `factor` times what it would (1.1 for 10% more).
struct CostChange {
    int from_year = 0;
    CostSelection cells;
    int element = -1;
    double factor = 1;
};

// The authority's high-needs block income: `pounds` in `year`, growing by `growth_percent` a year
// (falling before it), and the DSG balance before the first projected year.
struct HighNeedsIncome {
    int year = 0;
    double pounds = 0, growth_percent = 0, opening_balance = 0;
    double in(int census_year) const;
};

// A provision the scenario changes the places of: its index in the register, and its places from
// each year given.
struct PlacesChange {
    std::size_t provision = 0;
    std::map<int, int> places_from;
};

// Capital a scenario spends in a year on a provision it opens or changes, in pounds (cash).
struct CapitalSpend {
    int year = 0;
    double pounds = 0;
};

// A change of a place group's cascade: from the census of `from_year`, its entrants who find no
// place of their own group in the borough try these steps (named under capacity.steps, which the
// placement plan resolves) in place of the cascade of every year.
using CascadeChange = Assumptions::Capacity::Cascade;

struct Interventions {
    JoinerGrowthCap joiner_growth_cap;
    std::vector<MoveRedirection> move_redirections;  // in the order the scenario gives them
    // Resolved only where the scenario allocates places (it names a register), the only place they apply.
    std::vector<CascadeChange> cascade_changes;
    // Provisions the scenario opens, and changes of places, in the order given; resolved with the cascades.
    std::vector<Provision> provisions_opened;
    std::vector<PlacesChange> places_changes;
    // In the order given; resolved only where the scenario prices its children (it names a cost table).
    std::vector<InflationChange> inflation_changes;
    // Provisions opened, then those changed, each by year; resolved, like inflation, only where the scenario prices its children.
    std::vector<CapitalSpend> capital;
    std::vector<CostChange> cost_changes;  // in the order given
    std::optional<HighNeedsIncome> income;

    // The most the trend of new plans joining at the census of `census_year` may grow over the
    // year before, in log units; none before the cap's year or without a cap.
    std::optional<double> joiner_growth_limit(int census_year) const;
    // The redirections of moves counted at the census of `census_year`, in the scenario's order
    // (where two name the same age, need and setting, the later one applies).
    std::vector<const MoveRedirection*> move_redirections_in(int census_year) const;
    bool redirects_moves() const { return !move_redirections.empty(); }
    // The census years from which a cascade changes, in order, each once.
    std::vector<int> cascade_change_years() const;
    // The change of `place_group`'s cascade in force at the census of `census_year` (the latest from
    // that year or before), or null where its cascade of every year applies.
    const CascadeChange* cascade_change_in_force(const std::string& place_group, int census_year) const;
    // The growth of cost element `element` into `year`, per cent, where a change is in force: of
    // those in force for the element, the last the scenario gives.
    std::optional<double> inflation_percent_in(int year, int element) const;
    // Capital spent in `year`, added up in the order given.
    double capital_in(int year) const;
    // The factor on the cost of `element` at `placement`, `phase` and `need` in `year`: the product, in
    // the order given, of the cost changes in force that select it (1 without any).
    double cost_factor_in(int year, int placement, int phase, int need, int element, const Taxonomy& taxonomy) const;
    // The register as the scenario plans with it: the provisions it opens added, the places it changes
    // changed from their years.
    ProvisionRegister register_as_planned(const ProvisionRegister& published) const;
};

// Resolves the scenario's `changes:` to demand for a projection from the January census of
// `base_year` over `horizon` years. Refuses with file, line, column and field a year outside the
// projection, an age without a next census, an unknown need code or setting.
Interventions resolve_interventions(const Scenario& scenario, const Taxonomy& taxonomy, int base_year, int horizon);

// Resolves the scenario's provisions (opened, and changes of places) against the register and the
// taxonomy, for the same projection, and its changes of cascades, into `interventions`. Refuses with
// file, line, column and field: an opened provision already in the register, of an unknown type or
// need, or ages outside the model's or upside down; a change to a provision nobody lists; a year
// outside the projection; a cascade change of a place group of no capacity-limited setting.
void resolve_place_changes(const Scenario& scenario, const Taxonomy& taxonomy, const ProvisionRegister& published, int base_year, int horizon,
                           Interventions& interventions);

// Resolves the scenario's finance (changes of cost and of inflation, capital, high-needs income) for
// the same projection into `interventions`. Refuses with file, line, column and field: a year outside
// it (capital may be spent in the base year), a cost change naming an unknown placement, phase, need
// or element.
void resolve_finance_changes(const Scenario& scenario, const Taxonomy& taxonomy, int base_year, int horizon, Interventions& interventions);

}  // namespace sendplan
