#include "io/scenario.h"

#include <algorithm>
#include <filesystem>
#include <type_traits>
#include <variant>

#include "core/error.h"
#include "core/names.h"
#include "core/numbers.h"
#include "io/cost_table.h"
#include "io/csv.h"
#include "io/input_file.h"
#include "io/schema.h"
#include "io/taxonomy_reader.h"
#include "io/yaml_util.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

// Every file is checked against the schema before it is read (scenario_schema for scenarios,
// assumptions_schema for model/assumptions.yaml), so what the schema says (keys, types, required
// keys, values from a list, ranges) is not checked again here: values are read within the schema's
// ranges, and what the schema cannot say is checked as they are read.

int year_at(const YamlFile& f, const YAML::Node& node, const std::string& field) {
    return static_cast<int>(as_integer(f, node, field, kFirstYear, kLastYear));
}

// The key at `path` of a scenario, its field in messages.
std::string field_of(const std::vector<std::string>& path) {
    std::string field;
    for (const auto& key : path) field += (field.empty() ? "" : ".") + key;
    return field;
}

// A value of the key at `path` of a scenario (or an item of a list there), within the schema's range.
long scenario_integer(const YamlFile& f, const YAML::Node& node, const std::vector<std::string>& path) {
    return schema_integer(f, node, field_of(path), schema_spec(scenario_schema(), path));
}
double scenario_number(const YamlFile& f, const YAML::Node& node, const std::vector<std::string>& path) {
    return schema_number(f, node, field_of(path), schema_spec(scenario_schema(), path));
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

// The value of `key` in `map`; undefined (false, and usable where yaml-cpp's own missing node is
// not) where either is not there.
YAML::Node value_of(const YAML::Node& map, const std::string& key) {
    if (map && map.IsMap())
        if (YAML::Node v = map[key]) return v;
    return YAML::Node(YAML::NodeType::Undefined);
}

// The value at `path` below `node`; undefined where it is not given.
YAML::Node value_at(const YAML::Node& node, const std::vector<std::string>& path) {
    YAML::Node at;
    at.reset(node);  // reset, not =: assigning one YAML::Node to another writes into the file's nodes
    for (const auto& key : path) at.reset(value_of(at, key));
    return at;
}

// Where a value of assumptions is read to, at its keys: {"joiner_trend", "damping"}.
struct Binding {
    std::vector<std::string> path;
    std::variant<int*, double*, bool*, std::vector<int>*> to;
};

// Every value of assumptions but the capacity section's (read_capacity), each in the schema's
// order. The schema gives each its range; a test checks that these and capacity's are its keys.
std::vector<Binding> bindings(Assumptions& a) {
    auto& t = a.joiner_trend;
    auto& p = a.pooling;
    auto& m = a.joiner_mix;
    auto& c = a.ceasing;
    auto& s = a.setting_moves;
    auto& n = a.need_moves;
    std::vector<Binding> out = {
        {{"joiner_trend", "window_years"}, &t.window_years},        {{"joiner_trend", "damping"}, &t.damping},
        {{"joiner_trend", "outlier_ratio"}, &t.outlier_ratio},      {{"joiner_trend", "noise_prior_years"}, &t.noise_prior_years},
        {{"joiner_trend", "noise_prior_sd"}, &t.noise_prior_sd},    {{"pooling", "enabled"}, &p.enabled},
        {{"pooling", "window_years"}, &p.window_years},             {{"pooling", "joiner_growth_years"}, &p.joiner_growth_years},
        {{"pooling", "damping"}, &p.damping},                       {{"pooling", "uncertainty_scale"}, &p.uncertainty_scale},
        {{"pooling", "min_areas"}, &p.min_areas},                   {{"pooling", "england_shock_years"}, &p.england_shock_years},
        {{"pooling", "england_shock_scale"}, &p.england_shock_scale}, {{"pooling", "england_shock_decay"}, &p.england_shock_decay},
        {{"joiner_mix", "recent_years"}, &m.recent_years},          {{"joiner_mix", "need_prior_strength"}, &m.need_prior_strength},
        {{"joiner_mix", "setting_prior_strength"}, &m.setting_prior_strength}, {{"ceasing", "prior_plans"}, &c.prior_plans},
        {{"ceasing", "prior_rate"}, &c.prior_rate},                 {{"ceasing", "census_window_years"}, &c.census_window_years},
        {{"ceasing", "census_spread_years"}, &c.census_spread_years}, {{"setting_moves", "stay_weight"}, &s.stay_weight},
        {{"setting_moves", "stay_weight_transfer"}, &s.stay_weight_transfer}, {{"setting_moves", "transfer_ages"}, &s.transfer_ages},
        {{"setting_moves", "prior_strength"}, &s.prior_strength},   {{"setting_moves", "ipf_tolerance"}, &s.ipf_tolerance},
        {{"setting_moves", "ipf_max_iterations"}, &s.ipf_max_iterations}, {{"need_moves", "stay_weight"}, &n.stay_weight},
        {{"need_moves", "prior_strength"}, &n.prior_strength},      {{"need_moves", "smoothing_ages"}, &n.smoothing_ages}};
    for (int e = 0; e < cost_elements; ++e) out.push_back({{"finance", "inflation_percent_a_year", cost_element_name(e)}, &a.finance.inflation_percent[e]});
    out.push_back({{"finance", "inflation_uncertainty_percent"}, &a.finance.inflation_uncertainty_percent});
    out.push_back({{"finance", "general_inflation_percent"}, &a.finance.general_inflation_percent});
    out.push_back({{"finance", "discount_rate_percent"}, &a.finance.discount_rate_percent});
    return out;
}

// The value at `b.path` below `node` (at `ctx` in the file), where it is given, within its range.
void read_binding(const YamlFile& f, const YAML::Node& node, const std::string& ctx, const Binding& b) {
    const YAML::Node v = value_at(node, b.path);
    if (!v) return;
    const YAML::Node spec = schema_spec(assumptions_schema(), b.path);
    const std::string field = (ctx.empty() ? "" : ctx + ".") + field_of(b.path);
    std::visit(
        [&](auto* to) {
            using T = std::remove_pointer_t<decltype(to)>;
            if constexpr (std::is_same_v<T, double>) {
                *to = schema_number(f, v, field, spec);
            } else if constexpr (std::is_same_v<T, int>) {
                *to = static_cast<int>(schema_integer(f, v, field, spec));
            } else if constexpr (std::is_same_v<T, bool>) {
                *to = as_bool(f, v, field);
            } else {
                to->clear();
                for (const auto& item : v) to->push_back(static_cast<int>(schema_integer(f, item, field, spec)));
            }
        },
        b.to);
}

// The keys of the capacity section, each read by read_capacity.
constexpr const char* kCapacityKeys[] = {"places_elsewhere", "steps", "cascade"};

void read_capacity_steps(const YamlFile& f, const YAML::Node& steps, const std::string& ctx, Assumptions::Capacity& out) {
    for (const auto& kv : steps) {
        Assumptions::Capacity::Step step;
        step.name = kv.first.as<std::string>();
        const std::string field = ctx + "." + step.name;
        step.types = as_string_list(f, kv.second["types"], field + ".types");
        step.borough = as_string(f, kv.second["borough"], field + ".borough");
        note_where(step, f, kv.second);
        replace_or_add(out.steps, std::move(step), [](const auto& x, const auto& y) { return x.name == y.name; });
    }
}

// The capacity section, at `ctx` in the file: places elsewhere, and the steps and cascades given.
void read_capacity(const YamlFile& f, const YAML::Node& c, const std::string& ctx, Assumptions::Capacity& out) {
    if (const YAML::Node pe = value_of(c, "places_elsewhere")) out.places_elsewhere_unlimited = as_string(f, pe, ctx + ".places_elsewhere") == "unlimited";
    read_capacity_steps(f, value_of(c, "steps"), ctx + ".steps", out);
    for (const auto& kv : value_of(c, "cascade")) {
        Assumptions::Capacity::Cascade entry;
        entry.place_group = kv.first.as<std::string>();
        entry.steps = as_string_list(f, kv.second, ctx + ".cascade." + entry.place_group);
        note_where(entry, f, kv.second);
        replace_or_add(out.cascade, std::move(entry), same_cascade);
    }
}

// Overrides the assumptions given under `node`, at `ctx` in the file.
void apply_assumptions(const YamlFile& f, const YAML::Node& node, Assumptions& a, const std::string& ctx) {
    for (const auto& b : bindings(a)) read_binding(f, node, ctx, b);
    read_capacity(f, value_of(node, "capacity"), ctx.empty() ? "capacity" : ctx + ".capacity", a.capacity);
}

std::string resolve(const fs::path& base, const std::string& p) {
    fs::path path(p);
    return (path.is_absolute() ? path : base / path).lexically_normal().string();
}

// The name in `path`'s folder closest to its own, for a file that is not there: "; did you mean
// 'barnet_costs.csv'?", or nothing where none is close.
std::string closest_name_hint(const fs::path& path) {
    std::error_code ec;
    const fs::path folder = path.parent_path();
    if (!fs::is_directory(folder, ec)) return "; its folder " + shown(folder.string()) + " is not there either";
    const std::string wanted = path.filename().string();
    std::string best;
    std::size_t best_distance = std::max<std::size_t>(2, wanted.size() / 4) + 1;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const std::size_t d = edit_distance(name, wanted);
        if (d < best_distance) {
            best_distance = d;
            best = name;
        }
    }
    return best.empty() ? "" : "; did you mean " + shown(best) + "?";
}

