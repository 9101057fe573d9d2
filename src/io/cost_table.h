#pragma once
// The cost table: what a placement costs a year, by setting (or out-of-borough placement), phase,
// need and element of cost, each with its source and how uncertain it is (data/local/*_costs.csv;
// docs/finance.md). Read as written; the finance stage resolves the rows against the taxonomy.
#include <string>
#include <vector>

namespace sendplan {

enum CostElement { cost_place, cost_top_up, cost_fee, cost_transport, cost_elements };
const char* cost_element_name(int e);
// The element a name gives (place, top_up, fee, transport), or -1 for any other name.
int cost_element_of(const std::string& name);
struct CostRow {
    std::string placement;     // a setting code, or out_of_borough_<place group>
    std::string phase;         // a phase code or "all"
    std::string need;          // a need code, a broad area or "all"
    int element = 0;
    double pounds = 0;         // a year, at base-year prices
    double uncertainty_percent = 0;  // the standard deviation of a draw's factor on it, in per cent
    std::string source;        // where the figure comes from ("published: ..." or "assumed: ...")
    long line = 0;
};

struct CostTable {
    std::string path;
    std::string area_code;  // as its optional area_code column states, or empty
    std::vector<CostRow> rows;
};

// Refuses, with file, line and field: an unknown element, a negative or non-numeric amount, an
// uncertainty outside 0..100 per cent.
CostTable read_cost_table(const std::string& path);

}  // namespace sendplan
