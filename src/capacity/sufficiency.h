#pragma once
// Sufficiency: demand set against places, draw by draw, summarised as the Special Places Plan's
// tables. The allocation runs beside each draw of the projection (a DrawStage), so demand and
// places come from the same simulated children.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "capacity/placement_plan.h"
#include "core/index_array.h"
#include "core/taxonomy.h"
#include "io/provision_register.h"
#include "simulate/histogram.h"
#include "simulate/projection.h"

namespace sendplan {

enum StrategyMeasure {
    strategy_share_mainstream,          // per cent of plans in mainstream (with resourced provision), x100
    strategy_share_independent_or_out,  // per cent in independent or non-maintained special, or out of borough, x100
    strategy_placed_out_because_full,   // pupils placed out of borough or independent because local places were full
    strategy_waiting,                   // pupils the cascade could not place
    strategy_measures
};
const char* strategy_measure_name(int m);

enum TableMeasure { table_demand, table_unmet_local, table_placed_out_because_full, table_measures };

struct SufficiencyResult {
    int base_year = 0, horizon = 0, groups = 0, phases = 0, need_rows = 0;
    long draws = 0;
    std::vector<std::string> need_row_code, need_row_kind;  // [need row]: need, broad area, all
    // Phase rows are the phases, then all phases; measures are TableMeasure's.
    IndexArray<Histogram, dim::Year, dim::Group, dim::PhaseRow, dim::NeedRow, dim::Measure> table;
    IndexArray<Histogram, dim::Year, dim::Provision> provision_pupils;
    IndexArray<Histogram, dim::Year, dim::Group, dim::PlaceKind> placements;
    IndexArray<Histogram, dim::Year, dim::Measure> strategy;  // StrategyMeasure's
    int years() const { return horizon + 1; }
    // A cell of one phase and need counts in six rows of the table: its phase and all phases, by
    // its need, its broad area (row `broad_row`) and all needs.
    template <class F>
    void for_each_row(int phase, int need, int broad_row, F&& f) const {
        for (const int phase_row : {phase, phases})
            for (const int need_row : {need, broad_row, need_rows - 1}) f(phase_row, need_row);
    }
    // Places by the same rows (the plan's places by group, phase and need, summed).
    IndexArray<double, dim::Year, dim::Group, dim::PhaseRow, dim::NeedRow> places;
    // Every draw's totals (all phases, all needs), for differences between scenarios on common
    // random numbers, by TableMeasure.
    IndexArray<std::int32_t, dim::Draw, dim::Year, dim::Group, dim::Measure> by_draw;
};

// A draw's placements in one year, where a stage after the allocation finds them: column 0 is the
// demand, column 1 + k the pupils placed in place kind k.
using Placements = IndexArray<std::int64_t, dim::Group, dim::Phase, dim::Need, dim::Placed>;
inline constexpr int placed_demand = 0;
inline constexpr int placed_in(int place_kind) { return 1 + place_kind; }

// Gathers the draws' sufficiency. Its stage allocates places beside every draw of a projection
// (add `stage()` to the projection's stages, and `plan().setting_family` as its setting families,
// whose moves keep a place); after project() returns, `result()`.
class SufficiencyCollector {
public:
    SufficiencyCollector(const PlacementPlan& plan, const Taxonomy& taxonomy, const ProvisionRegister& reg, std::uint64_t seed, long draws);
    DrawStageFactory stage();
    // This collector's stage among one thread's stages: its placements of the year it last saw,
    // for a stage that comes after it. Null if it is not there.
    const Placements* placements_in(const DrawStages& stages) const;
    const SufficiencyResult& result() const { return result_; }
    const PlacementPlan& plan() const { return plan_; }

private:
    friend class SufficiencyDraws;
    const PlacementPlan& plan_;
    const Taxonomy& tax_;
    const ProvisionRegister& reg_;
    std::uint64_t seed_;
    SufficiencyResult result_;
};

}  // namespace sendplan
