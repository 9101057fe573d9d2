#pragma once
// A synthetic person-level history (one row per child per January census) simulated child by child
// from known parameters: for tests of calibration (does it recover what made the data?) and demos.
#include <cstdint>
#include <vector>

#include "io/person_level.h"
#include "model/interventions.h"
#include "model/posterior.h"

namespace sendplan {

struct SyntheticOptions {
    int first_census = 2016;  // year of the first census, which is the posterior's base stock
    int years = 10;           // censuses after the first
    std::uint64_t seed = 1;
    Interventions interventions;  // changes to demand, in the history's census years
};

// Draw 0 of the projection (the posterior's means when without_parameter_uncertainty is set), run
// from the posterior's base stock as if its census were `first_census`, told child by child: the
// yearly step settles each cell's plans as it does in a projection, and the children of the cell
// take those fates at random. Joiners of year h use the population and trend of projection step h,
// so the posterior's horizon must cover `years`. Rows come out census by census with ids "P<number>".
std::vector<CensusRow> synthesise_history(const Posterior& truth, const SyntheticOptions& options);

}  // namespace sendplan
