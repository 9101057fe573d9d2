#pragma once
// `sendplan compare BASE.yaml OPTION.yaml ...`: every scenario run in one job on common random
// numbers (draw d of each uses the same random streams), and each option minus the base, draw by
// draw, summarised with the intervals of the differences.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sendplan {

struct CompareOptions {
    std::vector<std::string> scenarios;  // the base first
    std::optional<long> draws;           // default: the base scenario's
    std::optional<std::uint64_t> seed;   // default: the base scenario's
    int threads = 0;
    std::string out;                     // default: results/compare-<base name>
    bool quiet = false;
};

struct CompareResult {
    std::string folder;                 // as written, absolute
    std::vector<std::string> headline;  // the lines a board reads first, option by option
};

// Runs, writes each scenario's results and comparison.csv under the output directory; returns it,
// with the headline of the appraisal.
CompareResult run_compare(const CompareOptions& options);

}  // namespace sendplan
