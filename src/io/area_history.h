#pragma once
// What the published DfE tables say about one area, on the model's categories. Counts are doubles
// because a few published cells are suppressed and re-filled (see METHOD.md, "Suppressed cells").
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace sendplan {

// A local authority's new code (E06 unitary, E07 district, E08 metropolitan, E09 London, E10
// county), not England (E92) or a region (E12).
inline bool is_local_authority_code(const std::string& code) {
    return code.size() == 9 && code[0] == 'E' && (code.compare(0, 3, "E06") == 0 || code.compare(0, 3, "E07") == 0 || code.compare(0, 3, "E08") == 0 ||
                                                  code.compare(0, 3, "E09") == 0 || code.compare(0, 3, "E10") == 0);
}

struct AgeSpan {
    int first = 0, last = 0;  // inclusive census ages
};

// One published row broken down by age: a total and its split (by setting or by need).
struct AgeRow {
    AgeSpan ages;
    double total = NAN;
    std::vector<double> split;  // empty when the table has no split for this row
    bool suppressed = false;    // the published total was suppressed: `total` is what its columns show, if anything
};

using YearSeries = std::map<int, double>;
using YearSplit = std::map<int, std::vector<double>>;
using YearAgeRows = std::map<int, std::vector<AgeRow>>;

struct AreaHistory {
    std::string area_code, area_name;

    // Plans at the January census of the year (2026 = January 2026).
    YearSeries stock_total;
    YearSplit stock_by_setting;     // [setting]
    YearAgeRows stock_by_age;       // split by setting where published
    // New plans and ceased plans in the calendar year.
    YearSeries new_total;
    YearSplit new_by_setting;
    YearAgeRows new_by_age;         // age when the plan started, split by setting
    YearSeries ceased_total;
    YearAgeRows ceased_by_age;      // age when the plan ceased
    // Primary need: stock at the census, new plans in the calendar year.
    YearSplit stock_by_need;                              // [need]
    YearAgeRows stock_need_by_age;                        // split by need
    std::map<int, std::vector<std::vector<double>>> stock_need_by_setting;  // [setting][need]
    YearSplit new_by_need;
    YearAgeRows new_need_by_age;
    std::map<int, std::vector<std::vector<double>>> new_need_by_setting;

    std::vector<std::string> files_read;
    std::vector<std::string> notes;  // what the reader flagged (re-filled suppressed cells and the like)
};

}  // namespace sendplan
