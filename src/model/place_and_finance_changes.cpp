// The scenario's provisions, cascades and finance, resolved into its interventions where the run
// allocates places and prices children.
#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "io/cost_table.h"
#include "model/interventions.h"

namespace sendplan {

namespace {

// Capacity-limited settings with the same place_group (settings.yaml) share places.
bool is_place_group(const Taxonomy& tax, const std::string& name) {
    return std::any_of(tax.settings.begin(), tax.settings.end(), [&](const Setting& s) { return s.capacity_limited && s.place_group == name; });
}

std::vector<CascadeChange> resolve_cascade_changes(const Scenario& sc, const Taxonomy& tax, int base_year, int horizon) {
    for (const CascadeChange& c : sc.cascade_changes) {
        if (!is_place_group(tax, c.place_group))
            throw InputError(c.file, c.line, c.column, "changes.cascade.place_group",
                             "'" + c.place_group + "' is not a place group of a capacity-limited setting (settings.yaml: place_group)");
        require_projection_year(c.from_year, base_year + 1, base_year + horizon, c.file, c.line, c.column, "changes.cascade.from");
    }
    return sc.cascade_changes;
}

// The projected years places may change in.
void require_places_years(const std::map<int, int>& places, int base_year, int horizon, const std::string& file, long line, long column,
                          const std::string& field) {
    for (const auto& [year, n] : places) require_projection_year(year, base_year + 1, base_year + horizon, file, line, column, field);
}

void require_model_ages(const ScenarioProvision& o, const Taxonomy& tax) {
    for (const int age : {o.age_from, o.age_to})
        if (age < tax.min_age || age > tax.max_age)
            throw InputError(o.file, o.line, o.column, "provisions.open.ages", "age " + std::to_string(age) + " is outside the model's ages");
    if (o.age_to < o.age_from) throw InputError(o.file, o.line, o.column, "provisions.open.ages", "the age range runs backwards");
}

Provision opened_provision(const ScenarioProvision& o, const Taxonomy& tax) {
    Provision p;
    p.id = o.id;
    p.name = o.name;
    p.type = o.type;
    p.line = o.line;
    const auto setting = tax.setting_of_provision_type(o.type);
    if (!setting) throw InputError(o.file, o.line, o.column, "provisions.open.type", "unknown provision type " + shown(o.type));
    p.setting = *setting;
    p.serves_need = needs_from_codes(o.needs, tax, o.file, o.line, "provisions.open.needs");
    require_model_ages(o, tax);
    p.first_age = o.age_from - tax.min_age;
    p.last_age = o.age_to - tax.min_age;
    p.in_borough = o.in_borough;
    p.places_from = o.places;
    return p;
}

// Provisions opened join the register's list, so a change of places may name one.
std::optional<std::size_t> find_provision(const ProvisionRegister& published, const std::vector<Provision>& opened, const std::string& id) {
    if (const auto i = published.find(id)) return i;
    for (std::size_t i = 0; i < opened.size(); ++i)
        if (opened[i].id == id) return published.provisions.size() + i;
    return std::nullopt;
}

void resolve_provisions(const Scenario& sc, const Taxonomy& tax, const ProvisionRegister& published, int base_year, int horizon, Interventions& out) {
    out.provisions_opened.clear();
    out.places_changes.clear();
    for (const ScenarioProvision& o : sc.provisions_opened) {
        if (find_provision(published, out.provisions_opened, o.id))
            throw InputError(o.file, o.line, o.column, "provisions.open.id", "provision " + shown(o.id) + " is already in the register");
        Provision p = opened_provision(o, tax);
        require_places_years(o.places, base_year, horizon, o.file, o.line, o.column, "provisions.open.places");
        out.provisions_opened.push_back(std::move(p));
    }
    for (const ScenarioPlacesChange& c : sc.provisions_changed) {
        const auto i = find_provision(published, out.provisions_opened, c.id);
        if (!i) throw InputError(c.file, c.line, c.column, "provisions.change.id", "no provision " + shown(c.id) + " in the register or opened by the scenario");
        require_places_years(c.places, base_year, horizon, c.file, c.line, c.column, "provisions.change.places");
        out.places_changes.push_back({*i, c.places});
    }
}

std::vector<InflationChange> resolve_inflation_changes(const Scenario& sc, int base_year, int horizon) {
    std::vector<InflationChange> out;
    for (const ScenarioInflationChange& c : sc.finance.inflation_changes) {
        require_projection_year(c.from_year, base_year + 1, base_year + horizon, c.file, c.line, c.column, "finance.inflation_changes.from");
        out.push_back({c.from_year, cost_element_of(c.element), c.percent_a_year});
    }
    return out;
}

// Capital may be spent in the base year, before the places it buys open.
void add_capital(std::vector<CapitalSpend>& out, const std::map<int, double>& by_year, int base_year, int horizon, const std::string& file, long line,
                 long column, const std::string& field) {
    for (const auto& [year, pounds] : by_year) {
        require_projection_year(year, base_year, base_year + horizon, file, line, column, field);
        out.push_back({year, pounds});
    }
}

std::vector<CapitalSpend> resolve_capital(const Scenario& sc, int base_year, int horizon) {
    std::vector<CapitalSpend> out;
    for (const auto& o : sc.provisions_opened) add_capital(out, o.capital, base_year, horizon, o.file, o.line, o.column, "provisions.open.capital");
    for (const auto& c : sc.provisions_changed) add_capital(out, c.capital, base_year, horizon, c.file, c.line, c.column, "provisions.change.capital");
    return out;
}

std::vector<CostChange> resolve_cost_changes(const Scenario& sc, const Taxonomy& tax, int base_year, int horizon) {
    const CostedPlacements placements = costed_placements(tax);
    const std::string field = "finance.cost_changes";
    std::vector<CostChange> out;
    for (const ScenarioCostChange& ch : sc.finance.cost_changes) {
        require_projection_year(ch.from_year, base_year + 1, base_year + horizon, ch.file, ch.line, ch.column, field + ".from");
        CostChange c;
        c.from_year = ch.from_year;
        c.cells = parse_cost_selection(placements, tax, ch.placement, ch.phase, ch.need, {ch.file, ch.line, ch.column, field + "."}, true);
        c.element = cost_element_of(ch.element);  // -1: all
        c.factor = 1.0 + ch.change_percent / 100.0;
        out.push_back(c);
    }
    return out;
}

std::optional<HighNeedsIncome> resolve_income(const ScenarioFinance& f) {
    if (!f.has_income) return std::nullopt;
    return HighNeedsIncome{f.income_year, f.income, f.income_growth_percent, f.opening_balance};
}

}  // namespace

void resolve_place_changes(const Scenario& sc, const Taxonomy& tax, const ProvisionRegister& published, int base_year, int horizon, Interventions& out) {
    resolve_provisions(sc, tax, published, base_year, horizon, out);
    out.cascade_changes = resolve_cascade_changes(sc, tax, base_year, horizon);
}

void resolve_finance_changes(const Scenario& sc, const Taxonomy& tax, int base_year, int horizon, Interventions& out) {
    out.inflation_changes = resolve_inflation_changes(sc, base_year, horizon);
    out.capital = resolve_capital(sc, base_year, horizon);
    out.cost_changes = resolve_cost_changes(sc, tax, base_year, horizon);
    out.income = resolve_income(sc.finance);
}

}  // namespace sendplan
