#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace sendplan {

struct SynthOptions {
    std::string scenario;
    int years = 10;
    std::optional<int> first_census;  // default: the scenario's base year minus `years`
    std::uint64_t seed = 1;
    std::string out;
};

// Calibrates the scenario, takes its posterior means as the known parameters, and writes a
// synthetic person-level history of `years + 1` censuses starting from its base stock.
void run_synth(const SynthOptions& options);

}  // namespace sendplan
