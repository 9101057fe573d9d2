#pragma once
// `sendplan run SCENARIO.yaml`: one scenario run (evaluate/run.h) and its results folder written.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "evaluate/run.h"
#include "output/atomic_output.h"

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

// The run's settings as the command line gives them: unless quiet, notes and a progress line on
// stderr.
RunSettings command_line_settings(const RunOptions& options);

// Writes a run's files into a results folder.
void write_scenario_results(const ResultsFolder& folder, const Run& run);

// Reads the scenario and its data, calibrates, projects and writes the results; returns the
// directory written. Bad input throws InputError or DataError.
std::string run_scenario(const RunOptions& options);

}  // namespace sendplan
