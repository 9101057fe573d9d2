#include "evaluate/run.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "calibrate/person_level.h"
#include "core/error.h"
#include "core/sha256.h"
#include "core/version.h"
#include "io/csv.h"
#include "io/dfe_reader.h"
#include "io/population.h"
#include "io/taxonomy_reader.h"

namespace sendplan {

Scenario read_run_scenario(const std::string& path, const RunSettings& settings) {
    Scenario sc = read_scenario(path);
    if (settings.draws) {
        if (*settings.draws < 1) throw InputError("--draws", 0, "draws", "must be a positive number of draws");
        sc.draws = *settings.draws;
    }
    if (settings.seed) sc.seed = *settings.seed;
    return sc;
}

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

std::vector<std::string> scenario_inputs(const Scenario& sc) {
    std::vector<std::string> out = {sc.path, sc.model_dir, sc.person_level, sc.code_map, sc.population, sc.provisions, sc.provision_places, sc.costs};
    out.insert(out.end(), sc.extends.begin(), sc.extends.end());
    out.insert(out.end(), sc.dfe_releases.begin(), sc.dfe_releases.end());
    return out;
}

namespace {

Population scenario_population(const Scenario& sc, const Taxonomy& tax) {
    return sc.population.empty() ? constant_population(tax) : read_population(sc.population, tax, sc.area);
}

// Years past the projection's end take the population file's last year: said, so nobody reads them as projected.
void note_short_population(const Scenario& sc, const Population& population, Calibration& cal) {
    if (sc.population.empty()) return;
    const int last_needed = cal.posterior.base_year + cal.posterior.horizon - 1, last_given = population.by_year.rbegin()->first;
    if (last_given < last_needed)
        cal.notes.push_back(fmt::format("{} ends at mid-{}: the years {}..{} take its {} population by age", sc.population, last_given,
                                        last_given + 1, last_needed, last_given));
}

}  // namespace

Run::Run(Scenario scenario, RunSettings settings) : scenario_(std::move(scenario)), settings_(std::move(settings)) {
    if (settings_.started) settings_.started();
    const Scenario& sc = scenario_;
    taxonomy_ = read_taxonomy(sc.model_dir);
    const Population population = scenario_population(sc, taxonomy_);
    if (sc.population.empty()) note("no population file in the scenario: assuming a constant population");
    calibrated_ = calibrate_scenario(sc, taxonomy_, population);
    note_short_population(sc, population, calibrated_.calibration);
    const Posterior& posterior = calibrated_.calibration.posterior;
    interventions_ = resolve_interventions(sc, taxonomy_, posterior.base_year, posterior.horizon);
    for (const auto& n : calibrated_.calibration.notes) note(n);
    record_inputs();
    prepare_places();
    prepare_costs();
}

void Run::note(const std::string& text) const {
    if (settings_.note) settings_.note(text);
}

namespace {

// A census's split is kept only where it adds up to the census's total: need published for school
// pupils alone (before 2025) would understate every broad area.
bool adds_up(const std::vector<double>& split, std::size_t categories, const YearSeries& totals, int year) {
    const auto total = totals.find(year);
    double sum = 0;
    for (const double v : split) sum += v;
    return split.size() == categories && total != totals.end() && total->second > 0 && std::abs(sum - total->second) <= 0.01 * total->second;
}

YearSplit stock_by_broad_area(const AreaHistory& history, const Taxonomy& tax) {
    YearSplit out;
    for (const auto& [year, needs] : history.stock_by_need) {
        std::vector<double> areas(tax.broad_areas.size(), 0.0);
        for (std::size_t k = 0; k < needs.size() && k < tax.needs.size(); ++k) areas[static_cast<std::size_t>(tax.needs[k].broad_area)] += needs[k];
        out[year] = areas;
    }
    return out;
}

std::map<int, std::vector<double>> published_split(const YearSplit& split, std::size_t categories, const YearSeries& totals, int base_year) {
    std::map<int, std::vector<double>> kept;
    for (const auto& [year, values] : split)
        if (year <= base_year && adds_up(values, categories, totals, year)) kept[year] = values;
    return kept;
}

}  // namespace

void Run::record_inputs() {
    namespace fs = std::filesystem;
    const Scenario& sc = scenario_;
    const AreaHistory& history = calibrated_.history;
    const Calibration& cal = calibrated_.calibration;
    RunRecord& run = record_;
    run.engine_version = SENDPLAN_VERSION;
    run.git_revision = SENDPLAN_GIT_REVISION;
    run.scenario_name = sc.name;
    run.scenario_path = sc.path;
    run.scenario_text = sc.text;
    run.area_code = history.area_code;
    run.area_name = history.area_name;
    for (const auto& [year, total] : history.stock_total)
        if (year <= cal.posterior.base_year) run.published_totals.emplace_back(year, total);
    const int base_year = cal.posterior.base_year;
    run.published_by["broad_area"] = published_split(stock_by_broad_area(history, taxonomy_), taxonomy_.broad_areas.size(), history.stock_total, base_year);
    run.published_by["setting"] = published_split(history.stock_by_setting, taxonomy_.settings.size(), history.stock_total, base_year);
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
    for (const char* f : kModelFiles) {
        const std::string p = (fs::path(sc.model_dir) / f).string();
        run.inputs.emplace_back(p, sha256_file(p));
    }
    for (const auto& f : history.files_read) run.inputs.emplace_back(f, sha256_file(f));
    for (const std::string* f : {&sc.person_level, &sc.code_map, &sc.population})
        if (!f->empty()) run.inputs.emplace_back(*f, sha256_file(*f));
}

namespace {

// A local file that states its area must be the scenario's authority's: another's register or
// costs would run without a word otherwise.
void require_own_area(const std::string& path, const std::string& stated, const AreaHistory& history) {
    if (stated.empty() || upper(stated) == upper(history.area_code)) return;
    throw InputError(path, 2, "area_code",
                     "is for area " + shown(stated) + ", but the scenario's area is " + history.area_name + " (" + history.area_code +
                         "): give the authority's own file");
}

}  // namespace

// With a provision register, places are allocated beside every draw; only then do the scenario's
// changes of cascades apply, and are they checked.
void Run::prepare_places() {
    const Scenario& sc = scenario_;
    if (sc.provisions.empty() && (!sc.provisions_opened.empty() || !sc.provisions_changed.empty()))
        throw InputError(sc.path, 0, "provisions", "the scenario changes provisions but names no register (data: provisions, provision_places)");
    if (sc.provisions.empty()) return;
    const Posterior& posterior = calibrated_.calibration.posterior;
    const ProvisionRegister published = read_provision_register(sc.provisions, sc.provision_places, taxonomy_);
    require_own_area(sc.provisions, published.area_code, calibrated_.history);
    resolve_place_changes(sc, taxonomy_, published, posterior.base_year, posterior.horizon, interventions_);
    provisions_ = interventions_.register_as_planned(published);
    record_.inputs.emplace_back(sc.provisions, sha256_file(sc.provisions));
    record_.inputs.emplace_back(sc.provision_places, sha256_file(sc.provision_places));
    plan_ = build_placement_plan(taxonomy_, posterior.dims, *provisions_, sc.assumptions.capacity, interventions_, posterior.base_stock,
                                 posterior.base_year, posterior.horizon);
}

// The DSG balance needs both the high-needs income and the opening balance: an opening balance
// left out would silently start the authority at zero.
void Run::check_dsg_inputs(const Scenario& sc) const {
    const ScenarioFinance& f = sc.finance;
    if (f.has_income && !f.has_opening_balance)
        throw InputError(sc.path, 0, "finance.opening_dsg_balance",
                         "required with high_needs_income: the DSG reserve at 31 March before the first projected year (a deficit is negative)");
    if (f.has_opening_balance && !f.has_income)
        throw InputError(sc.path, 0, "finance.high_needs_income", "required with opening_dsg_balance: the high-needs block allocation {year, pounds, growth_percent_a_year}");
    if (!f.has_income)
        note("no high-needs income in the scenario (finance: high_needs_income and opening_dsg_balance): spend is projected, the DSG balance is not");
}

// With a cost table, every draw's children are priced.
void Run::prepare_costs() {
    const Scenario& sc = scenario_;
    bool capital = false;
    for (const auto& p : sc.provisions_opened) capital |= !p.capital.empty();
    for (const auto& p : sc.provisions_changed) capital |= !p.capital.empty();
    if (sc.costs.empty() && (sc.finance.has_income || !sc.finance.cost_changes.empty() || capital))
        throw InputError(sc.path, 0, "finance", "the scenario gives costs, capital or income but names no cost table (data: costs)");
    if (sc.costs.empty()) return;
    check_dsg_inputs(sc);
    const Posterior& posterior = calibrated_.calibration.posterior;
    cost_table_ = read_cost_table(sc.costs);
    require_own_area(sc.costs, cost_table_->area_code, calibrated_.history);
    record_.inputs.emplace_back(sc.costs, sha256_file(sc.costs));
    resolve_finance_changes(sc, taxonomy_, posterior.base_year, posterior.horizon, interventions_);
    costs_ = build_cost_model(*cost_table_, taxonomy_, plan_ ? &*plan_ : nullptr, sc.assumptions.finance, interventions_, posterior.base_year,
                              posterior.horizon);
}

void Run::project() {
    const Scenario& sc = scenario_;
    const Posterior& posterior = calibrated_.calibration.posterior;
    ProjectionOptions po;
    po.draws = sc.draws;
    po.seed = sc.seed;
    po.threads = settings_.threads;
    po.keep_draws = settings_.keep_draws;
    po.interventions = interventions_;
    sufficiency_.reset();
    spend_.reset();
    if (plan_) {
        sufficiency_ = std::make_unique<SufficiencyCollector>(*plan_, taxonomy_, *provisions_, sc.seed, sc.draws);
        po.stages.push_back(sufficiency_->stage());
        po.setting_family = plan_->setting_family;
    }
    if (costs_) {
        spend_ = std::make_unique<SpendCollector>(*costs_, posterior.dims, taxonomy_, sc.seed, sc.draws);
        po.stages.push_back(spend_->stage(sufficiency_.get()));
    }
    if (settings_.progress) po.progress = [this](long done, long total) { settings_.progress(scenario_.name, done, total); };
    result_ = sendplan::project(posterior, standard_breakdowns(taxonomy_, posterior.dims), po);
}

std::vector<std::string> Run::inputs() const {
    std::vector<std::string> out = scenario_inputs(scenario_);
    for (const auto& input : record_.inputs) out.push_back(input.first);
    return out;
}

std::unique_ptr<Run> run_scenario_file(const std::string& path, const RunSettings& settings,
                                       const std::function<void(const Scenario&)>& before_projecting) {
    Scenario sc = read_run_scenario(path, settings);
    if (before_projecting) before_projecting(sc);
    auto run = std::make_unique<Run>(std::move(sc), settings);
    run->project();
    return run;
}

}  // namespace sendplan
