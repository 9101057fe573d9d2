#pragma once
// One draw's places, year by year: pupils who stay in their setting keep their place while the
// provision takes their age; everyone else with a place to find (new plans, arrivals, children
// changing setting or phase) is placed by the plan's deterministic rule. model/METHOD.md, section 13.
#include <cstdint>
#include <vector>

#include "capacity/placement_plan.h"
#include "core/rng.h"
#include "simulate/draw.h"

namespace sendplan {

class Allocator {
public:
    explicit Allocator(const PlacementPlan& plan);

    // The base census's places.
    void start();
    // From the places at year index y-1 to y: `stock` is the demand at y, `flows` says who stayed
    // in their setting. Which of a cell's pupils are the ones who left is drawn from `stream`.
    void step(int y, const Stock& stock, const YearFlows& flows, Stream& stream);

    const std::vector<std::int32_t>& occupancy() const { return occupancy_; }
    // Cells (g * ages * needs + age * needs + need) that may hold pupils now; the rest are zero.
    const std::vector<std::int32_t>& occupied_cells() const { return touched_; }
    // Calls f(x, pupils) for the slots of a cell that may hold pupils (pupils may be 0).
    template <class F>
    void for_each_slot(std::int32_t code, F&& f) const {
        const std::int32_t* row = &occupancy_[plan_.occupancy_row[static_cast<std::size_t>(code)]];
        const std::uint64_t* words = &mask_[static_cast<std::size_t>(code) * words_];
        for (std::size_t w = 0; w < words_; ++w)
            for (std::uint64_t bits = words[w]; bits; bits &= bits - 1) {
                const int x = static_cast<int>(w * 64) + __builtin_ctzll(bits);
                f(x, row[x]);
            }
    }
    const std::vector<std::int32_t>& used() const { return used_; }   // per pool

private:
    struct Row;
    void hold_base_census(int g);
    void hold_base_cell(int g, int age, int need);
    void touch(std::int32_t code);
    void clear_older_places();
    void keep_places(const YearFlows& flows, Stream& stream);
    void keep_cell_places(int g, const Row& row, const YearFlows& flows, Stream& stream);
    std::int32_t stayed_in_group(int g, const Row& row, const YearFlows& flows) const;
    int hold_cell(std::int32_t code);
    int draw_slot(int slots, std::int32_t& remaining, Stream& stream);
    void keep(int g, int age, int need, int x, std::int32_t count);
    void evict_above_places(int y);
    void count_entrants(const Stock& stock);
    void count_cell_entrants(int g, int age, int need, const Stock& stock);

    const PlacementPlan& plan_;
    std::size_t words_ = 1;                  // mask words per cell
    std::vector<std::int32_t> occupancy_, next_;
    std::vector<std::uint64_t> mask_, next_mask_;  // [code][word]: slots that may be non-zero
    std::vector<std::int32_t> rows_;        // [code] pupils in the cell at the last census (= its demand)
    std::vector<std::int32_t> previous_;    // [model cell] the last census's demand, in capacity-limited settings
    std::vector<std::int32_t> kept_rows_;   // [code] pupils who kept a place into the cell
    std::vector<std::int32_t> entrants_;    // [code]
    std::vector<std::int32_t> used_, next_used_;
    std::vector<std::int32_t> touched_, next_touched_;
    std::vector<std::uint8_t> next_touched_flag_;
    std::vector<std::int32_t> kept_;        // scratch: one cell's pupils by slot
    std::vector<int> held_slots_;           // scratch: the slots holding them
    std::vector<const std::uint8_t*> keeps_;  // [g] plan.keeps[g]
    std::vector<const int*> pool_of_;         // [g] plan.pool_of[g]
    std::vector<std::int32_t> base_touched_;
    std::vector<std::uint64_t> base_mask_;
    std::vector<std::int32_t> base_used_, base_rows_, base_previous_;
};

}  // namespace sendplan
