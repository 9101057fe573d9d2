#include "output/places_summary_writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "output/table.h"
#include "output/workbook_writer.h"

namespace sendplan {
namespace {

enum SummaryMeasure {
    summary_places,
    summary_pupils,
    summary_needed_50,
    summary_needed_80,
    summary_needed_90,
    summary_extra_50,
    summary_extra_80,
    summary_extra_90,
    summary_chance_places_suffice,
    summary_measures
};

struct MeasureName {
    const char* code;
    const char* title;
};

constexpr std::array<MeasureName, summary_measures> kMeasures{{
    {"places", "Places in the borough"},
    {"pupils", "Children needing a place (observed, then forecast mean)"},
    {"places_needed_50", "Places needed (50% confidence)"},
    {"places_needed_80", "Places needed (80% confidence)"},
    {"places_needed_90", "Places needed (90% confidence)"},
    {"extra_places_needed_50", "Extra places needed (50% confidence)"},
    {"extra_places_needed_80", "Extra places needed (80% confidence)"},
    {"extra_places_needed_90", "Extra places needed (90% confidence)"},
    {"chance_places_suffice", "Chance places suffice"},
}};

constexpr std::array<double, 3> kConfidence{0.50, 0.80, 0.90};

// One block's place group, phase row and need row, as the sufficiency table indexes them.
struct RowKey {
    int group = 0, phase_row = 0, need_row = 0;
};

class SummaryFigures {
public:
    explicit SummaryFigures(const SufficiencyResult& r) : r_(r) {}

    // A provision taking several phases or needs has its places shared between them, so a phase's
    // or a need group's share can be a fraction: it is shown to the nearest whole place, and the
    // extra places and the chance they suffice are reckoned against what is shown.
    double places(int y, const RowKey& k) const { return std::round(r_.places(y, k.group, k.phase_row, k.need_row)); }

    // NaN (an empty cell) where the year has no such figure: the base census is observed, so it has
    // no confidence and no chance.
    double figure(int y, const RowKey& k, int measure) const {
        // Adding zero turns a rounded -0 (places shared out to a hair below nothing) into 0.
        return raw_figure(y, k, measure) + 0.0;
    }

    // A row with neither places nor children in any year and draw says nothing.
    bool says_something(const RowKey& k) const {
        for (int y = 0; y < r_.years(); ++y)
            if (r_.places(y, k.group, k.phase_row, k.need_row) > 0 || r_.table(y, k.group, k.phase_row, k.need_row, table_demand).quantile(1.0) > 0)
                return true;
        return false;
    }

private:
    double raw_figure(int y, const RowKey& k, int measure) const {
        const Histogram& demand = r_.table(y, k.group, k.phase_row, k.need_row, table_demand);
        if (measure == summary_places) return places(y, k);
        if (measure == summary_pupils) return std::round(demand.mean());
        if (y == 0) return NAN;
        // Demand is whole children, so "at most the places" is "below the places and a half".
        if (measure == summary_chance_places_suffice) return 1.0 - demand.fraction_above(places(y, k) + 0.5);
        const bool extra = measure >= summary_extra_50;
        const double confidence = kConfidence[static_cast<std::size_t>(measure - (extra ? summary_extra_50 : summary_needed_50))];
        // A planner cannot build part of a place: the places needed are rounded up.
        const double needed = std::ceil(demand.covering(confidence) - 1e-9);
        return extra ? std::max(0.0, needed - places(y, k)) : needed;
    }

    const SufficiencyResult& r_;
};

struct SummaryTables {
    Table codes, titles;
};

class SummaryBuilder {
public:
    SummaryBuilder(const Taxonomy& tax, const PlacementPlan& plan, const SufficiencyResult& r) : tax_(tax), plan_(plan), r_(r), figures_(r) {}

    SummaryTables build() const {
        SummaryTables t;
        t.codes.header = {"place_group", "phase", "need_group", "measure"};
        t.titles.header = {"Place group", "Phase", "Need group", "Measure"};
        for (int y = 0; y < r_.years(); ++y) {
            t.codes.header.push_back(fmt::format("y{}", r_.base_year + y));
            t.titles.header.push_back(std::to_string(r_.base_year + y));
        }
        t.titles.name = "Places summary";
        t.titles.years_as_numbers = true;
        for (int g = 0; g < r_.groups; ++g)
            for (int pr = 0; pr <= r_.phases; ++pr)
                for (const int nr : need_rows()) {
                    const RowKey k{g, pr, nr};
                    if (figures_.says_something(k)) add_rows(t, k);
                }
        return t;
    }

private:
    // All needs first, then each broad area of need below it.
    std::vector<int> need_rows() const {
        std::vector<int> rows{r_.need_rows - 1};
        for (int nr = 0; nr < r_.need_rows; ++nr)
            if (r_.need_row_kind[static_cast<std::size_t>(nr)] == "broad_area") rows.push_back(nr);
        return rows;
    }

    void add_rows(SummaryTables& t, const RowKey& k) const {
        const std::string& group = plan_.place_groups[static_cast<std::size_t>(k.group)];
        const bool all_phases = k.phase_row == r_.phases;
        const std::string phase = all_phases ? "all" : tax_.phases[static_cast<std::size_t>(k.phase_row)].code;
        const std::string phase_title = all_phases ? "All phases" : tax_.phases[static_cast<std::size_t>(k.phase_row)].label;
        const std::string& need = r_.need_row_code[static_cast<std::size_t>(k.need_row)];
        const auto area = tax_.broad_area_index(need);
        const std::string need_title = area ? tax_.broad_areas[static_cast<std::size_t>(*area)].label : "All needs";
        for (int m = 0; m < summary_measures; ++m) {
            const auto& name = kMeasures[static_cast<std::size_t>(m)];
            std::vector<TableCell> coded{TableCell::of(group), TableCell::of(phase), TableCell::of(need), TableCell::of(name.code)};
            std::vector<TableCell> titled{TableCell::of(tax_.place_group_label(group)), TableCell::of(phase_title), TableCell::of(need_title),
                                          TableCell::of(name.title)};
            const bool chance = m == summary_chance_places_suffice;
            for (int y = 0; y < r_.years(); ++y) {
                const TableCell cell = TableCell::of(figures_.figure(y, k, m), chance ? 3 : 0, chance ? CellStyle::percent : CellStyle::whole);
                coded.push_back(cell);
                titled.push_back(cell);
            }
            t.codes.rows.push_back(std::move(coded));
            t.titles.rows.push_back(std::move(titled));
        }
    }

    const Taxonomy& tax_;
    const PlacementPlan& plan_;
    const SufficiencyResult& r_;
    SummaryFigures figures_;
};

}  // namespace

std::string places_summary_measure_title(const std::string& code) {
    for (const MeasureName& m : kMeasures)
        if (code == m.code) return m.title;
    return code;
}

void write_places_summary(const ResultsFolder& folder, const Taxonomy& taxonomy, const PlacementPlan& plan, const SufficiencyResult& result) {
    const SummaryTables t = SummaryBuilder(taxonomy, plan, result).build();
    folder.text("places_summary.csv", [&](std::ostream& out) { out << table_csv(t.codes); });
    write_workbook(folder, "special_places_plan.xlsx", result.base_year, {t.titles});
}

}  // namespace sendplan
