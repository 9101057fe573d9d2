#pragma once
// The ways results are summarised: totals and plans by need, broad area, setting, phase, age, national
// curriculum year (NCY), and the detail table need x setting x phase. Each maps a model cell (age, need, setting) to a category.
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "model/dimensions.h"

namespace sendplan {

struct Breakdown {
    std::string name;                          // total, need, broad_area, setting, phase, age, ncy, need_setting_phase
    std::vector<std::string> dimensions;       // column names of the labels, e.g. {"need", "setting", "phase"}
    std::vector<std::vector<std::string>> labels;  // [category][dimension]
    std::vector<int> category_of_cell;         // [cell]
    std::size_t categories() const { return labels.size(); }
};

std::vector<Breakdown> standard_breakdowns(const Taxonomy& taxonomy, const Dimensions& dims);

}  // namespace sendplan
