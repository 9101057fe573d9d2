#include "io/scenario.h"

#include <filesystem>
#include <limits>
#include <type_traits>

#include "core/error.h"
#include "core/names.h"
#include "core/numbers.h"
#include "io/cost_table.h"
#include "io/input_file.h"
#include "io/schema.h"
#include "io/taxonomy_reader.h"
#include "io/yaml_util.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

int year_at(const YamlFile& f, const YAML::Node& node, const std::string& field) {
    return static_cast<int>(as_integer(f, node, field, kFirstYear, kLastYear));
}

int age_at(const YamlFile& f, const YAML::Node& node, const std::string& field) {
    return static_cast<int>(as_integer(f, node, field, kMinAge, kMaxAge));
}

// Where a scenario's entry was given, for the messages of checks made once the data are read.
template <class T>
void note_where(T& entry, const YamlFile& f, const YAML::Node& node) {
    entry.file = f.path;
    entry.line = yaml_line(node);
    entry.column = yaml_column(node);
}

// A step or cascade given again replaces the earlier one of the same name (and, for a cascade,
// from the same year).
template <class T, class Same>
void replace_or_add(std::vector<T>& list, T item, Same same) {
    for (auto& existing : list)
        if (same(existing, item)) {
            existing = std::move(item);
            return;
        }
    list.push_back(std::move(item));
}

bool same_cascade(const Assumptions::Capacity::Cascade& a, const Assumptions::Capacity::Cascade& b) {
    return a.place_group == b.place_group && a.from_year == b.from_year;
}

void apply_capacity(const YamlFile& f, const YAML::Node& c, Assumptions::Capacity& out, const std::string& ctx) {
    if (!c) return;
    if (YAML::Node pe = c["places_elsewhere"]) {
        const std::string v = as_string(f, pe, ctx + ".places_elsewhere");
        if (v != "base_year" && v != "unlimited")
            throw yaml_error(f, pe, ctx + ".places_elsewhere", "expected base_year or unlimited, found " + shown(v));
        out.places_elsewhere_unlimited = v == "unlimited";
    }
    if (YAML::Node steps = c["steps"]) {
        require_map(f, steps, ctx + ".steps");
        for (const auto& kv : steps) {
            Assumptions::Capacity::Step step;
            step.name = kv.first.as<std::string>();
            const std::string field = ctx + ".steps." + step.name;
            require_map(f, kv.second, field);
            require_known_keys(f, kv.second, {"types", "borough"}, field);
            step.types = as_string_list(f, require_key(f, kv.second, "types", field), field + ".types");
            const YAML::Node borough = require_key(f, kv.second, "borough", field);
            step.borough = as_string(f, borough, field + ".borough");
            if (step.borough != "in" && step.borough != "out" && step.borough != "any")
                throw yaml_error(f, borough, field + ".borough", "expected in, out or any, found " + shown(step.borough));
            note_where(step, f, kv.second);
            replace_or_add(out.steps, std::move(step), [](const auto& a, const auto& b) { return a.name == b.name; });
        }
    }
    if (YAML::Node cascade = c["cascade"]) {
        require_map(f, cascade, ctx + ".cascade");
        for (const auto& kv : cascade) {
            Assumptions::Capacity::Cascade entry;
            entry.place_group = kv.first.as<std::string>();
            entry.steps = as_string_list(f, kv.second, ctx + ".cascade." + entry.place_group);
            note_where(entry, f, kv.second);
            replace_or_add(out.cascade, std::move(entry), same_cascade);
        }
    }
}

// The sections of assumptions under `node`, at `ctx` in the file; with `require_all`, every section
// and key must be there.
class AssumptionsReader {
public:
    AssumptionsReader(const YamlFile& f, const YAML::Node& node, bool require_all, const std::string& ctx)
        : f_(f), node_(node), require_all_(require_all), ctx_(ctx) {}

    const YamlFile& file() const { return f_; }
    bool require_all() const { return require_all_; }
    // Where a section, or a key of one, is in the file.
    std::string at(const std::string& name) const { return ctx_.empty() ? name : ctx_ + "." + name; }
    std::string at(const std::string& section, const std::string& key) const { return (ctx_.empty() ? "" : ctx_ + ".") + section + "." + key; }

