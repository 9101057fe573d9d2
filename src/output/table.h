#pragma once
// A table of text and numbers, written the same to a CSV file and to a workbook sheet, so the two
// never disagree. A NaN number is an empty cell.
#include <string>
#include <vector>

namespace sendplan {

// How a number reads in a workbook: as it is, a whole number with thousands separators, or a
// share shown as a percentage. The CSV keeps the number as it is, to `decimals`.
enum class CellStyle { plain, whole, percent };

struct TableCell {
    bool is_number = false;
    std::string text;
    double number = 0;
    int decimals = 0;   // for CSV
    CellStyle style = CellStyle::plain;
    static TableCell of(std::string s) { return {false, std::move(s), 0, 0, CellStyle::plain}; }
    static TableCell of(double v, int decimals, CellStyle style = CellStyle::plain) { return {true, {}, v, decimals, style}; }
};

struct Table {
    std::string name;   // the sheet's name
    std::vector<std::string> header;
    std::vector<std::vector<TableCell>> rows;
    // A header that is a year (a table with years as columns) goes into the sheet as a number, so a
    // planner's formulas and charts can use it.
    bool years_as_numbers = false;
};

std::string table_csv(const Table& table);

}  // namespace sendplan
