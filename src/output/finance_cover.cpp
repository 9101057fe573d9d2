#include "output/finance_cover.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "finance/financial_year.h"

namespace sendplan {
namespace {

using Line = std::vector<TableCell>;

Line text_line(const std::string& label, const std::string& value) { return {TableCell::of(label), TableCell::of(value)}; }

void add_scenarios(std::vector<Line>& lines, const std::vector<const Run*>& runs) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const Scenario& sc = runs[i]->scenario();
        const std::string label = runs.size() == 1 ? "Scenario" : i == 0 ? "Base scenario" : "Option";
        lines.push_back({TableCell::of(label), TableCell::of(sc.name), TableCell::of(sc.description)});
    }
}

void add_run_settings(std::vector<Line>& lines, const Run& run) {
    const RunRecord& rec = run.record();
    const ProjectionResult& r = run.result();
    const int last = r.base_year + r.horizon;
    lines.push_back(text_line("Area", rec.area_name.empty() ? rec.area_code : fmt::format("{} ({})", rec.area_name, rec.area_code)));
    // A seed is a name for the random streams, not a quantity: text keeps every digit of it.
    lines.push_back(text_line("Seed", std::to_string(r.seed)));
    lines.push_back({TableCell::of("Draws"), TableCell::of(static_cast<double>(r.draws), 0, CellStyle::whole)});
    lines.push_back({TableCell::of("Base census (observed)"), TableCell::of(static_cast<double>(r.base_year), 0, CellStyle::year),
                     TableCell::of(financial_year(r.base_year))});
    lines.push_back({TableCell::of("Last census projected"), TableCell::of(static_cast<double>(last), 0, CellStyle::year),
                     TableCell::of(financial_year(last))});
    lines.push_back(text_line("Engine", fmt::format("sendplan {} (revision {})", rec.engine_version, rec.git_revision)));
    lines.push_back(text_line("Dated", fmt::format("1 January {}: the base census's year, not the day it was run, so that identical runs write "
                                                   "identical files",
                                                   r.base_year)));
}

void add_meanings(std::vector<Line>& lines) {
    lines.push_back(text_line("Years", "A year is a January census. Its financial year (April to March) is the one the census falls in: the "
                                       "January 2027 census is in 2026-27."));
    lines.push_back(text_line("Money", "Cash: pounds of each year, grown from base-year prices by the cost growth below. High-needs spend is "
                                       "place funding, top-ups and fees; home-to-school transport is paid from the general fund and shown apart."));
    lines.push_back(text_line("Intervals", "Each draw is one possible future. The 5th to 95th percentiles of the draws are a 90% prediction "
                                           "interval (the 10th to 90th, an 80% one), taking in the uncertainty of the model's parameters, of "
                                           "the year-to-year process and of costs. Percentiles of different lines do not add up; means do."));
}

void add_rates(std::vector<Line>& lines, const Assumptions::Finance& f) {
    static const char* elements[cost_elements] = {"place funding", "top-ups", "fees", "transport"};
    for (int e = 0; e < cost_elements; ++e)
        lines.push_back({TableCell::of(fmt::format("Cost growth a year: {}", elements[e])),
                         TableCell::of(f.inflation_percent[e], 2, CellStyle::per_cent)});
    lines.push_back({TableCell::of("General inflation a year"), TableCell::of(f.general_inflation_percent, 2, CellStyle::per_cent)});
    lines.push_back({TableCell::of("Discount rate a year"), TableCell::of(f.discount_rate_percent, 2, CellStyle::per_cent)});
}

void add_sources(std::vector<Line>& lines, const std::vector<const Run*>& runs) {
    lines.push_back({});
    lines.push_back({TableCell::of("Data sources"), TableCell::of("File read"), TableCell::of("SHA-256 checksum")});
    std::set<std::string> seen;
    for (const Run* run : runs)
        for (const auto& [path, sum] : run->record().inputs)
            if (seen.insert(path).second) lines.push_back({TableCell::of(""), TableCell::of(path), TableCell::of(sum)});
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Whether the cost table's source calls the figure published or assumed.
std::string published_or_assumed(const std::string& source) {
    const std::string s = lower(source);
    if (s.rfind("published", 0) == 0) return "published";
    if (s.rfind("assumed", 0) == 0) return "assumed";
    return "see source";
}

std::vector<bool> rows_used(const CostModel& costs) {
    std::vector<bool> used(costs.table->rows.size(), false);
    for (const int row : costs.row_of)
        if (row >= 0) used[static_cast<std::size_t>(row)] = true;
    return used;
}

}  // namespace

WorkbookCover finance_cover(const std::string& title, const std::vector<const Run*>& runs) {
    WorkbookCover cover;
    cover.title = title;
    add_scenarios(cover.lines, runs);
    add_run_settings(cover.lines, *runs.front());
    add_meanings(cover.lines);
    add_rates(cover.lines, runs.front()->scenario().assumptions.finance);
    add_sources(cover.lines, runs);
    return cover;
}

Table cost_assumptions(const Run& run) {
    Table t;
    t.name = "Assumptions";
    t.add_column("Placement", CellStyle::plain);
    t.add_column("Phase", CellStyle::plain);
    t.add_column("Need", CellStyle::plain);
    t.add_column("Element of cost", CellStyle::plain);
    t.add_column("Amount a year (base-year prices)", CellStyle::currency);
    t.add_column("Uncertainty (standard deviation)", CellStyle::per_cent);
    t.add_column("Published or assumed", CellStyle::plain);
    t.add_column("Source", CellStyle::plain);
    t.add_column("Prices children in this run", CellStyle::plain);
    t.add_column("Line of the cost table", CellStyle::plain);
    const CostModel* costs = run.costs();
    if (!costs) return t;
    const std::vector<bool> used = rows_used(*costs);
    for (std::size_t i = 0; i < costs->table->rows.size(); ++i) {
        const CostRow& r = costs->table->rows[i];
        t.rows.push_back({TableCell::of(r.placement), TableCell::of(r.phase), TableCell::of(r.need), TableCell::of(cost_element_name(r.element)),
                          TableCell::of(r.pounds, 0), TableCell::of(r.uncertainty_percent, 1), TableCell::of(published_or_assumed(r.source)),
                          TableCell::of(r.source), TableCell::of(used[i] ? "yes" : "no"), TableCell::of(static_cast<double>(r.line), 0)});
    }
    return t;
}

}  // namespace sendplan