// An input file or folder named at `node`, relative to the scenario's folder: refused where the
// scenario names it when it is not there, so a misspelt name is found before any work is done.
std::string input_path(const YamlFile& f, const YAML::Node& node, const fs::path& base, const std::string& field) {
    const std::string path = resolve(base, as_string(f, node, field));
    std::error_code ec;
    if (!fs::exists(path, ec)) throw yaml_error(f, node, field, "no such file or folder " + shown(path) + closest_name_hint(path));
    return path;
}

}  // namespace

void read_assumptions(const std::string& path, Assumptions& out) {
    YamlFile f = load_yaml(path);
    validate_against_schema(f, assumptions_schema());
    apply_assumptions(f, f.root, out, "");
}

std::vector<std::string> assumption_keys() {
    Assumptions a;
    std::vector<std::string> keys;
    for (const auto& b : bindings(a)) keys.push_back(field_of(b.path));
    for (const char* key : kCapacityKeys) keys.push_back(std::string("capacity.") + key);
    return keys;
}

namespace {

// Places by January census, {2029: 30, 2030: 60}; a month a provision opens or changes, 2028-09,
// counts from the first census after it (2029), and two keys for one census are refused.
std::map<int, int> places_by_year(const YamlFile& f, const YAML::Node& node, const std::vector<std::string>& path) {
    const std::string field = field_of(path);
    const YAML::Node spec = schema_spec(scenario_schema(), path);
    std::map<int, int> out;
    std::map<int, std::string> written_as;
    for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        const std::optional<int> census = census_year_of(key);
        if (!census) throw yaml_error(f, kv.first, field, "expected a January census year such as 2029, or a month such as 2028-09, found " + shown(key));
        if (const auto earlier = written_as.find(*census); earlier != written_as.end())
            throw yaml_error(f, kv.first, field, shown(earlier->second) + " and " + shown(key) + " both give the places at the January " + std::to_string(*census) + " census");
        written_as[*census] = key;
        out[*census] = static_cast<int>(schema_integer(f, kv.second, field + "." + key, spec));
    }
    if (out.empty()) throw yaml_error(f, node, field, "expected places by year, such as {2029: 30, 2030: 60}");
    return out;
}
// Capital in pounds by the year it is spent, {2027: 4000000, 2028: 8000000}, for the year map at `path`.
std::map<int, double> pounds_by_year(const YamlFile& f, const YAML::Node& node, const std::vector<std::string>& path) {
    const std::string field = field_of(path);
    const YAML::Node spec = schema_spec(scenario_schema(), path);
    std::map<int, double> out;
    for (const auto& kv : node) {
        const int year = year_at(f, kv.first, field);
        out[year] = schema_number(f, kv.second, field + "." + std::to_string(year), spec);
    }
    if (out.empty()) throw yaml_error(f, node, field, "expected capital by year, such as {2027: 4000000, 2028: 8000000}");
    return out;
}

