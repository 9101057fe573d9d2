#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sendplan {

struct BacktestCommandOptions {
    std::string data_dir;
    std::vector<std::string> areas;  // codes or names; "all" for every local authority in the files
    std::string region;              // with "all": only this region's authorities (code or name)
    std::vector<int> origins;
    int horizon = 0;
    std::string population;  // empty: a constant population
    std::string model_dir;
    long draws = 1000;
    std::uint64_t seed = 20260123;
    int threads = 0;
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
