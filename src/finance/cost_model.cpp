#include "finance/cost_model.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace sendplan {
namespace {

// The costed placements; commissioned ones are the capacity-limited settings.
void name_placements(CostModel& m, const Taxonomy& tax) {
    const CostedPlacements placements = costed_placements(tax);
    m.placement_codes = placements.codes;
    m.placement_labels = placements.labels;
    m.placements = placements.count();
    m.commissioned.assign(static_cast<std::size_t>(m.placements), false);
    for (std::size_t s = 0; s < tax.settings.size(); ++s) m.commissioned[s] = tax.settings[s].capacity_limited;
}

int placement_index(const CostModel& m, const std::string& code) {
    for (int i = 0; i < m.placements; ++i)
        if (m.placement_codes[static_cast<std::size_t>(i)] == code) return i;
    return -1;
}

// Every placement a child can be costed at must be priced, if only at zero: a missing row is an
// omission, never a free placement.
void require_priced(const CostModel& m, const CostTable& table, const std::vector<CostSelection>& rows, int settings, bool with_places) {
    std::vector<bool> priced(static_cast<std::size_t>(m.placements), false);
    for (const CostSelection& p : rows) priced[static_cast<std::size_t>(p.placement)] = true;
    for (int pl = 0; pl < m.placements; ++pl) {
        const bool needed = pl < settings || with_places;
        if (needed && !priced[static_cast<std::size_t>(pl)])
            throw InputError(table.path, 0, "placement", "no cost is given for placement '" + m.placement_codes[static_cast<std::size_t>(pl)] +
                                                             "'; add a row for it (a cost of 0 is allowed)");
    }
}

// Each cell is priced by the most specific row that matches it; two rows as specific as each
// other for one cell are refused.
void resolve_specificity(CostModel& m, const CostTable& table, const Taxonomy& tax, const std::vector<CostSelection>& rows) {
    m.row_of.assign(shape_of(m.placements, m.phases, m.needs, cost_elements), -1);
    IndexArray<int, dim::Placement, dim::Phase, dim::Need, dim::CostElement> best(m.row_of.shape(), -1);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const CostRow& r = table.rows[i];
        const CostSelection& p = rows[i];
        for (int ph = 0; ph < m.phases; ++ph)
            for (int k = 0; k < m.needs; ++k) {
                const int score = p.specificity(ph, k, tax);
                if (score < 0) continue;
                const std::size_t c = m.row_of.offset(p.placement, ph, k, r.element);
                if (score == best[c]) {
                    const CostRow& other = table.rows[static_cast<std::size_t>(m.row_of[c])];
                    throw InputError(table.path, r.line, "need",
                                     "this row and line " + std::to_string(other.line) + " both price " + r.placement + ", " +
                                         tax.phases[static_cast<std::size_t>(ph)].code + ", " + tax.needs[static_cast<std::size_t>(k)].code + ", " +
                                         cost_element_name(r.element) + ": make one of them more specific or remove one");
                }
                if (score > best[c]) {
                    best[c] = score;
                    m.row_of[c] = static_cast<int>(i);
                }
            }
    }
}

// The scenario's cost changes, asked of each cell in each year.
void apply_cost_changes(CostModel& m, const Taxonomy& tax, const Interventions& changes) {
    m.has_changes = !changes.cost_changes.empty();
    m.change_factor.assign(shape_of(m.years(), m.placements, m.phases, m.needs, cost_elements), 1.0);
    if (!m.has_changes) return;
    for (int y = 0; y < m.years(); ++y)
        for (int pl = 0; pl < m.placements; ++pl)
            for (int ph = 0; ph < m.phases; ++ph)
                for (int k = 0; k < m.needs; ++k)
                    for (int e = 0; e < cost_elements; ++e) m.change_factor(y, pl, ph, k, e) = changes.cost_factor_in(m.base_year + y, pl, ph, k, e, tax);
}

// The assumption's rates, with the scenario's changes where they are in force.
void set_inflation(CostModel& m, const Assumptions::Finance& rates, const Interventions& changes) {
    m.inflation_percent.assign(shape_of(m.years(), cost_elements), 0.0);
    for (int y = 0; y < m.years(); ++y)
        for (int e = 0; e < cost_elements; ++e) m.inflation_percent(y, e) = changes.inflation_percent_in(m.base_year + y, e).value_or(rates.inflation_percent[e]);
}

