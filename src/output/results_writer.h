#pragma once
// Writes a projection's results: a self-describing HDF5 file and CSV summaries.
#include <string>
#include <utility>
#include <vector>

#include "calibrate/calibrate.h"
#include "core/percentiles.h"
#include "core/taxonomy.h"
#include "evaluate/accuracy.h"
#include "output/atomic_output.h"
#include "simulate/projection.h"

namespace sendplan {

struct RunRecord {
    std::string engine_version, git_revision;
    std::string scenario_name, scenario_path, scenario_text;
    std::string area_code, area_name;
    std::vector<std::pair<std::string, std::string>> inputs;  // (path, sha256)
    std::vector<std::pair<int, double>> published_totals;     // plans at each January census in the data
    // The record of forecasts made this way for this kind of area (model/forecast_accuracy.csv).
    std::vector<AccuracyRow> accuracy;
    std::string accuracy_sentence;
};

// Writes the projection's files into `folder` (which is put in place whole by write_results_folder).
void write_results(const ResultsFolder& folder, const RunRecord& run, const Taxonomy& taxonomy, const Calibration& calibration,
                   const ProjectionResult& result);

}  // namespace sendplan
