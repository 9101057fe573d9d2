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

// One measure of one option against the base: per draw and year, option minus base.
struct Difference {
    std::string option, measure, place_group;  // place_group empty for plans in total
    int base_year = 0;
    long draws = 0;
    std::vector<double> base, option_values;   // [draw][year]
    int years() const { return static_cast<int>(base.size() / static_cast<std::size_t>(draws)); }
};

// Runs the scenarios and returns the differences (without writing anything).
std::vector<Difference> compare_scenarios(const CompareOptions& options, std::vector<std::string>* names = nullptr);

// Runs, writes each scenario's results and comparison.csv under the output directory; returns it.
std::string run_compare(const CompareOptions& options);

}  // namespace sendplan
