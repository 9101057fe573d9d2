#pragma once
// The fixed structure of place allocation, built once per run: which places exist (the register's
// provisions, the places elsewhere of each setting, and the waiting list), which a child of a given
// setting, age and need may take at each step of her cascade, how many there are each year, and
// where the base census's children are placed. model/METHOD.md, section 13.
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "core/assumptions.h"
#include "core/index_array.h"
#include "core/taxonomy.h"
#include "io/provision_register.h"
#include "model/dimensions.h"
#include "model/interventions.h"

namespace sendplan {

// How a child's place relates to what she needed, from the point of view of her own setting.
enum PlaceKind : std::uint8_t {
    place_own_local,            // a provision of her own place group in the borough
    place_other_local,          // another capacity-limited provision in the borough
    place_elsewhere_at_base,    // out of the borough at the base census (taken as already so)
    place_out_of_borough,       // out of the borough, because local places were full
    place_independent,          // independent or non-maintained special, because local places were full
    place_waiting,              // no place the cascade offers: waiting for one
    place_kinds
};
const char* place_kind_name(int kind);

struct PlaceSlot {
    std::string id, label;
    int provision = -1;        // index in the register, or -1 (places elsewhere, waiting)
    int setting = -1;          // the setting whose places these are; -1 for a place group's places elsewhere, and waiting
    int place_group = -1;      // the place group whose places these are, if any
    int pool = 0;              // slots in the same pool share its places
    int first_age = 0, last_age = 0;   // age indices a pupil may stay in it at
};

struct PlacementPlan {
    static constexpr std::int32_t unlimited = INT32_MAX / 4;

    Dimensions dims;
    int base_year = 0, horizon = 0;
    // Capacity-limited settings sharing a place_group (settings.yaml) share places: a child is
    // allocated as a child of her place group g, whichever of its settings she is in.
    std::vector<std::string> place_groups;
    std::vector<std::vector<int>> settings_of_group;  // [g] setting indices
    std::vector<int> group_of_setting;                // [setting] g, or -1 without a capacity limit
    std::vector<int> setting_family;                  // [setting] for the simulation: moves within a family keep a place

    std::vector<PlaceSlot> slots;
    std::vector<std::vector<std::int32_t>> pool_places;  // [pool][year index]
    std::vector<std::int32_t> places_by_year;            // the same, [year index][pool]

    // Per place group, the slots its children can hold, in a local order (x).
    std::vector<std::vector<int>> usable;          // [g][x] global slot
    std::vector<std::vector<std::uint8_t>> kind;   // [g][x] PlaceKind
    std::vector<std::vector<std::uint8_t>> keeps;  // [g][x * ages + age] a pupil may stay at this age
    std::vector<std::vector<int>> pool_of;         // [g][x] the slot's pool
    std::vector<int> slot_count;                   // [g] usable[g].size()
    std::vector<std::size_t> occupancy_offset;     // [g] start of g's block in an occupancy array
    std::size_t occupancy_size = 0;
    std::size_t occupancy_index(int g, int age, int need, int x) const {
        return occupancy_offset[static_cast<std::size_t>(g)] +
               static_cast<std::size_t>((age * dims.needs + need) * slot_count[static_cast<std::size_t>(g)] + x);
    }
    int groups() const { return static_cast<int>(place_groups.size()); }
    // An entrant cell (place group, age, need) as a code, need fastest: entrants, the entrant order,
    // the candidates and the allocator's rows are laid out by it.
    std::int32_t entrant_cell(int g, int age, int need) const { return (g * dims.ages + age) * dims.needs + need; }
    int entrant_cells() const { return groups() * dims.ages * dims.needs; }
    // A cell's code taken apart once, not by division in
    // every loop, and where its slots start in an occupancy array.
    struct CellOfCode {
        std::int16_t group, age, need;
    };
    std::vector<CellOfCode> cell_of_code;
    std::vector<std::size_t> occupancy_row;  // [code] occupancy_index(g, age, need, 0)

    // Candidate slots (local x) for an entrant of place group g at (age, need), step by step: step 0
    // is her place group's provisions in the borough, then its cascade, then waiting. A scenario
    // may change a cascade from a year, so there is one set of candidates for each cascade in force.
    int steps = 0;                                  // the most steps of any place group, in any year
    struct Candidates {
        std::vector<std::int32_t> start;            // [candidate_row(...)], and one past the last
        std::vector<std::int32_t> slots;            // local slot indices
    };
    std::vector<Candidates> candidates;             // [cascades in force, in order of the year they start]
    // Where the candidates of an entrant cell of place group g at a step start: each group's steps
    // one after another, a block of every entrant cell each.
    std::size_t candidate_row(std::int32_t entrant_cell_code, int g, int step) const {
        return static_cast<std::size_t>(entrant_cell_code) + static_cast<std::size_t>(g * (steps - 1) + step) * static_cast<std::size_t>(dims.ages * dims.needs);
    }
    std::vector<int> candidates_of_year;            // [year index] which of them
    // Entrant cells (g, age, need) in the order they are placed each year: the fewest open candidate
    // provisions first.
    std::vector<std::int32_t> entrant_order;        // [year][rank] entrant_cell

    std::vector<std::int32_t> base_stock;           // the base census, by model cell
    std::vector<std::int32_t> base_occupancy;       // where the base census's children are
    // Places by place group, phase and need at each year, for the table: each provision's places
    // shared evenly over the ages it takes and over its needs as the base census's children are.
    IndexArray<double, dim::Year, dim::Group, dim::Phase, dim::Need> places_by_group_phase_need;

    int phases = 0;
    std::vector<int> phase_of_age;                  // [age index]
};

// Builds the plan, with the cascades `interventions` change from a year (resolved there). Refuses,
// with file, line and field, a cascade for an unknown place group or a missing one, an unknown step
// or provision type.
PlacementPlan build_placement_plan(const Taxonomy& taxonomy, const Dimensions& dims, const ProvisionRegister& reg,
                                   const Assumptions::Capacity& capacity, const Interventions& interventions,
                                   const std::vector<std::int32_t>& base_stock, int base_year, int horizon);

// Places entrants into free places, step by step of each cascade, in the plan's order. `occupancy`
// and `used` (per pool) are updated; `entrants` (per g, age, need) is emptied. Where
// `masks` is given (`words` per cell), the bit of every slot placed into is set.
void place_entrants(const PlacementPlan& plan, int year_index, std::vector<std::int32_t>& entrants,
                    std::vector<std::int32_t>& occupancy, std::vector<std::int32_t>& used, std::uint64_t* masks = nullptr,
                    std::size_t words = 0);

}  // namespace sendplan