    YAML::Node section(const std::string& name, const std::vector<std::string>& keys) const {
        const std::string c = at(name);
        YAML::Node s = node_[name];
        if (!s) {
            if (require_all_) throw yaml_error(f_, node_, c, "required section is missing");
            return s;
        }
        require_known_keys(f_, s, keys, c);
        if (require_all_)
            for (const auto& k : keys) require_key(f_, s, k, c);
        return s;
    }
    void number(const YAML::Node& s, const std::string& sec, const std::string& key, double& out, double lo, double hi) const {
        if (!s || !s[key]) return;
        out = as_number(f_, s[key], at(sec, key), lo, hi);
    }
    void integer(const YAML::Node& s, const std::string& sec, const std::string& key, int& out, long lo, long hi) const {
        if (!s || !s[key]) return;
        out = static_cast<int>(as_integer(f_, s[key], at(sec, key), lo, hi));
    }

private:
    const YamlFile& f_;
    const YAML::Node& node_;
    bool require_all_;
    const std::string& ctx_;
};

void read_joiner_trend(const AssumptionsReader& r, Assumptions::JoinerTrend& out) {
    YAML::Node t = r.section("joiner_trend", {"window_years", "damping", "outlier_ratio", "noise_prior_years", "noise_prior_sd"});
    r.integer(t, "joiner_trend", "window_years", out.window_years, 3, 50);
    r.number(t, "joiner_trend", "damping", out.damping, 0.0, 1.0);
    r.number(t, "joiner_trend", "outlier_ratio", out.outlier_ratio, 1.0, 1e6);
    r.number(t, "joiner_trend", "noise_prior_years", out.noise_prior_years, 0.0, 1000.0);
    r.number(t, "joiner_trend", "noise_prior_sd", out.noise_prior_sd, 0.0, 5.0);
}

void read_pooling(const AssumptionsReader& r, Assumptions::Pooling& out) {
    YAML::Node pl = r.section("pooling", {"enabled", "window_years", "joiner_growth_years", "damping", "uncertainty_scale", "min_areas", "england_shock_years",
                                          "england_shock_scale", "england_shock_decay"});
    if (pl && pl["enabled"]) {
        try {
            out.enabled = pl["enabled"].as<bool>();
        } catch (const YAML::Exception&) {
            throw yaml_error(r.file(), pl["enabled"], r.at("pooling", "enabled"), "expected true or false");
        }
    }
    r.integer(pl, "pooling", "window_years", out.window_years, 1, 20);
    r.integer(pl, "pooling", "joiner_growth_years", out.joiner_growth_years, 1, 20);
    r.number(pl, "pooling", "damping", out.damping, 0.0, 1.0);
    r.number(pl, "pooling", "uncertainty_scale", out.uncertainty_scale, 0.0, 100.0);
    r.integer(pl, "pooling", "min_areas", out.min_areas, 3, 100000);
    r.integer(pl, "pooling", "england_shock_years", out.england_shock_years, 1, 20);
    r.number(pl, "pooling", "england_shock_scale", out.england_shock_scale, 0.0, 100.0);
    r.number(pl, "pooling", "england_shock_decay", out.england_shock_decay, 0.0, 1.0);
}

void read_joiner_mix(const AssumptionsReader& r, Assumptions::JoinerMix& out) {
    YAML::Node m = r.section("joiner_mix", {"recent_years", "need_prior_strength", "setting_prior_strength"});
    r.integer(m, "joiner_mix", "recent_years", out.recent_years, 1, 50);
    r.number(m, "joiner_mix", "need_prior_strength", out.need_prior_strength, 0.0, 1e9);
    r.number(m, "joiner_mix", "setting_prior_strength", out.setting_prior_strength, 0.0, 1e9);
}

void read_ceasing(const AssumptionsReader& r, Assumptions::Ceasing& out) {
    YAML::Node c = r.section("ceasing", {"prior_plans", "prior_rate", "census_window_years", "census_spread_years"});
    r.number(c, "ceasing", "prior_plans", out.prior_plans, 1e-9, 1e9);
    r.number(c, "ceasing", "prior_rate", out.prior_rate, 1e-9, 1.0 - 1e-9);
    r.integer(c, "ceasing", "census_window_years", out.census_window_years, 1, 50);
    r.integer(c, "ceasing", "census_spread_years", out.census_spread_years, 1, 50);
}

