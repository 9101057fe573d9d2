#pragma once
#include <cstdint>
#include <optional>
#include <string>

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

// Reads the scenario and its data, calibrates, projects and writes the results; returns the
// directory written. Bad input throws InputError or DataError.
std::string run_scenario(const RunOptions& options);

}  // namespace sendplan