void read_income(const YamlFile& f, const YAML::Node& income, ScenarioFinance& out) {
    out.income_year = year_at(f, income["year"], "finance.high_needs_income.year");
    out.income = scenario_number(f, income["pounds"], {"finance", "high_needs_income", "pounds"});
    out.income_growth_percent = scenario_number(f, income["growth_percent_a_year"], {"finance", "high_needs_income", "growth_percent_a_year"});
    out.has_income = true;
}

void read_cost_changes(const YamlFile& f, const YAML::Node& changes, ScenarioFinance& out) {
    const std::string c = "finance.cost_changes";
    for (const auto& ch : changes) {
        ScenarioCostChange x;
        x.from_year = year_at(f, ch["from"], c + ".from");
        x.placement = as_string(f, ch["placement"], c + ".placement");
        if (ch["phase"]) x.phase = as_string(f, ch["phase"], c + ".phase");
        if (ch["need"]) x.need = as_string(f, ch["need"], c + ".need");
        if (ch["element"]) x.element = as_string(f, ch["element"], c + ".element");
        x.change_percent = scenario_number(f, ch["change_percent"], {"finance", "cost_changes", "change_percent"});
        note_where(x, f, ch);
        out.cost_changes.push_back(std::move(x));
    }
}

void read_inflation_changes(const YamlFile& f, const YAML::Node& changes, ScenarioFinance& out) {
    const std::string c = "finance.inflation_changes";
    for (const auto& ch : changes) {
        ScenarioInflationChange x;
        x.from_year = year_at(f, ch["from"], c + ".from");
        if (ch["element"]) x.element = as_string(f, ch["element"], c + ".element");
        x.percent_a_year = scenario_number(f, ch["percent_a_year"], {"finance", "inflation_changes", "percent_a_year"});
        note_where(x, f, ch);
        out.inflation_changes.push_back(std::move(x));
    }
}

