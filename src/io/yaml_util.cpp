#include "io/yaml_util.h"

#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/numbers.h"
#include "io/input_file.h"

namespace sendplan {

long yaml_line(const YAML::Node& node) {
    auto mark = node.Mark();
    return mark.line >= 0 ? mark.line + 1 : 0;
}

long yaml_column(const YAML::Node& node) {
    auto mark = node.Mark();
    return mark.column >= 0 ? mark.column + 1 : 0;
}

InputError yaml_error(const YamlFile& file, const YAML::Node& node, const std::string& field, const std::string& message) {
    return InputError(file.path, yaml_line(node), yaml_column(node), field, message);
}

namespace {

void refuse_repeated_keys(const YamlFile& file, const YAML::Node& node, const std::string& context) {
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i) refuse_repeated_keys(file, node[i], context + "[" + std::to_string(i) + "]");
        return;
    }
    if (!node.IsMap()) return;
    std::map<std::string, long> seen;
    for (const auto& kv : node) {
        const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
        const std::string field = context.empty() ? key : context + "." + key;
        if (kv.first.IsScalar()) {
            const auto [earlier, fresh] = seen.emplace(key, yaml_line(kv.first));
            if (!fresh)
                throw yaml_error(file, kv.first, field, "key given twice (first at line " + std::to_string(earlier->second) + "): expected each key once");
        }
        refuse_repeated_keys(file, kv.second, field);
    }
}

}  // namespace

YamlFile parse_yaml(const std::string& text, const std::string& name) {
    try {
        YamlFile file{name, YAML::Load(text)};
        if (!file.root.IsMap()) throw InputError(name, yaml_line(file.root), yaml_column(file.root), "", "expected a mapping of keys at the top level");
        refuse_repeated_keys(file, file.root, "");
        return file;
    } catch (const YAML::ParserException& e) {
        throw InputError(name, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax error: " + e.msg);
    }
}

YamlFile load_yaml(const std::string& path, const std::string& what) { return parse_yaml(read_input_file(path, what), path); }

void require_map(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    if (!node.IsMap()) throw yaml_error(file, node, field, "expected a mapping of keys");
}

void require_known_keys(const YamlFile& file, const YAML::Node& map, const std::vector<std::string>& allowed,
                        const std::string& context) {
    require_map(file, map, context);
    for (const auto& kv : map) {
        const std::string key = kv.first.as<std::string>();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            throw yaml_error(file, kv.first, context.empty() ? key : context + "." + key,
                             "unknown key; expected one of: " + list);
        }
    }
}

YAML::Node require_key(const YamlFile& file, const YAML::Node& map, const std::string& key, const std::string& context) {
    YAML::Node node = map[key];
    if (!node) throw yaml_error(file, map, context.empty() ? key : context + "." + key, "required key is missing");
    return node;
}

std::string as_string(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    if (!node.IsScalar()) throw yaml_error(file, node, field, "expected a single value");
    return node.Scalar();
}

namespace {
Where where_in(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    return Where{file.path, yaml_line(node), yaml_column(node), field};
}
}  // namespace

long as_integer(const YamlFile& file, const YAML::Node& node, const std::string& field, long lo, long hi) {
    return static_cast<long>(whole_number(as_string(file, node, field), lo, hi, where_in(file, node, field)));
}

double as_number(const YamlFile& file, const YAML::Node& node, const std::string& field, double lo, double hi) {
    return real_number(as_string(file, node, field), lo, hi, where_in(file, node, field));
}

double as_percent(const YamlFile& file, const YAML::Node& node, const std::string& field, double lo, double hi) {
    return percent_number(as_string(file, node, field), lo, hi, where_in(file, node, field));
}

bool as_bool(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    const std::string s = as_string(file, node, field);
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
    throw yaml_error(file, node, field, "expected true or false, found " + shown(s));
}

std::vector<std::string> as_string_list(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    if (!node.IsSequence()) throw yaml_error(file, node, field, "expected a list");
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(as_string(file, item, field));
    return out;
}

}  // namespace sendplan
