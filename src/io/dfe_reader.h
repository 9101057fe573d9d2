#pragma once
// Readers for the DfE "Education, health and care plans" release files, exactly as published on
// explore-education-statistics (2022 release and 2023+ shapes), for any area given by new LA code,
// old LA code, name, region code, or E92000001 / England.
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "io/area_history.h"

namespace sendplan {

// Reads every known release file found in each directory, in order; where releases overlap, the
// later directory wins (list releases oldest first). Refuses an area found in none of the files.
AreaHistory read_dfe_releases(const std::vector<std::string>& directories, const std::string& area,
                              const Taxonomy& taxonomy);

// Parses an age label of the published tables ("age 10", "under 3", "age 20 and over",
// "Age 5 to 10", "Under 5"); false for labels that are not an age (totals, "Age unknown").
bool parse_age_label(const std::string& label, int max_age, AgeSpan& span);

// "201819" -> 2019 (January census of the academic year); "2021" -> 2021.
int parse_time_period(const std::string& text);

}  // namespace sendplan
