#pragma once
// High-needs spend, draw by draw: each draw prices the children it simulated (and, with places,
// where the allocation put them) at costs that are themselves drawn, so the spend's percentiles
// carry the uncertainty of both. model/METHOD.md, section 15.
#include <cstdint>
#include <memory>
#include <vector>

#include "capacity/sufficiency.h"
#include "finance/cost_model.h"
#include "simulate/projection.h"

namespace sendplan {

struct SpendResult {
    int base_year = 0, horizon = 0, placements = 0;
    long draws = 0;
    std::vector<std::string> placement_codes, placement_labels;
    // Every draw's spend in pounds (cash) by year and line: the cost elements, then the placements
    // (all elements of each).
    IndexArray<double, dim::Draw, dim::Year, dim::SpendLine> by_draw;
    std::vector<double> capital;  // [year] pounds, cash (the same in every draw)
    bool has_income = false;
    std::vector<double> income;   // [year]
    double opening_balance = 0;

    int years() const { return horizon + 1; }
    int lines() const { return cost_elements + placements; }
    double at(long draw, int y, int line) const { return by_draw(draw, y, line); }
    // Paid from the high-needs block: place funding, top-ups and fees.
    double high_needs(long draw, int y) const { return at(draw, y, cost_place) + at(draw, y, cost_top_up) + at(draw, y, cost_fee); }
    double transport(long draw, int y) const { return at(draw, y, cost_transport); }
    // The DSG balance at the end of year y (y >= 1): the opening balance plus income less high-needs
    // spend over the projected years to y. Negative is a deficit.
    double balance(long draw, int y) const;
};

// Gathers the spend of a projection's draws: add `stage()` to the projection's stages. Given a
// sufficiency collector (whose stage must come earlier in the list), spend follows the places
// allocated; without, the settings the projection simulated.
class SpendCollector {
public:
    SpendCollector(const CostModel& costs, const Dimensions& dims, const Taxonomy& taxonomy, std::uint64_t seed, long draws);
    DrawStageFactory stage(const SufficiencyCollector* places);
    const SpendResult& result() const { return result_; }

private:
    friend class SpendDraws;
    const CostModel& costs_;
    Dimensions dims_;
    std::vector<int> phase_of_age_;
    const PlacementPlan* plan_ = nullptr;
    std::uint64_t seed_;
    SpendResult result_;
};

}  // namespace sendplan
