// sendplan: projects EHC plans for children and young people with SEND and the places they need.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>

#include "cli/backtest_command.h"
#include "cli/compare_command.h"
#include "cli/version.h"
#include "cli/run_command.h"
#include "cli/synth_command.h"
#include "core/error.h"
#include "io/schema.h"


int main(int argc, char** argv) {
    using namespace sendplan;
    CLI::App app{"sendplan: Monte Carlo projection of EHC plans by age, primary need and setting, and of the special places they need."};
    app.set_version_flag("--version", std::string("sendplan ") + SENDPLAN_VERSION + " (" + SENDPLAN_GIT_REVISION + ")");
    app.require_subcommand(1);

    RunOptions run;
    long draws = 0;
    long long seed = 0;
    CLI::App* run_cmd = app.add_subcommand("run", "Run a scenario file and write results (HDF5, CSV) to a directory");
    run_cmd->add_option("scenario", run.scenario, "Scenario file (YAML), e.g. scenarios/baseline.yaml")->required();
    auto* draws_opt = run_cmd->add_option("--draws", draws, "Number of Monte Carlo draws (overrides the scenario)");
    auto* seed_opt = run_cmd->add_option("--seed", seed, "Random seed (overrides the scenario)");
    run_cmd->add_option("--threads", run.threads, "Threads to use (default: all cores); results do not depend on it")
        ->check(CLI::NonNegativeNumber);
    auto* run_out_opt = run_cmd->add_option("--out", run.out, "Results directory (default: results/<scenario name>)");
    run_cmd->add_flag("--keep-draws", run.keep_draws, "Also store every draw's need x setting x phase counts in the HDF5 file");
    run_cmd->add_flag("--quiet", run.quiet, "No progress line or notes on stderr");

    BacktestCommandOptions bt;
    bt.model_dir = SENDPLAN_MODEL_DIR;
    long long bt_seed = static_cast<long long>(bt.seed);
    std::vector<std::string> bt_ranges;
    CLI::App* bt_cmd = app.add_subcommand("backtest", "Forecast total plans from past censuses and score the forecasts against what happened");
    bt_cmd->add_option("--data-dir", bt.data_dir, "DfE release zip, or folder of release files under their published names (or of such folders and zips)")->required();
    bt_cmd->add_option("--area", bt.areas, "Area: new LA code (E09000003), old code (302), name, E92000001 for England, or all; repeat for several")->required();
    bt_cmd->add_option("--region", bt.region, "With --area all: only the authorities of this region (E12000007 or London)");
    bt_cmd->add_option("--origin", bt.origins, "January census the forecast starts from; repeat for several");
    bt_cmd->add_option("--origins", bt_ranges, "A range of origins, e.g. 2016..2021");
    bt_cmd->add_option("--horizon", bt.horizon, "Years ahead to forecast")->required();
    bt_cmd->add_option("--population", bt.population, "ONS population projection by single year of age (default: constant population)");
    bt_cmd->add_option("--draws", bt.draws, "Monte Carlo draws (default 1000)");
    bt_cmd->add_option("--seed", bt_seed, "Random seed (default 20260123)");
    bt_cmd->add_option("--threads", bt.threads, "Threads to use (default: all cores); results do not depend on it")->check(CLI::NonNegativeNumber);
    bt_cmd->add_option("--model", bt.model_dir, "Model definition folder (needs, settings, ages, assumptions)");
    bt_cmd->add_option("--out", bt.out, "CSV file of forecasts to write")->required();
    bt_cmd->add_option("--report", bt.report, "Also write the scores by horizon to this CSV file");
    bt_cmd->add_option("--accuracy", bt.accuracy, "Also write the accuracy by kind of area and horizon (as model/forecast_accuracy.csv)");
    bt_cmd->add_flag("--quiet", bt.quiet, "No calibration notes on stderr");

    CompareOptions cmp;
    long cmp_draws = 0;
    long long cmp_seed = 0;
    CLI::App* cmp_cmd = app.add_subcommand("compare", "Run a base scenario and options on common random numbers and report each option minus the base");
    cmp_cmd->add_option("scenarios", cmp.scenarios, "BASE.yaml OPTION.yaml ...: the base first")->required()->expected(2, -1);
    auto* cmp_draws_opt = cmp_cmd->add_option("--draws", cmp_draws, "Draws for every scenario (default: the base's)");
    auto* cmp_seed_opt = cmp_cmd->add_option("--seed", cmp_seed, "Seed for every scenario (default: the base's)");
    cmp_cmd->add_option("--threads", cmp.threads, "Threads to use (default: all cores); results do not depend on it")->check(CLI::NonNegativeNumber);
    auto* cmp_out_opt = cmp_cmd->add_option("--out", cmp.out, "Results directory (default: results/compare-<base name>)");
    cmp_cmd->add_flag("--quiet", cmp.quiet, "No progress line or notes on stderr");

    SynthOptions synth;
    long long synth_seed = 1;
    int synth_first = 0;
    CLI::App* synth_cmd = app.add_subcommand("synth", "Write a synthetic person-level history simulated from a scenario's calibrated parameters");
    synth_cmd->add_option("scenario", synth.scenario, "Scenario file whose posterior means are the known parameters")->required();
    synth_cmd->add_option("--years", synth.years, "Years simulated after the first census (default 10)");
    auto* synth_first_opt = synth_cmd->add_option("--first-census", synth_first, "Year of the first census (default: base year minus years)");
    synth_cmd->add_option("--seed", synth_seed, "Random seed (default 1)");
    synth_cmd->add_option("--out", synth.out, "CSV file to write (person_id,census_year,age,need,setting)")->required();

    CLI::App* schema_cmd = app.add_subcommand("schema", "Print the scenario schema: every key a scenario may have, its type and meaning");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "sendplan: %s\nRun 'sendplan --help' for usage.\n", e.what());
        return 2;
    }

    try {
        // An empty --out is a mistake, not a wish for the default folder.
        for (const auto* out : {run_out_opt, cmp_out_opt})
            if (*out && out->as<std::string>().empty()) throw InputError("--out", 0, "", "is empty: give a folder for the results");
        if (*draws_opt) run.draws = draws;
        if (*seed_opt) {
            if (seed < 0) throw InputError("--seed", 0, "seed", "must be zero or positive");
            run.seed = static_cast<std::uint64_t>(seed);
        }
        if (schema_cmd->parsed()) {
            std::fputs(scenario_schema_text().c_str(), stdout);
            return 0;
        }
        if (synth_cmd->parsed()) {
            if (synth_seed < 0) throw InputError("--seed", 0, "seed", "must be zero or positive");
            synth.seed = static_cast<std::uint64_t>(synth_seed);
            if (*synth_first_opt) synth.first_census = synth_first;
            run_synth(synth);
            return 0;
        }
        if (cmp_cmd->parsed()) {
            if (*cmp_draws_opt) {
                if (cmp_draws < 1) throw InputError("--draws", 0, "draws", "must be a positive number of draws");
                cmp.draws = cmp_draws;
            }
            if (*cmp_seed_opt) {
                if (cmp_seed < 0) throw InputError("--seed", 0, "seed", "must be zero or positive");
                cmp.seed = static_cast<std::uint64_t>(cmp_seed);
            }
            const auto abs = std::filesystem::absolute(run_compare(cmp)).lexically_normal().string();
            std::printf("appraisal: %s/appraisal.csv, %s/appraisal_by_year.csv, %s/appraisal.xlsx\ncomparison: %s/comparison.csv\nscenarios: %s/<scenario>/\n",
                        abs.c_str(), abs.c_str(), abs.c_str(), abs.c_str(), abs.c_str());
            return 0;
        }
        if (bt_cmd->parsed()) {
            if (bt_seed < 0) throw InputError("--seed", 0, "seed", "must be zero or positive");
            bt.seed = static_cast<std::uint64_t>(bt_seed);
            for (const auto& r : bt_ranges)
                for (int y : parse_year_range(r)) bt.origins.push_back(y);
            run_backtest(bt);
            return 0;
        }
        const std::string out = run_scenario(run);
        const auto abs = std::filesystem::absolute(out).lexically_normal().string();
        std::printf("results: %s/results.h5\n", abs.c_str());
        std::printf("summaries: %s/projection_totals.csv, %s/projection_detail.csv, %s/flows.csv\n", abs.c_str(), abs.c_str(), abs.c_str());
        if (std::filesystem::exists(abs + "/high_needs_spend.csv")) std::printf("spend: %s/high_needs_spend.csv\n", abs.c_str());
        return 0;
    } catch (const InputError& e) {
        std::fprintf(stderr, "sendplan: error: %s\n", e.what());
        return 2;
    } catch (const DataError& e) {
        std::fprintf(stderr, "sendplan: error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sendplan: internal error: %s\n", e.what());
        return 1;
    }
}