void read_finance(const YamlFile& f, const YAML::Node& node, ScenarioFinance& out) {
    if (const YAML::Node income = node["high_needs_income"]) read_income(f, income, out);
    if (const YAML::Node balance = node["opening_dsg_balance"]) {
        out.opening_balance = scenario_number(f, balance, {"finance", "opening_dsg_balance"});
        out.has_opening_balance = true;
    }
    if (const YAML::Node changes = node["cost_changes"]) read_cost_changes(f, changes, out);
    if (const YAML::Node changes = node["inflation_changes"]) read_inflation_changes(f, changes, out);
}

void read_opened_provisions(const YamlFile& f, const YAML::Node& open, Scenario& sc) {
    const std::string ctx = "provisions.open";
    for (const auto& p : open) {
        ScenarioProvision o;
        o.id = as_string(f, p["id"], ctx + ".id");
        o.name = p["name"] ? as_string(f, p["name"], ctx + ".name") : o.id;
        o.type = as_string(f, p["type"], ctx + ".type");
        o.needs = as_string_list(f, p["needs"], ctx + ".needs");
        const YAML::Node ages = p["ages"];
        if (ages.size() != 2) throw yaml_error(f, ages, ctx + ".ages", "expected [first age, last age], such as [4, 11]");
        o.age_from = static_cast<int>(scenario_integer(f, ages[0], {"provisions", "open", "ages"}));
        o.age_to = static_cast<int>(scenario_integer(f, ages[1], {"provisions", "open", "ages"}));
        o.in_borough = as_bool(f, p["in_borough"], ctx + ".in_borough");
        o.places = places_by_year(f, p["places"], {"provisions", "open", "places"});
        if (p["capital"]) o.capital = pounds_by_year(f, p["capital"], {"provisions", "open", "capital"});
        note_where(o, f, p);
        sc.provisions_opened.push_back(std::move(o));
    }
}

