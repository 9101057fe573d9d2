#include "finance/cost_model.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace sendplan {
namespace {

// How specifically a row's phase and need match a cell: -1 not at all; higher is more specific.
int match(int row_phase, int row_need_kind, int row_need, int phase, int need, const Taxonomy& tax) {
    if (row_phase >= 0 && row_phase != phase) return -1;
    int need_score = 0;
    if (row_need_kind == 2) {
        if (row_need != need) return -1;
        need_score = 2;
    } else if (row_need_kind == 1) {
        if (tax.needs[static_cast<std::size_t>(need)].broad_area != row_need) return -1;
        need_score = 1;
    }
    return need_score * 2 + (row_phase >= 0 ? 1 : 0);
}

// The costed placements: every setting, then each place group's places out of the borough, a
// placement of their own (other authorities' schools charge their own top-ups, and the journeys
// are longer).
void name_placements(CostModel& m, const Taxonomy& tax) {
    for (const auto& s : tax.settings) {
        m.placement_codes.push_back(s.code);
        m.placement_labels.push_back(s.label);
    }
    std::vector<std::string> groups;
    for (const auto& s : tax.settings)
        if (!s.place_group.empty() && std::find(groups.begin(), groups.end(), s.place_group) == groups.end()) groups.push_back(s.place_group);
    const int settings = static_cast<int>(tax.settings.size());
    for (const auto& g : groups) {
        m.placement_codes.push_back("out_of_borough_" + g);
        m.placement_labels.push_back("Out of borough (" + g + ")");
    }
    m.placements = static_cast<int>(m.placement_codes.size());
    m.commissioned.assign(static_cast<std::size_t>(m.placements), false);
    for (int s = 0; s < settings; ++s) m.commissioned[static_cast<std::size_t>(s)] = tax.settings[static_cast<std::size_t>(s)].capacity_limited;
}

int placement_index(const CostModel& m, const std::string& code) {
    for (int i = 0; i < m.placements; ++i)
        if (m.placement_codes[static_cast<std::size_t>(i)] == code) return i;
    return -1;
}

// A placement, phase and need as a cost row or a cost change selects them: -1 (and need kind 0) for "all".
struct Selection {
    int placement, phase, need_kind, need;
};

// Where a selection was written, for a refusal.
struct Written {
    const std::string& file;
    long line, column;
    std::string prefix;  // put before the field's name
};

// Parses selections, refusing an unknown placement, phase or need.
struct SelectionParser {
    const CostModel& m;
    const Taxonomy& tax;

