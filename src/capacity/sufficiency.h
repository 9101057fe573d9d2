#pragma once
// Sufficiency: demand set against places, draw by draw, summarised as the Special Places Plan's
// tables. The allocation runs beside each draw of the projection (a DrawStage), so demand and
// places come from the same simulated children.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "capacity/placement_plan.h"
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
    // [year][group][phase row (phases, then all)][need row][measure]
    std::vector<Histogram> table;
    std::vector<Histogram> provision_pupils;  // [year][provision]
    std::vector<Histogram> placements;        // [year][group][place kind]
    std::vector<Histogram> strategy;          // [year][strategy measure]
    int years() const { return horizon + 1; }
    std::size_t table_index(int y, int g, int phase_row, int need_row, int m) const {
        return static_cast<std::size_t>((((y * groups + g) * (phases + 1) + phase_row) * need_rows + need_row) * table_measures + m);
    }
    // A cell of one phase and need counts in six rows of the table: its phase and all phases, by
    // its need, its broad area (row `broad_row`) and all needs.
    template <class F>
    void for_each_row(int phase, int need, int broad_row, F&& f) const {
        for (const int phase_row : {phase, phases})
            for (const int need_row : {need, broad_row, need_rows - 1}) f(phase_row, need_row);
    }
    // Places by the same rows (the plan's places by group, phase and need, summed).
    std::vector<double> places;  // [year][group][phase row][need row]
    // Every draw's totals (all phases, all needs), for differences between scenarios on common
    // random numbers: [draw][year][group][table measure].
    std::vector<std::int32_t> by_draw;
    std::size_t by_draw_index(long draw, int y, int g, int m) const {
        return static_cast<std::size_t>(((draw * years() + y) * groups + g) * table_measures + m);
    }
};

// Where a stage after the allocation finds a draw's placements this year: `placed` is
// [group][phase][need][1 + place kind], with index 0 the demand.
inline std::size_t placed_index(const PlacementPlan& plan, int g, int phase, int need, int column) {
    return static_cast<std::size_t>(((g * plan.phases + phase) * plan.dims.needs + need) * (place_kinds + 1) + column);
}

// Gathers the draws' sufficiency. Its stage allocates places beside every draw of a projection
// (add `stage()` to the projection's stages, and `plan().setting_family` as its setting families,
// whose moves keep a place); after project() returns, `result()`.
class SufficiencyCollector {
public:
    SufficiencyCollector(const PlacementPlan& plan, const Taxonomy& taxonomy, const ProvisionRegister& reg, std::uint64_t seed, long draws);
    DrawStageFactory stage();
    // This collector's stage among one thread's stages: its placements of the year it last saw,
    // laid out as placed_index() says, for a stage that comes after it. Null if it is not there.
    const std::int64_t* placements_in(const DrawStages& stages) const;
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
