#pragma once
// Scenarios compared on common random numbers: each is run with the base's draws and seed, so draw
// d of every scenario uses the same random streams, and each option minus the base is taken draw
// by draw (the differences' intervals are far narrower than independent runs would give).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "evaluate/run.h"

namespace sendplan {

// One measure of one option against the base: per draw and year, option minus base.
struct Difference {
    std::string option, measure, place_group;  // place_group empty for plans in total
    int base_year = 0;
    long draws = 0;
    std::vector<double> base, option_values;   // [draw][year]
    int years() const { return static_cast<int>(base.size() / static_cast<std::size_t>(draws)); }
    // Option minus base in year index y, draw by draw.
    std::vector<double> in_year(int y) const {
        std::vector<double> out;
        out.reserve(static_cast<std::size_t>(draws));
        for (long draw = 0; draw < draws; ++draw) {
            const std::size_t i = static_cast<std::size_t>(draw * years() + y);
            out.push_back(option_values[i] - base[i]);
        }
        return out;
    }
};

// Runs the scenarios (the base first) on the base's draws and seed unless the settings give them.
// Every file is read before the base's long work; options must cover the base's years and have
// names of their own. `before_projecting` sees each scenario once read.
std::vector<std::unique_ptr<Run>> run_on_common_random_numbers(const std::vector<std::string>& scenarios, const RunSettings& settings,
                                                               const std::function<void(const Scenario&)>& before_projecting = {});

// Each option against the base: plans; high-needs spend, transport and capital where both price
// spend; and each place group's demand, unmet local demand and placements out because full.
std::vector<Difference> differences(const std::vector<std::unique_ptr<Run>>& runs);

}  // namespace sendplan
