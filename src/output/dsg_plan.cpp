#include "output/dsg_plan.h"

#include <algorithm>
#include <array>
#include <string>
#include <tuple>

#include "finance/financial_year.h"

namespace sendplan {
namespace {

struct Category {
    const char* code;
    const char* label;
};

// The template's placement categories, in its order.
enum DsgCategory { mainstream_cat, resourced_cat, special_cat, independent_cat, ap_cat, post16_cat, other_cat, dsg_categories };
constexpr std::array<Category, dsg_categories> kCategories{{
    {"MmSoA", "Mainstream schools or academies"},
    {"RPSEN", "Resourced provision or SEN units"},
    {"MdSSA", "Maintained special schools or special academies"},
    {"NMISS", "Non-maintained special schools or independent placements"},
    {"HspAP", "Hospital schools or alternative provision"},
    {"P16FE", "Post 16 and further education"},
    {"OTHER", "Other placements or direct payments"},
}};

// The template's age groups: age at 31 August before the census, as the engine's ages are.
struct AgeGroup {
    const char* code;
    const char* label;
    int first, last;
};
constexpr std::array<AgeGroup, 5> kAgeGroups{{
    {"under_5", "Under 5", 0, 4},
    {"age_5_to_10", "Age 5 to 10", 5, 10},
    {"age_11_to_15", "Age 11 to 15", 11, 15},
    {"age_16_to_19", "Age 16 to 19", 16, 19},
    {"age_20_to_25", "Age 20 to 25", 20, 25},
}};

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// A setting's category: the shipped settings by code; a setting an authority adds is placed by the
// start of its code (special_independent_..., special_..., resourced_..., mainstream_...), and
// anything else is "other".
DsgCategory category_of_setting(const std::string& code) {
    if (starts_with(code, "special_independent") || starts_with(code, "special_non_maintained")) return independent_cat;
    if (starts_with(code, "special")) return special_cat;
    if (starts_with(code, "resourced")) return resourced_cat;
    if (starts_with(code, "mainstream")) return mainstream_cat;
    if (starts_with(code, "ap_") || code == "ap") return ap_cat;
    if (code == "fe" || starts_with(code, "fe_")) return post16_cat;
    return other_cat;
}

// The template asks for post-16 and FE placements only from age 16.
bool in_template(int category, std::size_t age_group) { return category != post16_cat || age_group >= 3; }

class DsgPlanBuilder {
public:
    explicit DsgPlanBuilder(const Run& run) : tax_(run.taxonomy()), r_(run.result()) {
        for (const auto& s : tax_.settings) setting_category_.push_back(category_of_setting(s.code));
    }

    DsgPlanTables build() const {
        DsgPlanTables t = empty_tables();
        const std::size_t cells = static_cast<std::size_t>(tax_.ages()) * tax_.needs.size() * tax_.settings.size();
        if (cells == 0 || r_.mean_stock.size() != cells * static_cast<std::size_t>(r_.years())) return t;
        for (int y = 0; y < r_.years(); ++y)
            for (int c = 0; c < dsg_categories; ++c) add_category(t, y, c);
        return t;
    }

private:
    static DsgPlanTables empty_tables() {
        DsgPlanTables t;
        for (const auto& [code, title, kind] : {std::tuple{"census_year", "Census year (January)", CellStyle::year},
                                                std::tuple{"financial_year", "Financial year", CellStyle::plain},
                                                std::tuple{"dsg_category", "Category code", CellStyle::plain},
                                                std::tuple{"dsg_category_label", "Placement category", CellStyle::plain},
                                                std::tuple{"age_group", "Age group", CellStyle::plain},
                                                std::tuple{"plans_mean", "EHC plans (mean)", CellStyle::decimal}}) {
            t.codes.add_column(code, kind);
            t.titles.add_column(title, kind);
        }
        t.titles.name = "DSG management plan";
        return t;
    }

    void add_category(DsgPlanTables& t, int y, int c) const {
        double all_ages = 0;
        for (std::size_t g = 0; g < kAgeGroups.size(); ++g) {
            const double plans = plans_in(y, c, kAgeGroups[g]);
            all_ages += plans;
            if (in_template(c, g)) add_row(t, y, c, kAgeGroups[g].code, kAgeGroups[g].label, plans);
        }
        add_row(t, y, c, "all_ages", "All ages", all_ages);
    }

    void add_row(DsgPlanTables& t, int y, int c, const char* age_code, const char* age_label, double plans) const {
        const int year = r_.base_year + y;
        const auto& cat = kCategories[static_cast<std::size_t>(c)];
        const TableCell plans_cell = TableCell::of(plans, 1);
        const TableCell year_cell = TableCell::of(static_cast<double>(year), 0), fy = TableCell::of(financial_year(year));
        t.codes.rows.push_back({year_cell, fy, TableCell::of(cat.code), TableCell::of(cat.label), TableCell::of(age_code), plans_cell});
        t.titles.rows.push_back({year_cell, fy, TableCell::of(cat.code), TableCell::of(cat.label), TableCell::of(age_label), plans_cell});
    }

    // Plans (mean over draws) at census y in category c at the group's ages.
    double plans_in(int y, int c, const AgeGroup& g) const {
        const std::size_t needs = tax_.needs.size(), settings = tax_.settings.size();
        const std::size_t per_year = static_cast<std::size_t>(tax_.ages()) * needs * settings;
        double sum = 0;
        for (int age = std::max(g.first, tax_.min_age); age <= std::min(g.last, tax_.max_age); ++age)
            for (std::size_t k = 0; k < needs; ++k)
                for (std::size_t s = 0; s < settings; ++s)
                    if (setting_category_[s] == c)
                        sum += r_.mean_stock[static_cast<std::size_t>(y) * per_year + (static_cast<std::size_t>(tax_.age_index(age)) * needs + k) * settings + s];
        return sum;
    }

    std::vector<int> setting_category_;
    const Taxonomy& tax_;
    const ProjectionResult& r_;
};

}  // namespace

DsgPlanTables dsg_plan_tables(const Run& run) { return DsgPlanBuilder(run).build(); }

}  // namespace sendplan
