#include "cli/run_command.h"
#include "cli/version.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "calibrate/calibrate.h"
#include "calibrate/person_level.h"
#include "core/error.h"
#include "core/sha256.h"
#include "io/dfe_reader.h"
#include "io/population.h"
#include "io/scenario.h"
#include "io/provision_register.h"
#include "io/taxonomy_reader.h"
#include "capacity/sufficiency.h"
#include "output/finance_writer.h"
#include "output/sufficiency_writer.h"
#include "output/results_writer.h"
#include "simulate/projection.h"


namespace sendplan {

namespace {

int last_census(const AreaHistory& h) {
    int last = 0;
    if (!h.stock_total.empty()) last = h.stock_total.rbegin()->first;
    if (!h.stock_by_age.empty()) last = std::max(last, h.stock_by_age.rbegin()->first);
    return last;
}

// A base year after the data would have nothing to start from: refused where the scenario gives it.
void require_base_year_in_data(const Scenario& sc, int last) {
    if (sc.base_year == 0 || last == 0 || sc.base_year <= last) return;
    const Where& w = sc.base_year_at;
    throw InputError(w.file.empty() ? sc.path : w.file, w.line, w.column, "base_year",
                     "January " + std::to_string(sc.base_year) + " is after the data's last census (January " + std::to_string(last) +
                         "): expected 'latest' or a year up to " + std::to_string(last));
}

}  // namespace

ScenarioCalibration calibrate_scenario(const Scenario& sc, const Taxonomy& tax, const Population& population) {
    ScenarioCalibration out;
    if (sc.person_level.empty()) {
        const DfeReleases releases = DfeReleases::read(sc.dfe_releases);
        out.history = releases.history(sc.area, tax);
        require_base_year_in_data(sc, last_census(out.history));
        std::optional<PooledEstimates> pooled;
        std::vector<std::string> pooling_notes;
        if (sc.assumptions.pooling.enabled) {
            const int base_year = base_year_of(out.history, sc.base_year);
            pooled = fit_pooled(pooling_record(releases, tax), base_year, sc.assumptions.pooling);
            if (!pooled)
                pooling_notes.push_back(fmt::format("fewer than {} authorities with a record up to January {} in the data: calibrated on this area's "
                                                    "own record, unpooled (give the national release zips under data: dfe_releases to pool)",
                                                    sc.assumptions.pooling.min_areas, base_year));
        }
        out.calibration = calibrate(out.history, population, tax, sc.assumptions, sc.base_year, sc.horizon, pooled ? &*pooled : nullptr);
        out.calibration.notes.insert(out.calibration.notes.end(), pooling_notes.begin(), pooling_notes.end());
        return out;
    }
    const CodeMap codes = sc.code_map.empty() ? CodeMap{} : read_code_map(sc.code_map);
    const PersonHistory persons = read_person_level(sc.person_level, tax, codes);
    require_base_year_in_data(sc, persons.last_census);
    std::optional<PooledEstimates> pooled;
    if (!sc.dfe_releases.empty()) {
        const DfeReleases releases = DfeReleases::read(sc.dfe_releases);
        out.history = releases.history(sc.area, tax);  // published totals, for context
        if (sc.assumptions.pooling.enabled) pooled = fit_pooled(pooling_record(releases, tax), sc.base_year ? sc.base_year : persons.last_census, sc.assumptions.pooling);
    } else {
        out.history = summarise_person_history(persons, tax, sc.area, sc.area);
        out.history.files_read.clear();  // the person-level file is recorded as an input by the caller
    }
    out.calibration = calibrate_person_level(persons, population, tax, sc.assumptions, sc.base_year, sc.horizon, out.history.area_code,
                                             out.history.area_name.empty() ? sc.area : out.history.area_name, pooled ? &*pooled : nullptr);
    if (!pooled && sc.assumptions.pooling.enabled)
        out.calibration.notes.push_back("not pooled across authorities: give the national release zips under data: dfe_releases beside the "
                                        "person-level file to read its totals through the pool");
    return out;
}

namespace {

// The scenario's `changes:` in the posterior's terms: the cap on new plans' growth and the
// redirected setting moves, each checked against the projection's years and the taxonomy.
void apply_scenario_changes(const Scenario& sc, const Taxonomy& tax, Posterior& p) {
    const int first = p.base_year + 1, last = p.base_year + p.horizon;
    if (sc.joiner_growth.from_year) {
        require_projection_year(sc.joiner_growth.from_year, first, last, sc.joiner_growth.file, sc.joiner_growth.line, sc.joiner_growth.column, "changes.joiner_growth.from");
        p.joiner_growth_cap = {sc.joiner_growth.from_year, std::log1p(sc.joiner_growth.at_most_percent / 100.0)};
    }
    for (const ScenarioMoveRedirect& r : sc.move_redirects) {
        const std::string ctx = "changes.setting_moves";
        require_projection_year(r.from_year, first, last, r.file, r.line, r.column, ctx + ".from");
        Posterior::MoveRedirect m;
        m.from_year = r.from_year;
        m.share = r.share;
        for (const int age : r.ages) {
            if (age < tax.min_age || age >= tax.max_age) throw InputError(r.file, r.line, r.column, ctx + ".ages", "age " + std::to_string(age) + " has no next census in the model");
            m.ages.push_back(tax.age_index(age));
        }
        for (const auto& code : r.needs) {
            if (const auto k = tax.need_index(code)) {
                m.needs.push_back(*k);
            } else if (const auto b = tax.broad_area_index(code)) {
                for (std::size_t k = 0; k < tax.needs.size(); ++k)
                    if (tax.needs[k].broad_area == *b) m.needs.push_back(static_cast<int>(k));
            } else {
                throw InputError(r.file, r.line, r.column, ctx + ".needs", "unknown need code " + shown(code));
            }
        }
        auto setting = [&](const std::string& code, const std::string& field) {
            const auto s = tax.setting_index(code);
            if (!s) throw InputError(r.file, r.line, r.column, ctx + "." + field, "unknown setting " + shown(code));
            return *s;
        };
        for (const auto& code : r.to) m.to.push_back(setting(code, "to"));
        m.instead = setting(r.instead, "instead");
        p.move_redirects.push_back(std::move(m));
    }
}

}  // namespace

std::vector<std::string> scenario_inputs(const Scenario& sc) {
    std::vector<std::string> out = {sc.path, sc.model_dir, sc.person_level, sc.code_map, sc.population, sc.provisions, sc.provision_places, sc.costs};
    out.insert(out.end(), sc.extends.begin(), sc.extends.end());
    out.insert(out.end(), sc.dfe_releases.begin(), sc.dfe_releases.end());
    return out;
}

std::vector<std::string> scenario_inputs(const ProjectedScenario& p) {
    std::vector<std::string> out = scenario_inputs(p.scenario);
    for (const auto& input : p.run.inputs) out.push_back(input.first);
    return out;
}

std::unique_ptr<ProjectedScenario> project_scenario(const RunOptions& o, const std::function<void(const Scenario&)>& before_projecting) {
    namespace fs = std::filesystem;
    const auto started = std::chrono::steady_clock::now();
    auto out = std::make_unique<ProjectedScenario>();
    Scenario& sc = out->scenario;
    sc = read_scenario(o.scenario);
    if (o.draws) {
        if (*o.draws < 1) throw InputError("--draws", 0, "draws", "must be a positive number of draws");
        sc.draws = *o.draws;
    }
    if (o.seed) sc.seed = *o.seed;
    if (before_projecting) before_projecting(sc);
    out->taxonomy = read_taxonomy(sc.model_dir);
    const Taxonomy& tax = out->taxonomy;
    const Population population = sc.population.empty() ? constant_population(tax) : read_population(sc.population, tax, sc.area);
    if (sc.population.empty() && !o.quiet)
        std::fprintf(stderr, "note: no population file in the scenario: assuming a constant population\n");
    out->calibrated = calibrate_scenario(sc, tax, population);
    if (!sc.population.empty()) {
        // Years past the projection's end take its last year: said, so nobody reads them as projected.
        const auto& posterior = out->calibrated.calibration.posterior;
        const int last_needed = posterior.base_year + posterior.horizon - 1, last_given = population.by_year.rbegin()->first;
        if (last_given < last_needed)
            out->calibrated.calibration.notes.push_back(fmt::format("{} ends at mid-{}: the years {}..{} take its {} population by age", sc.population,
                                                                    last_given, last_given + 1, last_needed, last_given));
    }
    apply_scenario_changes(sc, tax, out->calibrated.calibration.posterior);
    const AreaHistory& history = out->calibrated.history;
    const Calibration& cal = out->calibrated.calibration;
    if (!o.quiet)
        for (const auto& n : cal.notes) std::fprintf(stderr, "note: %s\n", n.c_str());

    RunRecord& run = out->run;
    run.engine_version = SENDPLAN_VERSION;
    run.git_revision = SENDPLAN_GIT_REVISION;
    run.scenario_name = sc.name;
    run.scenario_path = sc.path;
    run.scenario_text = sc.text;
    run.area_code = history.area_code;
    run.area_name = history.area_name;
    for (const auto& [year, total] : history.stock_total)
        if (year <= cal.posterior.base_year) run.published_totals.emplace_back(year, total);
    // The record of forecasts made this way, for this kind of area, travels with the results.
    const fs::path accuracy_path = fs::path(sc.model_dir) / "forecast_accuracy.csv";
    if (fs::exists(accuracy_path)) {
        const AccuracyTable table = read_accuracy_table(accuracy_path.string());
        double plans = 0;
        for (auto n : cal.posterior.base_stock) plans += n;
        run.accuracy = accuracy_for(table, plans, is_local_authority_code(history.area_code));
        run.accuracy_sentence = accuracy_sentence(run.accuracy, table.source);
        run.inputs.emplace_back(accuracy_path.string(), sha256_file(accuracy_path.string()));
    }
    run.inputs.emplace_back(sc.path, sha256_file(sc.path));
    for (const auto& parent : sc.extends) run.inputs.emplace_back(parent, sha256_file(parent));
    for (const char* f : {"ages.yaml", "needs.yaml", "settings.yaml", "assumptions.yaml"}) {
        const std::string p = (fs::path(sc.model_dir) / f).string();
        run.inputs.emplace_back(p, sha256_file(p));
    }
    for (const auto& f : history.files_read) run.inputs.emplace_back(f, sha256_file(f));
    if (!sc.person_level.empty()) run.inputs.emplace_back(sc.person_level, sha256_file(sc.person_level));
    if (!sc.code_map.empty()) run.inputs.emplace_back(sc.code_map, sha256_file(sc.code_map));
    if (!sc.population.empty()) run.inputs.emplace_back(sc.population, sha256_file(sc.population));
    // With a provision register, places are allocated beside every draw.
    if (sc.provisions.empty() && (!sc.provisions_opened.empty() || !sc.provisions_changed.empty()))
        throw InputError(sc.path, 0, "provisions", "the scenario changes provisions but names no register (data: provisions, provision_places)");
    if (!sc.provisions.empty()) {
        out->provisions = read_provision_register(sc.provisions, sc.provision_places, tax);
        const int base_year = cal.posterior.base_year;
        apply_scenario_provisions(*out->provisions, sc.provisions_opened, sc.provisions_changed, tax, base_year + 1, base_year + cal.posterior.horizon);
        run.inputs.emplace_back(sc.provisions, sha256_file(sc.provisions));
        run.inputs.emplace_back(sc.provision_places, sha256_file(sc.provision_places));
        out->plan = build_placement_plan(tax, cal.posterior.dims, *out->provisions, sc.assumptions.capacity, cal.posterior.base_stock,
                                         cal.posterior.base_year, cal.posterior.horizon);
        out->sufficiency = std::make_unique<SufficiencyCollector>(*out->plan, tax, *out->provisions, sc.seed, sc.draws);
    }
    // With a cost table, every draw's children are priced.
    bool capital = false;
    for (const auto& p : sc.provisions_opened) capital |= !p.capital.empty();
    for (const auto& p : sc.provisions_changed) capital |= !p.capital.empty();
    if (sc.costs.empty() && (sc.finance.has_income || !sc.finance.cost_changes.empty() || capital))
        throw InputError(sc.path, 0, "finance", "the scenario gives costs, capital or income but names no cost table (data: costs)");
    if (!sc.costs.empty()) {
        out->cost_table = read_cost_table(sc.costs);
        run.inputs.emplace_back(sc.costs, sha256_file(sc.costs));
        out->costs = build_cost_model(*out->cost_table, tax, out->plan ? &*out->plan : nullptr, sc.assumptions.finance, sc, cal.posterior.base_year,
                                      cal.posterior.horizon);
        out->spend = std::make_unique<SpendCollector>(*out->costs, cal.posterior.dims, tax, sc.seed, sc.draws);
    }

    ProjectionOptions po;
    po.draws = sc.draws;
    po.seed = sc.seed;
    po.threads = o.threads;
    po.keep_draws = o.keep_draws;
    if (out->sufficiency) {
        po.stages.push_back(out->sufficiency->stage());
        po.setting_family = out->plan->setting_family;
    }
    if (out->spend) po.stages.push_back(out->spend->stage(out->sufficiency.get()));
    bool printed = false;
    if (!o.quiet)
        po.progress = [&](long done, long total) {
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            if (secs < 1.0 && done < total) return;
            if (done == total && !printed) return;  // a run under a second prints nothing
            printed = true;
            std::fprintf(stderr, "\r%s: draw %ld of %ld (%3.0f%%), %.1f s", sc.name.c_str(), done, total, 100.0 * static_cast<double>(done) / static_cast<double>(total), secs);
            if (done == total) std::fprintf(stderr, "\n");
            std::fflush(stderr);
        };
    out->result = project(cal.posterior, standard_breakdowns(tax, cal.posterior.dims), po);
    return out;
}

std::string run_scenario(const RunOptions& o) {
    // Without --out, the folder is named after the scenario, so a refusal names its `scenario:` key.
    const std::string option = o.out.empty() ? "scenario" : "--out";
    std::string out = o.out;
    const auto p = project_scenario(o, [&](const Scenario& sc) {
        if (out.empty()) out = (std::filesystem::path("results") / sc.name).string();
        check_results_folder(out, option, scenario_inputs(sc));
    });
    write_results_folder(out, option, scenario_inputs(*p), [&](const ResultsFolder& folder) { write_scenario_results(folder, *p); });
    return out;
}

void write_scenario_results(const ResultsFolder& folder, const ProjectedScenario& p) {
    write_results(folder, p.run, p.taxonomy, p.calibrated.calibration, p.result);
    if (p.sufficiency) write_sufficiency_csvs(folder, p.taxonomy, *p.provisions, *p.plan, p.sufficiency->result());
    if (p.spend) write_finance_csv(folder, p.spend->result());
}

}  // namespace sendplan
