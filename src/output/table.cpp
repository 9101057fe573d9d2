#include "output/table.h"

#include <cctype>
#include <charconv>
#include <regex>
#include <cmath>
#include <sstream>

#include "finance/financial_year.h"
#include "output/csv_text.h"

namespace sendplan {

namespace {

// "5th percentile" (or "5th_percentile") -> "p05", "median" -> "p50", in a title already in lower case.
std::string percentiles_as_codes(std::string text) {
    static const std::regex ordinal(R"((\d+)(?:st|nd|rd|th)[^a-z0-9]+percentile)");
    std::string out;
    std::sregex_iterator it(text.begin(), text.end(), ordinal), end;
    std::size_t from = 0;
    for (; it != end; ++it) {
        const std::string n = (*it)[1].str();
        out += text.substr(from, static_cast<std::size_t>(it->position()) - from) + "p" + (n.size() == 1 ? "0" + n : n);
        from = static_cast<std::size_t>(it->position() + it->length());
    }
    out += text.substr(from);
    return std::regex_replace(out, std::regex(R"(\bmedian\b)"), "p50");
}

}  // namespace

std::string csv_column_name(const std::string& title) {
    std::string lower;
    for (const char c : title) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower = percentiles_as_codes(lower);
    std::string out;
    for (const char c : lower) {
        if (std::isalnum(static_cast<unsigned char>(c))) out += c;
        else if (c == '%') out += out.empty() || out.back() == '_' ? "percent" : "_percent";
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

std::string table_csv(const Table& t) {
    std::ostringstream out;
    for (std::size_t c = 0; c < t.header.size(); ++c) out << (c ? "," : "") << csv_field(csv_column_name(t.header[c]));
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
