#include "io/yaml_util.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.h"

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

YamlFile parse_yaml(const std::string& text, const std::string& name) {
    try {
        YamlFile file{name, YAML::Load(text)};
        if (!file.root.IsMap()) throw InputError(name, yaml_line(file.root), yaml_column(file.root), "", "expected a mapping of keys at the top level");
        return file;
    } catch (const YAML::ParserException& e) {
        throw InputError(name, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax error: " + e.msg);
    }
}

YamlFile load_yaml(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "", "cannot open file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_yaml(buffer.str(), path);
}

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

long as_integer(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    const std::string s = as_string(file, node, field);
    long value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr != s.data() + s.size())
        throw yaml_error(file, node, field, "expected a whole number, found '" + s + "'");
    return value;
}

double as_number(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    const std::string s = as_string(file, node, field);
    double value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr != s.data() + s.size())
        throw yaml_error(file, node, field, "expected a number, found '" + s + "'");
    return value;
}

bool as_bool(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    const std::string s = as_string(file, node, field);
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
    throw yaml_error(file, node, field, "expected true or false, found '" + s + "'");
}

std::vector<std::string> as_string_list(const YamlFile& file, const YAML::Node& node, const std::string& field) {
    if (!node.IsSequence()) throw yaml_error(file, node, field, "expected a list");
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(as_string(file, item, field));
    return out;
}

}  // namespace sendplan