    Selection parse(const std::string& placement, const std::string& phase, const std::string& need, const Written& at, bool placement_all) const {
        Selection p{-1, -1, 0, -1};
        if (!(placement_all && placement == "all")) p.placement = parse_placement(placement, at);
        if (phase != "all") p.phase = parse_phase(phase, at);
        if (need != "all") parse_need(need, at, p);
        return p;
    }
    int parse_placement(const std::string& placement, const Written& at) const {
        const int index = placement_index(m, placement);
        if (index < 0) {
            std::string list;
            for (const auto& c : m.placement_codes) list += (list.empty() ? "" : ", ") + c;
            throw InputError(at.file, at.line, at.column, at.prefix + "placement", "unknown placement '" + placement + "'; expected one of " + list);
        }
        return index;
    }
    int parse_phase(const std::string& phase, const Written& at) const {
        int index = -1;
        for (int i = 0; i < m.phases; ++i)
            if (tax.phases[static_cast<std::size_t>(i)].code == phase) index = i;
        if (index < 0) {
            std::string list;
            for (const auto& ph : tax.phases) list += ph.code + ", ";
            throw InputError(at.file, at.line, at.column, at.prefix + "phase", "unknown phase '" + phase + "'; expected one of " + list + "all");
        }
        return index;
    }
    // A need code, or else a broad area.
    void parse_need(const std::string& need, const Written& at, Selection& p) const {
        if (const auto k = tax.need_index(need)) {
            p.need_kind = 2;
            p.need = *k;
        } else if (const auto b = tax.broad_area_index(need)) {
            p.need_kind = 1;
            p.need = *b;
        } else {
            throw InputError(at.file, at.line, at.column, at.prefix + "need", "unknown need code or broad area '" + need + "'");
        }
    }
};

// Every placement a child can be costed at must be priced, if only at zero: a missing row is an
// omission, never a free placement.
void require_priced(const CostModel& m, const CostTable& table, const std::vector<Selection>& rows, int settings, bool with_places) {
    std::vector<bool> priced(static_cast<std::size_t>(m.placements), false);
    for (const Selection& p : rows) priced[static_cast<std::size_t>(p.placement)] = true;
    for (int pl = 0; pl < m.placements; ++pl) {
        const bool needed = pl < settings || with_places;
        if (needed && !priced[static_cast<std::size_t>(pl)])
            throw InputError(table.path, 0, "placement", "no cost is given for placement '" + m.placement_codes[static_cast<std::size_t>(pl)] +
                                                             "'; add a row for it (a cost of 0 is allowed)");
    }
}

// Each cell is priced by the most specific row that matches it; two rows as specific as each
// other for one cell are refused.
void resolve_specificity(CostModel& m, const CostTable& table, const Taxonomy& tax, const std::vector<Selection>& rows) {
    m.row_of.assign(static_cast<std::size_t>(m.placements * m.phases * m.needs * cost_elements), -1);
    std::vector<int> best(m.row_of.size(), -1);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const CostRow& r = table.rows[i];
        const Selection& p = rows[i];
        for (int ph = 0; ph < m.phases; ++ph)
            for (int k = 0; k < m.needs; ++k) {
                const int score = match(p.phase, p.need_kind, p.need, ph, k, tax);
                if (score < 0) continue;
                const std::size_t c = m.cell(p.placement, ph, k, r.element);
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

// A scenario's cost change, resolved: the cells it selects, and the element (-1: all).
struct CostChange {
    const ScenarioCostChange& change;
    Selection cells;
    int element;
};

void scale_placement(CostModel& m, const Taxonomy& tax, const CostChange& c, int y, int pl) {
    const Selection& p = c.cells;
    for (int ph = 0; ph < m.phases; ++ph)
        for (int k = 0; k < m.needs; ++k) {
            if (match(p.phase, p.need_kind, p.need, ph, k, tax) < 0) continue;
            for (int e = 0; e < cost_elements; ++e)
                if (c.element < 0 || e == c.element)
                    m.change_factor[static_cast<std::size_t>(y) * m.row_of.size() + m.cell(pl, ph, k, e)] *= 1.0 + c.change.change_percent / 100.0;
        }
}

// A cost change scales the cells it selects from its year on.
void scale_from_year(CostModel& m, const Taxonomy& tax, const CostChange& c) {
    for (int y = c.change.from_year - m.base_year; y < m.years(); ++y)
        for (int pl = 0; pl < m.placements; ++pl) {
            if (c.cells.placement >= 0 && pl != c.cells.placement) continue;
            scale_placement(m, tax, c, y, pl);
        }
}

void apply_cost_changes(CostModel& m, const Scenario& sc, const SelectionParser& parser) {
    m.change_factor.assign(static_cast<std::size_t>(m.years()) * m.row_of.size(), 1.0);
    for (const ScenarioCostChange& ch : sc.finance.cost_changes) {
        const std::string ctx = "finance.cost_changes";
        require_projection_year(ch.from_year, m.base_year + 1, m.base_year + m.horizon, ch.file, ch.line, ch.column, ctx + ".from");
        const Selection p = parser.parse(ch.placement, ch.phase, ch.need, {ch.file, ch.line, ch.column, ctx + "."}, true);
        const int element = cost_element_of(ch.element);  // -1: all
        m.has_changes = true;
        scale_from_year(m, parser.tax, {ch, p, element});
    }
}

// The assumption's rates, with the scenario's changes where they are in force.
void set_inflation(CostModel& m, const Assumptions::Finance& rates, const Interventions& changes) {
    const int Y = m.years();
    m.inflation_percent.assign(static_cast<std::size_t>(Y * cost_elements), 0.0);
    for (int y = 0; y < Y; ++y)
        for (int e = 0; e < cost_elements; ++e) {
            const double assumed = rates.inflation_percent[e];
            m.inflation_percent[static_cast<std::size_t>(y * cost_elements + e)] = changes.inflation_percent_in(m.base_year + y, e).value_or(assumed);
        }
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
    m.kind_placement.assign(static_cast<std::size_t>(G * place_kinds), 0);
    for (int g = 0; g < G; ++g) {
        const int home = plan.settings_of_group[static_cast<std::size_t>(g)].front();
        m.home_placement[static_cast<std::size_t>(g)] = home;
        const GroupPlacements at{home, placement_index(m, "out_of_borough_" + plan.place_groups[static_cast<std::size_t>(g)]), mainstream};
        for (int kind = 0; kind < place_kinds; ++kind)
            m.kind_placement[static_cast<std::size_t>(g * place_kinds + kind)] = placement_of_kind(plan, g, kind, at);
    }
}

// Capital, from every provision the scenario (or one it extends) opens or changes.
void set_capital(CostModel& m, const Interventions& changes) {
    m.capital.assign(static_cast<std::size_t>(m.years()), 0.0);
    for (int y = 0; y < m.years(); ++y) m.capital[static_cast<std::size_t>(y)] = changes.capital_in(m.base_year + y);
}

void set_income(CostModel& m, const ScenarioFinance& f) {
    m.has_income = true;
    m.income.assign(static_cast<std::size_t>(m.years()), 0.0);
    for (int y = 0; y < m.years(); ++y)
        m.income[static_cast<std::size_t>(y)] = f.income * std::pow(1.0 + f.income_growth_percent / 100.0, m.base_year + y - f.income_year);
    m.opening_balance = f.opening_balance;
}

}  // namespace

CostModel build_cost_model(const CostTable& table, const Taxonomy& tax, const PlacementPlan* plan, const Assumptions::Finance& rates,
                           const Scenario& sc, const Interventions& interventions, int base_year, int horizon) {
    CostModel m;
    m.table = &table;
    m.base_year = base_year;
    m.horizon = horizon;
    m.phases = static_cast<int>(tax.phases.size());
    m.needs = static_cast<int>(tax.needs.size());
    m.rates = rates;
    name_placements(m, tax);

    // Each row's placement, phase and need, checked once.
    const SelectionParser parser{m, tax};
    std::vector<Selection> rows;
    for (const CostRow& r : table.rows) rows.push_back(parser.parse(r.placement, r.phase, r.need, {table.path, r.line, 0, ""}, false));
    require_priced(m, table, rows, static_cast<int>(tax.settings.size()), plan != nullptr);
    resolve_specificity(m, table, tax, rows);

    apply_cost_changes(m, sc, parser);
    set_inflation(m, rates, interventions);
    if (plan) cost_places(m, tax, *plan);
    set_capital(m, interventions);
    if (sc.finance.has_income) set_income(m, sc.finance);
    return m;
}

}  // namespace sendplan
