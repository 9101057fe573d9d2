#pragma once
// Checks a YAML file against a written schema (model/scenario.schema.yaml for scenarios): an unknown
// key, a value of the wrong type or a required key left out is refused with file, line, column and
// what was expected, before any typed reading.
#include <string>

#include "io/yaml_util.h"

namespace sendplan {

// The scenario schema, as built into sendplan.
const std::string& scenario_schema_text();

// The scenario schema, parsed once.
const YAML::Node& scenario_schema();

// Throws InputError at the first place `file` departs from `schema`.
void validate_against_schema(const YamlFile& file, const YAML::Node& schema);

}  // namespace sendplan
