#include "output/table.h"

#include <sstream>

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

}  // namespace sendplan
