#include "evaluate/comparison.h"

#include <fmt/format.h>

#include "core/error.h"

namespace sendplan {

// `before_projecting` sees each scenario once it is read (the base first), before its long work.
std::vector<std::unique_ptr<Run>> run_on_common_random_numbers(const std::vector<std::string>& scenarios, const RunSettings& settings,
                                                               const std::function<void(const Scenario&)>& before_projecting) {
    if (scenarios.size() < 2) throw InputError("compare", 0, "scenarios", "give the base scenario and at least one option");
    // Every file is read before the base's long work, so a mistake in the last option costs nothing.
    for (const auto& path : scenarios) read_scenario(path);
    std::vector<std::unique_ptr<Run>> out;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
        RunSettings s = settings;
        // Every scenario runs the base's draws on the base's seed: common random numbers.
        if (!out.empty()) {
            if (!s.draws) s.draws = out.front()->scenario().draws;
            if (!s.seed) s.seed = out.front()->scenario().seed;
        }
        out.push_back(run_scenario_file(scenarios[i], s, before_projecting));
        const ProjectionResult& base = out.front()->result();
        const ProjectionResult& now = out.back()->result();
        if (now.base_year != base.base_year || now.horizon != base.horizon)
            throw InputError(scenarios[i], 0, "horizon", fmt::format("projects {}..{}, the base {}..{}: options must cover the same years",
                                                                       now.base_year, now.base_year + now.horizon, base.base_year, base.base_year + base.horizon));
        for (std::size_t j = 0; j + 1 < out.size(); ++j)
            if (out[j]->scenario().name == out.back()->scenario().name)
                throw InputError(scenarios[i], 0, "scenario", "two scenarios are named '" + out.back()->scenario().name + "'");
    }
    return out;
}

namespace {

// One measure's difference, its value in either run read by `value(run, draw, year)`.
template <class Value>
Difference difference_of(const Run& base, const Run& option, const std::string& measure, const std::string& place_group, Value value) {
    Difference d{option.scenario().name, measure, place_group, base.result().base_year, base.result().draws, {}, {}};
    for (long draw = 0; draw < d.draws; ++draw)
        for (int y = 0; y < base.result().years(); ++y) {
            d.base.push_back(value(base, draw, y));
            d.option_values.push_back(value(option, draw, y));
        }
    return d;
}

void add_plans(const Run& base, const Run& option, std::vector<Difference>& out) {
    const int Y = base.result().years();
    out.push_back(difference_of(base, option, "plans", "", [Y](const Run& r, long draw, int y) {
        return static_cast<double>(r.result().total_by_draw[static_cast<std::size_t>(draw * Y + y)]);
    }));
}

void add_spend(const Run& base, const Run& option, std::vector<Difference>& out) {
    if (!base.spend() || !option.spend()) return;
    out.push_back(difference_of(base, option, "high_needs_spend_gbp", "",
                                [](const Run& r, long draw, int y) { return r.spend()->result().high_needs(draw, y); }));
    out.push_back(difference_of(base, option, "transport_gbp", "", [](const Run& r, long draw, int y) { return r.spend()->result().transport(draw, y); }));
    out.push_back(difference_of(base, option, "capital_gbp", "",
                                [](const Run& r, long, int y) { return r.spend()->result().capital[static_cast<std::size_t>(y)]; }));
}

void add_places(const Run& base, const Run& option, std::vector<Difference>& out) {
    if (!base.sufficiency() || !option.sufficiency()) return;
    static const char* measures[table_measures] = {"demand_for_places", "unmet_local_demand", "placed_out_of_borough_or_independent_because_full"};
    for (int g = 0; g < base.sufficiency()->result().groups; ++g)
        for (int m = 0; m < table_measures; ++m)
            out.push_back(difference_of(base, option, measures[m], base.plan()->place_groups[static_cast<std::size_t>(g)], [g, m](const Run& r, long draw, int y) {
                const SufficiencyResult& s = r.sufficiency()->result();
                return static_cast<double>(s.by_draw(draw, y, g, m));
            }));
}

}  // namespace

std::vector<Difference> differences(const std::vector<std::unique_ptr<Run>>& runs) {
    std::vector<Difference> out;
    for (std::size_t i = 1; i < runs.size(); ++i) {
        add_plans(*runs.front(), *runs[i], out);
        add_spend(*runs.front(), *runs[i], out);
        add_places(*runs.front(), *runs[i], out);
    }
    return out;
}

}  // namespace sendplan
