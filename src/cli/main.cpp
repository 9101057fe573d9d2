// sendplan: projects EHC plans for children and young people with SEND and the places they need.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <algorithm>
#include <filesystem>
#include <limits>
#include <optional>

#include "cli/backtest_command.h"
#include "cli/compare_command.h"
#include "core/version.h"
#include "cli/run_command.h"
#include "cli/init_command.h"
#include "cli/plots.h"
#include "cli/synth_command.h"
#include "core/error.h"
#include "core/numbers.h"
#include "io/csv.h"
#include "io/schema.h"

namespace {

using namespace sendplan;

std::int64_t option_number(const std::string& text, const char* option, std::int64_t lo, std::int64_t hi) {
    return whole_number(text, lo, hi, Where{option, 0, 0, option + 2});
}

std::uint64_t seed_option(const std::string& text) {
    return static_cast<std::uint64_t>(whole_number(text, 0, std::numeric_limits<std::int64_t>::max(), Where{"--seed", 0, 0, "seed"}));
}

// The valid word nearest to `word`, for "did you mean".
std::string nearest(const std::string& word, const std::vector<std::string>& valid) {
    std::string best;
    std::size_t best_distance = std::string::npos;
    for (const auto& v : valid)
        if (const std::size_t d = edit_distance(word, v); d < best_distance) {
            best_distance = d;
            best = v;
        }
    return best;
}

// A first word that is no subcommand ("sendplan runn"): CLI11 would only say one is required.
std::optional<std::string> unknown_command(CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') return std::nullopt;
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    const std::string word = argv[1];
    if (std::find(names.begin(), names.end(), word) != names.end()) return std::nullopt;
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return "unknown command " + shown(word) + ": expected one of " + list + " (nearest: " + nearest(word, names) + ")";
}

// An option the subcommand does not have ("--drws"): the nearest one it has.
std::string nearest_option_hint(CLI::App& app, int argc, char** argv) {
    CLI::App* sub = nullptr;
    for (auto* s : app.get_subcommands({}))
        if (argc > 1 && s->get_name() == argv[1]) sub = s;
    if (!sub) return "";
    std::vector<std::string> options;
    for (const auto* o : sub->get_options())
        for (const auto& l : o->get_lnames()) options.push_back("--" + l);
    for (int i = 2; i < argc; ++i) {
        std::string word = argv[i];
        if (word.rfind("--", 0) != 0) continue;
        word = word.substr(0, word.find('='));
        if (std::find(options.begin(), options.end(), word) == options.end())
            return "; unknown option " + shown(word) + " for '" + sub->get_name() + "' (nearest: " + nearest(word, options) + ")";
    }
    return "";
}

// CLI11's message with any word it echoes cut short, so a megabyte argument is not printed whole.
std::string shown_cli_error(const std::string& message) {
    return message.size() <= 200 ? message : message.substr(0, 200) + "\u2026";
}

// Each subcommand: its options as typed, registered on the application, and carried out once
// parsed. Numbers are taken as typed and read by the checked conversion (core/numbers.h), so an
// overflowing or absurd value is refused with the option's name rather than wrapped or clamped.
// Every file a run wrote, so that nobody has to look for the Special Places Plan's tables.
void list_written(const std::string& folder) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    std::printf("results in %s/:\n", folder.c_str());
    for (const auto& name : names) std::printf("  %s\n", name.c_str());
}

struct RunCommand {
    RunOptions run;
    std::string draws, seed, threads;
    bool no_plots = false;
    CLI::App* cmd = nullptr;
    CLI::Option *draws_opt = nullptr, *seed_opt = nullptr, *out_opt = nullptr;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("run", "Run a scenario file and write results (HDF5, CSV) to a directory");
        cmd->add_option("scenario", run.scenario, "Scenario file (YAML), e.g. scenarios/baseline.yaml")->required();
        draws_opt = cmd->add_option("--draws", draws, "Number of Monte Carlo draws (overrides the scenario)");
        seed_opt = cmd->add_option("--seed", seed, "Random seed (overrides the scenario)");
        cmd->add_option("--threads", threads, "Threads to use (default: all cores); results do not depend on it");
        out_opt = cmd->add_option("--out", run.out, "Results directory (default: results/<scenario name>)");
        cmd->add_flag("--keep-draws", run.keep_draws, "Also store every draw's need x setting x phase counts in the HDF5 file");
        cmd->add_flag("--quiet", run.quiet, "No progress line or notes on stderr");
        cmd->add_flag("--no-plots", no_plots, "Do not draw the plots (also when the environment sets SENDPLAN_NO_PLOTS=1)");
    }

    void execute() {
        if (*draws_opt) run.draws = option_number(draws, "--draws", 1, kMaxDraws);
        if (*seed_opt) run.seed = seed_option(seed);
        if (!threads.empty()) run.threads = static_cast<int>(option_number(threads, "--threads", 1, kMaxThreads));
        const std::string abs = run_scenario(run);
        std::printf("results: %s/results.h5\n", abs.c_str());
        list_written(abs);
        const bool places = std::filesystem::exists(abs + "/special_places_plan.csv");
        if (no_plots || plots_declined_by_environment()) {
            std::printf("plots: not drawn; to draw them:\n");
            for (const auto& c : plot_commands(abs, places)) std::printf("  %s\n", c.c_str());
        } else {
            draw_plots(abs, places);
        }
    }
};

