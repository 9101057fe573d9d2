#pragma once
// ONS subnational population projections by single year of age (mid-year), for the ages of the model.
#include <map>
#include <string>
#include <vector>

#include "core/taxonomy.h"

namespace sendplan {

struct Population {
    std::string source;
    std::map<int, std::vector<double>> by_year;  // mid-year -> persons by age (index age - min_age)

    bool empty() const { return by_year.empty(); }
    // Persons of the age in the year; years outside the file take the nearest year (documented in METHOD.md).
    double at(int year, int age_index) const;
    double total(int year) const;
};

// Reads the ONS SNPP layout (AREA_CODE, AREA_NAME, COMPONENT, SEX, AGE_GROUP, one column per year).
// Rows for ages outside the model and "All ages" are skipped; every model age must be present.
Population read_population(const std::string& path, const Taxonomy& taxonomy, const std::string& area_code = "");

// A population that is the same every year: used when none is given (rates become counts per year).
Population constant_population(const Taxonomy& taxonomy);

}  // namespace sendplan
