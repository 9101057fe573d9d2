#pragma once
// A table of text and numbers, written the same to a CSV file and to a workbook sheet, so the two
// never disagree. A NaN number is an empty cell.
#include <string>
#include <vector>

namespace sendplan {

struct TableCell {
    bool is_number = false;
    std::string text;
    double number = 0;
    int decimals = 0;   // for CSV
    static TableCell of(std::string s) { return {false, std::move(s), 0, 0}; }
    static TableCell of(double v, int decimals) { return {true, {}, v, decimals}; }
};

struct Table {
    std::string name;   // the sheet's name
    std::vector<std::string> header;
    std::vector<std::vector<TableCell>> rows;
};

std::string table_csv(const Table& table);

}  // namespace sendplan
