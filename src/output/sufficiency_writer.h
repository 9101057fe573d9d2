#pragma once
// Writes the Special Places Plan tables: places against demand by year, place group, phase and need
// group; each provision's pupils; where children are placed; the strategy's measures; and the
// planners' summary of places (places_summary.csv and special_places_plan.xlsx).

#include "capacity/sufficiency.h"
#include "core/taxonomy.h"
#include "io/provision_register.h"
#include "output/atomic_output.h"

namespace sendplan {

void write_sufficiency_csvs(const ResultsFolder& folder, const Taxonomy& taxonomy, const ProvisionRegister& reg,
                            const PlacementPlan& plan, const SufficiencyResult& result);

}  // namespace sendplan
