#pragma once
// Partial pooling across local authorities (model/METHOD.md, section 11.2). What drives an area's
// total (how many plans end or leave each year, and how many new plans start) is estimated from
// every authority in the national files together: England's own rates, and how far an area's past
// departure from them carries into the next year, learnt from all areas' records. An area's own
// history keeps the shape of its plans (ages, needs, settings); its totals borrow from the rest
// as much as the record says they should.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/assumptions.h"
#include "io/area_history.h"
#include "io/dfe_reader.h"
#include "model/posterior.h"

namespace sendplan {

// An area's published totals: plans at each January census, new plans in each calendar year.
struct AreaTotals {
    std::string code;
    std::map<int, double> stock, joined;
};
AreaTotals totals_of(const AreaHistory& history);

// What the pool is fitted on: every local authority's totals in the releases (dissolved ones for
// the years they existed) and England's, where the releases have England's rows.
struct PoolingRecord {
    std::vector<AreaTotals> authorities;
    std::optional<AreaTotals> england;
};
PoolingRecord pooling_record(const DfeReleases& releases, const Taxonomy& taxonomy);

struct PooledEstimates {
    int origin = 0;      // January census of the data they use (nothing later)
    int areas = 0;       // authorities with a usable record
    AreaTotals england;  // England's totals as known at the origin
    // England, in the last year known: net leaving per plan held (ended, aged out, moved away, less
    // arrived), new plans per plan held, and the yearly growth of new plans (log) with its spread.
    double england_net_leaving = 0;
    double england_joiner_ratio = 0;
    double england_joiner_growth = 0, england_joiner_growth_sd = 0;
    // How much England's yearly growth of plans held (S_{t+1}/S_t - 1) has changed from one year to
    // the next: the root mean square of the changes over the last `england_shock_years` known.
    double england_growth_change_sd = 0;
    // How much of an area's recent departure from England carries into the next year (0: none,
    // 1: all), and the spread of what it does not foresee: for net leaving (a difference in rate)
    // and for new plans per plan held (a log ratio).
    double leaving_persistence = 0, leaving_residual_sd = 0;
    double joiner_persistence = 0, joiner_residual_sd = 0;
    // The mean departure across areas that the rule adds (England's rates are weighted by plans held,
    // a typical area's are not).
    double leaving_offset = 0, joiner_offset = 0;
    double leaving_departure_limit = 0, joiner_departure_limit = 0;  // an area's own departure is held within these
    // Empirical Bayes by area: the variance of lasting departures between areas, and the median
    // area's yearly scatter of departures (the prior for an area's own).
    double leaving_between_variance = 0, joiner_between_variance = 0;
    double leaving_noise_variance = 0, joiner_noise_variance = 0;
    int persistence_year = 0;  // the calendar year whose departures they were learnt on (origin - 1, or earlier)
    int leaving_areas_left_out = 0, joiner_areas_left_out = 0;  // beyond five robust spreads of the fit: not in it
};

// Fits the pooled estimates from every authority's totals and England's, using censuses up to
// `origin` and new plans of calendar years before it. Returns nothing when fewer than
// `pooling.min_areas` authorities have a usable record (a folder of a few areas' rows).
std::optional<PooledEstimates> fit_pooled(const std::vector<AreaTotals>& authorities, const AreaTotals& england, int origin,
                                          const Assumptions::Pooling& pooling);
// The same from a record; nothing without England's rows.
std::optional<PooledEstimates> fit_pooled(const PoolingRecord& record, int origin, const Assumptions::Pooling& pooling);

// The area's net leaving and new plans in the calendar year before the base census, as pooling
// predicts them, with what they rest on.
struct PooledArea {
    double net_leaving = 0;
    double joiners = 0;          // new plans in calendar year base_year - 1
    double own_leaving_departure = 0, own_joiner_departure = 0;  // the area's recent departures from England
    double leaving_weight = 0, joiner_weight = 0;                // how much of them carries for this area
    double joiner_factor = 1;                                    // its new plans per plan held against England's
    int leaving_years = 0, joiner_years = 0;                     // years behind them
};
PooledArea pooled_area(const PooledEstimates& pooled, const AreaTotals& area, const Assumptions::Pooling& pooling);

// Sets the posterior's trend of new plans and its net transfers so that its expected total moves as
// the pooled estimates say, with their uncertainty; the area's own ages, needs and settings stay.
// `population_total` is the population the trend's rate is per head of in its last year.
void apply_pooling(const PooledEstimates& pooled, const AreaTotals& area, const Assumptions::Pooling& pooling, double population_total,
                   Posterior& posterior, std::vector<std::string>& notes);

}  // namespace sendplan
