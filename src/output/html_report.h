#pragma once
// The report of a results folder as one HTML page that opens from disk with nothing else: the run
// as recorded (scenario, area, seed, draws, version), the key numbers with their intervals, fan
// charts of plans and of high-needs spend (inline SVG), the Special Places Plan's table and, for a
// comparison, each option against the base and the appraisal. It is made from the files in the
// folder only (output/results_reader.h), so it can be made again for any folder sendplan wrote;
// plain CSS, no script, no address outside the page, and the same files give the same bytes.
#include <filesystem>
#include <string>

#include "output/atomic_output.h"
#include "output/results_reader.h"

namespace sendplan {

inline constexpr const char* report_file_name = "report.html";
// What every report begins with, so that `sendplan report` replaces only an earlier report.
inline constexpr const char* report_first_line = "<!DOCTYPE html>";

// A number of children or places as the report shows it: rounded to whole, thousands separated.
std::string whole_figure(double value);
// An amount of money as the report shows it: in millions to one decimal ("\u00a366.3m"), or under a
// million to the thousand ("\u00a3130k").
std::string money_figure(double gbp);

std::string run_report_html(const ScenarioResults& run);
std::string compare_report_html(const CompareResults& compared);

// The report of the results folder at `dir` (a run's or a comparison's); `shown` names it in messages.
std::string report_of_folder(const std::filesystem::path& dir, const std::string& shown);

// Writes report.html into a results folder being written, from the files already written there.
void write_report(const ResultsFolder& folder);

}  // namespace sendplan
