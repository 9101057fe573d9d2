#pragma once
#include <string>

#include "core/taxonomy.h"

namespace sendplan {

// The model's files: the taxonomy's three, and the default assumptions every scenario starts from.
// Runs and backtests record each one's checksum.
inline constexpr const char* kModelFiles[] = {"ages.yaml", "needs.yaml", "settings.yaml", "assumptions.yaml"};
inline constexpr const char* kAssumptionsFile = "assumptions.yaml";

// Reads ages.yaml, needs.yaml and settings.yaml from a model directory.
Taxonomy read_taxonomy(const std::string& model_dir);

}  // namespace sendplan
