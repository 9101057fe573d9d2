#pragma once
// Writes a person-level census history in the SEN2 census format that read_person_censuses reads.
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "io/person_level.h"
#include "output/atomic_output.h"

namespace sendplan {

// A synthetic history's file, by its header: an earlier one may be replaced, nothing else.
inline constexpr OutputKind kPersonCensuses{"synthetic history", "person_id,census_year,age,need,setting\n"};

// person_id,census_year,age,need,setting; written under a temporary name and renamed into place.
void write_person_censuses(const std::string& path, const std::vector<CensusRow>& rows, const Taxonomy& taxonomy);

}  // namespace sendplan
