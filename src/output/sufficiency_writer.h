#pragma once
// Writes the Special Places Plan tables: places against demand by year, place group, phase and need
// group; each provision's pupils; where children are placed; and the strategy's measures.
#include <filesystem>

#include "capacity/sufficiency.h"
#include "core/taxonomy.h"
#include "io/provision_register.h"

namespace sendplan {

void write_sufficiency_csvs(const std::filesystem::path& dir, const Taxonomy& taxonomy, const ProvisionRegister& reg,
                            const PlacementPlan& plan, const SufficiencyResult& result);

}  // namespace sendplan
