#include "io/csv.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace sendplan {

std::string trim(const std::string& s) {
    std::size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    std::size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

namespace {

std::optional<double> parse_double(const std::string& raw) {
    const std::string s = trim(raw);
    if (s.empty()) return std::nullopt;
    double value = 0;
    const char* first = s.data();
    const char* last = s.data() + s.size();
    if (*first == '+') ++first;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last) return std::nullopt;
    return value;
}

}  // namespace

bool is_suppression_mark(const std::string& cell) {
    const std::string s = trim(cell);
    return s.empty() || s == "x" || s == "z" || s == "c" || s == "low" || s == "u" || s == "X" || s == "Z" ||
           s == "C" || s == "U" || s == ":" || s == ".." || s == "~";
}

CsvTable CsvTable::read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, "", "cannot open file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse(buffer.str(), path);
}

CsvTable CsvTable::parse(const std::string& text, const std::string& name) {
    CsvTable table;
    table.path_ = name;
    std::vector<std::string> record;
    std::string field;
    bool in_quotes = false;
    long line = 1, record_line = 1;
    std::size_t i = 0;
    if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
        static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF)
        i = 3;  // byte-order mark written by spreadsheet programs
    auto finish_record = [&]() {
        record.push_back(field);
        field.clear();
        bool blank = record.size() == 1 && trim(record[0]).empty();
        if (!blank) {
            if (table.header_.empty()) {
                for (auto& h : record) table.header_.push_back(trim(h));
            } else {
                if (record.size() != table.header_.size())
                    throw InputError(name, record_line, "",
                                     "has " + std::to_string(record.size()) + " fields, the header has " +
                                         std::to_string(table.header_.size()));
                table.rows_.push_back(record);
                table.lines_.push_back(record_line);
            }
        }
        record.clear();
    };
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    in_quotes = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
        } else if (c == '"') {
            in_quotes = true;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
        } else if (c == '\n') {
            finish_record();
            ++line;
            record_line = line;
        } else if (c != '\r') {
            field += c;
        }
    }
    if (in_quotes) throw InputError(name, record_line, "", "a quoted field is never closed");
    if (!field.empty() || !record.empty()) finish_record();
    if (table.header_.empty()) throw InputError(name, 1, "", "file is empty: a header line was expected");
    return table;
}

std::optional<std::size_t> CsvTable::find_column(const std::string& name) const {
    for (std::size_t c = 0; c < header_.size(); ++c)
        if (header_[c] == name) return c;
    return std::nullopt;
}

std::size_t CsvTable::column(const std::string& name) const {
    auto c = find_column(name);
    if (!c) throw InputError(path_, 1, name, "required column is missing from the header");
    return *c;
}

std::optional<double> CsvTable::count(std::size_t row, std::size_t col) const {
    const std::string& cell = rows_[row][col];
    if (is_suppression_mark(cell)) return std::nullopt;
    auto v = parse_double(cell);
    if (!v) throw InputError(path_, lines_[row], header_[col], "expected a number or a suppression mark (x, z, c, low, u), found '" + trim(cell) + "'");
    if (*v < 0) throw InputError(path_, lines_[row], header_[col], "a count cannot be negative, found '" + trim(cell) + "'");
    return v;
}

double CsvTable::number(std::size_t row, std::size_t col) const {
    auto v = parse_double(rows_[row][col]);
    if (!v) throw InputError(path_, lines_[row], header_[col], "expected a number, found '" + trim(rows_[row][col]) + "'");
    return *v;
}

long CsvTable::integer(std::size_t row, std::size_t col) const {
    double v = number(row, col);
    if (v != static_cast<double>(static_cast<long>(v)))
        throw InputError(path_, lines_[row], header_[col], "expected a whole number, found '" + trim(rows_[row][col]) + "'");
    return static_cast<long>(v);
}

int CsvTable::year(std::size_t row, std::size_t col) const {
    const long y = integer(row, col);
    if (y < 1990 || y > 2200) throw InputError(path_, lines_[row], header_[col], "year " + std::to_string(y) + " is not a census year");
    return static_cast<int>(y);
}

}  // namespace sendplan
