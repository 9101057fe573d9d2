#pragma once
// A CSV table read whole, remembering the line each record starts on so errors can name it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/numbers.h"

namespace sendplan {

class CsvTable {
public:
    // `what` says what was expected at the path, for the message refusing a folder, pipe or device.
    static CsvTable read(const std::string& path, const std::string& what = "a CSV file");
    static CsvTable parse(const std::string& text, const std::string& name);

    const std::string& path() const { return path_; }
    const std::vector<std::string>& header() const { return header_; }
    std::size_t rows() const { return rows_.size(); }
    long line(std::size_t row) const { return lines_[row]; }

    std::optional<std::size_t> find_column(const std::string& name) const;
    // The column's index; a missing column is refused naming the file and the column.
    std::size_t column(const std::string& name) const;
    const std::string& text(std::size_t row, std::size_t col) const { return rows_[row][col]; }

    // A published count: a number from 0 to kMaxCount, or a suppression letter (x, z, c, low, u,
    // blank) read as missing. Anything else ("12a", "nan", "1e10") is refused with file, line and field.
    std::optional<double> count(std::size_t row, std::size_t col) const;
    // A finite number from `lo` to `hi` that must be present.
    double number(std::size_t row, std::size_t col, double lo, double hi) const;
    // A per-cent figure (core/numbers.h: percent_number).
    double percent(std::size_t row, std::size_t col, double lo, double hi) const;
    std::int64_t integer(std::size_t row, std::size_t col, std::int64_t lo, std::int64_t hi) const;
    // A January census (or calendar) year from kFirstYear to kLastYear.
    int year(std::size_t row, std::size_t col) const;
    // Where a cell is, for the checked conversions and for messages.
    Where where(std::size_t row, std::size_t col) const;

private:
    std::string path_;
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<long> lines_;
};

// A cell's text without surrounding blanks.
std::string trim(const std::string& s);
// Upper case, for matching codes without regard to case ("SpLD", "SPLD").
std::string upper(std::string s);
// Letters to insert, delete or change to turn one word into the other: how near a mistyped name is.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The area a local file states in its optional `area_code` column (ONS code, such as E09000003),
// so that a run can refuse another authority's file; every row must give the same. Empty where
// the file has no such column.
std::string stated_area_code(const CsvTable& table);

// True for the letters DfE and ONS use for a value that is suppressed, not applicable or unknown.
bool is_suppression_mark(const std::string& cell);

}  // namespace sendplan
