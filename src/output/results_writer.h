#pragma once
// Writes a projection's results: a self-describing HDF5 file and CSV summaries.
#include <string>
#include <utility>
#include <vector>

#include "calibrate/calibrate.h"
#include "core/percentiles.h"
#include "core/taxonomy.h"
#include "evaluate/accuracy.h"
#include "evaluate/run.h"
#include "output/atomic_output.h"
#include "simulate/projection.h"

namespace sendplan {

// Writes the projection's files into `folder` (which is put in place whole by write_results_folder).
// `place_groups`: the run's place groups (PlacementPlan::place_groups), empty for a run without
// places; results.h5 then labels them (labels/place_group and labels/place_group_label).
void write_results(const ResultsFolder& folder, const RunRecord& run, const Taxonomy& taxonomy, const Calibration& calibration,
                   const ProjectionResult& result, const std::vector<std::string>& place_groups);

}  // namespace sendplan
