#pragma once
// Fields of the CSV summaries: text quoted only where it must be, numbers to a fixed number of
// decimals with a missing value (NaN) left empty, so the files open cleanly in a spreadsheet.
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace sendplan {

inline std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out.push_back('"');
    return out;
}

inline std::string csv_number(double v, int decimals = 1) {
    if (std::isnan(v)) return "";
    return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace sendplan
