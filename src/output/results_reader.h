#pragma once
// A results folder read back, for the HTML report: what results.h5 records of the run (scenario,
// seed, draws, version, the published history, every draw's total) and the tables a planner reads
// (projection_totals.csv, places_summary.csv, high_needs_spend.csv; for a comparison
// comparison.csv and appraisal.csv). Only files on disk are read, so a report can be made for any
// folder sendplan wrote. A file that is missing or not what sendplan writes is refused naming it.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sendplan {

// Percentiles over draws, year by year. p25 and p75 are empty where they are not known.
struct YearFan {
    std::vector<int> years;
    std::vector<double> mean, p05, p10, p25, p50, p75, p90, p95;
};

// A CSV file as it is, text cell by text cell.
struct TextTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

struct ScenarioResults {
    std::string name, title, description, area_code, area_name, engine_version, scenario_file, accuracy_sentence;
    std::int64_t seed = 0, draws = 0;
    int base_year = 0, horizon = 0;
    std::vector<int> history_years;
    std::vector<double> history_totals;
    YearFan plans;                                // total plans (projection_totals.csv; p25/p75 from every draw's total)
    std::optional<YearFan> spend;                 // high-needs spend in GBP (high_needs_spend.csv), with a cost table
    std::optional<TextTable> places;              // places_summary.csv, with a provision register
    std::vector<std::string> place_groups, place_group_labels;
    std::vector<std::string> input_paths, input_sha256;  // every input the run read, as recorded
};

// One row of appraisal.csv: a measure of one option against the base, with its interval.
struct AppraisalLine {
    std::string option, measure, code, place_group, unit;
    double mean = 0, p05 = 0, p50 = 0, p95 = 0;
};

// One row of comparison.csv: the option minus the base in one year, draw by draw.
struct DifferenceLine {
    std::string option, measure, place_group;
    int year = 0;
    double base = 0, with_option = 0, mean = 0, p05 = 0, p95 = 0;
};

struct CompareResults {
    std::vector<ScenarioResults> scenarios;  // the base first, then the options as comparison.csv names them
    std::vector<AppraisalLine> appraisal;    // empty without cost tables
    std::vector<DifferenceLine> differences;
};

// Whether `dir` holds a comparison (comparison.csv beside each scenario's folder) rather than one run.
bool is_compare_folder(const std::filesystem::path& dir);

// One run's folder; `shown` is the folder as the user names it, for messages.
ScenarioResults read_scenario_results(const std::filesystem::path& dir, const std::string& shown);

// A comparison's folder and the folder of each scenario in it.
CompareResults read_compare_results(const std::filesystem::path& dir, const std::string& shown);

}  // namespace sendplan
