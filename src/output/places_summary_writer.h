#pragma once
// The Special Places Plan as planners read it: for each place group and phase (then by broad area
// of need, then all phases), the places in the borough and the places needed, year by year, in
// whole places. Written as places_summary.csv (codes, for programs) and as the one sheet of
// special_places_plan.xlsx (titles and formats, for people), from the same table.
#include "capacity/placement_plan.h"
#include "capacity/sufficiency.h"
#include "core/taxonomy.h"
#include "output/atomic_output.h"

namespace sendplan {

// A places_summary.csv measure's title, as the workbook gives it ("places_needed_80" is "Places
// needed (80% confidence)"); a code it does not know, as it is.
std::string places_summary_measure_title(const std::string& code);

void write_places_summary(const ResultsFolder& folder, const Taxonomy& taxonomy, const PlacementPlan& plan, const SufficiencyResult& result);

}  // namespace sendplan