// All but the transfer ages, which are read last (read_transfer_ages) from the section returned.
YAML::Node read_setting_moves(const AssumptionsReader& r, Assumptions::SettingMoves& out) {
    YAML::Node s =
        r.section("setting_moves", {"stay_weight", "stay_weight_transfer", "transfer_ages", "prior_strength", "ipf_tolerance", "ipf_max_iterations"});
    r.number(s, "setting_moves", "stay_weight", out.stay_weight, 0.0, 1.0);
    r.number(s, "setting_moves", "stay_weight_transfer", out.stay_weight_transfer, 0.0, 1.0);
    r.number(s, "setting_moves", "prior_strength", out.prior_strength, 1e-9, 1e9);
    r.number(s, "setting_moves", "ipf_tolerance", out.ipf_tolerance, 1e-15, 1.0);
    r.integer(s, "setting_moves", "ipf_max_iterations", out.ipf_max_iterations, 1, 1000000);
    return s;
}

void read_transfer_ages(const AssumptionsReader& r, const YAML::Node& s, Assumptions::SettingMoves& out) {
    if (!s || !s["transfer_ages"]) return;
    const std::string field = r.at("setting_moves", "transfer_ages");
    if (!s["transfer_ages"].IsSequence()) throw yaml_error(r.file(), s["transfer_ages"], field, "expected a list of ages");
    out.transfer_ages.clear();
    for (const auto& age : s["transfer_ages"]) out.transfer_ages.push_back(age_at(r.file(), age, field));
}

void read_need_moves(const AssumptionsReader& r, Assumptions::NeedMoves& out) {
    YAML::Node nm = r.section("need_moves", {"stay_weight", "prior_strength", "smoothing_ages"});
    r.integer(nm, "need_moves", "smoothing_ages", out.smoothing_ages, 0, 25);
    r.number(nm, "need_moves", "stay_weight", out.stay_weight, 0.0, 1.0);
    r.number(nm, "need_moves", "prior_strength", out.prior_strength, 1e-9, 1e9);
}

// Inflation of each element of cost, its uncertainty, and the terms of appraisal.
void read_finance_assumptions(const AssumptionsReader& r, Assumptions::Finance& out) {
    YAML::Node fin = r.section("finance", {"inflation_percent_a_year", "inflation_uncertainty_percent", "general_inflation_percent", "discount_rate_percent"});
    if (fin && fin["inflation_percent_a_year"]) {
        const YAML::Node rates = fin["inflation_percent_a_year"];
        const std::string field = r.at("finance", "inflation_percent_a_year");
        require_map(r.file(), rates, field);
        std::vector<std::string> elements;
        for (int e = 0; e < cost_elements; ++e) elements.push_back(cost_element_name(e));
        require_known_keys(r.file(), rates, elements, field);
        for (std::size_t e = 0; e < elements.size(); ++e) {
            if (r.require_all()) require_key(r.file(), rates, elements[e], field);
            r.number(rates, "finance.inflation_percent_a_year", elements[e], out.inflation_percent[e], -10.0, 50.0);
        }
    }
    r.number(fin, "finance", "inflation_uncertainty_percent", out.inflation_uncertainty_percent, 0.0, 20.0);
    r.number(fin, "finance", "general_inflation_percent", out.general_inflation_percent, -10.0, 50.0);
    r.number(fin, "finance", "discount_rate_percent", out.discount_rate_percent, 0.0, 50.0);
}

// Overrides the assumptions named under `node`; with `require_all`, every key must be there.
void apply_assumptions(const YamlFile& f, const YAML::Node& node, Assumptions& a, bool require_all, const std::string& ctx) {
    const std::vector<std::string> sections = {"joiner_trend", "pooling", "joiner_mix", "ceasing", "setting_moves", "need_moves", "capacity", "finance"};
    require_known_keys(f, node, sections, ctx);
    const AssumptionsReader r(f, node, require_all, ctx);
    read_joiner_trend(r, a.joiner_trend);
    read_pooling(r, a.pooling);
    read_joiner_mix(r, a.joiner_mix);
    read_ceasing(r, a.ceasing);
    const YAML::Node setting_moves = read_setting_moves(r, a.setting_moves);
    read_need_moves(r, a.need_moves);
    read_finance_assumptions(r, a.finance);
    apply_capacity(f, r.section("capacity", {"places_elsewhere", "steps", "cascade"}), a.capacity, r.at("capacity"));
    read_transfer_ages(r, setting_moves, a.setting_moves);
}

