#pragma once
// Typed access to YAML with errors that name file, line and key, and refuse unknown keys so that a
// typo in a scenario never silently falls back to a default.
#include <yaml-cpp/yaml.h>

#include "core/error.h"

#include <string>
#include <vector>

namespace sendplan {

struct YamlFile {
    std::string path;
    YAML::Node root;
};

// Reads the file once it is known to be a regular file (see input_file.h); `what` names what was
// expected there. A key given twice in one mapping is refused at the second: yaml-cpp would keep one.
YamlFile load_yaml(const std::string& path, const std::string& what = "a YAML file");
YamlFile parse_yaml(const std::string& text, const std::string& name);

// Where a node starts, 1-based (0 where yaml-cpp does not know).
long yaml_line(const YAML::Node& node);
long yaml_column(const YAML::Node& node);

// The error for a node of `file`: its file, line and column, the field and what is wrong.
InputError yaml_error(const YamlFile& file, const YAML::Node& node, const std::string& field, const std::string& message);

// Refuses any key of `map` that is not in `allowed`.
void require_known_keys(const YamlFile& file, const YAML::Node& map, const std::vector<std::string>& allowed,
                        const std::string& context);
void require_map(const YamlFile& file, const YAML::Node& node, const std::string& field);
YAML::Node require_key(const YamlFile& file, const YAML::Node& map, const std::string& key, const std::string& context);

std::string as_string(const YamlFile& file, const YAML::Node& node, const std::string& field);
// A whole number or a finite number from `lo` to `hi` (core/numbers.h): overflow, nan and inf refused.
long as_integer(const YamlFile& file, const YAML::Node& node, const std::string& field, long lo, long hi);
double as_number(const YamlFile& file, const YAML::Node& node, const std::string& field, double lo, double hi);
// A per-cent figure ("5" or "5%"), refusing a fraction given for it (core/numbers.h: percent_number).
double as_percent(const YamlFile& file, const YAML::Node& node, const std::string& field, double lo, double hi);
bool as_bool(const YamlFile& file, const YAML::Node& node, const std::string& field);
std::vector<std::string> as_string_list(const YamlFile& file, const YAML::Node& node, const std::string& field);

}  // namespace sendplan
