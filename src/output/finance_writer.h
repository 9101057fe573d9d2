#pragma once
// The high-needs finance of a run: spend by element and by placement, capital, income and the DSG
// balance, by year, as percentiles over draws (high_needs_spend.csv); the run's plans in the DSG
// management plan's placement categories and age groups (dsg_management_plan.csv); and both, with a
// cover, the cost assumptions and a fan chart of spend, as a workbook for finance
// (high_needs_finance.xlsx).

#include "evaluate/run.h"
#include "output/atomic_output.h"

namespace sendplan {

// For a run that prices spend (run.spend() not null).
void write_finance_outputs(const ResultsFolder& folder, const Run& run);

}  // namespace sendplan
