#pragma once
// An Excel workbook (libxlsxwriter): an optional cover sheet first, then one sheet per table, numbers
// as numbers in their column's format (pounds, percentages, counts, years), the header row bold and
// frozen; then line charts of some columns of a sheet, each on its own sheet; written into a results
// folder.
#include <string>
#include <vector>

#include "output/atomic_output.h"
#include "output/table.h"

namespace sendplan {

struct WorkbookChart {
    std::string sheet_name, title, y_axis;   // the chart's own sheet, its title and value axis
    std::size_t table = 0;                   // the table whose first column is the category (year)
    std::vector<std::size_t> columns;        // the columns drawn, one line each
    std::vector<std::size_t> dashed;         // those of `columns` drawn dashed (the outer lines of an interval)
    std::string y_format;                    // the value axis's number format, e.g. "£#,##0"; empty: Excel's own
};

// The first sheet: a title, then lines of a label (in bold) and its values, one to a cell.
struct WorkbookCover {
    std::string sheet_name = "Cover", title;
    std::vector<std::vector<TableCell>> lines;  // an empty line leaves a blank row
};

struct Workbook {
    // The workbook's creation date is 1 January of this year (the base census's), not the clock's,
    // so identical runs write identical files.
    int as_of_year = 0;
    std::vector<WorkbookCover> cover;  // none or one
    std::vector<Table> tables;
    std::vector<WorkbookChart> charts;
};

void write_workbook(const ResultsFolder& folder, const std::string& name, const Workbook& book);

// A workbook of tables and charts without a cover.
void write_workbook(const ResultsFolder& folder, const std::string& name, int as_of_year, const std::vector<Table>& tables,
                    const std::vector<WorkbookChart>& charts = {});

// The number format a workbook gives a style ("£#,##0", "0.0%", ...); empty for plain.
const char* number_format_of(CellStyle style);

}  // namespace sendplan
