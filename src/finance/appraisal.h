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

// The appraisal's two tables, as rows of text and numbers (a NaN is left empty).
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
