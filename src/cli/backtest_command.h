#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "evaluate/backtest.h"

namespace sendplan {

struct BacktestCommandOptions {
    std::string data_dir;
    AreaBacktestOptions backtest;  // areas, region, origins, horizon, draws, seed, threads
    std::string population;  // empty: a constant population
    std::string model_dir;
    std::string out;     // forecasts CSV
    std::string report;  // optional scores CSV
    std::string accuracy;  // optional forecast accuracy table by kind of area (model/forecast_accuracy.csv)
    bool quiet = false;
};

// Method settings are chosen on forecasts from origins up to this census; later origins are held out.
constexpr int kLastInSampleOrigin = 2019;

// Parses "2016..2021" (or a single year) into the years it spans; bad text throws InputError.
std::vector<int> parse_year_range(const std::string& text);

// Runs every (area, origin) backtest, writes the forecasts CSV (under a temporary name, then
// renamed), and prints the scores by horizon. Bad input throws InputError or DataError.
void run_backtest(const BacktestCommandOptions& options);

}  // namespace sendplan
