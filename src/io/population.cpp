#include "io/population.h"

#include <algorithm>
#include <charconv>
#include <numeric>

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
    CsvTable t = CsvTable::read(path);
    const std::size_t age_col = t.column("AGE_GROUP");
    const auto area_col = t.find_column("AREA_CODE");
    const auto sex_col = t.find_column("SEX");
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
    std::vector<std::vector<bool>> seen(year_cols.size(), std::vector<bool>(static_cast<std::size_t>(tax.ages()), false));
    for (auto& [year, c] : year_cols) pop.by_year[year].assign(static_cast<std::size_t>(tax.ages()), 0.0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        if (!area_code.empty() && area_col && t.text(r, *area_col) != area_code) continue;
        if (sex_col) {
            const std::string& sex = t.text(r, *sex_col);
            if (sex != "persons" && sex != "Persons" && sex != "All persons") continue;
        }
        const std::string& label = t.text(r, age_col);
        int age = 0;
        auto [ptr, ec] = std::from_chars(label.data(), label.data() + label.size(), age);
        if (ec != std::errc() || ptr != label.data() + label.size()) {
            if (label == "All ages" || label.find("over") != std::string::npos) continue;
            throw InputError(path, t.line(r), "AGE_GROUP", "expected a single year of age or 'All ages', found '" + label + "'");
        }
        if (age < tax.min_age || age > tax.max_age) continue;
        for (std::size_t y = 0; y < year_cols.size(); ++y) {
            const double v = t.number(r, year_cols[y].second);
            if (v < 0) throw InputError(path, t.line(r), t.header()[year_cols[y].second], "population cannot be negative");
            pop.by_year[year_cols[y].first][static_cast<std::size_t>(tax.age_index(age))] += v;
            seen[y][static_cast<std::size_t>(tax.age_index(age))] = true;
        }
    }
    for (int a = 0; a < tax.ages(); ++a)
        if (!seen[0][static_cast<std::size_t>(a)])
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
