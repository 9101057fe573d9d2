#pragma once
// A CSV table read whole, remembering the line each record starts on so errors can name it.
#include <optional>
#include <string>
#include <vector>

namespace sendplan {

class CsvTable {
public:
    static CsvTable read(const std::string& path);
    static CsvTable parse(const std::string& text, const std::string& name);

    const std::string& path() const { return path_; }
    const std::vector<std::string>& header() const { return header_; }
    std::size_t rows() const { return rows_.size(); }
    long line(std::size_t row) const { return lines_[row]; }

    std::optional<std::size_t> find_column(const std::string& name) const;
    // The column's index; a missing column is refused naming the file and the column.
    std::size_t column(const std::string& name) const;
    const std::string& text(std::size_t row, std::size_t col) const { return rows_[row][col]; }

    // A published count: a number, or a suppression letter (x, z, c, low, u, blank) read as missing.
    // Anything else (a stray letter, "12a") is refused with file, line and field.
    std::optional<double> count(std::size_t row, std::size_t col) const;
    // A number that must be present.
    double number(std::size_t row, std::size_t col) const;
    long integer(std::size_t row, std::size_t col) const;
    // A January census (or calendar) year: a whole number from 1990 to 2200.
    int year(std::size_t row, std::size_t col) const;

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

// True for the letters DfE and ONS use for a value that is suppressed, not applicable or unknown.
bool is_suppression_mark(const std::string& cell);

}  // namespace sendplan
