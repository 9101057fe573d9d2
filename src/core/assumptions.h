#pragma once
// The tunable assumptions of the method (model/assumptions.yaml, overridable per scenario).
#include <string>
#include <vector>

namespace sendplan {

struct Assumptions {
    struct JoinerTrend {
        int window_years = 0;
        double damping = 0;
        double outlier_ratio = 0;
        double noise_prior_years = 0;
        double noise_prior_sd = 0;
    } joiner_trend;
    // Partial pooling across authorities of what drives the total (model/METHOD.md, section 11a).
    struct Pooling {
        bool enabled = true;
        int window_years = 0;          // recent years whose median departure from England is an area's own
        int joiner_growth_years = 0;   // years over which England's growth of new plans is measured
        double damping = 0;            // the yearly growth of new plans shrinks by this factor each year ahead
        double uncertainty_scale = 0;  // multiplies the spreads the record shows (1: as estimated)
        int min_areas = 0;             // fewer authorities with a record: the area's own fit, unpooled
        int england_shock_years = 0;   // years of changes in England's growth of plans that set its shocks' spread
        double england_shock_scale = 0;  // multiplies that spread (0: no England-wide shocks)
        double england_shock_decay = 1;  // weight of each change relative to the next newer one (1: all alike)
    } pooling;
    struct JoinerMix {
        int recent_years = 0;
        double need_prior_strength = 0;
        double setting_prior_strength = 0;
    } joiner_mix;
    struct Ceasing {
        double prior_plans = 0;
        double prior_rate = 0;
        int census_window_years = 0;
        int census_spread_years = 0;
    } ceasing;
    struct SettingMoves {
        double stay_weight = 0;
        double stay_weight_transfer = 0;
        std::vector<int> transfer_ages;
        double prior_strength = 0;
        double ipf_tolerance = 0;
        int ipf_max_iterations = 0;
    } setting_moves;
    struct NeedMoves {
        double stay_weight = 0;
        double prior_strength = 0;
        int smoothing_ages = 0;
    } need_moves;
    // Where children go when the places of their setting are full (model/METHOD.md, section 13).
    struct Capacity {
        bool places_elsewhere_unlimited = false;  // else held at the base census's placements elsewhere
        struct Step {                              // a named group of places a cascade tries
            std::string name;
            std::vector<std::string> types;        // provision register types
            std::string borough;                   // in, out or any
            std::string file;                      // where it was given, for messages
            long line = 0, column = 0;
        };
        std::vector<Step> steps;
        struct Cascade {                           // for a place group (settings.yaml), the steps in order
            std::string place_group;
            std::vector<std::string> steps;
            int from_year = 0;                     // a scenario's change from this census year; 0: every year
            std::string file;
            long line = 0, column = 0;
        };
        std::vector<Cascade> cascade;
    } capacity;
    // Growth of costs and the terms of appraisal (model/METHOD.md, section 15).
    struct Finance {
        double inflation_percent[4] = {0, 0, 0, 0};  // by cost element: place, top-up, fee, transport
        double inflation_uncertainty_percent = 0;
        double general_inflation_percent = 0;
        double discount_rate_percent = 0;
    } finance;
};

}  // namespace sendplan
