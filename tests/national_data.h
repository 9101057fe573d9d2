#pragma once
// The full national DfE releases (every local authority in England), as published in zips, read
// once for the whole test run: reading them takes seconds (tens under the sanitizers), so every
// test that needs them shares this one copy.
#include <string>
#include <vector>

#include "io/dfe_reader.h"
#include "support.h"

namespace sendplan::test {

inline std::vector<std::string> national_zips() {
    return {source("data/dfe-national/education-health-and-care-plans_2022.zip"),
            source("data/dfe-national/education-health-and-care-plans_2025.zip")};
}

// An inline function's static is one object across every test file.
inline const DfeReleases& national_releases() {
    static const DfeReleases releases = DfeReleases::read(national_zips());
    return releases;
}

}  // namespace sendplan::test
