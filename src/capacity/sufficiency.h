#pragma once
// Sufficiency: demand set against places, draw by draw, summarised as the Special Places Plan's
// tables. The allocation runs beside each draw of the projection (a DrawExtension), so demand and
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

// A later stage that needs every draw's placements (finance) listens to the allocation: told of
// each draw and year once its places are allocated. `placed` is [group][phase][need][1 + place
// kind], with index 0 the demand; the same thread calls it for every draw it runs.
class PlacementListener {
public:
    virtual ~PlacementListener() = default;
    virtual void start_draw(long draw) = 0;
    virtual void year(int y, const Stock& stock, const YearFlows& flows, const std::int64_t* placed) = 0;
    virtual void merge() = 0;
};
using PlacementListenerFactory = std::function<std::unique_ptr<PlacementListener>()>;
inline std::size_t placed_index(const PlacementPlan& plan, int g, int phase, int need, int column) {
    return static_cast<std::size_t>(((g * plan.phases + phase) * plan.dims.needs + need) * (place_kinds + 1) + column);
}

// Gathers the draws' sufficiency: `attach()` sets a projection's options to allocate places beside
// every draw (the extension, and the setting families whose moves keep a place); after project()
// returns, `result()`.
class SufficiencyCollector {
public:
    SufficiencyCollector(const PlacementPlan& plan, const Taxonomy& taxonomy, const ProvisionRegister& reg, std::uint64_t seed, long draws);
    void attach(ProjectionOptions& options, PlacementListenerFactory listener = {});
    const SufficiencyResult& result() const { return result_; }
    const PlacementPlan& plan() const { return plan_; }

private:
    friend class SufficiencyDraws;
    const PlacementPlan& plan_;
    const Taxonomy& tax_;
    const ProvisionRegister& reg_;
    std::uint64_t seed_;
    PlacementListenerFactory listener_;
    SufficiencyResult result_;
};

}  // namespace sendplan
