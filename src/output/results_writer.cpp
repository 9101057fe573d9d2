#include "output/results_writer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "core/error.h"
#include "output/csv_text.h"
#include "output/hdf5_file.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> percentile_names() {
    std::vector<std::string> names;
    for (double p : reported_percentiles()) names.push_back(percentile_column(p));
    return names;
}

void write_summary_row(std::ostream& out, const Histogram& h) {
    out << ',' << csv_number(h.mean());
    for (double p : reported_percentiles()) out << ',' << csv_number(h.quantile(p));
    out << '\n';
}

// The backtest's record for this kind of area, its columns named as model/forecast_accuracy.csv's.
void write_accuracy_csv(const ResultsFolder& folder, const std::vector<AccuracyRow>& rows) {
    folder.text("forecast_accuracy.csv", [&](std::ostream& out) {
        out << "kind,horizon,forecasts,median_ape,ape_p90,mape,inside_80,inside_95\n";
        for (const auto& a : rows)
            out << csv_field(a.kind) << ',' << a.horizon << ',' << a.forecasts << ',' << csv_number(a.median_ape) << ',' << csv_number(a.ape_p90) << ','
                << csv_number(a.mape) << ',' << csv_number(a.inside_80, 3) << ',' << csv_number(a.inside_95, 3) << '\n';
    });
}

void write_totals_csv(const ResultsFolder& folder, const ProjectionResult& r, const std::string& stats) {
    folder.text("projection_totals.csv", [&](std::ostream& out) {
        out << "breakdown,category,year," << stats << '\n';
        for (std::size_t b = 0; b < r.breakdowns.size(); ++b) {
            const Breakdown& bd = r.breakdowns[b];
            if (b == r.detail_breakdown) continue;
            for (std::size_t c = 0; c < bd.categories(); ++c)
                for (int y = 0; y < r.years(); ++y) {
                    out << bd.name << ',' << csv_field(bd.labels[c].empty() ? "all" : bd.labels[c][0]) << ',' << r.base_year + y;
                    write_summary_row(out, r.stock[b][static_cast<std::size_t>(y)][c]);
                }
        }
    });
}

void write_detail_csv(const ResultsFolder& folder, const ProjectionResult& r, const std::string& stats) {
    folder.text("projection_detail.csv", [&](std::ostream& out) {
        const Breakdown& bd = r.breakdowns[r.detail_breakdown];
        out << "year";
        for (const auto& d : bd.dimensions) out << ',' << d;
        out << ',' << stats << '\n';
        for (int y = 0; y < r.years(); ++y)
            for (std::size_t c = 0; c < bd.categories(); ++c) {
                out << r.base_year + y;
                for (const auto& l : bd.labels[c]) out << ',' << csv_field(l);
                write_summary_row(out, r.stock[r.detail_breakdown][static_cast<std::size_t>(y)][c]);
            }
    });
}

void write_flows_csv(const ResultsFolder& folder, const ProjectionResult& r, const std::string& stats) {
    folder.text("flows.csv", [&](std::ostream& out) {
        out << "flow,year," << stats << '\n';
        for (int f = 0; f < flow_kinds; ++f)
            for (int y = 1; y < r.years(); ++y) {
                // Flows between the censuses of year-1 and year.
                out << flow_name(f) << ',' << r.base_year + y;
                write_summary_row(out, r.flows[static_cast<std::size_t>(f)][static_cast<std::size_t>(y)]);
            }
    });
}

void write_csvs(const ResultsFolder& folder, const ProjectionResult& r) {
    const auto pnames = percentile_names();
    std::string stats = "mean";
    for (const auto& n : pnames) stats.append(",").append(n);
    write_totals_csv(folder, r, stats);
    write_detail_csv(folder, r, stats);
    write_flows_csv(folder, r, stats);
}

