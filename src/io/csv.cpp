#include "io/csv.h"

#include <algorithm>
#include <cctype>
#include <numeric>

#include "core/error.h"
#include "io/input_file.h"

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

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

bool is_suppression_mark(const std::string& cell) {
    const std::string s = trim(cell);
    return s.empty() || s == "x" || s == "z" || s == "c" || s == "low" || s == "u" || s == "X" || s == "Z" ||
           s == "C" || s == "U" || s == ":" || s == ".." || s == "~";
}

CsvTable CsvTable::read(const std::string& path, const std::string& what) {
    return parse(read_input_file(path, what), path);
}

namespace {

// The byte-order mark spreadsheet programs write before the header.
std::size_t after_byte_order_mark(const std::string& text) {
    const bool mark = text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBB &&
                      static_cast<unsigned char>(text[2]) == 0xBF;
    return mark ? 3 : 0;
}

// LF, CRLF and the old Mac CR alone all end a line (the CR of a CRLF does not: its LF does).
bool ends_line(const std::string& text, std::size_t i) {
    const char c = text[i];
    return c == '\n' || (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
}

// Splits CSV text into records, each given with the line it starts on; a quoted field may hold
// commas, doubled quotes and line breaks.
class RecordSplitter {
public:
    RecordSplitter(const std::string& text, const std::string& name) : text_(text), name_(name) {}

    template <class OnRecord>
    void each(OnRecord on_record) {
        for (std::size_t i = after_byte_order_mark(text_); i < text_.size(); ++i) {
            const char c = text_[i];
            if (in_quotes_) {
                quoted(i);
            } else if (c == '"') {
                in_quotes_ = true;
            } else if (c == ',') {
                end_field();
            } else if (ends_line(text_, i)) {
                finish(on_record);
                ++line_;
                record_line_ = line_;
            } else if (c != '\r') {
                field_ += c;
            }
        }
        if (in_quotes_) throw InputError(name_, record_line_, "", "a quoted field is never closed");
        if (!field_.empty() || !record_.empty()) finish(on_record);
    }

private:
    // Inside quotes a doubled quote is one quote, and a single one closes the field.
    void quoted(std::size_t& i) {
        const char c = text_[i];
        if (c != '"') {
            if (ends_line(text_, i)) ++line_;
            field_ += c;
        } else if (i + 1 < text_.size() && text_[i + 1] == '"') {
            field_ += '"';
            ++i;
        } else {
            in_quotes_ = false;
        }
    }
    void end_field() {
        record_.push_back(field_);
        field_.clear();
    }
    template <class OnRecord>
    void finish(OnRecord& on_record) {
        end_field();
        on_record(record_, record_line_);
        record_.clear();
    }

    const std::string& text_;
    const std::string& name_;
    std::vector<std::string> record_;
    std::string field_;
    bool in_quotes_ = false;
    long line_ = 1, record_line_ = 1;
};

}  // namespace

CsvTable CsvTable::parse(const std::string& text, const std::string& name) {
    CsvTable table;
    table.path_ = name;
    RecordSplitter(text, name).each([&](const std::vector<std::string>& record, long record_line) {
        const bool blank = record.size() == 1 && trim(record[0]).empty();
        if (blank) return;
        if (table.header_.empty()) {
            for (const auto& h : record) table.header_.push_back(trim(h));
            return;
        }
        if (record.size() != table.header_.size())
            throw InputError(name, record_line, "", "has " + std::to_string(record.size()) + " fields, the header has " + std::to_string(table.header_.size()));
        table.rows_.push_back(record);
        table.lines_.push_back(record_line);
    });
    if (table.header_.empty()) throw InputError(name, 1, "", "file is empty: a header line was expected");
    if (table.rows_.empty()) throw InputError(name, 2, "", "has a header but no rows: expected at least one row of data");
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

Where CsvTable::where(std::size_t row, std::size_t col) const { return Where{path_, lines_[row], 0, header_[col]}; }

std::optional<double> CsvTable::count(std::size_t row, std::size_t col) const {
    const std::string& cell = rows_[row][col];
    if (is_suppression_mark(cell)) return std::nullopt;
    return real_number(cell, 0, kMaxCount, where(row, col));
}

double CsvTable::number(std::size_t row, std::size_t col, double lo, double hi) const {
    return real_number(rows_[row][col], lo, hi, where(row, col));
}

std::string stated_area_code(const CsvTable& t) {
    const auto col = t.find_column("area_code");
    if (!col) return "";
    std::string area;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string code = upper(trim(t.text(r, *col)));
        if (code.empty()) throw InputError(t.path(), t.line(r), "area_code", "empty: give the authority's ONS code, as on every other row");
        if (!area.empty() && code != area)
            throw InputError(t.path(), t.line(r), "area_code", shown(code) + " differs from " + shown(area) + " above: a file holds one authority's rows");
        area = code;
    }
    return area;
}

double CsvTable::percent(std::size_t row, std::size_t col, double lo, double hi) const {
    return percent_number(rows_[row][col], lo, hi, where(row, col));
}

std::int64_t CsvTable::integer(std::size_t row, std::size_t col, std::int64_t lo, std::int64_t hi) const {
    return whole_number(rows_[row][col], lo, hi, where(row, col));
}

int CsvTable::year(std::size_t row, std::size_t col) const {
    return static_cast<int>(whole_number(rows_[row][col], kFirstYear, kLastYear, where(row, col)));
}

}  // namespace sendplan
