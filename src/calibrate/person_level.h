#pragma once
// Calibration from a local authority's person-level history: the same model and posterior as from
// published aggregates; only the estimation differs (counts instead of rebuilt flows).
#include <string>

#include "calibrate/calibrate.h"
#include "io/person_level.h"

namespace sendplan {

// The person-level history summed into the published tables' shape (single years of age, every
// split): censuses, and new and ceased plans by calendar year.
AreaHistory summarise_person_history(const PersonHistory& history, const Taxonomy& taxonomy, const std::string& area_code,
                                     const std::string& area_name);

// base_year 0 takes the last census in the history.
Calibration calibrate_person_level(const PersonHistory& history, const Population& population, const Taxonomy& taxonomy,
                                   const Assumptions& assumptions, int base_year, int horizon, const std::string& area_code,
                                   const std::string& area_name, const PooledEstimates* pooled = nullptr);

}  // namespace sendplan