// What the file is: the engine, the scenario as run, the area and the draws.
void write_run_attributes(h5::File& file, const RunRecord& run, const ProjectionResult& r) {
    file.attribute("engine", std::string("sendplan"));
    file.attribute("engine_version", run.engine_version);
    file.attribute("git_revision", run.git_revision);
    file.attribute("scenario_name", run.scenario_name);
    file.attribute("scenario_file", run.scenario_path);
    file.attribute("scenario_text", run.scenario_text);
    file.attribute("area_code", run.area_code);
    file.attribute("area_name", run.area_name);
    file.attribute("seed", static_cast<std::int64_t>(r.seed));
    file.attribute("draws", static_cast<std::int64_t>(r.draws));
    file.attribute("base_year", static_cast<std::int64_t>(r.base_year));
    file.attribute("horizon", static_cast<std::int64_t>(r.horizon));
    file.attribute("description",
                   std::string("Monte Carlo cohort projection of EHC plans by age, primary need and setting. Years are January "
                               "censuses; summary/<breakdown>/percentiles has axes (year, category, percentile)."));
}

// The place groups of a run with places (settings.yaml's place_group): their codes and labels.
void write_place_group_labels(h5::Group& labels, const Taxonomy& tax, const std::vector<std::string>& place_groups) {
    if (place_groups.empty()) return;
    std::vector<std::string> names;
    for (const std::string& g : place_groups) names.push_back(tax.place_group_label(g));
    labels.strings("place_group", place_groups);
    labels.strings("place_group_label", names);
}

// The year group (NCY) of each age, as a number and as schools name it.
void write_year_group_labels(h5::Group& labels, const Taxonomy& tax) {
    std::vector<std::int64_t> ncys;
    std::vector<std::string> year_groups;
    for (int a = tax.min_age; a <= tax.max_age; ++a) ncys.push_back(tax.ncy_of_age(a));
    for (const std::int64_t n : ncys) year_groups.push_back(year_group_label(static_cast<int>(n)));
    labels.dataset("ncy", {ncys.size()}, ncys.data());
    labels.strings("ncy_label", year_groups);
}

// The axes' labels: years, ages, the taxonomy's codes and labels, and the place groups'.
void write_labels(h5::File& file, const Taxonomy& tax, const ProjectionResult& r, const std::vector<std::string>& place_groups) {
    const std::size_t Y = static_cast<std::size_t>(r.years());
    h5::Group labels = file.group("labels");
    std::vector<std::int64_t> years(Y);
    for (std::size_t y = 0; y < Y; ++y) years[y] = r.base_year + static_cast<std::int64_t>(y);
    labels.dataset("year", {Y}, years.data());
    std::vector<std::int64_t> ages;
    for (int a = tax.min_age; a <= tax.max_age; ++a) ages.push_back(a);
    labels.dataset("age", {ages.size()}, ages.data());
    write_year_group_labels(labels, tax);
    std::vector<std::string> needs, settings, phases, areas, need_area;
    for (const auto& n : tax.needs) needs.push_back(n.code);
    for (const auto& n : tax.needs) need_area.push_back(tax.broad_areas[static_cast<std::size_t>(n.broad_area)].code);
    for (const auto& s : tax.settings) settings.push_back(s.code);
    for (const auto& p : tax.phases) phases.push_back(p.code);
    for (const auto& b : tax.broad_areas) areas.push_back(b.code);
    std::vector<std::string> need_labels, setting_labels, phase_labels, area_labels;
    for (const auto& n : tax.needs) need_labels.push_back(n.label);
    for (const auto& x : tax.settings) setting_labels.push_back(x.label);
    for (const auto& x : tax.phases) phase_labels.push_back(x.label);
    for (const auto& x : tax.broad_areas) area_labels.push_back(x.label);
    labels.strings("need_label", need_labels);
    labels.strings("setting_label", setting_labels);
    labels.strings("phase_label", phase_labels);
    labels.strings("broad_area_label", area_labels);
    labels.strings("need", needs);
    labels.strings("need_broad_area", need_area);
    labels.strings("setting", settings);
    labels.strings("phase", phases);
    labels.strings("broad_area", areas);
    labels.dataset("percentile", {reported_percentiles().size()}, reported_percentiles().data());
    write_place_group_labels(labels, tax, place_groups);
}

