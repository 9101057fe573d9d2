#pragma once
// Backtests: forecasts made from the data as it stood at a January census (the origin), set against
// what the later censuses found, with two naive forecasts to beat (model/METHOD.md, section 11).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/pooled.h"
#include "core/assumptions.h"
#include "core/taxonomy.h"
#include "io/area_history.h"
#include "io/dfe_reader.h"
#include "io/population.h"

namespace sendplan {

// The history as known at the January census of `origin`: censuses up to it, and new and ceased
// plans of calendar years before it. Nothing dated later survives.
AreaHistory history_up_to(const AreaHistory& history, int origin);

struct BacktestOptions {
    int origin = 0;
    int horizon = 0;
    long draws = 1000;
    std::uint64_t seed = 1;
    int threads = 0;
};

// One forecast year: total plans at January `year` forecast from January `origin`.
struct BacktestRow {
    std::string area_code, area_name, region;
    int origin = 0, year = 0, horizon = 0;
    std::optional<double> actual;  // the published total, where known
    double mean = 0, p05 = 0, p10 = 0, p50 = 0, p90 = 0, p95 = 0;
    // The 95% interval's ends: not among the agreed CSV columns (p05..p95 is a 90% interval), but
    // needed to score 95% coverage.
    double p025 = 0, p975 = 0;
    // The naive forecasts from the same origin: the last value, and three-year compound growth.
    double last_value = 0;
    std::optional<double> compound_growth;
    // England's three-year compound growth applied to the area's own origin total.
    std::optional<double> england_growth;
};

// Calibrates on history_up_to(history, origin) and forecasts total plans for origin+1..origin+horizon.
// `notes` receives the calibration's notes.
// With `pooled` (fitted at the origin on every authority), the calibration is pooled (pooled.h).
std::vector<BacktestRow> backtest(const AreaHistory& history, const Population& population, const Taxonomy& taxonomy,
                                  const Assumptions& assumptions, const BacktestOptions& options, std::vector<std::string>& notes,
                                  const PooledEstimates* pooled = nullptr);

// A backtest of many areas at many origins: which, and how each forecast is made.
struct AreaBacktestOptions {
    std::vector<std::string> areas;  // codes or names; "all" for every local authority in the files
    std::string region;              // with "all": only this region's authorities (code or name)
    std::vector<int> origins;
    int horizon = 0;
    long draws = 1000;
    std::uint64_t seed = 20260123;   // the shipped scenarios' seed
    int threads = 0;                 // 0: OpenMP's default
};
// Refuses options that could not run (no areas or origins, a horizon or draws below one).
void check_backtest_options(const AreaBacktestOptions& options);

// Where the calibration notes ("E09000003 2018: ...") and the failures of single forecasts go.
struct AreaBacktestReports {
    std::function<void(const std::string&)> note, failure;
};

struct AreaBacktest {
    std::vector<BacktestRow> rows;  // every forecast of the areas that ran, with region and England's growth
    std::size_t failed = 0;         // (area, origin) forecasts that failed, with `all` (else the first throws)
};

// Every (area, origin) backtest, in parallel over areas; the pooled estimates are fitted once per
// origin on every authority in the releases. An area asked for by name that fails throws DataError.
AreaBacktest backtest_areas(const DfeReleases& releases, const Taxonomy& taxonomy, const Assumptions& assumptions, const Population& population,
                            const AreaBacktestOptions& options, const AreaBacktestReports& reports);

// The scores by horizon over a set of rows that have actuals.
struct BacktestScore {
    int horizon = 0;
    int forecasts = 0;
    double engine_mape = 0, last_value_mape = 0, compound_growth_mape = 0;  // mean absolute percentage error
    double engine_median_ape = 0, england_growth_mape = 0;
    int compound_growth_forecasts = 0, england_growth_forecasts = 0;
    double inside_80 = 0, inside_90 = 0, inside_95 = 0;  // share of actuals inside p10..p90, p05..p95, p2.5..p97.5
};
std::vector<BacktestScore> score_backtest(const std::vector<BacktestRow>& rows);

// Absolute percentage error of the engine's mean; rows without an actual have none.
std::optional<double> engine_ape(const BacktestRow& row);

}  // namespace sendplan
