#include "io/population.h"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <optional>
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

namespace {

// The rows of the run's area. Only they are read: a file of several areas would otherwise add them together.
class AreaRows {
public:
    AreaRows(const CsvTable& t, const std::string& area_code)
        : t_(t), area_code_(area_code), area_col_(t.find_column("AREA_CODE")), name_col_(t.find_column("AREA_NAME")) {
        for (std::size_t r = 0; r < t.rows() && area_col_; ++r) areas_.insert(t.text(r, *area_col_) + (name_col_ ? " (" + t.text(r, *name_col_) + ")" : ""));
    }

    bool has(std::size_t r) const {
        if (!area_col_ || area_code_.empty()) return true;
        return upper(trim(t_.text(r, *area_col_))) == upper(trim(area_code_)) || (name_col_ && upper(trim(t_.text(r, *name_col_))) == upper(trim(area_code_)));
    }

    // A file of several areas needs the area named; the area named must be in the file.
    void check(const std::string& path) const {
        if (area_col_ && area_code_.empty() && areas_.size() > 1)
            throw InputError(path, 0, "AREA_CODE", "holds " + std::to_string(areas_.size()) + " areas (" + listed() + "): expected the rows of one area");
        bool any_of_area = false;
        for (std::size_t r = 0; r < t_.rows() && !any_of_area; ++r) any_of_area = has(r);
        if (!any_of_area) throw InputError(path, 0, "AREA_CODE", "has no rows for area " + shown(area_code_) + ": it holds " + listed());
    }

private:
    std::string listed() const {
        std::string out;
        std::size_t n = 0;
        for (const auto& a : areas_)
            if (n++ < 3) out += (out.empty() ? "" : ", ") + a;
        return areas_.size() > 3 ? out + " and " + std::to_string(areas_.size() - 3) + " more" : out;
    }

    const CsvTable& t_;
    const std::string& area_code_;
    std::optional<std::size_t> area_col_, name_col_;
    std::set<std::string> areas_;
};

// The projection's years: the header's four-digit columns, by year and column.
std::vector<std::pair<int, std::size_t>> year_columns(const CsvTable& t, const std::string& path) {
    std::vector<std::pair<int, std::size_t>> year_cols;
    for (std::size_t c = 0; c < t.header().size(); ++c) {
        const std::string& h = t.header()[c];
        int year = 0;
        auto [ptr, ec] = std::from_chars(h.data(), h.data() + h.size(), year);
        if (ec == std::errc() && ptr == h.data() + h.size() && h.size() == 4) year_cols.emplace_back(year, c);
    }
    if (year_cols.empty()) throw InputError(path, 1, "", "no year columns (such as 2022, 2023) in the header");
    return year_cols;
}

// Rows for boys or girls alone would count children twice.
bool is_persons_row(const CsvTable& t, std::size_t r, std::optional<std::size_t> sex_col) {
    if (!sex_col) return true;
    const std::string& sex = t.text(r, *sex_col);
    return sex == "persons" || sex == "Persons" || sex == "All persons";
}

// The row's single year of age; none for the all-ages and open-ended rows.
std::optional<int> single_year_of_age(const CsvTable& t, std::size_t r, std::size_t age_col, const std::string& path) {
    const std::string& label = t.text(r, age_col);
    int age = 0;
    auto [ptr, ec] = std::from_chars(label.data(), label.data() + label.size(), age);
    if (ec == std::errc() && ptr == label.data() + label.size()) return age;
    if (label == "All ages" || label.find("over") != std::string::npos) return std::nullopt;
    throw InputError(path, t.line(r), "AGE_GROUP", "expected a single year of age or 'All ages', found " + shown(label));
}

}  // namespace

Population read_population(const std::string& path, const Taxonomy& tax, const std::string& area_code) {
    CsvTable t = CsvTable::read(path, "an ONS population projection by single year of age (CSV)");
    const std::size_t age_col = t.column("AGE_GROUP");
    const AreaRows area(t, area_code);
    const auto sex_col = t.find_column("SEX");
    area.check(path);
    const auto year_cols = year_columns(t, path);
    Population pop;
    pop.source = path;
    std::vector<long> seen_at(static_cast<std::size_t>(tax.ages()), 0);  // the line each age was read from
    for (auto& [year, c] : year_cols) pop.by_year[year].assign(static_cast<std::size_t>(tax.ages()), 0.0);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        if (!area.has(r) || !is_persons_row(t, r, sex_col)) continue;
        const auto age = single_year_of_age(t, r, age_col, path);
        if (!age || *age < tax.min_age || *age > tax.max_age) continue;
        const auto a = static_cast<std::size_t>(tax.age_index(*age));
        if (seen_at[a])
            throw InputError(path, t.line(r), "AGE_GROUP",
                             "age " + std::to_string(*age) + " is already given at line " + std::to_string(seen_at[a]) + ": expected one row per age");
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