// Published plans by category of one breakdown, the years it is published for.
void write_published_breakdown(h5::Group& history, const std::string& name, const std::map<int, std::vector<double>>& by_year,
                               const std::vector<std::string>& categories) {
    if (by_year.empty()) return;
    h5::Group g = history.group(name);
    std::vector<std::int64_t> years;
    std::vector<double> plans;
    for (const auto& [y, values] : by_year) {
        years.push_back(y);
        plans.insert(plans.end(), values.begin(), values.end());
    }
    g.dataset("year", {years.size()}, years.data());
    g.dataset("plans", {years.size(), categories.size()}, plans.data(), {"year", "category"});
    g.strings("category", categories);
}

void write_history(h5::File& file, const RunRecord& run, const Taxonomy& tax) {
    h5::Group history = file.group("history");
    history.attribute("description", std::string("Published plans at each January census up to the base year, for context; by broad area of need "
                                                 "and by setting (history/<breakdown>) in the years whose split adds up to the total."));
    std::vector<std::int64_t> years;
    std::vector<double> totals;
    for (const auto& [y, t] : run.published_totals) {
        years.push_back(y);
        totals.push_back(t);
    }
    history.dataset("year", {years.size()}, years.data());
    history.dataset("total", {totals.size()}, totals.data());
    std::vector<std::string> areas, settings;
    for (const auto& b : tax.broad_areas) areas.push_back(b.code);
    for (const auto& s : tax.settings) settings.push_back(s.code);
    for (const auto& [name, codes] : {std::pair{std::string("broad_area"), areas}, std::pair{std::string("setting"), settings}})
        if (const auto found = run.published_by.find(name); found != run.published_by.end()) write_published_breakdown(history, name, found->second, codes);
}

void write_accuracy(h5::File& file, const RunRecord& run) {
    h5::Group accuracy = file.group("accuracy");
    accuracy.attribute("description", std::string("How far forecasts made this way were from what happened, in the all-authority backtest, for "
                                                  "this kind of area: absolute percentage errors of the mean forecast by horizon (years ahead)."));
    accuracy.attribute("kind", run.accuracy.front().kind);
    accuracy.attribute("sentence", run.accuracy_sentence);
    std::vector<std::int64_t> horizon, forecasts;
    std::vector<double> median, p90, mape, in80, in95;
    for (const auto& a : run.accuracy) {
        horizon.push_back(a.horizon);
        forecasts.push_back(a.forecasts);
        median.push_back(a.median_ape);
        p90.push_back(a.ape_p90);
        mape.push_back(a.mape);
        in80.push_back(a.inside_80);
        in95.push_back(a.inside_95);
    }
    const std::size_t n = horizon.size();
    accuracy.dataset("horizon", {n}, horizon.data());
    accuracy.dataset("forecasts", {n}, forecasts.data());
    accuracy.dataset("median_ape", {n}, median.data());
    accuracy.dataset("ape_p90", {n}, p90.data());
    accuracy.dataset("mape", {n}, mape.data());
    accuracy.dataset("inside_80", {n}, in80.data());
    accuracy.dataset("inside_95", {n}, in95.data());
}

void write_inputs(h5::File& file, const RunRecord& run) {
    h5::Group inputs = file.group("inputs");
    std::vector<std::string> paths, sums;
    for (const auto& [p, s] : run.inputs) {
        paths.push_back(p);
        sums.push_back(s);
    }
    inputs.strings("path", paths);
    inputs.strings("sha256", sums);
}

// A category's name: its labels joined by '/', or "all".
std::string category_name(const std::vector<std::string>& labels) {
    std::string s;
    for (const auto& part : labels) {
        if (!s.empty()) s.push_back('/');
        s += part;
    }
    return s.empty() ? "all" : s;
}

