#include "cli/backtest_command.h"
#include "cli/version.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "core/error.h"
#include "core/sha256.h"
#include "evaluate/backtest.h"
#include "io/dfe_reader.h"
#include "io/population.h"
#include "io/scenario.h"
#include "io/taxonomy_reader.h"
#include "output/text_file.h"


namespace sendplan {

namespace fs = std::filesystem;

std::vector<int> parse_year_range(const std::string& text) {
    auto year = [&](const std::string& s) {
        std::size_t used = 0;
        int y = 0;
        try {
            y = std::stoi(s, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != s.size() || y < 1900 || y > 2200) throw InputError("--origins", 0, "origins", "'" + text + "' is not a year or a range such as 2016..2021");
        return y;
    };
    const auto dots = text.find("..");
    const int first = year(dots == std::string::npos ? text : text.substr(0, dots));
    const int last = dots == std::string::npos ? first : year(text.substr(dots + 2));
    if (last < first) throw InputError("--origins", 0, "origins", "'" + text + "' runs backwards");
    std::vector<int> years;
    for (int y = first; y <= last; ++y) years.push_back(y);
    return years;
}

namespace {

// The directory itself, and each subdirectory holding release files, oldest name first, so that
// a folder of releases (dfe-ehcp-2022, dfe-ehcp-2025, ...) reads with the newest winning.
std::vector<std::string> release_directories(const std::string& dir) {
    if (!fs::is_directory(dir)) throw InputError(dir, 0, "--data-dir", "data directory does not exist");
    std::vector<std::string> subdirs;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_directory()) subdirs.push_back(entry.path().string());
    std::sort(subdirs.begin(), subdirs.end());
    subdirs.push_back(dir);
    return subdirs;
}

std::string number(double x) { return fmt::format("{:.1f}", x); }

void write_forecasts(const std::string& path, const std::vector<BacktestRow>& rows) {
    write_text_file(path, "--out", [&](std::ostream& f) {
        f << "area_code,origin,year,horizon,actual,mean,p05,p10,p50,p90,p95\n";
        for (const auto& r : rows)
            f << r.area_code << ',' << r.origin << ',' << r.year << ',' << r.horizon << ',' << (r.actual ? number(*r.actual) : "") << ','
              << number(r.mean) << ',' << number(r.p05) << ',' << number(r.p10) << ',' << number(r.p50) << ',' << number(r.p90) << ','
              << number(r.p95) << '\n';
    });
}

void write_report(const std::string& path, const std::vector<BacktestScore>& scores) {
    write_text_file(path, "--report", [&](std::ostream& f) {
        f << "horizon,forecasts,engine_mape,last_value_mape,compound_growth_3y_mape,inside_80,inside_90,inside_95\n";
        for (const auto& s : scores)
            f << s.horizon << ',' << s.forecasts << ','
              << fmt::format("{:.2f},{:.2f},{:.2f},{:.3f},{:.3f},{:.3f}", s.engine_mape, s.last_value_mape, s.compound_growth_mape, s.inside_80,
                             s.inside_90, s.inside_95)
              << '\n';
    });
}

}  // namespace

void run_backtest(const BacktestCommandOptions& o) {
    if (o.areas.empty()) throw InputError("--area", 0, "area", "give an area code (E09000003, 302 or E92000001)");
    if (o.origins.empty()) throw InputError("--origin", 0, "origin", "give an origin year (--origin 2018) or a range (--origins 2016..2021)");
    if (o.horizon < 1) throw InputError("--horizon", 0, "horizon", "must be at least one year");
    if (o.draws < 1) throw InputError("--draws", 0, "draws", "must be a positive number of draws");
    if (o.out.empty()) throw InputError("--out", 0, "out", "give the CSV file to write");
    const Taxonomy tax = read_taxonomy(o.model_dir);
    Assumptions assumptions;
    read_assumptions((fs::path(o.model_dir) / "assumptions.yaml").string(), assumptions);
    const Population population = o.population.empty() ? constant_population(tax) : read_population(o.population, tax);
    if (o.population.empty())
        std::fprintf(stderr, "note: no --population given: assuming a constant population (new plans per year, not per head)\n");
    const std::vector<std::string> dirs = release_directories(o.data_dir);

    std::vector<BacktestRow> rows;
    std::set<std::string> inputs;
    for (const char* f : {"ages.yaml", "needs.yaml", "settings.yaml", "assumptions.yaml"}) inputs.insert((fs::path(o.model_dir) / f).string());
    if (!o.population.empty()) inputs.insert(o.population);
    for (const auto& area : o.areas) {
        const AreaHistory history = read_dfe_releases(dirs, area, tax);
        inputs.insert(history.files_read.begin(), history.files_read.end());
        for (int origin : o.origins) {
            BacktestOptions bo;
            bo.origin = origin;
            bo.horizon = o.horizon;
            bo.draws = o.draws;
            bo.seed = o.seed;
            bo.threads = o.threads;
            std::vector<std::string> notes;
            auto forecast = backtest(history, population, tax, assumptions, bo, notes);
            if (!o.quiet)
                for (const auto& n : notes) std::fprintf(stderr, "note: %s %d: %s\n", history.area_code.c_str(), origin, n.c_str());
            rows.insert(rows.end(), forecast.begin(), forecast.end());
        }
    }
    write_forecasts(o.out, rows);
    // The CSV's columns are fixed for other tools; what produced it goes beside it.
    write_text_file(o.out + ".provenance.txt", "--out", [&](std::ostream& f) {
        f << "sendplan " << SENDPLAN_VERSION << " (" << SENDPLAN_GIT_REVISION << ") backtest\n";
        f << "seed " << o.seed << "\ndraws " << o.draws << "\nhorizon " << o.horizon << "\nareas";
        for (const auto& a : o.areas) f << ' ' << a;
        f << "\norigins";
        for (int y : o.origins) f << ' ' << y;
        f << "\npopulation " << (o.population.empty() ? "constant" : o.population) << "\ninputs (sha256):\n";
        for (const auto& path : inputs) f << sha256_file(path) << "  " << path << '\n';
    });

    const auto scores = score_backtest(rows);
    std::printf("backtest of total plans: %zu forecast(s), engine mean against two naive forecasts;\n"
                "intervals: 80%% = p10..p90, 90%% = p05..p95, 95%% = p2.5..p97.5 of the draws\n", rows.size());
    std::printf("%-8s %10s %12s %16s %18s %10s %10s %10s\n", "horizon", "forecasts", "engine MAPE", "last value MAPE", "3y growth MAPE",
                "in 80%", "in 90%", "in 95%");
    for (const auto& s : scores) {
        if (s.forecasts == 0) continue;
        std::printf("%-8d %10d %11.1f%% %15.1f%% %17.1f%% %9.0f%% %9.0f%% %9.0f%%\n", s.horizon, s.forecasts, s.engine_mape, s.last_value_mape,
                    s.compound_growth_mape, 100 * s.inside_80, 100 * s.inside_90, 100 * s.inside_95);
    }
    if (!o.report.empty()) write_report(o.report, scores);
}

}  // namespace sendplan
