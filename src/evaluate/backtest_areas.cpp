// Backtests of many areas at many origins, in parallel: every authority's history read once, the
// pooled estimates fitted once per origin on every authority in the files, and each (area, origin)
// forecast on one thread.
#include <algorithm>
#include <cmath>
#include <map>

#include <omp.h>

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "evaluate/backtest.h"
#include "io/csv.h"

namespace sendplan {

namespace {

bool is_all(const std::string& area) { return upper(area) == "ALL"; }

// The three-year compound growth of England's total, by origin (none without England's rows).
std::map<int, double> england_growth(const std::optional<AreaTotals>& england) {
    std::map<int, double> out;
    if (!england) return out;
    for (const auto& [year, total] : england->stock)
        if (auto before = england->stock.find(year - 3); before != england->stock.end() && before->second > 0)
            out[year] = std::pow(total / before->second, 1.0 / 3.0);
    return out;
}

bool in_region(const LocalAuthority& la, const std::string& region) {
    return region.empty() || upper(la.region_code) == upper(region) || upper(la.region_name) == upper(region);
}

// Areas by name; `all` is every local authority in the files (dissolved ones for the origins they
// existed at), within the region if given.
std::vector<std::string> chosen_areas(const DfeReleases& releases, const AreaBacktestOptions& o, bool every_authority) {
    std::vector<std::string> areas;
    for (const auto& a : o.areas)
        if (!is_all(a)) areas.push_back(a);
    if (!every_authority) {
        if (!o.region.empty()) throw InputError("--region", 0, "region", "--region chooses among all authorities: use it with --area all");
        return areas;
    }
    bool region_found = false;
    for (const auto& la : releases.local_authorities())
        if (in_region(la, o.region)) {
            region_found = true;
            areas.push_back(la.code);
        }
    if (!region_found)
        throw InputError("--region", 0, "region", "no local authority in region " + shown(o.region) + " (give a region code such as E12000007 or a name such as London)");
    return areas;
}

struct Task {
    std::size_t area;
    int origin;
};

// Every (area, origin) to forecast. Listed areas must have the origin; with `all`, an authority
// that did not exist then is not asked.
std::vector<Task> backtest_tasks(const std::vector<AreaHistory>& histories, const std::vector<int>& origins, bool every_authority) {
    std::vector<Task> tasks;
    for (std::size_t i = 0; i < histories.size(); ++i)
        for (int origin : origins) {
            const bool has_origin = histories[i].stock_total.count(origin) || histories[i].stock_by_age.count(origin);
            if (!has_origin && every_authority) continue;
            tasks.push_back({i, origin});
        }
    if (tasks.empty()) throw InputError("--origins", 0, "origins", "no area has a January census at any of the origins given");
    return tasks;
}

// The pooled estimates at each origin, from every authority in the files (not only those run).
std::map<int, std::optional<PooledEstimates>> pooled_by_origin(const PoolingRecord& record, const std::vector<int>& origins,
                                                               const Assumptions& assumptions, const AreaBacktestReports& reports) {
    std::map<int, std::optional<PooledEstimates>> pooled;
    for (int origin : origins) {
        pooled[origin] = fit_pooled(record, origin, assumptions.pooling);
        if (!pooled[origin] && assumptions.pooling.enabled && reports.note)
            reports.note(fmt::format("fewer than {} authorities with a record at January {} in the data: each area is calibrated on its own, unpooled",
                                     assumptions.pooling.min_areas, origin));
    }
    return pooled;
}

// Each task's forecasts, notes and failure, by task.
struct TaskOutcomes {
    std::vector<std::vector<BacktestRow>> forecasts;
    std::vector<std::vector<std::string>> notes;
    std::vector<std::string> failures;
    explicit TaskOutcomes(std::size_t n) : forecasts(n), notes(n), failures(n) {}
};

// What every task reads, fixed before they run.
struct BacktestInputs {
    const Taxonomy& tax;
    const Assumptions& assumptions;
    const Population& population;
    const std::vector<AreaHistory>& histories;
    const std::map<int, std::optional<PooledEstimates>>& pooled;
    const std::map<int, double>& england;
};

// One (area, origin) forecast; a failure is kept as text, not thrown, so the other areas go on.
void run_task(const BacktestInputs& in, const AreaBacktestOptions& o, const Task& task, int threads, TaskOutcomes& outcomes, std::size_t i) {
    const AreaHistory& history = in.histories[task.area];
    BacktestOptions bo;
    bo.origin = task.origin;
    bo.horizon = o.horizon;
    bo.draws = o.draws;
    bo.seed = o.seed;
    bo.threads = threads;
    try {
        const auto& p = in.pooled.at(task.origin);
        outcomes.forecasts[i] = backtest(history, in.population, in.tax, in.assumptions, bo, outcomes.notes[i], p ? &*p : nullptr);
    } catch (const std::exception& e) {
        outcomes.failures[i] = e.what();
    }
    for (auto& row : outcomes.forecasts[i]) {
        row.area_name = history.area_name;
        if (auto it = in.england.find(task.origin); it != in.england.end()) row.england_growth = row.last_value * std::pow(it->second, row.horizon);
    }
}

// Areas in parallel, each projection on one thread: many small jobs keep every core busy.
TaskOutcomes run_tasks(const BacktestInputs& in, const AreaBacktestOptions& o, const std::vector<Task>& tasks) {
    TaskOutcomes outcomes(tasks.size());
    const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
    const bool by_area = tasks.size() > 1 && threads > 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(by_area ? threads : 1)
    for (std::size_t i = 0; i < tasks.size(); ++i) run_task(in, o, tasks[i], by_area ? 1 : threads, outcomes, i);
    return outcomes;
}

// The forecasts that ran, in task order, with each one's notes and failure reported.
AreaBacktest gather(const std::vector<AreaHistory>& histories, const std::vector<Task>& tasks, const TaskOutcomes& outcomes, bool every_authority,
                    const AreaBacktestReports& reports) {
    AreaBacktest out;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const AreaHistory& h = histories[tasks[i].area];
        if (reports.note)
            for (const auto& n : outcomes.notes[i]) reports.note(fmt::format("{} {}: {}", h.area_code, tasks[i].origin, n));
        if (!outcomes.failures[i].empty()) {
            ++out.failed;
            if (reports.failure) reports.failure(fmt::format("{} ({}) from January {}: {}", h.area_code, h.area_name, tasks[i].origin, outcomes.failures[i]));
            // One area asked for by name must not fail quietly among others.
            if (!every_authority) throw DataError(h.area_name + " from January " + std::to_string(tasks[i].origin) + ": " + outcomes.failures[i]);
            continue;
        }
        out.rows.insert(out.rows.end(), outcomes.forecasts[i].begin(), outcomes.forecasts[i].end());
    }
    return out;
}

}  // namespace

