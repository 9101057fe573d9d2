#pragma once
// The model's categories (ages, phases, needs, settings) as loaded from model/*.yaml.
// Nothing in the engine names a need or a setting in code: everything goes through this table.
#include <optional>
#include <string>
#include <vector>

namespace sendplan {

struct Phase {
    std::string code, label;
    int first_age = 0, last_age = 0;
};

struct BroadArea {
    std::string code, label;
};

struct Need {
    std::string code, label;
    int broad_area = 0;     // index into Taxonomy::broad_areas
    std::string column;     // suffix in DfE need tables
    int first_published = 0;  // the first January census whose need tables have its column (0: every release)
    // Codes this need was once written as, still read from inputs (older results, scenarios and
    // pupil-level files), never written.
    std::vector<std::string> former_codes;
};

struct Setting {
    std::string code, label;
    bool capacity_limited = false;
    std::string place_group;     // capacity-limited settings with the same group share their places
    std::string strategy_group;  // "mainstream", "independent" or empty: for the strategy's share measures
    std::vector<std::string> columns;  // leaf columns in DfE caseload / new-plan tables
    // The DfE column that totals this setting's leaves with those of the other settings naming it
    // (mainstream_total); where a file has it, the leaves must add up to it.
    std::string published_total;
    std::vector<std::string> labels;   // "Type of placement" labels in DfE need / ceased tables
    std::vector<std::string> provision_types;  // provision register types whose places are in this setting
};

struct Taxonomy {
    int min_age = 0, max_age = 25, ncy_offset = 4;
    std::vector<Phase> phases;
    std::vector<BroadArea> broad_areas;
    std::vector<Need> needs;
    std::vector<Setting> settings;
    std::vector<std::string> ignore_labels;

    int ages() const { return max_age - min_age + 1; }
    int age_index(int age) const { return age - min_age; }
    // The national curriculum year (year group) a child of this age is in: Reception is NCY 0.
    int ncy_of_age(int age) const { return age - ncy_offset; }
    int phase_of_age(int age) const {
        for (std::size_t p = 0; p < phases.size(); ++p)
            if (age >= phases[p].first_age && age <= phases[p].last_age) return static_cast<int>(p);
        return -1;
    }
    std::optional<int> need_index(const std::string& code) const;
    std::optional<int> setting_index(const std::string& code) const;
    std::optional<int> broad_area_index(const std::string& code) const;
    // Setting of a provision register type code ("arp", "special_la", ...).
    std::optional<int> setting_of_provision_type(const std::string& type) const;
    // Setting for a "Type of placement" label: a setting index, -1 for a subtotal label to skip,
    // nullopt for a label the model does not know.
    std::optional<int> setting_of_label(const std::string& label) const;
    // A place group's name for people: a group named after a setting takes that setting's label;
    // any other keeps its name as given.
    std::string place_group_label(const std::string& group) const;
};

// A year group's name as schools say it: "Reception", "Year 1" .. "Year 13" and on ("Year 14" for
// a young person of 18); before Reception, "Nursery (NCY -1)" and so on.
std::string year_group_label(int ncy);

}  // namespace sendplan
