#pragma once
#include <string>

#include "core/taxonomy.h"

namespace sendplan {

// Reads ages.yaml, needs.yaml and settings.yaml from a model directory.
Taxonomy read_taxonomy(const std::string& model_dir);

}  // namespace sendplan
