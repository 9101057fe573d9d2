#include "io/population.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <set>

#include "core/error.h"
#include "io/csv.h"

namespace sendplan {

namespace {
const std::vector<double>& nearest_year(const std::map<int, std::vector<double>>& by_year, int year) {
    year = std::clamp(year, by_year.begin()->first, by_year.rbegin()->first);
    auto it = by_year.lower_bound(year);  // years are contiguous in ONS files; lower_bound covers gaps too
    return it->second;
}
}  // namespace

double Population::at(int year, int age_index) const { return nearest_year(by_year, year)[static_cast<std::size_t>(age_index)]; }

double Population::total(int year) const {
    const auto& ages = nearest_year(by_year, year);
    return std::accumulate(ages.begin(), ages.end(), 0.0);
}

Population read_population(const std::string& path, const Taxonomy& tax, const std::string& area_code) {
    CsvTable t = CsvTable::read(path, "an ONS population projection by single year of age (CSV)");
    const std::size_t age_col = t.column("AGE_GROUP");
    const auto area_col = t.find_column("AREA_CODE");
    const auto name_col = t.find_column("AREA_NAME");
    const auto sex_col = t.find_column("SEX");
    // Only the run's area is read: a file of several areas would otherwise add them together.
    std::set<std::string> areas;
    for (std::size_t r = 0; r < t.rows() && area_col; ++r) areas.insert(t.text(r, *area_col) + (name_col ? " (" + t.text(r, *name_col) + ")" : ""));
    auto listed = [&] {
        std::string out;
        std::size_t n = 0;
        for (const auto& a : areas)
            if (n++ < 3) out += (out.empty() ? "" : ", ") + a;
        return areas.size() > 3 ? out + " and " + std::to_string(areas.size() - 3) + " more" : out;
    };
    auto of_area = [&](std::size_t r) {
        if (!area_col || area_code.empty()) return true;
        return upper(trim(t.text(r, *area_col))) == upper(trim(area_code)) || (name_col && upper(trim(t.text(r, *name_col))) == upper(trim(area_code)));
    };
    if (area_col && area_code.empty() && areas.size() > 1)
        throw InputError(path, 0, "AREA_CODE", "holds " + std::to_string(areas.size()) + " areas (" + listed() + "): expected the rows of one area");
    bool any_of_area = false;
    for (std::size_t r = 0; r < t.rows() && !any_of_area; ++r) any_of_area = of_area(r);
    if (!any_of_area)
        throw InputError(path, 0, "AREA_CODE", "has no rows for area " + shown(area_code) + ": it holds " + listed());
    std::vector<std::pair<int, std::size_t>> year_cols;
    for (std::size_t c = 0; c < t.header().size(); ++c) {
        const std::string& h = t.header()[c];
        int year = 0;
        auto [ptr, ec] = std::from_chars(h.data(), h.data() + h.size(), year);
        if (ec == std::errc() && ptr == h.data() + h.size() && h.size() == 4) year_cols.emplace_back(year, c);
    }
    if (year_cols.empty()) throw InputError(path, 1, "", "no year columns (such as 2022, 2023) in the header");
    Population pop;
    pop.source = path;
    std::vector<long> seen_at(static_cast<std::size_t>(tax.ages()), 0);  // the line each age was read from
    for (auto& [year, c] : year_cols) pop.by_year[year].assign(static_cast<std::size_t>(tax.ages()), 0.0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        if (!of_area(r)) continue;
        if (sex_col) {
            const std::string& sex = t.text(r, *sex_col);
            if (sex != "persons" && sex != "Persons" && sex != "All persons") continue;
        }
        const std::string& label = t.text(r, age_col);
        int age = 0;
        auto [ptr, ec] = std::from_chars(label.data(), label.data() + label.size(), age);
        if (ec != std::errc() || ptr != label.data() + label.size()) {
            if (label == "All ages" || label.find("over") != std::string::npos) continue;
            throw InputError(path, t.line(r), "AGE_GROUP", "expected a single year of age or 'All ages', found " + shown(label));
        }
        if (age < tax.min_age || age > tax.max_age) continue;
        const auto a = static_cast<std::size_t>(tax.age_index(age));
        if (seen_at[a])
            throw InputError(path, t.line(r), "AGE_GROUP", "age " + std::to_string(age) + " is already given at line " + std::to_string(seen_at[a]) +
                                                               ": expected one row per age");
        seen_at[a] = t.line(r);
        for (std::size_t y = 0; y < year_cols.size(); ++y) pop.by_year[year_cols[y].first][a] = t.number(r, year_cols[y].second, 0, kMaxCount);
    }
    for (int a = 0; a < tax.ages(); ++a)
        if (!seen_at[static_cast<std::size_t>(a)])
            throw InputError(path, 0, "AGE_GROUP", "no row for age " + std::to_string(tax.min_age + a) + (area_code.empty() ? "" : " in area " + area_code));
    return pop;
}

Population constant_population(const Taxonomy& tax) {
    Population pop;
    pop.source = "constant (no population file)";
    pop.by_year[2000].assign(static_cast<std::size_t>(tax.ages()), 1.0);
    return pop;
}

}  // namespace sendplan
