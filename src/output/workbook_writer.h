#pragma once
// An Excel workbook (libxlsxwriter): one sheet per table, numbers as numbers, the header row frozen;
// optionally a line chart of some columns of one sheet, written into a results folder.
#include <string>
#include <vector>

#include "output/atomic_output.h"
#include "output/table.h"

namespace sendplan {

struct WorkbookChart {
    std::string sheet_name, title, y_axis;   // the chart's own sheet, its title and value axis
    std::size_t table = 0;                   // the table whose first column is the category (year)
    std::vector<std::size_t> columns;        // the columns drawn, one line each
};

// `as_of_year`: the workbook's creation date is 1 January of that year (the base census's), not the
// clock's, so identical runs write identical files.
void write_workbook(const ResultsFolder& folder, const std::string& name, int as_of_year, const std::vector<Table>& tables,
                    const std::vector<WorkbookChart>& charts = {});

}  // namespace sendplan
