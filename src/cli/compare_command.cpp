#include "cli/compare_command.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "cli/run_command.h"
#include "core/error.h"
#include "simulate/histogram.h"
#include "output/csv_text.h"
#include "output/sufficiency_writer.h"
#include "output/text_file.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

std::vector<std::unique_ptr<ProjectedScenario>> project_all(const CompareOptions& o) {
    if (o.scenarios.size() < 2) throw InputError("compare", 0, "scenarios", "give the base scenario and at least one option");
    std::vector<std::unique_ptr<ProjectedScenario>> out;
    for (std::size_t i = 0; i < o.scenarios.size(); ++i) {
        RunOptions r;
        r.scenario = o.scenarios[i];
        r.threads = o.threads;
        r.quiet = o.quiet;
        // Every scenario runs the base's draws on the base's seed: common random numbers.
        r.draws = o.draws ? o.draws : (out.empty() ? std::nullopt : std::optional<long>(out.front()->scenario.draws));
        r.seed = o.seed ? o.seed : (out.empty() ? std::nullopt : std::optional<std::uint64_t>(out.front()->scenario.seed));
        out.push_back(project_scenario(r));
        const ProjectionResult& base = out.front()->result;
        const ProjectionResult& now = out.back()->result;
        if (now.base_year != base.base_year || now.horizon != base.horizon)
            throw InputError(o.scenarios[i], 0, "horizon", fmt::format("projects {}..{}, the base {}..{}: options must cover the same years",
                                                                       now.base_year, now.base_year + now.horizon, base.base_year, base.base_year + base.horizon));
        for (std::size_t j = 0; j + 1 < out.size(); ++j)
            if (out[j]->scenario.name == out.back()->scenario.name)
                throw InputError(o.scenarios[i], 0, "scenario", "two scenarios are named '" + out.back()->scenario.name + "'");
    }
    return out;
}

std::vector<Difference> differences(const std::vector<std::unique_ptr<ProjectedScenario>>& runs) {
    std::vector<Difference> out;
    const ProjectedScenario& base = *runs.front();
    const long D = base.result.draws;
    const int Y = base.result.years();
    for (std::size_t i = 1; i < runs.size(); ++i) {
        const ProjectedScenario& option = *runs[i];
        Difference total{option.scenario.name, "plans", "", base.result.base_year, D, {}, {}};
        for (std::size_t j = 0; j < base.result.total_by_draw.size(); ++j) {
            total.base.push_back(static_cast<double>(base.result.total_by_draw[j]));
            total.option_values.push_back(static_cast<double>(option.result.total_by_draw[j]));
        }
        out.push_back(std::move(total));
        if (!base.sufficiency || !option.sufficiency) continue;
        const SufficiencyResult& b = base.sufficiency->result();
        const SufficiencyResult& p = option.sufficiency->result();
        static const char* measures[table_measures] = {"demand_for_places", "unmet_local_demand", "placed_out_of_borough_or_independent_because_full"};
        for (int g = 0; g < b.groups; ++g)
            for (int m = 0; m < table_measures; ++m) {
                Difference d{option.scenario.name, measures[m], base.plan->place_groups[static_cast<std::size_t>(g)], base.result.base_year, D, {}, {}};
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

std::string comparison_csv(const std::vector<Difference>& diffs) {
    std::ostringstream out;
    out << "Option,Measure,Place group,Year,Base (mean),Option (mean),Difference (mean),Difference (5th percentile),"
           "Difference (10th percentile),Difference (median),Difference (90th percentile),Difference (95th percentile)\n";
    for (const Difference& d : diffs)
        for (int y = 0; y < d.years(); ++y) {
            // Counts and their differences are whole numbers: a histogram one count wide holds them
            // exactly, and gives the same percentiles as the rest of the results.
            Histogram diff;
            double base = 0, option = 0;
            for (long draw = 0; draw < d.draws; ++draw) {
                const std::size_t i = static_cast<std::size_t>(draw * d.years() + y);
                base += d.base[i];
                option += d.option_values[i];
                diff.add(std::llround(d.option_values[i] - d.base[i]));
            }
            const double n = static_cast<double>(d.draws);
            out << csv_field(d.option) << ',' << d.measure << ',' << (d.place_group.empty() ? "all" : d.place_group) << ',' << d.base_year + y << ','
                << csv_number(base / n) << ',' << csv_number(option / n) << ',' << csv_number((option - base) / n);
            for (double q : {0.05, 0.10, 0.50, 0.90, 0.95}) out << ',' << csv_number(diff.quantile(q));
            out << '\n';
        }
    return out.str();
}

}  // namespace

std::vector<Difference> compare_scenarios(const CompareOptions& o, std::vector<std::string>* names) {
    const auto runs = project_all(o);
    if (names)
        for (const auto& r : runs) names->push_back(r->scenario.name);
    return differences(runs);
}

std::string run_compare(const CompareOptions& o) {
    const auto runs = project_all(o);
    const fs::path target = fs::path(o.out.empty() ? "results/compare-" + runs.front()->scenario.name : o.out).lexically_normal();
    const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
    fs::create_directories(parent);
    const fs::path tmp = parent / fmt::format(".{}.incomplete-{}", target.filename().string(), ::getpid());
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    try {
        for (const auto& p : runs)
            write_results((tmp / p->scenario.name).string(), p->run, p->taxonomy, p->calibrated.calibration, p->result, [&](const fs::path& dir) {
                if (p->sufficiency) write_sufficiency_csvs(dir, p->taxonomy, *p->provisions, *p->plan, p->sufficiency->result());
            });
        const std::string table = comparison_csv(differences(runs));
        write_text_file((tmp / "comparison.csv").string(), "--out", [&](std::ostream& out) { out << table; });
        if (fs::exists(target)) fs::remove_all(target);
        fs::rename(tmp, target);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(tmp, ec);
        throw;
    }
    return target.string();
}

}  // namespace sendplan