struct BacktestCommand {
    BacktestCommandOptions bt;
    std::string seed, horizon, draws, threads;
    std::vector<std::string> ranges, origins;
    CLI::App* cmd = nullptr;

    void add_to(CLI::App& app) {
        bt.model_dir = SENDPLAN_MODEL_DIR;
        cmd = app.add_subcommand("backtest", "Forecast total plans from past censuses and score the forecasts against what happened");
        cmd->add_option("--data-dir", bt.data_dir, "DfE release zip, or folder of release files under their published names (or of such folders and zips)")->required();
        cmd->add_option("--area", bt.backtest.areas, "Area: new LA code (E09000003), old code (302), name, E92000001 for England, or all; repeat for several")->required();
        cmd->add_option("--region", bt.backtest.region, "With --area all: only the authorities of this region (E12000007 or London)");
        cmd->add_option("--origin", origins, "January census the forecast starts from; repeat for several");
        cmd->add_option("--origins", ranges, "A range of origins, e.g. 2016..2021");
        cmd->add_option("--horizon", horizon, "Years ahead to forecast")->required();
        cmd->add_option("--population", bt.population, "ONS population projection by single year of age (default: constant population)");
        cmd->add_option("--draws", draws, "Monte Carlo draws (default 1000)");
        cmd->add_option("--seed", seed, "Random seed (default 20260123)");
        cmd->add_option("--threads", threads, "Threads to use (default: all cores); results do not depend on it");
        cmd->add_option("--model", bt.model_dir, "Model definition folder (needs, settings, ages, assumptions)");
        cmd->add_option("--out", bt.out, "CSV file of forecasts to write")->required();
        cmd->add_option("--report", bt.report, "Also write the scores by horizon to this CSV file");
        cmd->add_option("--accuracy", bt.accuracy, "Also write the accuracy by kind of area and horizon (as model/forecast_accuracy.csv)");
        cmd->add_flag("--quiet", bt.quiet, "No calibration notes on stderr");
    }

    void execute() {
        if (!seed.empty()) bt.backtest.seed = seed_option(seed);
        bt.backtest.horizon = static_cast<int>(option_number(horizon, "--horizon", 1, 50));
        if (!draws.empty()) bt.backtest.draws = option_number(draws, "--draws", 1, kMaxDraws);
        if (!threads.empty()) bt.backtest.threads = static_cast<int>(option_number(threads, "--threads", 1, kMaxThreads));
        for (const auto& y : origins) bt.backtest.origins.push_back(static_cast<int>(option_number(y, "--origin", kFirstYear, kLastYear)));
        for (const auto& r : ranges)
            for (int y : parse_year_range(r)) bt.backtest.origins.push_back(y);
        run_backtest(bt);
    }
};

struct CompareCommand {
    CompareOptions cmp;
    std::string draws, seed, threads;
    CLI::App* cmd = nullptr;
    CLI::Option *draws_opt = nullptr, *seed_opt = nullptr, *out_opt = nullptr;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("compare", "Run a base scenario and options on common random numbers and report each option minus the base");
        cmd->add_option("scenarios", cmp.scenarios, "BASE.yaml OPTION.yaml ...: the base first")->required()->expected(2, -1);
        draws_opt = cmd->add_option("--draws", draws, "Draws for every scenario (default: the base's)");
        seed_opt = cmd->add_option("--seed", seed, "Seed for every scenario (default: the base's)");
        cmd->add_option("--threads", threads, "Threads to use (default: all cores); results do not depend on it");
        out_opt = cmd->add_option("--out", cmp.out, "Results directory (default: results/compare-<base name>)");
        cmd->add_flag("--quiet", cmp.quiet, "No progress line or notes on stderr");
    }

    void execute() {
        if (*draws_opt) cmp.draws = option_number(draws, "--draws", 1, kMaxDraws);
        if (*seed_opt) cmp.seed = seed_option(seed);
        if (!threads.empty()) cmp.threads = static_cast<int>(option_number(threads, "--threads", 1, kMaxThreads));
        const CompareResult compared = run_compare(cmp);
        for (const auto& line : compared.headline) std::printf("%s\n", line.c_str());
        const std::string& abs = compared.folder;
        std::printf("appraisal: %s/appraisal.csv, %s/appraisal_by_year.csv, %s/appraisal.xlsx\ncomparison: %s/comparison.csv\nscenarios: %s/<scenario>/\n",
                    abs.c_str(), abs.c_str(), abs.c_str(), abs.c_str(), abs.c_str());
    }
};

