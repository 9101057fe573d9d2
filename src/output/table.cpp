#include "output/table.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "finance/financial_year.h"
#include "output/csv_text.h"

namespace sendplan {

std::string table_csv(const Table& t) {
    std::ostringstream out;
    for (std::size_t c = 0; c < t.header.size(); ++c) out << (c ? "," : "") << csv_field(t.header[c]);
    out << '\n';
    for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            if (c) out << ',';
            out << (row[c].is_number ? csv_number(row[c].number, row[c].decimals) : csv_field(row[c].text));
        }
        out << '\n';
    }
    return out.str();
}

namespace {

std::string financial_year_of(const TableCell& cell) {
    if (cell.is_number) return !std::isnan(cell.number) ? financial_year(static_cast<int>(cell.number)) : std::string();
    int year = 0;
    const char* end = cell.text.data() + cell.text.size();
    const auto [at, err] = std::from_chars(cell.text.data(), end, year);
    return err == std::errc() && at == end ? financial_year(year) : std::string();
}

}  // namespace

Table with_financial_year(const Table& t, std::size_t year_column, std::size_t at, const std::string& title) {
    Table out = t;
    out.header.insert(out.header.begin() + static_cast<std::ptrdiff_t>(at), title);
    out.kinds.resize(t.header.size(), CellStyle::plain);
    out.kinds.insert(out.kinds.begin() + static_cast<std::ptrdiff_t>(at), CellStyle::plain);
    for (auto& row : out.rows) {
        const TableCell fy = TableCell::of(year_column < row.size() ? financial_year_of(row[year_column]) : std::string());
        row.insert(row.begin() + static_cast<std::ptrdiff_t>(std::min(at, row.size())), fy);
    }
    return out;
}

}  // namespace sendplan
