#pragma once
// What every placement costs, resolved from the cost table once per run: by costed placement (a
// setting, or a place group's places out of the borough), phase, need and element; how a scenario's
// cost changes scale it year by year; how capacity outcomes move a child's cost to another
// placement; and the scenario's capital and high-needs income. model/METHOD.md, section 15.
#include <string>
#include <vector>

#include "capacity/placement_plan.h"
#include "core/assumptions.h"
#include "core/taxonomy.h"
#include "io/cost_table.h"
#include "io/scenario.h"
#include "model/interventions.h"

namespace sendplan {

struct CostModel {
    int base_year = 0, horizon = 0, placements = 0, phases = 0, needs = 0;
    std::vector<std::string> placement_codes, placement_labels;
    const CostTable* table = nullptr;
    // The cost-table row that prices each cell, or -1 where none does (that element costs nothing
    // there): [((placement * phases + phase) * needs + need) * cost_elements + element].
    std::vector<int> row_of;
    // The scenario's cost changes: [year index][cell as in row_of], a factor (1 without any).
    std::vector<double> change_factor;
    bool has_changes = false;
    Assumptions::Finance rates;
    // Each element's assumed growth into each year, per cent: [year index * cost_elements + element]
    // (year 0 unused). The assumption's rates, with the scenario's inflation changes from their year.
    std::vector<double> inflation_percent;
    // Capacity: for place group g, the placement its settings are costed at (its first setting), and
    // the placement a child of each place kind is costed at instead.
    std::vector<int> home_placement;   // [g]
    std::vector<bool> commissioned;    // [placement]: with places, place funding follows the places, not the pupils
    std::vector<int> kind_placement;   // [g * place_kinds + kind]
    std::vector<double> capital;       // [year index] pounds, cash
    bool has_income = false;
    std::vector<double> income;        // [year index] high-needs block income, pounds, cash
    double opening_balance = 0;

    int years() const { return horizon + 1; }
    std::size_t cell(int placement, int phase, int need, int element) const {
        return static_cast<std::size_t>(((placement * phases + phase) * needs + need) * cost_elements + element);
    }
};

// Resolves the table: each cell is priced by the most specific row that matches it (a need code
// before its broad area before "all"; a phase code before "all"). Refused with file, line and field:
// an unknown placement, phase or need; two rows equally specific for one cell; a setting (or,
// with places, a place group out of the borough) with no row at all; a cost change outside the
// projection or naming nothing. `plan` may be null (demand only). The scenario's changes of
// inflation and its capital come resolved in `interventions`.
CostModel build_cost_model(const CostTable& table, const Taxonomy& taxonomy, const PlacementPlan* plan, const Assumptions::Finance& rates,
                           const Scenario& scenario, const Interventions& interventions, int base_year, int horizon);

}  // namespace sendplan
