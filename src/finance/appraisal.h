#pragma once
// Option appraisal for a board (HM Treasury Green Book): each option's costs against the base's,
// draw by draw on common random numbers, turned into base-year real terms and discounted; with the
// places each option adds, the chance places suffice, and the placements out of the borough it
// avoids. model/METHOD.md, section 16.
#include <string>
#include <vector>

#include "capacity/sufficiency.h"
#include "finance/spend.h"

namespace sendplan {

// Present value at the base year of cash amounts by year index (0 = base year): each deflated to
// base-year prices by general inflation, then discounted at the discount rate (both in per cent).
double present_value(const std::vector<double>& cash_by_year, double general_inflation_percent, double discount_rate_percent);

// One scenario as the appraisal sees it; spend and sufficiency may be null.
struct AppraisedScenario {
    std::string name;
    const SpendResult* spend = nullptr;
    const SufficiencyResult* sufficiency = nullptr;
    std::vector<std::string> place_groups;
};

// The appraisal's two tables, as rows of text and numbers (a NaN is left empty). A summary row's
// text is its option, its measure in words, the measure's code, the place group it is about ("all"
// where it is not about one) and its unit. The words may be reworded; the codes stay, for programs
// that read the table (docs/finance.md lists them): places_added (one row per place group),
// discount_rate_percent, general_inflation_percent, capital_cost_cash_gbp,
// capital_cost_present_value_gbp, capital_cost_per_place_gbp, net_present_cost_per_place_gbp,
// present_value_costs_base_gbp, present_value_costs_option_gbp, revenue_cost_present_value_gbp,
// npv_gbp and out_of_borough_placements_avoided.
struct AppraisalTables {
    std::vector<std::string> summary_header, by_year_header;
    struct Row {
        std::vector<std::string> text;
        std::vector<double> numbers;
        int decimals = -1;  // for every number of the row; -1: the table's own
    };
    std::vector<Row> summary, by_year;
};

// `general_inflation_percent` and `discount_rate_percent` from the base scenario's assumptions.
AppraisalTables appraise(const AppraisedScenario& base, const std::vector<AppraisedScenario>& options, double general_inflation_percent,
                         double discount_rate_percent);

}  // namespace sendplan
