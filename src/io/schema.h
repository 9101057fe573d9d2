#pragma once
// Checks a YAML file against a written schema (model/scenario.schema.yaml for scenarios, its
// `assumptions` for model/assumptions.yaml): an unknown key, a value of the wrong type or outside its
// range, or a required key left out is refused with file, line, column and what was expected, before
// any typed reading. The readers take their ranges from the same schema.
#include <string>
#include <vector>

#include "io/yaml_util.h"

namespace sendplan {

// The scenario schema, as built into sendplan.
const std::string& scenario_schema_text();

// The scenario schema, parsed once.
const YAML::Node& scenario_schema();

// The schema of model/assumptions.yaml: the scenario schema's `assumptions`, with every key of each
// section (and of the mappings within one) required, as the model's defaults must give them all.
const YAML::Node& assumptions_schema();

// Throws InputError at the first place `file` departs from `schema`.
void validate_against_schema(const YamlFile& file, const YAML::Node& schema);

// The spec of the key at `path` below the mapping spec `spec`, through the items of any list on the
// way: {"finance", "cost_changes", "change_percent"}. A reader asking for a key the schema does not
// have is a mistake in sendplan, not in the file read: std::logic_error.
YAML::Node schema_spec(const YAML::Node& spec, const std::vector<std::string>& path);

// The keys a mapping spec lists, in its order.
std::vector<std::string> schema_keys(const YAML::Node& spec);

// A whole number or a number within the range (`min`, `max`) of `spec`, or of the items or values of
// a list or map `spec` is: so a range is written once, in the schema. Where the spec gives no bound
// the type's own holds. Refused as as_integer and as_number refuse.
long schema_integer(const YamlFile& file, const YAML::Node& node, const std::string& field, const YAML::Node& spec);
double schema_number(const YamlFile& file, const YAML::Node& node, const std::string& field, const YAML::Node& spec);

}  // namespace sendplan
