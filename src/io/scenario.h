#pragma once
// A scenario file: which area and data, which model definition, how far and how many draws, and any
// assumptions changed from model/assumptions.yaml. Paths are relative to the scenario file.
#include <cstdint>
#include <string>
#include <vector>

#include "core/assumptions.h"

namespace sendplan {

struct Scenario {
    std::string path;   // the scenario file as given
    std::string text;   // its full text, stored with the results
    std::string name, description;
    std::string area;
    std::vector<std::string> dfe_releases;  // oldest first; may be empty when person_level is given
    std::string person_level;               // the LA's person-level history (SEN2 censuses or witan.send transitions)
    std::string code_map;                   // witan.send codes -> model codes
    std::string population;                 // empty: constant population
    std::string provisions, provision_places;  // the provision register; empty: demand only
    std::string model_dir;
    int base_year = 0;                      // 0: the latest January census in the data
    int horizon = 0;
    long draws = 0;
    std::uint64_t seed = 0;
    Assumptions assumptions;
};

Scenario read_scenario(const std::string& path);

// Reads model/assumptions.yaml (every key required) into `out`.
void read_assumptions(const std::string& path, Assumptions& out);

}  // namespace sendplan
