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

// Overrides the assumptions named under `node`; with `require_all`, every key must be there.
void apply_assumptions(const YamlFile& f, const YAML::Node& node, Assumptions& a, bool require_all, const std::string& ctx) {
    const std::vector<std::string> sections = {"joiner_trend", "pooling", "joiner_mix", "ceasing", "setting_moves", "need_moves", "capacity", "finance"};
    require_known_keys(f, node, sections, ctx);
    auto section = [&](const std::string& name, const std::vector<std::string>& keys) -> YAML::Node {
        const std::string c = ctx.empty() ? name : ctx + "." + name;
        YAML::Node s = node[name];
        if (!s) {
            if (require_all) throw yaml_error(f, node, c, "required section is missing");
            return s;
        }
        require_known_keys(f, s, keys, c);
        if (require_all)
            for (const auto& k : keys) require_key(f, s, k, c);
        return s;
    };
    auto num = [&](const YAML::Node& s, const std::string& sec, const std::string& key, double& out, double lo, double hi) {
        if (!s || !s[key]) return;
        const std::string field = (ctx.empty() ? "" : ctx + ".") + sec + "." + key;
        out = as_number(f, s[key], field, lo, hi);
    };
    auto integer = [&](const YAML::Node& s, const std::string& sec, const std::string& key, int& out, long lo, long hi) {
        if (!s || !s[key]) return;
        const std::string field = (ctx.empty() ? "" : ctx + ".") + sec + "." + key;
        out = static_cast<int>(as_integer(f, s[key], field, lo, hi));
    };
    YAML::Node t = section("joiner_trend", {"window_years", "damping", "outlier_ratio", "noise_prior_years", "noise_prior_sd"});
    integer(t, "joiner_trend", "window_years", a.joiner_trend.window_years, 3, 50);
    num(t, "joiner_trend", "damping", a.joiner_trend.damping, 0.0, 1.0);
    num(t, "joiner_trend", "outlier_ratio", a.joiner_trend.outlier_ratio, 1.0, 1e6);
    num(t, "joiner_trend", "noise_prior_years", a.joiner_trend.noise_prior_years, 0.0, 1000.0);
    num(t, "joiner_trend", "noise_prior_sd", a.joiner_trend.noise_prior_sd, 0.0, 5.0);
    YAML::Node pl = section("pooling", {"enabled", "window_years", "joiner_growth_years", "damping", "uncertainty_scale", "min_areas",
                                              "england_shock_years", "england_shock_scale", "england_shock_decay"});
    if (pl && pl["enabled"]) {
        const std::string field = (ctx.empty() ? "" : ctx + ".") + "pooling.enabled";
        try {
            a.pooling.enabled = pl["enabled"].as<bool>();
        } catch (const YAML::Exception&) {
            throw yaml_error(f, pl["enabled"], field, "expected true or false");
        }
    }
    integer(pl, "pooling", "window_years", a.pooling.window_years, 1, 20);
    integer(pl, "pooling", "joiner_growth_years", a.pooling.joiner_growth_years, 1, 20);
    num(pl, "pooling", "damping", a.pooling.damping, 0.0, 1.0);
    num(pl, "pooling", "uncertainty_scale", a.pooling.uncertainty_scale, 0.0, 100.0);
    integer(pl, "pooling", "min_areas", a.pooling.min_areas, 3, 100000);
    integer(pl, "pooling", "england_shock_years", a.pooling.england_shock_years, 1, 20);
    num(pl, "pooling", "england_shock_scale", a.pooling.england_shock_scale, 0.0, 100.0);
    num(pl, "pooling", "england_shock_decay", a.pooling.england_shock_decay, 0.0, 1.0);
    YAML::Node m = section("joiner_mix", {"recent_years", "need_prior_strength", "setting_prior_strength"});
    integer(m, "joiner_mix", "recent_years", a.joiner_mix.recent_years, 1, 50);
    num(m, "joiner_mix", "need_prior_strength", a.joiner_mix.need_prior_strength, 0.0, 1e9);
    num(m, "joiner_mix", "setting_prior_strength", a.joiner_mix.setting_prior_strength, 0.0, 1e9);
    YAML::Node c = section("ceasing", {"prior_plans", "prior_rate", "census_window_years", "census_spread_years"});
    num(c, "ceasing", "prior_plans", a.ceasing.prior_plans, 1e-9, 1e9);
    num(c, "ceasing", "prior_rate", a.ceasing.prior_rate, 1e-9, 1.0 - 1e-9);
    integer(c, "ceasing", "census_window_years", a.ceasing.census_window_years, 1, 50);
    integer(c, "ceasing", "census_spread_years", a.ceasing.census_spread_years, 1, 50);
    YAML::Node s = section("setting_moves", {"stay_weight", "stay_weight_transfer", "transfer_ages", "prior_strength",
                                             "ipf_tolerance", "ipf_max_iterations"});
    num(s, "setting_moves", "stay_weight", a.setting_moves.stay_weight, 0.0, 1.0);
    num(s, "setting_moves", "stay_weight_transfer", a.setting_moves.stay_weight_transfer, 0.0, 1.0);
    num(s, "setting_moves", "prior_strength", a.setting_moves.prior_strength, 1e-9, 1e9);
    num(s, "setting_moves", "ipf_tolerance", a.setting_moves.ipf_tolerance, 1e-15, 1.0);
    integer(s, "setting_moves", "ipf_max_iterations", a.setting_moves.ipf_max_iterations, 1, 1000000);
    YAML::Node nm = section("need_moves", {"stay_weight", "prior_strength", "smoothing_ages"});
    integer(nm, "need_moves", "smoothing_ages", a.need_moves.smoothing_ages, 0, 25);
    num(nm, "need_moves", "stay_weight", a.need_moves.stay_weight, 0.0, 1.0);
    num(nm, "need_moves", "prior_strength", a.need_moves.prior_strength, 1e-9, 1e9);
    YAML::Node fin = section("finance", {"inflation_percent_a_year", "inflation_uncertainty_percent", "general_inflation_percent", "discount_rate_percent"});
    if (fin && fin["inflation_percent_a_year"]) {
        const YAML::Node rates = fin["inflation_percent_a_year"];
        const std::string field = (ctx.empty() ? "" : ctx + ".") + "finance.inflation_percent_a_year";
        require_map(f, rates, field);
        const std::vector<std::string> elements = {"place", "top_up", "fee", "transport"};
        require_known_keys(f, rates, elements, field);
        for (std::size_t e = 0; e < elements.size(); ++e) {
            if (require_all) require_key(f, rates, elements[e], field);
            num(rates, "finance.inflation_percent_a_year", elements[e], a.finance.inflation_percent[e], -10.0, 50.0);
        }
    }
    num(fin, "finance", "inflation_uncertainty_percent", a.finance.inflation_uncertainty_percent, 0.0, 20.0);
    num(fin, "finance", "general_inflation_percent", a.finance.general_inflation_percent, -10.0, 50.0);
    num(fin, "finance", "discount_rate_percent", a.finance.discount_rate_percent, 0.0, 50.0);
    apply_capacity(f, section("capacity", {"places_elsewhere", "steps", "cascade"}), a.capacity, ctx.empty() ? "capacity" : ctx + ".capacity");
    if (s && s["transfer_ages"]) {
        const std::string field = (ctx.empty() ? "" : ctx + ".") + "setting_moves.transfer_ages";
        if (!s["transfer_ages"].IsSequence()) throw yaml_error(f, s["transfer_ages"], field, "expected a list of ages");
        a.setting_moves.transfer_ages.clear();
        for (const auto& age : s["transfer_ages"]) a.setting_moves.transfer_ages.push_back(age_at(f, age, field));
    }
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

Scenario read_scenario_at(const std::string& path, int depth) {
    const std::string text = read_input_file(path, kScenarioFile);
    YamlFile f = parse_yaml(text, path);
    validate_against_schema(f, scenario_schema());
    const fs::path base = fs::path(path).parent_path();
    require_known_keys(f, f.root, {"scenario", "extends", "description", "area", "data", "model", "base_year", "horizon", "draws", "seed",
                                   "assumptions", "provisions", "changes", "finance"}, "");
    Scenario sc;
    const bool extends = static_cast<bool>(f.root["extends"]);
    if (extends) {
        if (depth >= 8) throw yaml_error(f, f.root["extends"], "extends", "scenarios extend each other in a loop (or more than 8 deep)");
        const std::string parent = resolve(base, as_string(f, f.root["extends"], "extends"));
        try {
            require_input_file(parent, kScenarioFile);
        } catch (const InputError& e) {
            throw yaml_error(f, f.root["extends"], "extends", e.what());
        }
        sc = read_scenario_at(parent, depth + 1);
        sc.extends.insert(sc.extends.begin(), parent);
        sc.description.clear();
    }
    sc.path = path;
    sc.text = text + (extends ? "\n# ---- it extends " + sc.extends.front() + ":\n" + sc.text : std::string());
    const YAML::Node name = require_key(f, f.root, "scenario", "");
    sc.name = as_string(f, name, "scenario");
    if (!is_plain_name(sc.name))
        throw yaml_error(f, name, "scenario",
                         "'" + sc.name.substr(0, max_name_length) + (sc.name.size() > max_name_length ? "...' is too long" : "' is not a plain name") +
                             ": its results folder is named after it, so use 1 to " + std::to_string(max_name_length) +
                             " letters, digits, '-', '_' or '.' (not a path)");
    if (f.root["description"]) sc.description = as_string(f, f.root["description"], "description");
    // Without a scenario to extend, these are required.
    auto given = [&](const char* key) -> YAML::Node { return extends ? f.root[key] : require_key(f, f.root, key, ""); };
    if (YAML::Node area = given("area")) sc.area = as_string(f, area, "area");
    if (YAML::Node data = given("data")) {
        require_known_keys(f, data, {"dfe_releases", "population", "person_level", "code_map", "provisions", "provision_places", "costs"}, "data");
        if (data["person_level"]) sc.person_level = resolve(base, as_string(f, data["person_level"], "data.person_level"));
        if (data["code_map"]) sc.code_map = resolve(base, as_string(f, data["code_map"], "data.code_map"));
        if (data["dfe_releases"] || (!extends && sc.person_level.empty())) {
            sc.dfe_releases.clear();
            for (const auto& d : as_string_list(f, require_key(f, data, "dfe_releases", "data"), "data.dfe_releases"))
                sc.dfe_releases.push_back(resolve(base, d));
        }
        if (data["population"]) sc.population = resolve(base, as_string(f, data["population"], "data.population"));
        if (data["costs"]) sc.costs = resolve(base, as_string(f, data["costs"], "data.costs"));
        if (data["provisions"] || data["provision_places"]) {
            sc.provisions = resolve(base, as_string(f, require_key(f, data, "provisions", "data"), "data.provisions"));
            sc.provision_places = resolve(base, as_string(f, require_key(f, data, "provision_places", "data"), "data.provision_places"));
        }
    }
    const bool new_model = static_cast<bool>(f.root["model"]);
    if (YAML::Node model = given("model")) sc.model_dir = resolve(base, as_string(f, model, "model"));
    if (YAML::Node by = f.root["base_year"]) {
        sc.base_year = 0;
        if (as_string(f, by, "base_year") != "latest") {
            sc.base_year = year_at(f, by, "base_year");
            note_where(sc.base_year_at, f, by);
            sc.base_year_at.field = "base_year";
        }
    }
    if (const YAML::Node horizon = given("horizon")) {
        sc.horizon = static_cast<int>(as_integer(f, horizon, "horizon", 1, 50));
    }
    if (const YAML::Node draws = given("draws")) {
        sc.draws = as_integer(f, draws, "draws", 1, kMaxDraws);
    }
    if (const YAML::Node seed = given("seed")) {
        sc.seed = static_cast<std::uint64_t>(as_integer(f, seed, "seed", 0, std::numeric_limits<long>::max()));
    }
    // A scenario on another model starts from that model's assumptions.
    if (!extends || new_model) {
        sc.assumptions = Assumptions{};
        read_assumptions((fs::path(sc.model_dir) / "assumptions.yaml").string(), sc.assumptions);
    }
    if (f.root["assumptions"]) apply_assumptions(f, f.root["assumptions"], sc.assumptions, false, "assumptions");
    if (f.root["provisions"]) read_provision_changes(f, f.root["provisions"], sc);
    if (f.root["finance"]) read_finance(f, f.root["finance"], sc.finance);
    if (const YAML::Node changes = f.root["changes"]) {
        require_map(f, changes, "changes");
        require_known_keys(f, changes, {"joiner_growth", "setting_moves", "cascade"}, "changes");
        if (const YAML::Node cascades = changes["cascade"]) {
            // Checked against the place groups, steps and projection years once the plan is built.
            const std::string ctx = "changes.cascade";
            for_each_mapping(f, cascades, ctx, {"from", "place_group", "steps"}, "cascade changes", [&](const YAML::Node& c) {
                Assumptions::Capacity::Cascade entry;
                entry.from_year = year_at(f, require_key(f, c, "from", ctx), ctx + ".from");
                entry.place_group = as_string(f, require_key(f, c, "place_group", ctx), ctx + ".place_group");
                entry.steps = as_string_list(f, require_key(f, c, "steps", ctx), ctx + ".steps");
                note_where(entry, f, c);
                replace_or_add(sc.assumptions.capacity.cascade, std::move(entry), same_cascade);
            });
        }
        if (const YAML::Node moves = changes["setting_moves"]) {
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
        if (const YAML::Node g = changes["joiner_growth"]) {
            const std::string ctx = "changes.joiner_growth";
            require_map(f, g, ctx);
            require_known_keys(f, g, {"from", "at_most_percent_a_year"}, ctx);
            sc.joiner_growth.from_year = year_at(f, require_key(f, g, "from", ctx), ctx + ".from");
            const YAML::Node pct = require_key(f, g, "at_most_percent_a_year", ctx);
            sc.joiner_growth.at_most_percent = as_number(f, pct, ctx + ".at_most_percent_a_year", -100, 1000);
            if (!(sc.joiner_growth.at_most_percent > -100.0))
                throw yaml_error(f, pct, ctx + ".at_most_percent_a_year", "expected a growth above -100 per cent");
            note_where(sc.joiner_growth, f, g);
        }
    }
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
