#pragma once
// The record of forecasts made this way: how far the all-authority backtest's forecasts were from
// what happened, by kind of area (its size) and horizon. Written by `sendplan backtest --accuracy`,
// shipped as model/forecast_accuracy.csv, and carried by every run's results so that a board sees
// the record beside the forecast.
#include <optional>
#include <string>
#include <vector>

#include "evaluate/backtest.h"

namespace sendplan {

struct AccuracyRow {
    std::string kind;              // "all authorities", or a size band
    double min_plans = 0, max_plans = 0;  // plans at the origin census: min <= plans < max (max 0: no limit)
    int horizon = 0, forecasts = 0;
    double median_ape = 0, ape_p90 = 0, mape = 0;  // absolute percentage errors of the mean forecast
    double inside_80 = 0, inside_95 = 0;           // share of actuals inside the 80% and 95% intervals
};

struct AccuracyTable {
    std::string source;  // how it was made (command, origins, draws)
    std::vector<AccuracyRow> rows;
};

// Scores local authorities' forecasts (codes E06..E10) by horizon, for all of them and by size band.
std::vector<AccuracyRow> accuracy_by_kind(const std::vector<BacktestRow>& rows);

// The table as CSV text (the first line says how it was made, as a comment).
std::string accuracy_table_text(const AccuracyTable& table);
// Refuses a malformed table with file, line and field.
AccuracyTable read_accuracy_table(const std::string& path);

// The rows for an area with `plans` at its base census: its size band's, or with `is_authority`
// false (England, a region) the rows for all authorities.
std::vector<AccuracyRow> accuracy_for(const AccuracyTable& table, double plans, bool is_authority);

// One sentence a board member can read, from the rows' horizon-3 figures (else the nearest).
std::string accuracy_sentence(const std::vector<AccuracyRow>& rows, const std::string& source);

}  // namespace sendplan
