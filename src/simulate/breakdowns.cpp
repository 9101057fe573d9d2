#include "simulate/breakdowns.h"

#include <functional>

namespace sendplan {

std::vector<Breakdown> standard_breakdowns(const Taxonomy& tax, const Dimensions& d) {
    std::vector<Breakdown> out;
    auto make = [&](const std::string& name, std::vector<std::string> dims, std::vector<std::vector<std::string>> labels,
                    const std::function<int(int, int, int)>& category) {
        Breakdown b{name, std::move(dims), std::move(labels), std::vector<int>(static_cast<std::size_t>(d.cells()))};
        for (int c = 0; c < d.cells(); ++c) b.category_of_cell[static_cast<std::size_t>(c)] = category(d.age_of(c), d.need_of(c), d.setting_of(c));
        out.push_back(std::move(b));
    };
    const int ages = tax.ages();
    std::vector<std::vector<std::string>> needs, areas, settings, phases, age_labels, ncy_labels, detail;
    for (const auto& n : tax.needs) needs.push_back({n.code});
    for (const auto& b : tax.broad_areas) areas.push_back({b.code});
    for (const auto& s : tax.settings) settings.push_back({s.code});
    for (const auto& p : tax.phases) phases.push_back({p.code});
    for (int a = 0; a < ages; ++a) age_labels.push_back({std::to_string(tax.min_age + a)});
    for (int a = 0; a < ages; ++a) ncy_labels.push_back({std::to_string(tax.ncy_of_age(tax.min_age + a))});
    const int P = static_cast<int>(tax.phases.size()), S = d.settings;
    for (const auto& n : tax.needs)
        for (const auto& s : tax.settings)
            for (const auto& p : tax.phases) detail.push_back({n.code, s.code, p.code});
    auto phase_of = [&](int a) { return tax.phase_of_age(tax.min_age + a); };

    make("total", {}, {{}}, [](int, int, int) { return 0; });
    make("need", {"need"}, needs, [](int, int k, int) { return k; });
    make("broad_area", {"broad_area"}, areas, [&](int, int k, int) { return tax.needs[static_cast<std::size_t>(k)].broad_area; });
    make("setting", {"setting"}, settings, [](int, int, int s) { return s; });
    make("phase", {"phase"}, phases, [&](int a, int, int) { return phase_of(a); });
    make("age", {"age"}, age_labels, [](int a, int, int) { return a; });
    // Year groups beside ages: one category per age, labelled as schools count (NCY = age - 4).
    make("ncy", {"ncy"}, ncy_labels, [](int a, int, int) { return a; });
    make("need_setting_phase", {"need", "setting", "phase"}, detail,
         [&](int a, int k, int s) { return (k * S + s) * P + phase_of(a); });
    return out;
}

}  // namespace sendplan
