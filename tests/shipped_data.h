#pragma once
// The shipped model definition and published data, loaded for an area, as the tests use them.
#include <string>

#include "calibrate/calibrate.h"
#include "io/dfe_reader.h"
#include "io/population.h"
#include "io/scenario.h"
#include "io/taxonomy_reader.h"
#include "support.h"

namespace sendplan::test {

// The shipped model definition, read once.
inline const Taxonomy& shipped_model() {
    static const Taxonomy t = read_taxonomy(source("model"));
    return t;
}

struct ShippedData {
    Taxonomy tax = read_taxonomy(source("model"));
    Assumptions as;
    AreaHistory history;
    Population pop;
    explicit ShippedData(const std::string& area = "E09000003") {
        read_assumptions(source("model/assumptions.yaml"), as);
        history = read_dfe_releases({source("data/dfe-ehcp-2022"), source("data/dfe-ehcp-2025"), source("data/dfe-ehcp-2026")}, area, tax);
        pop = read_population(source("data/ons-snpp-2022/barnet_snpp2022_5yrmig_persons_age0_25.csv"), tax);
    }
};

}  // namespace sendplan::test
