// The Barnet baseline at 10,000 draws x 15 years, on 1 and 2 threads, demand alone and with places
// allocated to the provision register: wall time, person-years simulated per second per core, and
// peak memory. Run with bench/run.sh.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "calibrate/calibrate.h"
#include "capacity/sufficiency.h"
#include "cli/run_command.h"
#include "io/provision_register.h"
#include "io/dfe_reader.h"
#include "io/population.h"
#include "io/scenario.h"
#include "io/taxonomy_reader.h"
#include "simulate/projection.h"

using namespace sendplan;

namespace {

struct Baseline {
    Scenario scenario;
    Taxonomy taxonomy;
    Calibration calibration;
    ProvisionRegister provisions;
    PlacementPlan plan;
    Baseline() {
        scenario = read_scenario(std::string(SENDPLAN_SOURCE_DIR) + "/scenarios/baseline.yaml");
        taxonomy = read_taxonomy(scenario.model_dir);
        const Population population = read_population(scenario.population, taxonomy);
        // Calibrated as a run is: pooled across every authority in the scenario's releases.
        calibration = calibrate_scenario(scenario, taxonomy, population).calibration;
        provisions = read_provision_register(scenario.provisions, scenario.provision_places, taxonomy);
        const Posterior& p = calibration.posterior;
        plan = build_placement_plan(taxonomy, p.dims, provisions, scenario.assumptions.capacity, p.base_stock, p.base_year, p.horizon);
    }
};

const Baseline& baseline() {
    static const Baseline b;
    return b;
}

double peak_memory_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_BaselineProjection(benchmark::State& state) {
    const Baseline& b = baseline();
    ProjectionOptions options;
    options.draws = state.range(0);
    options.threads = static_cast<int>(state.range(1));
    options.seed = b.scenario.seed;
    const bool with_places = state.range(2) != 0;
    double person_years = 0;
    for (auto _ : state) {
        SufficiencyCollector places(b.plan, b.taxonomy, b.provisions, options.seed, options.draws);
        options.stages.clear();
        options.setting_family.clear();
        if (with_places) {
            options.stages.push_back(places.stage());
            options.setting_family = b.plan.setting_family;
        }
        ProjectionResult r = project(b.calibration.posterior, standard_breakdowns(b.taxonomy, b.calibration.posterior.dims), options);
        person_years = 0;
        for (int y = 0; y < r.horizon; ++y) person_years += r.stock[0][static_cast<std::size_t>(y)][0].mean() * static_cast<double>(r.draws);
        benchmark::DoNotOptimize(r.total_by_draw.data());
    }
    state.counters["person_years_per_s_per_core"] =
        benchmark::Counter(person_years * static_cast<double>(state.iterations()) / static_cast<double>(options.threads), benchmark::Counter::kIsRate);
    state.counters["draws"] = static_cast<double>(options.draws);
    state.counters["threads"] = static_cast<double>(options.threads);
    state.counters["with_places"] = with_places ? 1.0 : 0.0;
    state.counters["peak_memory_MiB"] = peak_memory_mib();
}

}  // namespace

BENCHMARK(BM_BaselineProjection)
    ->Args({10000, 1, 0})->Args({10000, 1, 1})->Args({10000, 2, 0})->Args({10000, 2, 1})
    ->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

BENCHMARK_MAIN();