void write_breakdown_summary(h5::Group& summary, const ProjectionResult& r, std::size_t b) {
    const Breakdown& bd = r.breakdowns[b];
    h5::Group g = summary.group(bd.name);
    const std::size_t Y = static_cast<std::size_t>(r.years()), C = bd.categories(), P = reported_percentiles().size();
    std::vector<double> mean(Y * C), pct(Y * C * P);
    for (std::size_t y = 0; y < Y; ++y)
        for (std::size_t c = 0; c < C; ++c) {
            const Histogram& h = r.stock[b][y][c];
            mean[y * C + c] = h.mean();
            for (std::size_t p = 0; p < P; ++p) pct[(y * C + c) * P + p] = h.quantile(reported_percentiles()[p]);
        }
    g.dataset("mean", {Y, C}, mean.data(), {"year", "category"});
    g.dataset("percentiles", {Y, C, P}, pct.data(), {"year", "category", "percentile"});
    std::vector<std::string> cat;
    for (const auto& l : bd.labels) cat.push_back(category_name(l));
    g.strings("category", cat);
    if (!bd.dimensions.empty()) g.attribute("category_dimensions", bd.dimensions);
}

void write_summary(h5::File& file, const ProjectionResult& r) {
    h5::Group summary = file.group("summary");
    summary.attribute("description", std::string("Plans at each January census: mean and percentiles over draws, per breakdown."));
    for (std::size_t b = 0; b < r.breakdowns.size(); ++b) write_breakdown_summary(summary, r, b);
}

void write_flows(h5::File& file, const ProjectionResult& r) {
    const std::size_t Y = static_cast<std::size_t>(r.years());
    h5::Group flows = file.group("flows");
    const std::size_t F = flow_kinds, P = reported_percentiles().size();
    std::vector<double> mean(F * Y, 0.0), pct(F * Y * P, NAN);
    std::vector<std::string> names;
    for (std::size_t f = 0; f < F; ++f) {
        names.push_back(flow_name(static_cast<int>(f)));
        for (std::size_t y = 1; y < Y; ++y) {
            mean[f * Y + y] = r.flows[f][y].mean();
            for (std::size_t p = 0; p < P; ++p) pct[(f * Y + y) * P + p] = r.flows[f][y].quantile(reported_percentiles()[p]);
        }
    }
    flows.attribute("description", std::string("Flows between the census of year-1 and the census of year; year index 0 is empty."));
    flows.strings("flow", names);
    flows.dataset("mean", {F, Y}, mean.data(), {"flow", "year"});
    flows.dataset("percentiles", {F, Y, P}, pct.data(), {"flow", "year", "percentile"});
}

void write_draws(h5::File& file, const Taxonomy& tax, const Dimensions& d, const ProjectionResult& r) {
    const hsize_t Y = static_cast<hsize_t>(r.years()), K = static_cast<hsize_t>(d.needs), S = static_cast<hsize_t>(d.settings);
    h5::Group draws = file.group("draws");
    draws.dataset("total", {static_cast<hsize_t>(r.draws), Y}, r.total_by_draw.data(), {"draw", "year"});
    if (!r.detail_by_draw.empty()) {
        const hsize_t P = static_cast<hsize_t>(tax.phases.size());
        draws.dataset("need_setting_phase", {static_cast<hsize_t>(r.draws), Y, K, S, P}, r.detail_by_draw.data(), {"draw", "year", "need", "setting", "phase"});
    }
}

