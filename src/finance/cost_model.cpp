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

}  // namespace

CostModel build_cost_model(const CostTable& table, const Taxonomy& tax, const PlacementPlan* plan, const Assumptions::Finance& rates,
                           const Scenario& sc, int base_year, int horizon) {
    CostModel m;
    m.table = &table;
    m.base_year = base_year;
    m.horizon = horizon;
    m.phases = static_cast<int>(tax.phases.size());
    m.needs = static_cast<int>(tax.needs.size());
    m.rates = rates;
    for (const auto& s : tax.settings) {
        m.placement_codes.push_back(s.code);
        m.placement_labels.push_back(s.label);
    }
    // A place group's places out of the borough are a placement of their own: other authorities'
    // schools charge their own top-ups, and the journeys are longer.
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
    auto placement_index = [&](const std::string& code) -> int {
        for (int i = 0; i < m.placements; ++i)
            if (m.placement_codes[static_cast<std::size_t>(i)] == code) return i;
        return -1;
    };
    auto known_placements = [&] {
        std::string list;
        for (const auto& c : m.placement_codes) list += (list.empty() ? "" : ", ") + c;
        return list;
    };

    // Each row's placement, phase and need, checked once.
    struct Parsed {
        int placement, phase, need_kind, need;
    };
    std::vector<Parsed> parsed;
    auto parse_selection = [&](const std::string& placement, const std::string& phase, const std::string& need, const std::string& file, long line, long column,
                               const std::string& prefix, bool placement_all) -> Parsed {
        Parsed p{-1, -1, 0, -1};
        if (!(placement_all && placement == "all")) {
            p.placement = placement_index(placement);
            if (p.placement < 0) throw InputError(file, line, column, prefix + "placement", "unknown placement '" + placement + "'; expected one of " + known_placements());
        }
        if (phase != "all") {
            for (int i = 0; i < m.phases; ++i)
                if (tax.phases[static_cast<std::size_t>(i)].code == phase) p.phase = i;
            if (p.phase < 0) {
                std::string list;
                for (const auto& ph : tax.phases) list += ph.code + ", ";
                throw InputError(file, line, column, prefix + "phase", "unknown phase '" + phase + "'; expected one of " + list + "all");
            }
        }
        if (need != "all") {
            if (const auto k = tax.need_index(need)) {
                p.need_kind = 2;
                p.need = *k;
            } else if (const auto b = tax.broad_area_index(need)) {
                p.need_kind = 1;
                p.need = *b;
            } else {
                throw InputError(file, line, column, prefix + "need", "unknown need code or broad area '" + need + "'");
            }
        }
        return p;
    };
    for (const CostRow& r : table.rows) parsed.push_back(parse_selection(r.placement, r.phase, r.need, table.path, r.line, 0, "", false));

    // Every placement a child can be costed at must be priced, if only at zero: a missing row is an
    // omission, never a free placement.
    std::vector<bool> priced(static_cast<std::size_t>(m.placements), false);
    for (const Parsed& p : parsed) priced[static_cast<std::size_t>(p.placement)] = true;
    for (int pl = 0; pl < m.placements; ++pl) {
        const bool needed = pl < settings || plan != nullptr;
        if (needed && !priced[static_cast<std::size_t>(pl)])
            throw InputError(table.path, 0, "placement", "no cost is given for placement '" + m.placement_codes[static_cast<std::size_t>(pl)] +
                                                             "'; add a row for it (a cost of 0 is allowed)");
    }

    m.row_of.assign(static_cast<std::size_t>(m.placements * m.phases * m.needs * cost_elements), -1);
    std::vector<int> best(m.row_of.size(), -1);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const CostRow& r = table.rows[i];
        const Parsed& p = parsed[i];
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

    const int Y = horizon + 1;
    const int first = base_year + 1, last = base_year + horizon;
    m.change_factor.assign(static_cast<std::size_t>(Y) * m.row_of.size(), 1.0);
    for (const ScenarioCostChange& ch : sc.finance.cost_changes) {
        const std::string ctx = "finance.cost_changes";
        require_projection_year(ch.from_year, first, last, ch.file, ch.line, ch.column, ctx + ".from");
        const Parsed p = parse_selection(ch.placement, ch.phase, ch.need, ch.file, ch.line, ch.column, ctx + ".", true);
        const int element = cost_element_of(ch.element);  // -1: all
        m.has_changes = true;
        for (int y = ch.from_year - base_year; y < Y; ++y)
            for (int pl = 0; pl < m.placements; ++pl) {
                if (p.placement >= 0 && pl != p.placement) continue;
                for (int ph = 0; ph < m.phases; ++ph)
                    for (int k = 0; k < m.needs; ++k) {
                        if (match(p.phase, p.need_kind, p.need, ph, k, tax) < 0) continue;
                        for (int e = 0; e < cost_elements; ++e)
                            if (element < 0 || e == element)
                                m.change_factor[static_cast<std::size_t>(y) * m.row_of.size() + m.cell(pl, ph, k, e)] *= 1.0 + ch.change_percent / 100.0;
                    }
            }
    }

    m.inflation_percent.assign(static_cast<std::size_t>(Y * cost_elements), 0.0);
    for (int y = 0; y < Y; ++y)
        for (int e = 0; e < cost_elements; ++e) m.inflation_percent[static_cast<std::size_t>(y * cost_elements + e)] = rates.inflation_percent[e];
    // In the order given: a later change of the same element from an earlier year overrides it.
    for (const ScenarioInflationChange& ch : sc.finance.inflation_changes) {
        require_projection_year(ch.from_year, first, last, ch.file, ch.line, ch.column, "finance.inflation_changes.from");
        const int element = cost_element_of(ch.element);  // -1: all
        for (int y = ch.from_year - base_year; y < Y; ++y)
            for (int e = 0; e < cost_elements; ++e)
                if (element < 0 || e == element) m.inflation_percent[static_cast<std::size_t>(y * cost_elements + e)] = ch.percent_a_year;
    }

    if (plan) {
        const int G = plan->groups();
        int mainstream = -1;
        for (int s = 0; s < settings && mainstream < 0; ++s)
            if (!tax.settings[static_cast<std::size_t>(s)].capacity_limited && tax.settings[static_cast<std::size_t>(s)].strategy_group == "mainstream") mainstream = s;
        m.home_placement.assign(static_cast<std::size_t>(G), 0);
        m.kind_placement.assign(static_cast<std::size_t>(G * place_kinds), 0);
        for (int g = 0; g < G; ++g) {
            const int home = plan->settings_of_group[static_cast<std::size_t>(g)].front();
            m.home_placement[static_cast<std::size_t>(g)] = home;
            const int out = placement_index("out_of_borough_" + plan->place_groups[static_cast<std::size_t>(g)]);
            for (int kind = 0; kind < place_kinds; ++kind) {
                int to = home;
                if (kind == place_elsewhere_at_base || kind == place_out_of_borough) to = out;
                if (kind == place_waiting && mainstream >= 0) to = mainstream;  // a child waiting for a place is in mainstream meanwhile
                if (kind == place_other_local || kind == place_independent) {
                    const auto& usable = plan->usable[static_cast<std::size_t>(g)];
                    for (std::size_t x = 0; x < usable.size(); ++x)
                        if (plan->kind[static_cast<std::size_t>(g)][x] == kind && plan->slots[static_cast<std::size_t>(usable[x])].setting >= 0) {
                            to = plan->slots[static_cast<std::size_t>(usable[x])].setting;
                            break;
                        }
                }
                m.kind_placement[static_cast<std::size_t>(g * place_kinds + kind)] = to;
            }
        }
    }

    // Capital, from every provision the scenario (or one it extends) opens or changes.
    m.capital.assign(static_cast<std::size_t>(Y), 0.0);
    auto add_capital = [&](const std::map<int, double>& by_year, const std::string& file, long line, long column, const std::string& field) {
        for (const auto& [year, pounds] : by_year) {
            require_projection_year(year, base_year, last, file, line, column, field);
            m.capital[static_cast<std::size_t>(year - base_year)] += pounds;
        }
    };
    for (const auto& o : sc.provisions_opened) add_capital(o.capital, o.file, o.line, o.column, "provisions.open.capital");
    for (const auto& c : sc.provisions_changed) add_capital(c.capital, c.file, c.line, c.column, "provisions.change.capital");

    if (sc.finance.has_income) {
        m.has_income = true;
        m.income.assign(static_cast<std::size_t>(Y), 0.0);
        for (int y = 0; y < Y; ++y)
            m.income[static_cast<std::size_t>(y)] =
                sc.finance.income * std::pow(1.0 + sc.finance.income_growth_percent / 100.0, base_year + y - sc.finance.income_year);
        m.opening_balance = sc.finance.opening_balance;
    }
    return m;
}

}  // namespace sendplan
