#pragma once
// A table of text and numbers, written the same to a CSV file and to a workbook sheet, so the two
// never disagree. A NaN number is an empty cell.
#include <string>
#include <vector>

namespace sendplan {

// How a number reads in a workbook; the CSV keeps the number as it is, to `decimals`.
//   whole     a count, with thousands separators (#,##0)
//   currency  pounds, whole, with thousands separators (£#,##0)
//   percent   a share 0..1, shown as a percentage (0.0%)
//   per_cent  a figure already in per cent (3.5 for 3.5%): the sheet holds it as the share it is
//             (0.035), so it reads as 3.5% and a formula using it works
//   decimal   a figure with one decimal (#,##0.0)
//   year      a census year, a number without separators
//   plain     as it is (for a column: its cells' own styles)
enum class CellStyle { plain, whole, currency, percent, per_cent, decimal, year };

struct TableCell {
    bool is_number = false;
    std::string text;
    double number = 0;
    int decimals = 0;   // for CSV
    CellStyle style = CellStyle::plain;  // plain: the column's kind
    static TableCell of(std::string s) { return {false, std::move(s), 0, 0, CellStyle::plain}; }
    static TableCell of(double v, int decimals, CellStyle style = CellStyle::plain) { return {true, {}, v, decimals, style}; }
};

struct Table {
    std::string name;   // the sheet's name
    std::vector<std::string> header;
    // Each column's kind in a workbook, by header position (a column past its end is plain). A
    // number cell takes its own style where it has one (a table whose rows are measures of
    // different kinds), else its column's.
    std::vector<CellStyle> kinds;
    std::vector<std::vector<TableCell>> rows;
    // A header that is a year (a table with years as columns) goes into the sheet as a number, so a
    // planner's formulas and charts can use it.
    bool years_as_numbers = false;

    void add_column(std::string title, CellStyle kind) {
        header.push_back(std::move(title));
        kinds.resize(header.size() - 1, CellStyle::plain);
        kinds.push_back(kind);
    }
    CellStyle kind(std::size_t column) const { return column < kinds.size() ? kinds[column] : CellStyle::plain; }
};

// A CSV file's columns are named for programs: a title as a machine name, in lower case with
// underscores, percentiles as p05 .. p95 and the median as p50: "Difference (5th percentile)" is
// difference_p05, "Mean (GBP)" mean_gbp; a name already so written is kept. Titles stay for people,
// in workbooks and reports.
std::string csv_column_name(const std::string& title);

// The table as CSV, its header in machine names (csv_column_name).
std::string table_csv(const Table& table);

// The table with a column of financial years ("2026-27") inserted at `at` under `title`, each read
// from the census year in column `year_column` (a number, or text holding one); a row without a
// year gets an empty cell.
Table with_financial_year(const Table& table, std::size_t year_column, std::size_t at, const std::string& title);

}  // namespace sendplan
