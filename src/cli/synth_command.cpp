#include "cli/synth_command.h"

#include <cstdio>

#include "evaluate/run.h"
#include "core/error.h"
#include "io/population.h"
#include "io/taxonomy_reader.h"
#include "output/atomic_output.h"
#include "output/person_history_writer.h"
#include "simulate/synthetic_history.h"

namespace sendplan {

void run_synth(const SynthOptions& o) {
    if (o.years < 1 || o.years > 50) throw InputError("--years", 0, "years", "expected 1 to 50 years");
    Scenario sc = read_scenario(o.scenario);
    check_output_file(o.out, "--out", kPersonCensuses, scenario_inputs(sc));
    sc.horizon = o.years;
    const Taxonomy tax = read_taxonomy(sc.model_dir);
    const Population population = sc.population.empty() ? constant_population(tax) : read_population(sc.population, tax, sc.area);
    ScenarioCalibration cal = calibrate_scenario(sc, tax, population);
    Posterior truth = cal.calibration.posterior;
    truth.without_parameter_uncertainty = true;
    SyntheticOptions so;
    so.years = o.years;
    so.seed = o.seed;
    so.first_census = o.first_census ? *o.first_census : truth.base_year - o.years;
    // The history is labelled from its first census, but the trend runs on from the base year.
    truth.trend.last_year += so.first_census - truth.base_year;
    const auto rows = synthesise_history(truth, so);
    write_person_censuses(o.out, rows, tax);
    std::fprintf(stderr, "synthetic history: %zu rows, censuses %d..%d, from the posterior means of %s\n", rows.size(), so.first_census,
                 so.first_census + o.years, o.scenario.c_str());
}

}  // namespace sendplan
