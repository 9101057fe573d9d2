#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/calibrate.h"
#include "capacity/sufficiency.h"
#include "finance/spend.h"
#include "io/cost_table.h"
#include "io/provision_register.h"
#include "io/scenario.h"
#include "output/results_writer.h"
#include "simulate/projection.h"

namespace sendplan {

struct RunOptions {
    std::string scenario;
    std::optional<long> draws;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::string out;  // empty: results/<scenario name>
    bool keep_draws = false;
    bool quiet = false;
};

// The scenario's calibration: from its person-level history when it has one, else from the DfE
// releases; `history` holds the published (or person-level) totals for context.
struct ScenarioCalibration {
    AreaHistory history;
    Calibration calibration;
};
ScenarioCalibration calibrate_scenario(const Scenario& scenario, const Taxonomy& taxonomy, const Population& population);

// A scenario read, calibrated and projected (with places, where it has a register). Held on the
// heap: the sufficiency collector points into it.
struct ProjectedScenario {
    Scenario scenario;
    Taxonomy taxonomy;
    ScenarioCalibration calibrated;
    RunRecord run;
    std::optional<ProvisionRegister> provisions;
    std::optional<PlacementPlan> plan;
    std::unique_ptr<SufficiencyCollector> sufficiency;
    std::optional<CostTable> cost_table;
    std::optional<CostModel> costs;
    std::unique_ptr<SpendCollector> spend;
    ProjectionResult result;
};
// `before_projecting` sees the scenario once it is read, before the long work: where its results
// will go is checked there, so a refusal costs nothing.
std::unique_ptr<ProjectedScenario> project_scenario(const RunOptions& options,
                                                    const std::function<void(const Scenario&)>& before_projecting = {});

// Every file and folder a scenario names (the scenario files, the model, the data), which no output
// may replace; with a projection, also every file it read.
std::vector<std::string> scenario_inputs(const Scenario& scenario);
std::vector<std::string> scenario_inputs(const ProjectedScenario& projected);

// Writes a projected scenario's files into a results folder.
void write_scenario_results(const ResultsFolder& folder, const ProjectedScenario& projected);

// Reads the scenario and its data, calibrates, projects and writes the results; returns the
// directory written. Bad input throws InputError or DataError.
std::string run_scenario(const RunOptions& options);

}  // namespace sendplan
