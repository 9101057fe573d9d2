#pragma once
// One draw's parameters, sampled from the posterior, in the form the simulation uses directly.
#include <cstdint>
#include <vector>

#include "core/rng.h"
#include "core/index_array.h"
#include "model/alias_table.h"
#include "model/posterior.h"

namespace sendplan {

struct DrawParameters {
    double trend_intercept = 0, trend_slope = 0, trend_sigma = 0;
    std::vector<double> joiner_age_weight;   // [age] expected joiners per unit of exp(log rate) x population
    LazyAliasTables joiner_cell;             // [age] over need x setting
    std::vector<double> cease_probability;   // [age]
    double transfer_rate = 0;                // >= 0: Poisson arrivals per plan; < 0 folded into ceasing
    // What happens to a plan held at (age, setting) by the next census: it ceases (net departures to
    // other authorities included), or else it stays in its setting or moves to another. As chances,
    // and as thresholds out of 2^32 that split one 32-bit number per plan: below stay_below it
    // stays, from cease_from up it ceases, between it moves.
    // Each is by age and the setting moved from, one layout: a cell's offset reads them all.
    template <class T>
    using ByAgeSetting = IndexArray<T, dim::Age, dim::Setting>;
    ByAgeSetting<double> stay_probability;
    ByAgeSetting<double> cease_share_of_leavers;  // of those not staying
    ByAgeSetting<std::uint64_t> stay_below, cease_from;  // at most 2^32
    ByAgeSetting<std::uint64_t> stay_if_continuing_below;  // of plans that go on
    LazyAliasTables next_if_moving;  // where movers go ("from" weighted 0), at stay_probability's offsets
    // Primary need recorded at the next census: the chance it changes, scaled to 16 bits for the
    // hot loop, and the new need when it does.
    IndexArray<std::uint32_t, dim::Age, dim::Need> need_change_threshold;  // probability x 65536
    IndexArray<AliasTable, dim::Age, dim::Need> new_need;  // the old need weighted 0; fixed

    explicit DrawParameters(const Posterior& posterior);
};

// Fills `out` (allocated once per thread) from the posterior using the draw's parameter stream.
void sample_parameters(const Posterior& posterior, Stream& stream, DrawParameters& out, std::vector<double>& scratch);

// Expected log new-plan rate offset for projection step h (1-based year after the trend's last year).
double damped_time(double damping, int steps);

}  // namespace sendplan
