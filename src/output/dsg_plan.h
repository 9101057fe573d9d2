#pragma once
// The DfE's DSG management plan template counts EHC plans by placement category and age group;
// dsg_management_plan.csv and its sheet give the run's plans in those categories, so the
// template's tables of placements can be filled from the run.
// docs/finance.md says which categories the engine cannot fill.
#include "evaluate/run.h"
#include "output/table.h"

namespace sendplan {

struct DsgPlanTables {
    Table codes;   // dsg_management_plan.csv: snake_case headers and codes
    Table titles;  // the workbook's sheet: headers and categories in words
};

// The run's plans (mean over draws) by census year, placement category and age group, and a row
// for all ages of each category.
DsgPlanTables dsg_plan_tables(const Run& run);

}  // namespace sendplan
