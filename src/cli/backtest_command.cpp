#include "cli/backtest_command.h"
#include "core/version.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <omp.h>

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "core/sha256.h"
#include "evaluate/accuracy.h"
#include "evaluate/backtest.h"
#include "io/csv.h"
#include "io/dfe_reader.h"
#include "io/population.h"
#include "io/scenario.h"
#include "io/taxonomy_reader.h"
#include "output/csv_text.h"
#include "output/atomic_output.h"


namespace sendplan {

namespace fs = std::filesystem;

std::vector<int> parse_year_range(const std::string& text) {
    auto year = [&](const std::string& s) {
        return static_cast<int>(whole_number(s, kFirstYear, kLastYear, Where{"--origins", 0, 0, "origins"}));
    };
    const auto dots = text.find("..");
    const int first = year(dots == std::string::npos ? text : text.substr(0, dots));
    const int last = dots == std::string::npos ? first : year(text.substr(dots + 2));
    if (last < first) throw InputError("--origins", 0, "origins", shown(text) + " runs backwards");
    std::vector<int> years;
    for (int y = first; y <= last; ++y) years.push_back(y);
    return years;
}

namespace {

// The files a backtest writes, by what each begins with: an earlier one may be replaced, nothing else.
constexpr const char* kForecastsHeader =
    "area_code,origin,year,horizon,actual,mean,p05,p10,p50,p90,p95,area_name,region,p025,p975,last_value,growth_3y,england_growth_3y\n";
constexpr const char* kReportHeader =
    "scope,horizon,forecasts,engine_mape,engine_median_ape,last_value_mape,compound_growth_3y_mape,england_growth_3y_mape,inside_80,inside_90,inside_95\n";
constexpr OutputKind kForecasts{"backtest forecasts", kForecastsHeader};
constexpr OutputKind kProvenance{"backtest provenance", "sendplan "};
constexpr OutputKind kReport{"backtest report", kReportHeader};
constexpr OutputKind kAccuracy{"accuracy table", "# all-authority backtest: sendplan "};

std::string number(double x) { return fmt::format("{:.1f}", x); }

void write_forecasts(const std::string& path, const std::vector<BacktestRow>& rows) {
    write_text_file(path, "--out", kForecasts, [&](std::ostream& f) {
        f << kForecastsHeader;
        auto maybe = [](const std::optional<double>& x) { return x ? number(*x) : std::string(); };
        for (const auto& r : rows)
            f << r.area_code << ',' << r.origin << ',' << r.year << ',' << r.horizon << ',' << maybe(r.actual) << ',' << number(r.mean) << ','
              << number(r.p05) << ',' << number(r.p10) << ',' << number(r.p50) << ',' << number(r.p90) << ',' << number(r.p95) << ','
              << csv_field(r.area_name) << ',' << csv_field(r.region) << ',' << number(r.p025) << ',' << number(r.p975) << ','
              << number(r.last_value) << ',' << maybe(r.compound_growth) << ',' << maybe(r.england_growth) << '\n';
    });
}

// Scores over one group of forecasts: all of them, one origin, the in-sample or held-out origins.
struct ScoredGroup {
    std::string scope;
    std::vector<BacktestScore> scores;
};

std::vector<ScoredGroup> score_groups(const std::vector<BacktestRow>& rows, int last_in_sample_origin) {
    std::vector<ScoredGroup> groups;
    auto group = [&](const std::string& scope, auto keep) {
        std::vector<BacktestRow> chosen;
        for (const auto& r : rows)
            if (keep(r)) chosen.push_back(r);
        if (!chosen.empty()) groups.push_back({scope, score_backtest(chosen)});
    };
    group("all", [](const BacktestRow&) { return true; });
    group(fmt::format("origins to {} (in-sample)", last_in_sample_origin), [&](const BacktestRow& r) { return r.origin <= last_in_sample_origin; });
    group(fmt::format("origins from {} (held out)", last_in_sample_origin + 1), [&](const BacktestRow& r) { return r.origin > last_in_sample_origin; });
    std::set<int> origins;
    for (const auto& r : rows) origins.insert(r.origin);
    for (int o : origins) group(fmt::format("origin {}", o), [&](const BacktestRow& r) { return r.origin == o; });
    return groups;
}

void write_report(const std::string& path, const std::vector<ScoredGroup>& groups) {
    write_text_file(path, "--report", kReport, [&](std::ostream& f) {
        f << kReportHeader;
        for (const auto& g : groups)
            for (const auto& s : g.scores) {
                if (s.forecasts == 0) continue;
                f << csv_field(g.scope) << ',' << s.horizon << ',' << s.forecasts << ','
                  << fmt::format("{:.2f},{:.2f},{:.2f},{:.2f},{:.2f},{:.3f},{:.3f},{:.3f}", s.engine_mape, s.engine_median_ape, s.last_value_mape,
                                 s.compound_growth_mape, s.england_growth_mape, s.inside_80, s.inside_90, s.inside_95)
                  << '\n';
            }
    });
}

void print_scores(const ScoredGroup& g) {
    std::printf("\n%s\n", g.scope.c_str());
    std::printf("%-8s %9s %8s %8s %8s %8s %9s %7s %7s %7s\n", "horizon", "forecasts", "MAPE", "median", "last", "own 3y", "England 3y", "in 80%",
                "in 90%", "in 95%");
    for (const auto& s : g.scores) {
        if (s.forecasts == 0) continue;
        std::printf("%-8d %9d %7.1f%% %7.1f%% %7.1f%% %7.1f%% %8.1f%% %6.0f%% %6.0f%% %6.0f%%\n", s.horizon, s.forecasts, s.engine_mape,
                    s.engine_median_ape, s.last_value_mape, s.compound_growth_mape, s.england_growth_mape, 100 * s.inside_80, 100 * s.inside_90,
                    100 * s.inside_95);
    }
}

// The areas whose worst forecast missed by most, with that forecast.
void print_worst(const std::vector<BacktestRow>& rows, std::size_t count) {
    std::map<std::string, const BacktestRow*> worst;
    for (const auto& r : rows) {
        const auto e = engine_ape(r);
        if (!e) continue;
        auto& w = worst[r.area_code];
        if (!w || *e > *engine_ape(*w)) w = &r;
    }
    std::vector<const BacktestRow*> list;
    for (const auto& [code, r] : worst) list.push_back(r);
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return *engine_ape(*a) > *engine_ape(*b); });
    std::printf("\nthe %zu areas forecast worst (largest error of any forecast)\n", std::min(count, list.size()));
    for (std::size_t i = 0; i < list.size() && i < count; ++i) {
        const BacktestRow& r = *list[i];
        std::printf("  %-9s %-34s from %d to %d: forecast %7.0f, actual %7.0f (%+.0f%%), own 3y %s\n", r.area_code.c_str(), r.area_name.c_str(), r.origin,
                    r.year, r.mean, *r.actual, 100 * (r.mean - *r.actual) / *r.actual,
                    r.compound_growth ? fmt::format("{:+.0f}%", 100 * (*r.compound_growth - *r.actual) / *r.actual).c_str() : "-");
    }
}

