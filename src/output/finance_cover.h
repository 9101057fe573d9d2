#pragma once
// The sheets that let a finance officer use a finance workbook unaided: a cover (the scenarios and
// what they are, the draws and seed, the engine, the date, what the intervals and years mean, the
// data sources with their checksums) and the assumptions (every cost row, its source and how
// uncertain it is).
#include <string>
#include <vector>

#include "evaluate/run.h"
#include "output/table.h"
#include "output/workbook_writer.h"

namespace sendplan {

// `runs`: the scenario, or the base then the options; the first's seed, draws and years are all's.
WorkbookCover finance_cover(const std::string& title, const std::vector<const Run*>& runs);

// The run's cost table, row by row, as the sheet "Assumptions" (empty of rows without costs).
Table cost_assumptions(const Run& run);

}  // namespace sendplan
