#include "cli/run_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "output/finance_writer.h"
#include "output/html_report.h"
#include "output/results_writer.h"
#include "output/sufficiency_writer.h"

namespace sendplan {

namespace {

// The progress line: the draws done and the seconds since the scenario's work began; a run under
// a second prints nothing.
class ProgressLine {
public:
    void restart() {
        started_ = std::chrono::steady_clock::now();
        printed_ = false;
    }
    void operator()(const std::string& scenario, long done, long total) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
        if (secs < 1.0 && done < total) return;
        if (done == total && !printed_) return;
        printed_ = true;
        std::fprintf(stderr, "\r%s: draw %ld of %ld (%3.0f%%), %.1f s", scenario.c_str(), done, total,
                     100.0 * static_cast<double>(done) / static_cast<double>(total), secs);
        if (done == total) std::fprintf(stderr, "\n");
        std::fflush(stderr);
    }

private:
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    bool printed_ = false;
};

}  // namespace

RunSettings command_line_settings(const RunOptions& o) {
    RunSettings s;
    s.draws = o.draws;
    s.seed = o.seed;
    s.threads = o.threads;
    s.keep_draws = o.keep_draws;
    if (o.quiet) return s;
    s.note = [](const std::string& text) { std::fprintf(stderr, "note: %s\n", text.c_str()); };
    auto line = std::make_shared<ProgressLine>();
    s.progress = [line](const std::string& scenario, long done, long total) { (*line)(scenario, done, total); };
    s.started = [line]() { line->restart(); };
    return s;
}

std::string run_scenario(const RunOptions& o) {
    // Without --out, the folder is named after the scenario, so a refusal names its `scenario:` key.
    const std::string option = o.out.empty() ? "scenario" : "--out";
    std::string out = o.out;
    const auto run = run_scenario_file(o.scenario, command_line_settings(o), [&](const Scenario& sc) {
        if (out.empty()) out = (std::filesystem::path("results") / sc.name).string();
        check_results_folder(out, option, scenario_inputs(sc));
    });
    return write_results_folder(out, option, run->inputs(), [&](const ResultsFolder& folder) { write_scenario_results(folder, *run); });
}

void write_scenario_results(const ResultsFolder& folder, const Run& run) {
    write_results(folder, run.record(), run.taxonomy(), run.calibration(), run.result(), run.plan() ? run.plan()->place_groups : std::vector<std::string>{});
    if (run.sufficiency()) write_sufficiency_csvs(folder, run.taxonomy(), *run.provisions(), *run.plan(), run.sufficiency()->result());
    if (run.spend()) write_finance_outputs(folder, run);
    // Last: the report is made from the files above as they lie in the folder.
    write_report(folder);
}

}  // namespace sendplan
