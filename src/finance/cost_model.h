#pragma once
// What every placement costs, resolved from the cost table once per run: by costed placement (a
// setting, or a place group's places out of the borough), phase, need and element; how a scenario's
// cost changes scale it year by year; how capacity outcomes move a child's cost to another
// placement; and the scenario's capital and high-needs income. model/METHOD.md, section 15.
#include <string>
#include <vector>

#include "capacity/placement_plan.h"
#include "core/assumptions.h"
#include "core/index_array.h"
#include "core/taxonomy.h"
#include "io/cost_table.h"
#include "model/interventions.h"

namespace sendplan {

struct CostModel {
    int base_year = 0, horizon = 0, placements = 0, phases = 0, needs = 0;
    std::vector<std::string> placement_codes, placement_labels;
    const CostTable* table = nullptr;
    // The cost-table row that prices each cell, or -1 where none does (that element costs nothing there).
    IndexArray<int, dim::Placement, dim::Phase, dim::Need, dim::CostElement> row_of;
    // The scenario's cost changes by year index and cell, a factor (1 without any).
    IndexArray<double, dim::Year, dim::Placement, dim::Phase, dim::Need, dim::CostElement> change_factor;
    bool has_changes = false;
    Assumptions::Finance rates;
    // Each element's assumed growth into each year index, per cent (year 0 unused): the assumption's
    // rates, with the scenario's inflation changes from their year.
    IndexArray<double, dim::Year, dim::CostElement> inflation_percent;
    // Capacity: for place group g, the placement its settings are costed at (its first setting), and
    // the placement a child of each place kind is costed at instead.
    std::vector<int> home_placement;   // [g]
    std::vector<bool> commissioned;    // [placement]: with places, place funding follows the places, not the pupils
    IndexArray<int, dim::Group, dim::PlaceKind> kind_placement;
    std::vector<double> capital;       // [year index] pounds, cash
    bool has_income = false;
    std::vector<double> income;        // [year index] high-needs block income, pounds, cash
    double opening_balance = 0;

    int years() const { return horizon + 1; }
};

// Resolves the table: each cell is priced by the most specific row that matches it (a need code
// before its broad area before "all"; a phase code before "all"). Refused with file, line and field:
// an unknown placement, phase or need; two rows equally specific for one cell; a setting (or,
// with places, a place group out of the borough) with no row at all. `plan` may be null (demand
// only). The scenario's changes of cost and inflation, its capital and its income come resolved in
// `interventions`.
CostModel build_cost_model(const CostTable& table, const Taxonomy& taxonomy, const PlacementPlan* plan, const Assumptions::Finance& rates,
                           const Interventions& interventions, int base_year, int horizon);

}  // namespace sendplan