// The CSV's columns are fixed for other tools; what produced it goes beside it.
void write_provenance(const BacktestCommandOptions& o, const DfeReleases& releases, std::size_t forecasts, std::size_t failed) {
    write_text_file(o.out + ".provenance.txt", "--out", kProvenance, [&](std::ostream& f) {
        f << "sendplan " << SENDPLAN_VERSION << " (" << SENDPLAN_GIT_REVISION << ") backtest\n";
        f << "seed " << o.backtest.seed << "\ndraws " << o.backtest.draws << "\nhorizon " << o.backtest.horizon << "\nareas";
        for (const auto& a : o.backtest.areas) f << ' ' << a;
        if (!o.backtest.region.empty()) f << "\nregion " << o.backtest.region;
        f << "\norigins";
        for (int y : o.backtest.origins) f << ' ' << y;
        f << "\nforecasts " << forecasts << "\nfailed " << failed;
        f << "\npopulation " << (o.population.empty() ? "constant" : o.population) << "\ninputs (sha256):\n";
        std::set<std::string> inputs(releases.files_read().begin(), releases.files_read().end());
        for (const char* file : kModelFiles) inputs.insert((fs::path(o.model_dir) / file).string());
        if (!o.population.empty()) inputs.insert(o.population);
        for (const auto& path : inputs) f << sha256_file(path) << "  " << path << '\n';
    });
}

