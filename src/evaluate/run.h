#pragma once
// A scenario run end to end, as a library call: its model and data read, calibrated, its changes
// resolved, places and costs prepared, and its draws projected with every per-draw stage in order.
// `sendplan run` and `compare`, the benchmark and the tests all go through Run; writing the
// results is left to output/.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/calibrate.h"
#include "capacity/sufficiency.h"
#include "evaluate/accuracy.h"
#include "finance/spend.h"
#include "io/cost_table.h"
#include "io/provision_register.h"
#include "io/scenario.h"
#include "model/interventions.h"
#include "simulate/projection.h"

namespace sendplan {

// What a results file records of how it was made.
struct RunRecord {
    std::string engine_version, git_revision;
    std::string scenario_name, scenario_path, scenario_text;
    std::string area_code, area_name;
    std::vector<std::pair<std::string, std::string>> inputs;  // (path, sha256)
    std::vector<std::pair<int, double>> published_totals;     // plans at each January census in the data
    // Plans at each January census in the data by broad area of need and by setting, where the
    // published split adds up to the published total: breakdown -> year -> plans by category.
    std::map<std::string, std::map<int, std::vector<double>>> published_by;
    // The record of forecasts made this way for this kind of area (model/forecast_accuracy.csv).
    std::vector<AccuracyRow> accuracy;
    std::string accuracy_sentence;
};

// How a run is carried out, apart from the scenario: overrides of its draws and seed (compare
// gives every option the base's), threads, and where its notes and progress go (nowhere if unset).
struct RunSettings {
    std::optional<long> draws;
    std::optional<std::uint64_t> seed;
    int threads = 0;           // 0: OpenMP's default
    bool keep_draws = false;   // keep every draw's need x setting x phase counts
    std::function<void(const std::string&)> note;
    std::function<void()> started;  // a scenario's work begins (reading its model and data)
    std::function<void(const std::string& scenario, long done, long total)> progress;
};

// Reads a scenario with the settings' overrides of its draws and seed; --draws below one is refused.
Scenario read_run_scenario(const std::string& path, const RunSettings& settings);

// The scenario's calibration: from its person-level history when it has one, else from the DfE
// releases; `history` holds the published (or person-level) totals for context.
struct ScenarioCalibration {
    AreaHistory history;
    Calibration calibration;
};
ScenarioCalibration calibrate_scenario(const Scenario& scenario, const Taxonomy& taxonomy, const Population& population);

// Every file and folder a scenario names (the scenario files, the model, the data), which no output
// may replace.
std::vector<std::string> scenario_inputs(const Scenario& scenario);

// One scenario's run. Building it does everything before the draws (and refuses bad input with
// InputError or DataError); project() runs the draws. Not copied or moved: the collectors point
// into it.
class Run {
public:
    Run(Scenario scenario, RunSettings settings);
    Run(const Run&) = delete;
    Run& operator=(const Run&) = delete;

    // Runs every draw; again on a second call, from fresh collectors, with the same results.
    void project();

    const Scenario& scenario() const { return scenario_; }
    const Taxonomy& taxonomy() const { return taxonomy_; }
    const AreaHistory& history() const { return calibrated_.history; }
    const Calibration& calibration() const { return calibrated_.calibration; }
    const RunRecord& record() const { return record_; }
    // The scenario's changes from a year, resolved against the taxonomy and the projection's years
    // (those of cascades only where it allocates places).
    const Interventions& interventions() const { return interventions_; }
    const ProvisionRegister* provisions() const { return provisions_ ? &*provisions_ : nullptr; }
    const PlacementPlan* plan() const { return plan_ ? &*plan_ : nullptr; }
    // After project(): the projection, and (where the scenario has a register, costs) the places
    // and spend; null where it has none.
    const ProjectionResult& result() const { return result_; }
    const SufficiencyCollector* sufficiency() const { return sufficiency_.get(); }
    const SpendCollector* spend() const { return spend_.get(); }
    // The costs as resolved from the scenario's cost table (which row prices what); null without one.
    const CostModel* costs() const { return costs_ ? &*costs_ : nullptr; }
    // The scenario's inputs and every file the run read, none of which an output may replace.
    std::vector<std::string> inputs() const;

private:
    void note(const std::string& text) const;
    void record_inputs();
    void prepare_places();
    void prepare_costs();
    void check_dsg_inputs(const Scenario& sc) const;

    Scenario scenario_;
    RunSettings settings_;
    Taxonomy taxonomy_;
    ScenarioCalibration calibrated_;
    Interventions interventions_;
    RunRecord record_;
    std::optional<ProvisionRegister> provisions_;
    std::optional<PlacementPlan> plan_;
    std::optional<CostTable> cost_table_;
    std::optional<CostModel> costs_;
    std::unique_ptr<SufficiencyCollector> sufficiency_;
    std::unique_ptr<SpendCollector> spend_;
    ProjectionResult result_;
};

// Reads the scenario at `path`, builds its run and projects it. `before_projecting` sees the
// scenario once read, before the long work (where its results will go is checked there).
std::unique_ptr<Run> run_scenario_file(const std::string& path, const RunSettings& settings,
                                       const std::function<void(const Scenario&)>& before_projecting = {});

}  // namespace sendplan