std::string resolve(const fs::path& base, const std::string& p) {
    fs::path path(p);
    return (path.is_absolute() ? path : base / path).lexically_normal().string();
}

}  // namespace

void read_assumptions(const std::string& path, Assumptions& out) {
    YamlFile f = load_yaml(path);
    apply_assumptions(f, f.root, out, true, "");
}

namespace {

// Whole places or pounds by year: {2029: 30, 2030: 60}. Neither may be negative.
template <class T>
std::map<int, T> amounts_by_year(const YamlFile& f, const YAML::Node& node, const std::string& field, const char* what, const char* example) {
    require_map(f, node, field);
    std::map<int, T> out;
    for (const auto& kv : node) {
        const int year = year_at(f, kv.first, field);
        const std::string at = field + "." + std::to_string(year);
        const T amount = std::is_integral_v<T> ? static_cast<T>(as_integer(f, kv.second, at, 0, kMaxPlaces)) : static_cast<T>(as_number(f, kv.second, at, 0, kMaxPounds));
        out[year] = amount;
    }
    if (out.empty()) throw yaml_error(f, node, field, std::string("expected ") + what + " by year, such as " + example);
    return out;
}
std::map<int, int> places_by_year(const YamlFile& f, const YAML::Node& node, const std::string& field) {
    return amounts_by_year<int>(f, node, field, "places", "{2029: 30, 2030: 60}");
}
std::map<int, double> pounds_by_year(const YamlFile& f, const YAML::Node& node, const std::string& field) {
    return amounts_by_year<double>(f, node, field, "capital", "{2027: 4000000, 2028: 8000000}");
}

// An element of cost as a change names it: place, top_up, fee, transport or all.
std::string cost_element_code(const YamlFile& f, const YAML::Node& node, const std::string& field) {
    const std::string e = as_string(f, node, field);
    if (e != "all" && cost_element_of(e) < 0)
        throw yaml_error(f, node, field, "expected place, top_up, fee, transport or all, found " + shown(e));
    return e;
}

void read_finance(const YamlFile& f, const YAML::Node& node, ScenarioFinance& out) {
    const std::string ctx = "finance";
    require_known_keys(f, node, {"high_needs_income", "opening_dsg_balance", "cost_changes", "inflation_changes"}, ctx);
    if (const YAML::Node income = node["high_needs_income"]) {
        const std::string c = ctx + ".high_needs_income";
        require_known_keys(f, income, {"year", "pounds", "growth_percent_a_year"}, c);
        const YAML::Node year = require_key(f, income, "year", c);
        out.income_year = year_at(f, year, c + ".year");
        out.income = as_number(f, require_key(f, income, "pounds", c), c + ".pounds", 0, kMaxPounds);
        out.income_growth_percent = as_number(f, require_key(f, income, "growth_percent_a_year", c), c + ".growth_percent_a_year", -50, 50);
        out.has_income = true;
    }
    if (const YAML::Node balance = node["opening_dsg_balance"]) out.opening_balance = as_number(f, balance, ctx + ".opening_dsg_balance", -kMaxPounds, kMaxPounds);
    if (const YAML::Node changes = node["cost_changes"]) {
        const std::string c = ctx + ".cost_changes";
        for_each_mapping(f, changes, c, {"from", "placement", "phase", "need", "element", "change_percent"}, "cost changes", [&](const YAML::Node& ch) {
            ScenarioCostChange x;
            x.from_year = year_at(f, require_key(f, ch, "from", c), c + ".from");
            x.placement = as_string(f, require_key(f, ch, "placement", c), c + ".placement");
            if (ch["phase"]) x.phase = as_string(f, ch["phase"], c + ".phase");
            if (ch["need"]) x.need = as_string(f, ch["need"], c + ".need");
            if (ch["element"]) x.element = cost_element_code(f, ch["element"], c + ".element");
            const YAML::Node pct = require_key(f, ch, "change_percent", c);
            x.change_percent = as_number(f, pct, c + ".change_percent", -100, 1000);
            note_where(x, f, ch);
            out.cost_changes.push_back(std::move(x));
        });
    }
    if (const YAML::Node changes = node["inflation_changes"]) {
        const std::string c = ctx + ".inflation_changes";
        for_each_mapping(f, changes, c, {"from", "element", "percent_a_year"}, "inflation changes", [&](const YAML::Node& ch) {
            ScenarioInflationChange x;
            x.from_year = year_at(f, require_key(f, ch, "from", c), c + ".from");
            if (ch["element"]) x.element = cost_element_code(f, ch["element"], c + ".element");
            const YAML::Node pct = require_key(f, ch, "percent_a_year", c);
            x.percent_a_year = as_number(f, pct, c + ".percent_a_year", -10, 50);
            note_where(x, f, ch);
            out.inflation_changes.push_back(std::move(x));
        });
    }
}

void read_provision_changes(const YamlFile& f, const YAML::Node& node, Scenario& sc) {
    require_map(f, node, "provisions");
    require_known_keys(f, node, {"open", "change"}, "provisions");
    if (const YAML::Node open = node["open"]) {
        const std::string ctx = "provisions.open";
        for_each_mapping(f, open, ctx, {"id", "name", "type", "needs", "ages", "in_borough", "places", "capital"}, "provisions", [&](const YAML::Node& p) {
            ScenarioProvision o;
            o.id = as_string(f, require_key(f, p, "id", ctx), ctx + ".id");
            o.name = p["name"] ? as_string(f, p["name"], ctx + ".name") : o.id;
            o.type = as_string(f, require_key(f, p, "type", ctx), ctx + ".type");
            o.needs = as_string_list(f, require_key(f, p, "needs", ctx), ctx + ".needs");
            const YAML::Node ages = require_key(f, p, "ages", ctx);
            if (!ages.IsSequence() || ages.size() != 2) throw yaml_error(f, ages, ctx + ".ages", "expected [first age, last age], such as [4, 11]");
            o.age_from = age_at(f, ages[0], ctx + ".ages");
            o.age_to = age_at(f, ages[1], ctx + ".ages");
            o.in_borough = as_bool(f, require_key(f, p, "in_borough", ctx), ctx + ".in_borough");
            o.places = places_by_year(f, require_key(f, p, "places", ctx), ctx + ".places");
            if (p["capital"]) o.capital = pounds_by_year(f, p["capital"], ctx + ".capital");
            note_where(o, f, p);
            sc.provisions_opened.push_back(std::move(o));
        });
    }
    if (const YAML::Node change = node["change"]) {
        const std::string ctx = "provisions.change";
        for_each_mapping(f, change, ctx, {"id", "places", "capital"}, "changes", [&](const YAML::Node& p) {
            ScenarioPlacesChange c;
            c.id = as_string(f, require_key(f, p, "id", ctx), ctx + ".id");
            c.places = places_by_year(f, require_key(f, p, "places", ctx), ctx + ".places");
            if (p["capital"]) c.capital = pounds_by_year(f, p["capital"], ctx + ".capital");
            note_where(c, f, p);
            sc.provisions_changed.push_back(std::move(c));
        });
    }
}

constexpr const char* kScenarioFile = "a scenario file (YAML)";

Scenario read_scenario_at(const std::string& path, int depth);

// The scenario a scenario extends, read first: its settings are the ones this one changes.
Scenario extended_scenario(const YamlFile& f, const fs::path& base, int depth) {
    if (depth >= 8) throw yaml_error(f, f.root["extends"], "extends", "scenarios extend each other in a loop (or more than 8 deep)");
    const std::string parent = resolve(base, as_string(f, f.root["extends"], "extends"));
    try {
        require_input_file(parent, kScenarioFile);
    } catch (const InputError& e) {
        throw yaml_error(f, f.root["extends"], "extends", e.what());
    }
    Scenario sc = read_scenario_at(parent, depth + 1);
    sc.extends.insert(sc.extends.begin(), parent);
    sc.description.clear();
    return sc;
}

// The results folder is named after the scenario.
void read_scenario_name(const YamlFile& f, Scenario& sc) {
    const YAML::Node name = require_key(f, f.root, "scenario", "");
    sc.name = as_string(f, name, "scenario");
    if (!is_plain_name(sc.name))
        throw yaml_error(f, name, "scenario",
                         "'" + sc.name.substr(0, max_name_length) + (sc.name.size() > max_name_length ? "...' is too long" : "' is not a plain name") +
                             ": its results folder is named after it, so use 1 to " + std::to_string(max_name_length) +
                             " letters, digits, '-', '_' or '.' (not a path)");
}

// The input files, relative to the scenario's folder.
void read_data(const YamlFile& f, const YAML::Node& data, const fs::path& base, bool extends, Scenario& sc) {
    require_known_keys(f, data, {"dfe_releases", "population", "person_level", "code_map", "provisions", "provision_places", "costs"}, "data");
    if (data["person_level"]) sc.person_level = resolve(base, as_string(f, data["person_level"], "data.person_level"));
    if (data["code_map"]) sc.code_map = resolve(base, as_string(f, data["code_map"], "data.code_map"));
    if (data["dfe_releases"] || (!extends && sc.person_level.empty())) {
        sc.dfe_releases.clear();
        for (const auto& d : as_string_list(f, require_key(f, data, "dfe_releases", "data"), "data.dfe_releases")) sc.dfe_releases.push_back(resolve(base, d));
    }
    if (data["population"]) sc.population = resolve(base, as_string(f, data["population"], "data.population"));
    if (data["costs"]) sc.costs = resolve(base, as_string(f, data["costs"], "data.costs"));
    if (data["provisions"] || data["provision_places"]) {
        sc.provisions = resolve(base, as_string(f, require_key(f, data, "provisions", "data"), "data.provisions"));
        sc.provision_places = resolve(base, as_string(f, require_key(f, data, "provision_places", "data"), "data.provision_places"));
    }
}

// A key of the scenario's top level: without a scenario to extend, it is required.
YAML::Node given(const YamlFile& f, const char* key, bool extends) { return extends ? f.root[key] : require_key(f, f.root, key, ""); }

// The base census, horizon, draws and seed of the run.
void read_run(const YamlFile& f, bool extends, Scenario& sc) {
    if (YAML::Node by = f.root["base_year"]) {
        sc.base_year = 0;
        if (as_string(f, by, "base_year") != "latest") {
            sc.base_year = year_at(f, by, "base_year");
            note_where(sc.base_year_at, f, by);
            sc.base_year_at.field = "base_year";
        }
    }
    if (const YAML::Node horizon = given(f, "horizon", extends)) sc.horizon = static_cast<int>(as_integer(f, horizon, "horizon", 1, 50));
    if (const YAML::Node draws = given(f, "draws", extends)) sc.draws = as_integer(f, draws, "draws", 1, kMaxDraws);
    if (const YAML::Node seed = given(f, "seed", extends))
        sc.seed = static_cast<std::uint64_t>(as_integer(f, seed, "seed", 0, std::numeric_limits<long>::max()));
}

// Checked against the place groups and projection years where places are allocated, against the
// steps once the plan is built.
void read_cascade_changes(const YamlFile& f, const YAML::Node& cascades, Scenario& sc) {
    const std::string ctx = "changes.cascade";
    for_each_mapping(f, cascades, ctx, {"from", "place_group", "steps"}, "cascade changes", [&](const YAML::Node& c) {
        Assumptions::Capacity::Cascade entry;
        entry.from_year = year_at(f, require_key(f, c, "from", ctx), ctx + ".from");
        entry.place_group = as_string(f, require_key(f, c, "place_group", ctx), ctx + ".place_group");
        entry.steps = as_string_list(f, require_key(f, c, "steps", ctx), ctx + ".steps");
        note_where(entry, f, c);
        replace_or_add(sc.cascade_changes, std::move(entry), same_cascade);
    });
}

void read_move_redirects(const YamlFile& f, const YAML::Node& moves, Scenario& sc) {
    const std::string ctx = "changes.setting_moves";
    for_each_mapping(f, moves, ctx, {"from", "ages", "needs", "to", "share", "instead"}, "redirections", [&](const YAML::Node& m) {
        ScenarioMoveRedirect r;
        r.from_year = year_at(f, require_key(f, m, "from", ctx), ctx + ".from");
        const YAML::Node ages = require_key(f, m, "ages", ctx);
        if (!ages.IsSequence()) throw yaml_error(f, ages, ctx + ".ages", "expected a list of ages, such as [10]");
        for (const auto& a : ages) r.ages.push_back(age_at(f, a, ctx + ".ages"));
        r.needs = as_string_list(f, require_key(f, m, "needs", ctx), ctx + ".needs");
        r.to = as_string_list(f, require_key(f, m, "to", ctx), ctx + ".to");
        const YAML::Node share = require_key(f, m, "share", ctx);
        r.share = as_number(f, share, ctx + ".share", 0, 1);
        r.instead = as_string(f, require_key(f, m, "instead", ctx), ctx + ".instead");
        note_where(r, f, m);
        sc.move_redirects.push_back(std::move(r));
    });
}

void read_joiner_growth(const YamlFile& f, const YAML::Node& g, Scenario& sc) {
    const std::string ctx = "changes.joiner_growth";
    require_map(f, g, ctx);
    require_known_keys(f, g, {"from", "at_most_percent_a_year"}, ctx);
    sc.joiner_growth.from_year = year_at(f, require_key(f, g, "from", ctx), ctx + ".from");
    const YAML::Node pct = require_key(f, g, "at_most_percent_a_year", ctx);
    sc.joiner_growth.at_most_percent = as_number(f, pct, ctx + ".at_most_percent_a_year", -100, 1000);
    if (!(sc.joiner_growth.at_most_percent > -100.0)) throw yaml_error(f, pct, ctx + ".at_most_percent_a_year", "expected a growth above -100 per cent");
    note_where(sc.joiner_growth, f, g);
}

void read_changes(const YamlFile& f, const YAML::Node& changes, Scenario& sc) {
    require_map(f, changes, "changes");
    require_known_keys(f, changes, {"joiner_growth", "setting_moves", "cascade"}, "changes");
    if (const YAML::Node cascades = changes["cascade"]) read_cascade_changes(f, cascades, sc);
    if (const YAML::Node moves = changes["setting_moves"]) read_move_redirects(f, moves, sc);
    if (const YAML::Node g = changes["joiner_growth"]) read_joiner_growth(f, g, sc);
}

Scenario read_scenario_at(const std::string& path, int depth) {
    const std::string text = read_input_file(path, kScenarioFile);
    YamlFile f = parse_yaml(text, path);
    validate_against_schema(f, scenario_schema());
    const fs::path base = fs::path(path).parent_path();
    require_known_keys(f, f.root,
                       {"scenario", "extends", "description", "area", "data", "model", "base_year", "horizon", "draws", "seed", "assumptions", "provisions",
                        "changes", "finance"},
                       "");
    const bool extends = static_cast<bool>(f.root["extends"]);
    Scenario sc = extends ? extended_scenario(f, base, depth) : Scenario{};
    sc.path = path;
    sc.text = text + (extends ? "\n# ---- it extends " + sc.extends.front() + ":\n" + sc.text : std::string());
    read_scenario_name(f, sc);
    if (f.root["description"]) sc.description = as_string(f, f.root["description"], "description");
    if (YAML::Node area = given(f, "area", extends)) sc.area = as_string(f, area, "area");
    if (YAML::Node data = given(f, "data", extends)) read_data(f, data, base, extends, sc);
    const bool new_model = static_cast<bool>(f.root["model"]);
    if (YAML::Node model = given(f, "model", extends)) sc.model_dir = resolve(base, as_string(f, model, "model"));
    read_run(f, extends, sc);
    // A scenario on another model starts from that model's assumptions.
    if (!extends || new_model) {
        // The cascade changes it extends go with the assumptions: another model's place groups need not have them.
        sc.assumptions = Assumptions{};
        sc.cascade_changes.clear();
        read_assumptions((fs::path(sc.model_dir) / kAssumptionsFile).string(), sc.assumptions);
    }
    if (f.root["assumptions"]) apply_assumptions(f, f.root["assumptions"], sc.assumptions, false, "assumptions");
    if (f.root["provisions"]) read_provision_changes(f, f.root["provisions"], sc);
    if (f.root["finance"]) read_finance(f, f.root["finance"], sc.finance);
    if (const YAML::Node changes = f.root["changes"]) read_changes(f, changes, sc);
    return sc;
}

}  // namespace

Scenario read_scenario(const std::string& path) { return read_scenario_at(path, 0); }

void require_projection_year(int year, int first_year, int last_year, const std::string& file, long line, long column, const std::string& field) {
    if (year < first_year || year > last_year)
        throw InputError(file, line, column, field, "year " + std::to_string(year) + " is outside the projection: expected " + std::to_string(first_year) + ".." +
                                                std::to_string(last_year));
}

}  // namespace sendplan