// The placements a child of one place group may be costed at, whatever her place.
struct GroupPlacements {
    int home;        // her place group's first setting
    int out;         // its places out of the borough
    int mainstream;  // the first mainstream setting, or -1
};

// For another place group's or an independent place: the setting of the first such slot she may use.
int setting_of_first_slot(const PlacementPlan& plan, int g, int kind, int otherwise) {
    const auto& usable = plan.usable[static_cast<std::size_t>(g)];
    for (std::size_t x = 0; x < usable.size(); ++x)
        if (plan.kind[static_cast<std::size_t>(g)][x] == kind && plan.slots[static_cast<std::size_t>(usable[x])].setting >= 0)
            return plan.slots[static_cast<std::size_t>(usable[x])].setting;
    return otherwise;
}

int placement_of_kind(const PlacementPlan& plan, int g, int kind, const GroupPlacements& at) {
    if (kind == place_elsewhere_at_base || kind == place_out_of_borough) return at.out;
    if (kind == place_waiting && at.mainstream >= 0) return at.mainstream;  // a child waiting for a place is in mainstream meanwhile
    if (kind == place_other_local || kind == place_independent) return setting_of_first_slot(plan, g, kind, at.home);
    return at.home;
}

// Capacity outcomes move a child's cost to the placement of her place.
void cost_places(CostModel& m, const Taxonomy& tax, const PlacementPlan& plan) {
    const int G = plan.groups(), settings = static_cast<int>(tax.settings.size());
    int mainstream = -1;
    for (int s = 0; s < settings && mainstream < 0; ++s)
        if (!tax.settings[static_cast<std::size_t>(s)].capacity_limited && tax.settings[static_cast<std::size_t>(s)].strategy_group == "mainstream")
            mainstream = s;
    m.home_placement.assign(static_cast<std::size_t>(G), 0);
    m.kind_placement.assign(shape_of(G, place_kinds), 0);
    for (int g = 0; g < G; ++g) {
        const int home = plan.settings_of_group[static_cast<std::size_t>(g)].front();
        m.home_placement[static_cast<std::size_t>(g)] = home;
        const GroupPlacements at{home, placement_index(m, "out_of_borough_" + plan.place_groups[static_cast<std::size_t>(g)]), mainstream};
        for (int kind = 0; kind < place_kinds; ++kind)
            m.kind_placement(g, kind) = placement_of_kind(plan, g, kind, at);
    }
}

// Capital, from every provision the scenario (or one it extends) opens or changes.
void set_capital(CostModel& m, const Interventions& changes) {
    m.capital.assign(static_cast<std::size_t>(m.years()), 0.0);
    for (int y = 0; y < m.years(); ++y) m.capital[static_cast<std::size_t>(y)] = changes.capital_in(m.base_year + y);
}

void set_income(CostModel& m, const HighNeedsIncome& income) {
    m.has_income = true;
    m.income.assign(static_cast<std::size_t>(m.years()), 0.0);
    for (int y = 0; y < m.years(); ++y) m.income[static_cast<std::size_t>(y)] = income.in(m.base_year + y);
    m.opening_balance = income.opening_balance;
}

}  // namespace

CostModel build_cost_model(const CostTable& table, const Taxonomy& tax, const PlacementPlan* plan, const Assumptions::Finance& rates,
                           const Interventions& interventions, int base_year, int horizon) {
    CostModel m;
    m.table = &table;
    m.base_year = base_year;
    m.horizon = horizon;
    m.phases = static_cast<int>(tax.phases.size());
    m.needs = static_cast<int>(tax.needs.size());
    m.rates = rates;
    name_placements(m, tax);

    // Each row's placement, phase and need, checked once.
    const CostedPlacements placements = costed_placements(tax);
    std::vector<CostSelection> rows;
    for (const CostRow& r : table.rows)
        rows.push_back(parse_cost_selection(placements, tax, r.placement, r.phase, r.need, {table.path, r.line, 0, ""}, false));
    require_priced(m, table, rows, static_cast<int>(tax.settings.size()), plan != nullptr);
    resolve_specificity(m, table, tax, rows);

    apply_cost_changes(m, tax, interventions);
    set_inflation(m, rates, interventions);
    if (plan) cost_places(m, tax, *plan);
    set_capital(m, interventions);
    if (interventions.income) set_income(m, *interventions.income);
    return m;
}

}  // namespace sendplan