void write_calibration(h5::File& file, const Calibration& cal) {
    const Posterior& p = cal.posterior;
    const hsize_t A = static_cast<hsize_t>(p.dims.ages), K = static_cast<hsize_t>(p.dims.needs), S = static_cast<hsize_t>(p.dims.settings);
    h5::Group c = file.group("calibration");
    c.dataset("base_stock", {A, K, S}, p.base_stock.data(), {"age", "need", "setting"});
    c.strings("notes", cal.notes.empty() ? std::vector<std::string>{"(none)"} : cal.notes);
    c.attribute("base_stock_ipf_iterations", static_cast<std::int64_t>(cal.base_stock_fit.iterations));
    c.attribute("base_stock_ipf_max_relative_error", cal.base_stock_fit.max_relative_error);
    c.attribute("trend_last_year", static_cast<std::int64_t>(p.trend.last_year));
    c.attribute("trend_intercept", p.trend.coefficients(0));
    c.attribute("trend_slope", p.trend.coefficients(1));
    c.attribute("trend_residual_sd", std::sqrt(p.trend.residual_variance));
    c.attribute("trend_damping", p.trend.damping);
    std::vector<std::int64_t> used(p.trend.years_used.begin(), p.trend.years_used.end());
    std::vector<std::int64_t> flagged(p.trend.years_flagged.begin(), p.trend.years_flagged.end());
    if (!used.empty()) c.dataset("trend_years_used", {used.size()}, used.data());
    if (!flagged.empty()) c.dataset("trend_years_flagged", {flagged.size()}, flagged.data());
    std::vector<double> cease_mean(A);
    for (std::size_t a = 0; a < A; ++a) cease_mean[a] = p.cease_alpha[a] / (p.cease_alpha[a] + p.cease_beta[a]);
    c.dataset("ceasing_probability_mean", {A}, cease_mean.data(), {"age"});
    c.attribute("transfers_in_rate_mean", p.transfer_mean);
    c.attribute("transfers_in_rate_sd", p.transfer_sd);
    // The yearly spreads of net growth per plan held: the area's own, and England's shared shocks.
    c.attribute("yearly_departure_sd", p.yearly_departure_sd);
    c.attribute("england_shock_sd", p.england_shock_sd);
    c.dataset("setting_move_alpha", {A, S, S}, p.move_alpha.data(), {"age", "from_setting", "to_setting"});
    c.dataset("joiner_age_alpha", {A}, p.joiner_age_alpha.data(), {"age"});
    if (!p.need_move_alpha.empty()) c.dataset("need_move_alpha", {A, K, K}, p.need_move_alpha.data(), {"age", "from_need", "to_need"});
}

void write_hdf5(const fs::path& path, const RunRecord& run, const Taxonomy& tax, const Calibration& cal, const ProjectionResult& r,
                const std::vector<std::string>& place_groups) {
    h5::File file = h5::File::create(path.string());
    write_run_attributes(file, run, r);
    write_labels(file, tax, r, place_groups);
    write_history(file, run, tax);
    if (!run.accuracy.empty()) write_accuracy(file, run);
    write_inputs(file, run);
    write_summary(file, r);
    write_flows(file, r);
    const auto& d = cal.posterior.dims;
    const hsize_t Y = static_cast<hsize_t>(r.years()), A = static_cast<hsize_t>(d.ages), K = static_cast<hsize_t>(d.needs),
                  S = static_cast<hsize_t>(d.settings);
    file.dataset("mean_stock", {Y, A, K, S}, r.mean_stock.data(), {"year", "age", "need", "setting"});
    write_draws(file, tax, d, r);
    write_calibration(file, cal);
    file.flush();
}

}  // namespace

void write_results(const ResultsFolder& folder, const RunRecord& run, const Taxonomy& tax, const Calibration& cal, const ProjectionResult& r,
                   const std::vector<std::string>& place_groups) {
    try {
        write_hdf5(folder.path("results.h5"), run, tax, cal, r, place_groups);
    } catch (const h5::Error& e) {
        throw InputError(folder.shown("results.h5"), 0, folder.option(), std::string("could not be written: ") + e.what());
    }
    write_csvs(folder, r);
    folder.text("notes.txt", [&](std::ostream& notes) {
        notes << "Calibration notes for " << run.area_name << " (" << run.area_code << "), base year " << r.base_year << "\n";
        for (const auto& n : cal.notes) notes << "- " << n << '\n';
        if (cal.notes.empty()) notes << "(none)\n";
        if (!run.accuracy_sentence.empty()) notes << "\nThe record of this method: " << run.accuracy_sentence << '\n';
    });
    if (!run.accuracy.empty()) write_accuracy_csv(folder, run.accuracy);
}

}  // namespace sendplan