struct SynthCommand {
    SynthOptions synth;
    std::string seed, first, years;
    CLI::App* cmd = nullptr;
    CLI::Option* first_opt = nullptr;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("synth", "Write a synthetic person-level history simulated from a scenario's calibrated parameters");
        cmd->add_option("scenario", synth.scenario, "Scenario file whose posterior means are the known parameters")->required();
        cmd->add_option("--years", years, "Years simulated after the first census (default 10)");
        first_opt = cmd->add_option("--first-census", first, "Year of the first census (default: base year minus years)");
        cmd->add_option("--seed", seed, "Random seed (default 1)");
        cmd->add_option("--out", synth.out, "CSV file to write (person_id,census_year,age,need,setting)")->required();
    }

    void execute() {
        if (!seed.empty()) synth.seed = seed_option(seed);
        if (!years.empty()) synth.years = static_cast<int>(option_number(years, "--years", 1, 50));
        if (*first_opt) synth.first_census = static_cast<int>(option_number(first, "--first-census", kFirstYear, kLastYear));
        run_synth(synth);
    }
};

struct InitCommand {
    InitOptions init;
    CLI::App* cmd = nullptr;

    void add_to(CLI::App& app) {
        cmd = app.add_subcommand("init", "Start a local authority from the national data: a scenario that runs, and the local files to fill");
        cmd->add_option("area", init.area, "The local authority: new code (E08000016), old code (370) or name (Barnsley)")->required();
        cmd->add_option("--out", init.out, "A new folder for its files")->required();
        init.data_dir = SENDPLAN_DATA_DIR;
        init.model_dir = SENDPLAN_MODEL_DIR;
        cmd->add_option("--data-dir", init.data_dir, "The data folder holding dfe-national/ (default: the one sendplan was built with)");
    }

    void execute() {
        const std::string folder = run_init(init);
        std::printf("started %s/: scenario.yaml (runs as it is: sendplan run %s/scenario.yaml), provisions.csv, provision_places.csv, costs.csv to fill; "
                    "next steps in %s/README.md\n",
                    folder.c_str(), folder.c_str(), folder.c_str());
    }
};

// Parses the command line; a usage mistake is told in one line with the nearest valid word, and
// gives the exit status (help and --version give theirs).
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
    if (const auto unknown = unknown_command(app, argc, argv)) {
        std::fprintf(stderr, "sendplan: error: %s\nRun 'sendplan --help' for usage.\n", unknown->c_str());
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::Success& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "sendplan: %s%s\nRun 'sendplan --help' for usage.\n", shown_cli_error(e.what()).c_str(), nearest_option_hint(app, argc, argv).c_str());
        return 2;
    }
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace sendplan;
    CLI::App app{"sendplan: Monte Carlo projection of EHC plans by age, primary need and setting, and of the special places they need."};
    app.set_version_flag("--version", std::string("sendplan ") + SENDPLAN_VERSION + " (" + SENDPLAN_GIT_REVISION + ")");
    app.require_subcommand(1);
    RunCommand run;
    run.add_to(app);
    BacktestCommand backtest;
    backtest.add_to(app);
    CompareCommand compare;
    compare.add_to(app);
    SynthCommand synth;
    synth.add_to(app);
    InitCommand init;
    init.add_to(app);
    CLI::App* schema_cmd = app.add_subcommand("schema", "Print the scenario schema: every key a scenario may have, its type and meaning");
    if (const auto status = parse_command_line(app, argc, argv)) return *status;

    try {
        // An empty --out is a mistake, not a wish for the default folder.
        for (const auto* out : {run.out_opt, compare.out_opt})
            if (*out && out->as<std::string>().empty()) throw InputError("--out", 0, "", "is empty: give a folder for the results");
        if (schema_cmd->parsed()) std::fputs(scenario_schema_text().c_str(), stdout);
        else if (synth.cmd->parsed()) synth.execute();
        else if (init.cmd->parsed()) init.execute();
        else if (compare.cmd->parsed()) compare.execute();
        else if (backtest.cmd->parsed()) backtest.execute();
        else run.execute();
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