void read_provision_changes(const YamlFile& f, const YAML::Node& node, Scenario& sc) {
    if (const YAML::Node open = node["open"]) read_opened_provisions(f, open, sc);
    const std::string ctx = "provisions.change";
    for (const auto& p : value_of(node, "change")) {
        ScenarioPlacesChange c;
        c.id = as_string(f, p["id"], ctx + ".id");
        c.places = places_by_year(f, p["places"], {"provisions", "change", "places"});
        if (p["capital"]) c.capital = pounds_by_year(f, p["capital"], {"provisions", "change", "capital"});
        note_where(c, f, p);
        sc.provisions_changed.push_back(std::move(c));
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
    if (data["person_level"]) sc.person_level = input_path(f, data["person_level"], base, "data.person_level");
    if (data["code_map"]) sc.code_map = input_path(f, data["code_map"], base, "data.code_map");
    if (data["dfe_releases"] || (!extends && sc.person_level.empty())) {
        sc.dfe_releases.clear();
        const YAML::Node releases = require_key(f, data, "dfe_releases", "data");
        as_string_list(f, releases, "data.dfe_releases");  // a list of names, or refused as one
        for (const auto& d : releases) sc.dfe_releases.push_back(input_path(f, d, base, "data.dfe_releases"));
    }
    if (data["population"]) sc.population = input_path(f, data["population"], base, "data.population");
    if (data["costs"]) sc.costs = input_path(f, data["costs"], base, "data.costs");
    if (data["provisions"] || data["provision_places"]) {
        sc.provisions = input_path(f, require_key(f, data, "provisions", "data"), base, "data.provisions");
        sc.provision_places = input_path(f, require_key(f, data, "provision_places", "data"), base, "data.provision_places");
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
    if (const YAML::Node horizon = given(f, "horizon", extends)) sc.horizon = static_cast<int>(scenario_integer(f, horizon, {"horizon"}));
    if (const YAML::Node draws = given(f, "draws", extends)) sc.draws = scenario_integer(f, draws, {"draws"});
    if (const YAML::Node seed = given(f, "seed", extends)) sc.seed = static_cast<std::uint64_t>(scenario_integer(f, seed, {"seed"}));
}

// Checked against the place groups and projection years where places are allocated, against the
// steps once the plan is built.
void read_cascade_changes(const YamlFile& f, const YAML::Node& cascades, Scenario& sc) {
    const std::string ctx = "changes.cascade";
    for (const auto& c : cascades) {
        Assumptions::Capacity::Cascade entry;
        entry.from_year = year_at(f, c["from"], ctx + ".from");
        entry.place_group = as_string(f, c["place_group"], ctx + ".place_group");
        entry.steps = as_string_list(f, c["steps"], ctx + ".steps");
        note_where(entry, f, c);
        replace_or_add(sc.cascade_changes, std::move(entry), same_cascade);
    }
}

void read_move_redirects(const YamlFile& f, const YAML::Node& moves, Scenario& sc) {
    const std::string ctx = "changes.setting_moves";
    for (const auto& m : moves) {
        ScenarioMoveRedirect r;
        r.from_year = year_at(f, m["from"], ctx + ".from");
        for (const auto& a : m["ages"]) r.ages.push_back(static_cast<int>(scenario_integer(f, a, {"changes", "setting_moves", "ages"})));
        r.needs = as_string_list(f, m["needs"], ctx + ".needs");
        r.to = as_string_list(f, m["to"], ctx + ".to");
        r.share = scenario_number(f, m["share"], {"changes", "setting_moves", "share"});
        r.instead = as_string(f, m["instead"], ctx + ".instead");
        note_where(r, f, m);
        sc.move_redirects.push_back(std::move(r));
    }
}

void read_joiner_growth(const YamlFile& f, const YAML::Node& g, Scenario& sc) {
    const std::string ctx = "changes.joiner_growth";
    sc.joiner_growth.from_year = year_at(f, g["from"], ctx + ".from");
    const YAML::Node pct = g["at_most_percent_a_year"];
    sc.joiner_growth.at_most_percent = scenario_number(f, pct, {"changes", "joiner_growth", "at_most_percent_a_year"});
    // The schema's range includes its end; a growth of -100 per cent would leave no new plans at all.
    if (!(sc.joiner_growth.at_most_percent > -100.0)) throw yaml_error(f, pct, ctx + ".at_most_percent_a_year", "expected a growth above -100 per cent");
    note_where(sc.joiner_growth, f, g);
}

void read_changes(const YamlFile& f, const YAML::Node& changes, Scenario& sc) {
    if (const YAML::Node cascades = changes["cascade"]) read_cascade_changes(f, cascades, sc);
    if (const YAML::Node moves = changes["setting_moves"]) read_move_redirects(f, moves, sc);
    if (const YAML::Node g = changes["joiner_growth"]) read_joiner_growth(f, g, sc);
}

Scenario read_scenario_at(const std::string& path, int depth) {
    const std::string text = read_input_file(path, kScenarioFile);
    YamlFile f = parse_yaml(text, path);
    validate_against_schema(f, scenario_schema());
    const fs::path base = fs::path(path).parent_path();
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
    if (f.root["assumptions"]) apply_assumptions(f, f.root["assumptions"], sc.assumptions, "assumptions");
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