void check_backtest_options(const AreaBacktestOptions& o) {
    if (o.areas.empty()) throw InputError("--area", 0, "area", "give an area code (E09000003, 302 or E92000001), or all");
    if (o.origins.empty()) throw InputError("--origin", 0, "origin", "give an origin year (--origin 2018) or a range (--origins 2016..2021)");
    if (o.horizon < 1) throw InputError("--horizon", 0, "horizon", "must be at least one year");
    if (o.draws < 1) throw InputError("--draws", 0, "draws", "must be a positive number of draws");
}

AreaBacktest backtest_areas(const DfeReleases& releases, const Taxonomy& tax, const Assumptions& assumptions, const Population& population,
                            const AreaBacktestOptions& o, const AreaBacktestReports& reports) {
    check_backtest_options(o);
    // Every authority's totals and England's, read once: the pool at each origin and England's growth.
    const PoolingRecord record = pooling_record(releases, tax);
    const std::map<int, double> england = england_growth(record.england);
    const bool every_authority = std::any_of(o.areas.begin(), o.areas.end(), is_all);
    const std::vector<std::string> areas = chosen_areas(releases, o, every_authority);
    // Every history first (refusing a bad area before any work), then every (area, origin) in parallel.
    std::vector<AreaHistory> histories;
    for (const auto& a : areas) histories.push_back(releases.history(a, tax, every_authority));
    const std::vector<Task> tasks = backtest_tasks(histories, o.origins, every_authority);
    const auto pooled = pooled_by_origin(record, o.origins, assumptions, reports);

    const BacktestInputs inputs{tax, assumptions, population, histories, pooled, england};
    AreaBacktest out = gather(histories, tasks, run_tasks(inputs, o, tasks), every_authority, reports);
    std::map<std::string, std::string> region_of;
    for (const auto& la : releases.local_authorities()) region_of[la.code] = la.region_name;
    for (auto& r : out.rows)
        if (auto it = region_of.find(r.area_code); it != region_of.end()) r.region = it->second;
    return out;
}

}  // namespace sendplan
