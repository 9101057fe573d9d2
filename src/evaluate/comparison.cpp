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

std::vector<Difference> differences(const std::vector<std::unique_ptr<Run>>& runs) {
    std::vector<Difference> out;
    const Run& base = *runs.front();
    const long D = base.result().draws;
    const int Y = base.result().years();
    for (std::size_t i = 1; i < runs.size(); ++i) {
        const Run& option = *runs[i];
        Difference total{option.scenario().name, "plans", "", base.result().base_year, D, {}, {}};
        for (std::size_t j = 0; j < base.result().total_by_draw.size(); ++j) {
            total.base.push_back(static_cast<double>(base.result().total_by_draw[j]));
            total.option_values.push_back(static_cast<double>(option.result().total_by_draw[j]));
        }
        out.push_back(std::move(total));
        if (base.spend() && option.spend()) {
            const SpendResult& b = base.spend()->result();
            const SpendResult& p = option.spend()->result();
            using Line = double (*)(const SpendResult&, long, int);
            const std::pair<const char*, Line> lines[] = {
                {"high_needs_spend_gbp", [](const SpendResult& s, long d, int y) { return s.high_needs(d, y); }},
                {"transport_gbp", [](const SpendResult& s, long d, int y) { return s.transport(d, y); }},
                {"capital_gbp", [](const SpendResult& s, long, int y) { return s.capital[static_cast<std::size_t>(y)]; }},
            };
            for (const auto& [name, value] : lines) {
                Difference d{option.scenario().name, name, "", base.result().base_year, D, {}, {}};
                for (long draw = 0; draw < D; ++draw)
                    for (int y = 0; y < Y; ++y) {
                        d.base.push_back(value(b, draw, y));
                        d.option_values.push_back(value(p, draw, y));
                    }
                out.push_back(std::move(d));
            }
        }
        if (!base.sufficiency() || !option.sufficiency()) continue;
        const SufficiencyResult& b = base.sufficiency()->result();
        const SufficiencyResult& p = option.sufficiency()->result();
        static const char* measures[table_measures] = {"demand_for_places", "unmet_local_demand", "placed_out_of_borough_or_independent_because_full"};
        for (int g = 0; g < b.groups; ++g)
            for (int m = 0; m < table_measures; ++m) {
                Difference d{option.scenario().name, measures[m], base.plan()->place_groups[static_cast<std::size_t>(g)], base.result().base_year, D, {}, {}};
                for (long draw = 0; draw < D; ++draw)
                    for (int y = 0; y < Y; ++y) {
                        d.base.push_back(b.by_draw[b.by_draw_index(draw, y, g, m)]);
                        d.option_values.push_back(p.by_draw[p.by_draw_index(draw, y, g, m)]);
                    }
                out.push_back(std::move(d));
            }
    }
    return out;
}

}  // namespace sendplan
