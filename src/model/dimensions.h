#pragma once
// The state space of the cohort model: age x need x setting, flattened.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sendplan {

struct Dimensions {
    int ages = 0, needs = 0, settings = 0;

    int cells() const { return ages * needs * settings; }
    int cell(int age, int need, int setting) const { return (age * needs + need) * settings + setting; }
    int age_of(int cell) const { return cell / (needs * settings); }
    int need_of(int cell) const { return (cell / settings) % needs; }
    int setting_of(int cell) const { return cell % settings; }
};

// Plans by age x need x setting at one census.
using Stock = std::vector<std::int32_t>;

}  // namespace sendplan