void print_summary(const std::vector<ScoredGroup>& groups, std::size_t forecasts, std::size_t areas, std::size_t failed) {
    std::printf("backtest of total plans: %zu forecast(s) of %zu area(s), %zu failed; engine mean against three simple forecasts\n"
                "(last value, the area's own 3-year growth, England's 3-year growth applied to the area);\n"
                "intervals: 80%% = p10..p90, 90%% = p05..p95, 95%% = p2.5..p97.5 of the draws\n",
                forecasts, areas, failed);
    for (const auto& g : groups) {
        if (g.scope.rfind("origin ", 0) == 0 && groups.size() <= 4) continue;  // one origin: the "all" table already says it
        print_scores(g);
    }
}

// The accuracy table by kind of area, which runs carry beside their results.
void write_accuracy(const BacktestCommandOptions& o, const std::vector<BacktestRow>& rows, std::size_t areas) {
    std::string origins = std::to_string(o.backtest.origins.front());
    if (o.backtest.origins.size() > 1) origins += ".." + std::to_string(o.backtest.origins.back());
    AccuracyTable table;
    table.source = fmt::format("all-authority backtest: sendplan {} backtest, origins {}, horizons 1..{}, {} draws, {} authorities", SENDPLAN_VERSION,
                               origins, o.backtest.horizon, o.backtest.draws, areas);
    table.rows = accuracy_by_kind(rows);
    write_text_file(o.accuracy, "--accuracy", kAccuracy, [&](std::ostream& f) { f << accuracy_table_text(table); });
}

}  // namespace

void run_backtest(const BacktestCommandOptions& o) {
    const AreaBacktestOptions& bo = o.backtest;
    check_backtest_options(bo);
    // Every file this run writes is checked before the work: none may replace a folder or an input.
    const std::vector<std::string> inputs = {o.data_dir, o.model_dir, o.population};
    check_output_file(o.out, "--out", kForecasts, inputs);
    check_output_file(o.out + ".provenance.txt", "--out", kProvenance, inputs);
    if (!o.report.empty()) check_output_file(o.report, "--report", kReport, inputs);
    if (!o.accuracy.empty()) check_output_file(o.accuracy, "--accuracy", kAccuracy, inputs);
    const Taxonomy tax = read_taxonomy(o.model_dir);
    Assumptions assumptions;
    read_assumptions((fs::path(o.model_dir) / kAssumptionsFile).string(), assumptions);
    const Population population = o.population.empty() ? constant_population(tax) : read_population(o.population, tax);
    if (o.population.empty() && !o.quiet)
        std::fprintf(stderr, "note: no --population given: assuming a constant population (new plans per year, not per head)\n");
    const DfeReleases releases = DfeReleases::read(release_sources(o.data_dir));
    AreaBacktestReports reports;
    if (!o.quiet) reports.note = [](const std::string& text) { std::fprintf(stderr, "note: %s\n", text.c_str()); };
    reports.failure = [](const std::string& text) { std::fprintf(stderr, "failed: %s\n", text.c_str()); };
    const AreaBacktest backtest = backtest_areas(releases, tax, assumptions, population, bo, reports);
    const std::vector<BacktestRow>& rows = backtest.rows;
    const std::size_t failed = backtest.failed;

    write_forecasts(o.out, rows);
    write_provenance(o, releases, rows.size(), failed);
    const auto groups = score_groups(rows, kLastInSampleOrigin);
    std::set<std::string> scored_areas;
    for (const auto& r : rows) scored_areas.insert(r.area_code);
    print_summary(groups, rows.size(), scored_areas.size(), failed);
    print_worst(rows, 10);
    if (!o.report.empty()) write_report(o.report, groups);
    if (!o.accuracy.empty()) write_accuracy(o, rows, scored_areas.size());
}

}  // namespace sendplan
