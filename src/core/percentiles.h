#pragma once
// The percentiles every summary reports (CSV columns, results.h5, the plots), defined once, with the
// names the files give them.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace sendplan {

inline const std::vector<double>& reported_percentiles() {
    static const std::vector<double> p = {0.05, 0.10, 0.50, 0.90, 0.95};
    return p;
}

// A percentile as a column name: p05, p10, p50, ...
inline std::string percentile_column(double p) {
    char name[16];
    std::snprintf(name, sizeof name, "p%02ld", std::lround(p * 100));
    return name;
}

// "<stem>_p05,<stem>_p10,..." over the reported percentiles, as CSV columns; `stem` empty gives
// "p05,p10,...".
inline std::string percentile_columns(const std::string& stem) {
    std::string out;
    for (double p : reported_percentiles()) {
        if (!out.empty()) out += ',';
        if (!stem.empty()) out += stem + "_";
        out += percentile_column(p);
    }
    return out;
}

// A percentile in a planner's words: "5th percentile", "median", "90th percentile".
inline std::string percentile_words(double p) {
    const long n = std::lround(p * 100);
    if (n == 50) return "median";
    const long last = n % 10, last_two = n % 100;
    const char* suffix = (last_two >= 11 && last_two <= 13) ? "th" : last == 1 ? "st" : last == 2 ? "nd" : last == 3 ? "rd" : "th";
    return std::to_string(n) + suffix + " percentile";
}

// "<what> (5th percentile),<what> (10th percentile),..." over the reported percentiles; `what` empty
// gives "5th percentile,10th percentile,Median,..." as a table's own columns.
inline std::string percentile_headers(const std::string& what) {
    std::string out;
    for (double p : reported_percentiles()) {
        std::string words = percentile_words(p);
        if (what.empty() && !words.empty()) words[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(words[0])));
        // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on a chain of operator+ here.
        if (!out.empty()) out += ',';
        if (what.empty()) {
            out += words;
        } else {
            out += what;
            out += " (";
            out += words;
            out += ')';
        }
    }
    return out;
}

}  // namespace sendplan
