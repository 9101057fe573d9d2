#include "cli/backtest_command.h"
#include "cli/version.h"

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

}  // namespace

void run_backtest(const BacktestCommandOptions& o) {
    if (o.areas.empty()) throw InputError("--area", 0, "area", "give an area code (E09000003, 302 or E92000001), or all");
    if (o.origins.empty()) throw InputError("--origin", 0, "origin", "give an origin year (--origin 2018) or a range (--origins 2016..2021)");
    if (o.horizon < 1) throw InputError("--horizon", 0, "horizon", "must be at least one year");
    if (o.draws < 1) throw InputError("--draws", 0, "draws", "must be a positive number of draws");
    // Every file this run writes is checked before the work: none may replace a folder or an input.
    const std::vector<std::string> inputs = {o.data_dir, o.model_dir, o.population};
    check_output_file(o.out, "--out", kForecasts, inputs);
    check_output_file(o.out + ".provenance.txt", "--out", kProvenance, inputs);
    if (!o.report.empty()) check_output_file(o.report, "--report", kReport, inputs);
    if (!o.accuracy.empty()) check_output_file(o.accuracy, "--accuracy", kAccuracy, inputs);
    const Taxonomy tax = read_taxonomy(o.model_dir);
    Assumptions assumptions;
    read_assumptions((fs::path(o.model_dir) / "assumptions.yaml").string(), assumptions);
    const Population population = o.population.empty() ? constant_population(tax) : read_population(o.population, tax);
    if (o.population.empty() && !o.quiet)
        std::fprintf(stderr, "note: no --population given: assuming a constant population (new plans per year, not per head)\n");
    const DfeReleases releases = DfeReleases::read(release_sources(o.data_dir));
    // Every authority's totals and England's, read once: the pool at each origin and England's growth.
    const PoolingRecord record = pooling_record(releases, tax);
    const std::map<int, double> england = england_growth(record.england);

    // Areas by name; `all` is every local authority in the files (dissolved ones for the origins
    // they existed at), within --region if given.
    std::vector<std::string> areas;
    const bool every_authority = std::any_of(o.areas.begin(), o.areas.end(), is_all);
    for (const auto& a : o.areas)
        if (!is_all(a)) areas.push_back(a);
    if (every_authority) {
        bool region_found = o.region.empty();
        for (const auto& la : releases.local_authorities()) {
            if (!o.region.empty() && upper(la.region_code) != upper(o.region) && upper(la.region_name) != upper(o.region)) continue;
            region_found = true;
            areas.push_back(la.code);
        }
        if (!region_found) throw InputError("--region", 0, "region", "no local authority in region " + shown(o.region) + " (give a region code such as E12000007 or a name such as London)");
    } else if (!o.region.empty()) {
        throw InputError("--region", 0, "region", "--region chooses among all authorities: use it with --area all");
    }

    // Every history first (refusing a bad area before any work), then every (area, origin) in parallel.
    std::vector<AreaHistory> histories;
    for (const auto& a : areas) histories.push_back(releases.history(a, tax, every_authority));
    struct Task {
        std::size_t area;
        int origin;
    };
    std::vector<Task> tasks;
    for (std::size_t i = 0; i < histories.size(); ++i)
        for (int origin : o.origins) {
            const bool has_origin = histories[i].stock_total.count(origin) || histories[i].stock_by_age.count(origin);
            // Listed areas must have the origin; with `all`, an authority that did not exist then is not asked.
            if (!has_origin && every_authority) continue;
            tasks.push_back({i, origin});
        }
    if (tasks.empty()) throw InputError("--origins", 0, "origins", "no area has a January census at any of the origins given");

    // The pooled estimates at each origin, from every authority in the files (not only those run).
    std::map<int, std::optional<PooledEstimates>> pooled;
    for (int origin : o.origins) {
        pooled[origin] = fit_pooled(record, origin, assumptions.pooling);
        if (!pooled[origin] && assumptions.pooling.enabled && !o.quiet)
            std::fprintf(stderr, "note: fewer than %d authorities with a record at January %d in the data: each area is calibrated on its own, unpooled\n",
                         assumptions.pooling.min_areas, origin);
    }

    std::vector<std::vector<BacktestRow>> forecasts(tasks.size());
    std::vector<std::vector<std::string>> notes(tasks.size());
    std::vector<std::string> failures(tasks.size());
    const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
    // Areas in parallel, each projection on one thread: many small jobs keep every core busy.
    const bool by_area = tasks.size() > 1 && threads > 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(by_area ? threads : 1)
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const AreaHistory& history = histories[tasks[i].area];
        BacktestOptions bo;
        bo.origin = tasks[i].origin;
        bo.horizon = o.horizon;
        bo.draws = o.draws;
        bo.seed = o.seed;
        bo.threads = by_area ? 1 : threads;
        try {
            const auto& p = pooled.at(tasks[i].origin);
            forecasts[i] = backtest(history, population, tax, assumptions, bo, notes[i], p ? &*p : nullptr);
        } catch (const std::exception& e) {
            failures[i] = e.what();
        }
        for (auto& row : forecasts[i]) {
            row.area_name = history.area_name;
            if (auto it = england.find(tasks[i].origin); it != england.end()) row.england_growth = row.last_value * std::pow(it->second, row.horizon);
        }
    }
    std::vector<BacktestRow> rows;
    std::size_t failed = 0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const AreaHistory& h = histories[tasks[i].area];
        if (!o.quiet)
            for (const auto& n : notes[i]) std::fprintf(stderr, "note: %s %d: %s\n", h.area_code.c_str(), tasks[i].origin, n.c_str());
        if (!failures[i].empty()) {
            ++failed;
            std::fprintf(stderr, "failed: %s (%s) from January %d: %s\n", h.area_code.c_str(), h.area_name.c_str(), tasks[i].origin, failures[i].c_str());
            // One area asked for by name must not fail quietly among others.
            if (!every_authority) throw DataError(h.area_name + " from January " + std::to_string(tasks[i].origin) + ": " + failures[i]);
            continue;
        }
        rows.insert(rows.end(), forecasts[i].begin(), forecasts[i].end());
    }
    std::map<std::string, std::string> region_of;
    for (const auto& la : releases.local_authorities()) region_of[la.code] = la.region_name;
    for (auto& r : rows)
        if (auto it = region_of.find(r.area_code); it != region_of.end()) r.region = it->second;

    write_forecasts(o.out, rows);
    // The CSV's columns are fixed for other tools; what produced it goes beside it.
    write_text_file(o.out + ".provenance.txt", "--out", kProvenance, [&](std::ostream& f) {
        f << "sendplan " << SENDPLAN_VERSION << " (" << SENDPLAN_GIT_REVISION << ") backtest\n";
        f << "seed " << o.seed << "\ndraws " << o.draws << "\nhorizon " << o.horizon << "\nareas";
        for (const auto& a : o.areas) f << ' ' << a;
        if (!o.region.empty()) f << "\nregion " << o.region;
        f << "\norigins";
        for (int y : o.origins) f << ' ' << y;
        f << "\nforecasts " << rows.size() << "\nfailed " << failed;
        f << "\npopulation " << (o.population.empty() ? "constant" : o.population) << "\ninputs (sha256):\n";
        std::set<std::string> inputs(releases.files_read().begin(), releases.files_read().end());
        for (const char* file : {"ages.yaml", "needs.yaml", "settings.yaml", "assumptions.yaml"}) inputs.insert((fs::path(o.model_dir) / file).string());
        if (!o.population.empty()) inputs.insert(o.population);
        for (const auto& path : inputs) f << sha256_file(path) << "  " << path << '\n';
    });

    const auto groups = score_groups(rows, kLastInSampleOrigin);
    std::set<std::string> scored_areas;
    for (const auto& r : rows) scored_areas.insert(r.area_code);
    std::printf("backtest of total plans: %zu forecast(s) of %zu area(s), %zu failed; engine mean against three simple forecasts\n"
                "(last value, the area's own 3-year growth, England's 3-year growth applied to the area);\n"
                "intervals: 80%% = p10..p90, 90%% = p05..p95, 95%% = p2.5..p97.5 of the draws\n",
                rows.size(), scored_areas.size(), failed);
    for (const auto& g : groups) {
        if (g.scope.rfind("origin ", 0) == 0 && groups.size() <= 4) continue;  // one origin: the "all" table already says it
        print_scores(g);
    }
    print_worst(rows, 10);
    if (!o.report.empty()) write_report(o.report, groups);
    if (!o.accuracy.empty()) {
        std::string origins = std::to_string(o.origins.front());
        if (o.origins.size() > 1) origins += ".." + std::to_string(o.origins.back());
        AccuracyTable table;
        table.source = fmt::format("all-authority backtest: sendplan {} backtest, origins {}, horizons 1..{}, {} draws, {} authorities", SENDPLAN_VERSION,
                                   origins, o.horizon, o.draws, scored_areas.size());
        table.rows = accuracy_by_kind(rows);
        write_text_file(o.accuracy, "--accuracy", kAccuracy, [&](std::ostream& f) { f << accuracy_table_text(table); });
    }
}

}  // namespace sendplan
