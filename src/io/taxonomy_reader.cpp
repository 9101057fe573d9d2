#include "io/taxonomy_reader.h"

#include "core/numbers.h"

#include <set>

#include "core/error.h"
#include "io/yaml_util.h"

namespace sendplan {
namespace {

void read_ages(const std::string& path, Taxonomy& tax) {
    YamlFile f = load_yaml(path);
    require_known_keys(f, f.root, {"min_age", "max_age", "ncy_offset", "phases"}, "");
    tax.min_age = static_cast<int>(as_integer(f, require_key(f, f.root, "min_age", ""), "min_age", kMinAge, kMaxAge));
    tax.max_age = static_cast<int>(as_integer(f, require_key(f, f.root, "max_age", ""), "max_age", kMinAge, kMaxAge));
    tax.ncy_offset = static_cast<int>(as_integer(f, require_key(f, f.root, "ncy_offset", ""), "ncy_offset", 0, kMaxAge));
    if (tax.min_age < 0 || tax.max_age < tax.min_age)
        throw yaml_error(f, f.root["max_age"], "max_age", "must be at least min_age, and min_age at least 0");
    int expected_first = tax.min_age;
    for (const auto& p : require_key(f, f.root, "phases", "")) {
        require_known_keys(f, p, {"code", "label", "first_age", "last_age"}, "phases");
        Phase phase;
        phase.code = as_string(f, require_key(f, p, "code", "phases"), "phases.code");
        phase.label = as_string(f, require_key(f, p, "label", "phases"), "phases.label");
        phase.first_age = static_cast<int>(as_integer(f, require_key(f, p, "first_age", "phases"), "phases.first_age", kMinAge, kMaxAge));
        phase.last_age = static_cast<int>(as_integer(f, require_key(f, p, "last_age", "phases"), "phases.last_age", kMinAge, kMaxAge));
        if (phase.first_age != expected_first || phase.last_age < phase.first_age)
            throw yaml_error(f, p, "phases.first_age",
                             "phases must cover the ages in order without gaps; expected first_age " + std::to_string(expected_first));
        expected_first = phase.last_age + 1;
        tax.phases.push_back(phase);
    }
    if (expected_first != tax.max_age + 1)
        throw yaml_error(f, f.root["phases"], "phases", "the last phase must end at max_age");
}

void read_needs(const std::string& path, Taxonomy& tax) {
    YamlFile f = load_yaml(path);
    require_known_keys(f, f.root, {"broad_areas", "needs"}, "");
    for (const auto& b : require_key(f, f.root, "broad_areas", "")) {
        require_known_keys(f, b, {"code", "label"}, "broad_areas");
        tax.broad_areas.push_back({as_string(f, require_key(f, b, "code", "broad_areas"), "broad_areas.code"),
                                   as_string(f, require_key(f, b, "label", "broad_areas"), "broad_areas.label")});
    }
    std::set<std::string> seen;
    for (const auto& n : require_key(f, f.root, "needs", "")) {
        require_known_keys(f, n, {"code", "label", "broad_area", "column", "first_published", "former_codes"}, "needs");
        Need need;
        need.code = as_string(f, require_key(f, n, "code", "needs"), "needs.code");
        need.label = as_string(f, require_key(f, n, "label", "needs"), "needs.label");
        need.column = as_string(f, require_key(f, n, "column", "needs"), "needs.column");
        if (n["former_codes"]) need.former_codes = as_string_list(f, n["former_codes"], "needs.former_codes");
        if (n["first_published"]) need.first_published = static_cast<int>(as_integer(f, n["first_published"], "needs.first_published", kFirstYear, kLastYear));
        const std::string area = as_string(f, require_key(f, n, "broad_area", "needs"), "needs.broad_area");
        auto a = tax.broad_area_index(area);
        if (!a) throw yaml_error(f, n["broad_area"], "needs.broad_area", "unknown broad area " + shown(area));
        need.broad_area = *a;
        if (!seen.insert(need.code).second)
            throw yaml_error(f, n, "needs.code", "need " + shown(need.code) + " is listed twice");
        tax.needs.push_back(need);
    }
}

// One setting as settings.yaml gives it, its own fields checked.
Setting read_setting(const YamlFile& f, const YAML::Node& s) {
    require_known_keys(f, s, {"code", "label", "capacity_limited", "place_group", "strategy_group", "provision_types", "columns", "labels", "published_total"},
                       "settings");
    Setting setting;
    setting.code = as_string(f, require_key(f, s, "code", "settings"), "settings.code");
    setting.label = as_string(f, require_key(f, s, "label", "settings"), "settings.label");
    setting.capacity_limited = as_bool(f, require_key(f, s, "capacity_limited", "settings"), "settings.capacity_limited");
    setting.columns = as_string_list(f, require_key(f, s, "columns", "settings"), "settings.columns");
    setting.labels = as_string_list(f, require_key(f, s, "labels", "settings"), "settings.labels");
    if (s["place_group"]) setting.place_group = as_string(f, s["place_group"], "settings.place_group");
    if (s["published_total"]) setting.published_total = as_string(f, s["published_total"], "settings.published_total");
    if (setting.capacity_limited && setting.place_group.empty())
        throw yaml_error(f, s, "settings.place_group", "a capacity-limited setting needs a place_group");
    if (s["strategy_group"]) {
        setting.strategy_group = as_string(f, s["strategy_group"], "settings.strategy_group");
        if (setting.strategy_group != "mainstream" && setting.strategy_group != "independent")
            throw yaml_error(f, s["strategy_group"], "settings.strategy_group", "expected mainstream or independent, found " + shown(setting.strategy_group));
    }
    if (s["provision_types"]) setting.provision_types = as_string_list(f, s["provision_types"], "settings.provision_types");
    return setting;
}

// A provision type, a code or a published column in two settings would make a plan's setting ambiguous.
struct SettingsSeen {
    std::set<std::string> codes, columns, provision_types;

    void add(const YamlFile& f, const YAML::Node& s, const Setting& setting) {
        for (const auto& t : setting.provision_types)
            if (!provision_types.insert(t).second)
                throw yaml_error(f, s["provision_types"], "settings.provision_types", "provision type " + shown(t) + " belongs to two settings");
        if (!codes.insert(setting.code).second) throw yaml_error(f, s, "settings.code", "setting " + shown(setting.code) + " is listed twice");
        for (const auto& c : setting.columns)
            if (!columns.insert(c).second) throw yaml_error(f, s["columns"], "settings.columns", "column " + shown(c) + " belongs to two settings");
    }
};

void read_settings(const std::string& path, Taxonomy& tax) {
    YamlFile f = load_yaml(path);
    require_known_keys(f, f.root, {"settings", "ignore_labels"}, "");
    SettingsSeen seen;
    for (const auto& s : require_key(f, f.root, "settings", "")) {
        Setting setting = read_setting(f, s);
        seen.add(f, s, setting);
        tax.settings.push_back(setting);
    }
    if (f.root["ignore_labels"]) tax.ignore_labels = as_string_list(f, f.root["ignore_labels"], "ignore_labels");
}

}  // namespace

Taxonomy read_taxonomy(const std::string& model_dir) {
    Taxonomy tax;
    read_ages(model_dir + "/ages.yaml", tax);
    read_needs(model_dir + "/needs.yaml", tax);
    read_settings(model_dir + "/settings.yaml", tax);
    return tax;
}

}  // namespace sendplan
