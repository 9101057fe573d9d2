// The Barnet baseline at 10,000 draws x 15 years, on 1 and 2 threads, demand alone and with places
// allocated to the provision register: wall time, person-years simulated per second per core, and
// peak memory. Run with bench/run.sh.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "evaluate/run.h"
#include "simulate/projection.h"

using namespace sendplan;

namespace {

// The baseline prepared as a run prepares it (calibrated, pooled across every authority in the
// scenario's releases; its places planned); the benchmark times the draws alone.
struct Baseline {
    Run run{read_scenario(std::string(SENDPLAN_SOURCE_DIR) + "/scenarios/baseline.yaml"), RunSettings{}};
    const Taxonomy& taxonomy = run.taxonomy();
    const Posterior& posterior = run.calibration().posterior;
    const PlacementPlan& plan = *run.plan();
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
    options.seed = b.run.scenario().seed;
    const bool with_places = state.range(2) != 0;
    double person_years = 0;
    for (auto _ : state) {
        SufficiencyCollector places(b.plan, b.taxonomy, *b.run.provisions(), options.seed, options.draws);
        options.stages.clear();
        options.setting_family.clear();
        if (with_places) {
            options.stages.push_back(places.stage());
            options.setting_family = b.plan.setting_family;
        }
        ProjectionResult r = project(b.posterior, standard_breakdowns(b.taxonomy, b.posterior.dims), options);
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
