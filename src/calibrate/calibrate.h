#pragma once
// Calibration from published aggregates: the base-year stock by age x need x setting and the
// posterior of every parameter, from an area's DfE tables and its population (model/METHOD.md).
#include <string>
#include <vector>

#include "calibrate/ipf.h"
#include "calibrate/pooled.h"
#include "core/assumptions.h"
#include "core/taxonomy.h"
#include "io/area_history.h"
#include "io/population.h"
#include "model/posterior.h"

namespace sendplan {

struct Calibration {
    Posterior posterior;
    IpfResult base_stock_fit;
    std::vector<std::string> notes;  // flagged data and fallbacks taken, for stderr and the results file
};

// The census a projection starts from: `requested`, or with 0 the latest census with a breakdown
// by age and setting (else by age). A history without one is refused.
int base_year_of(const AreaHistory& history, int requested);

// base_year 0 takes the latest January census with a breakdown by age and setting.
// Only data dated up to the base year's January census is used.
// With `pooled` (fitted on every authority at the same base census) and pooling enabled, the
// trend of new plans and net leaving are the pooled ones (pooled.h); without, the area's own.
Calibration calibrate(const AreaHistory& history, const Population& population, const Taxonomy& taxonomy,
                      const Assumptions& assumptions, int base_year, int horizon, const PooledEstimates* pooled = nullptr);

// Spreads rows published for age bands over single ages in proportion to `weights` (by age index);
// returns totals by age and, where rows carry a split, the split by age ([age][part]).
void spread_age_rows(const std::vector<AgeRow>& rows, const std::vector<double>& weights, int min_age, std::size_t parts,
                     std::vector<double>& totals, std::vector<double>& split);

}  // namespace sendplan
