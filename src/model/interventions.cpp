#include "model/interventions.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/error.h"

namespace sendplan {

std::optional<double> Interventions::joiner_growth_limit(int census_year) const {
    if (joiner_growth_cap.from_year == 0 || census_year < joiner_growth_cap.from_year) return std::nullopt;
    return joiner_growth_cap.log_growth;
}

std::vector<const MoveRedirection*> Interventions::move_redirections_in(int census_year) const {
    std::vector<const MoveRedirection*> in_force;
    for (const MoveRedirection& r : move_redirections)
        if (census_year >= r.from_year) in_force.push_back(&r);
    return in_force;
}

std::vector<int> Interventions::cascade_change_years() const {
    std::vector<int> years;
    for (const CascadeChange& c : cascade_changes) years.push_back(c.from_year);
    std::sort(years.begin(), years.end());
    years.erase(std::unique(years.begin(), years.end()), years.end());
    return years;
}

const CascadeChange* Interventions::cascade_change_in_force(const std::string& place_group, int census_year) const {
    const CascadeChange* found = nullptr;
    for (const CascadeChange& c : cascade_changes)
        if (c.place_group == place_group && c.from_year <= census_year && (!found || c.from_year > found->from_year)) found = &c;
    return found;
}

std::optional<double> Interventions::inflation_percent_in(int year, int element) const {
    std::optional<double> percent;
    for (const InflationChange& c : inflation_changes)
        if (c.from_year <= year && (c.element < 0 || c.element == element)) percent = c.percent_a_year;
    return percent;
}

double Interventions::capital_in(int year) const {
    double pounds = 0;
    for (const CapitalSpend& c : capital)
        if (c.year == year) pounds += c.pounds;
    return pounds;
}

double HighNeedsIncome::in(int census_year) const { return pounds * std::pow(1.0 + growth_percent / 100.0, census_year - year); }

double Interventions::cost_factor_in(int year, int placement, int phase, int need, int element, const Taxonomy& taxonomy) const {
    double factor = 1.0;
    for (const CostChange& c : cost_changes)
        if (c.from_year <= year && c.cells.selects_placement(placement) && (c.element < 0 || c.element == element) &&
            c.cells.specificity(phase, need, taxonomy) >= 0)
            factor *= c.factor;
    return factor;
}

ProvisionRegister Interventions::register_as_planned(const ProvisionRegister& published) const {
    ProvisionRegister planned = published;
    for (const Provision& p : provisions_opened) planned.provisions.push_back(p);
    for (const PlacesChange& c : places_changes)
        for (const auto& [year, places] : c.places_from) planned.provisions[c.provision].places_from[year] = places;
    return planned;
}

namespace {

// The census years a change may start from: those the projection reaches.
struct ProjectionYears {
    int first = 0, last = 0;
};

JoinerGrowthCap resolve_joiner_growth(const ScenarioGrowthCap& g, const ProjectionYears& years) {
    if (!g.from_year) return {};
    require_projection_year(g.from_year, years.first, years.last, g.file, g.line, g.column, "changes.joiner_growth.from");
    return {g.from_year, std::log1p(g.at_most_percent / 100.0)};
}

const std::string kMovesField = "changes.setting_moves";

// Ages at the earlier census: the top age has no next census to move at.
std::vector<int> redirected_ages(const ScenarioMoveRedirect& r, const Taxonomy& tax) {
    std::vector<int> ages;
    for (const int age : r.ages) {
        if (age < tax.min_age || age >= tax.max_age)
            throw InputError(r.file, r.line, r.column, kMovesField + ".ages", "age " + std::to_string(age) + " has no next census in the model");
        ages.push_back(tax.age_index(age));
    }
    return ages;
}

// Need codes, or broad areas standing for every need within them.
std::vector<int> redirected_needs(const ScenarioMoveRedirect& r, const Taxonomy& tax) {
    std::vector<int> needs;
    for (const auto& code : r.needs) {
        if (const auto need = tax.need_index(code)) {
            needs.push_back(*need);
        } else if (const auto b = tax.broad_area_index(code)) {
            for (std::size_t k = 0; k < tax.needs.size(); ++k)
                if (tax.needs[k].broad_area == *b) needs.push_back(static_cast<int>(k));
        } else {
            throw InputError(r.file, r.line, r.column, kMovesField + ".needs", "unknown need code " + shown(code));
        }
    }
    return needs;
}

int redirected_setting(const ScenarioMoveRedirect& r, const Taxonomy& tax, const std::string& code, const std::string& field) {
    const auto s = tax.setting_index(code);
    if (!s) throw InputError(r.file, r.line, r.column, kMovesField + "." + field, "unknown setting " + shown(code));
    return *s;
}

MoveRedirection resolve_move_redirection(const ScenarioMoveRedirect& r, const Taxonomy& tax, const ProjectionYears& years) {
    require_projection_year(r.from_year, years.first, years.last, r.file, r.line, r.column, kMovesField + ".from");
    MoveRedirection m;
    m.from_year = r.from_year;
    m.share = r.share;
    m.ages = redirected_ages(r, tax);
    m.needs = redirected_needs(r, tax);
    for (const auto& code : r.to) m.to.push_back(redirected_setting(r, tax, code, "to"));
    m.instead = redirected_setting(r, tax, r.instead, "instead");
    return m;
}

}  // namespace

Interventions resolve_interventions(const Scenario& sc, const Taxonomy& tax, int base_year, int horizon) {
    const ProjectionYears years{base_year + 1, base_year + horizon};
    Interventions out;
    out.joiner_growth_cap = resolve_joiner_growth(sc.joiner_growth, years);
    for (const ScenarioMoveRedirect& r : sc.move_redirects) out.move_redirections.push_back(resolve_move_redirection(r, tax, years));
    return out;
}

}  // namespace sendplan
