#include "capacity/allocator.h"

#include <algorithm>
#include <stdexcept>

namespace sendplan {

namespace {
// Uniform on 0..m-1 from the high 32 bits (m is a cell's pupils: far below 2^32, so the bias is nil).
std::int32_t uniform_below(Stream& s, std::int32_t m) {
    return static_cast<std::int32_t>(((s() >> 32) * static_cast<std::uint64_t>(m)) >> 32);
}
}  // namespace

// One (age, need) row of the last census, and the need changes recorded from it.
struct Allocator::Row {
    int age, need;
    int start;                             // its model cell in setting 0
    std::size_t first_change, end_change;  // its range of flows.stayed_with_new_need
};

// Most cells hold pupils in one to three of the dozens of slots their place group may use, so each
// cell carries a bit mask of the slots that may be non-zero and every loop over slots follows it.
Allocator::Allocator(const PlacementPlan& plan)
    : plan_(plan),
      occupancy_(plan.occupancy_size, 0),
      next_(plan.occupancy_size, 0),
      rows_(static_cast<std::size_t>(plan.groups() * plan.dims.ages * plan.dims.needs), 0),
      previous_(plan.base_stock.size(), 0),
      kept_rows_(rows_.size(), 0),
      entrants_(rows_.size(), 0),
      used_(plan.pool_places.size(), 0),
      next_used_(plan.pool_places.size(), 0),
      next_touched_flag_(rows_.size(), 0) {
    std::size_t widest = 0;
    for (const auto& u : plan.usable) widest = std::max(widest, u.size());
    kept_.assign(widest, 0);
    held_slots_.assign(widest, 0);
    for (int g = 0; g < plan.groups(); ++g) {
        keeps_.push_back(plan.keeps[static_cast<std::size_t>(g)].data());
        pool_of_.push_back(plan.pool_of[static_cast<std::size_t>(g)].data());
    }
    words_ = std::max<std::size_t>(1, (widest + 63) / 64);
    mask_.assign(rows_.size() * words_, 0);
    next_mask_.assign(rows_.size() * words_, 0);
    base_mask_.assign(rows_.size() * words_, 0);
    base_rows_.assign(rows_.size(), 0);
    base_used_.assign(used_.size(), 0);
    base_previous_.assign(plan.base_stock.size(), 0);
    for (int g = 0; g < plan.groups(); ++g) hold_base_census(g);
}

// The base census of place group g: its demand, and the places its pupils hold.
void Allocator::hold_base_census(int g) {
    const int A = plan_.dims.ages, K = plan_.dims.needs;
    for (const int s : plan_.settings_of_group[static_cast<std::size_t>(g)])
        for (int a = 0; a < A; ++a)
            for (int k = 0; k < K; ++k) {
                const std::size_t c = static_cast<std::size_t>(plan_.dims.cell(a, k, s));
                base_previous_[c] = plan_.base_stock[c];
            }
    for (int a = 0; a < A; ++a)
        for (int k = 0; k < K; ++k) {
            const std::int32_t code = plan_.entrant_cell(g, a, k);
            hold_base_cell(g, a, k);
            if (base_rows_[static_cast<std::size_t>(code)]) base_touched_.push_back(code);
        }
}

void Allocator::hold_base_cell(int g, int a, int k) {
    const std::int32_t code = plan_.entrant_cell(g, a, k);
    for (int x = 0; x < plan_.slot_count[static_cast<std::size_t>(g)]; ++x) {
        const std::int32_t v = plan_.base_occupancy[plan_.occupancy_index(g, a, k, x)];
        if (!v) continue;
        base_mask_[static_cast<std::size_t>(code) * words_ + static_cast<std::size_t>(x / 64)] |= std::uint64_t{1} << (x % 64);
        base_rows_[static_cast<std::size_t>(code)] += v;
        base_used_[static_cast<std::size_t>(pool_of_[static_cast<std::size_t>(g)][x])] += v;
    }
}

void Allocator::start() {
    // Clear what the last draw left, then copy the base census's places.
    for (const std::int32_t code : touched_) {
        for_each_slot(code, [&](int x, std::int32_t) { occupancy_[plan_.occupancy_row[static_cast<std::size_t>(code)] + static_cast<std::size_t>(x)] = 0; });
        std::fill_n(&mask_[static_cast<std::size_t>(code) * words_], words_, 0);
    }
    touched_ = base_touched_;
    std::copy(base_rows_.begin(), base_rows_.end(), rows_.begin());
    std::copy(base_used_.begin(), base_used_.end(), used_.begin());
    std::copy(base_previous_.begin(), base_previous_.end(), previous_.begin());
    for (const std::int32_t code : touched_) {
        std::copy_n(&base_mask_[static_cast<std::size_t>(code) * words_], words_, &mask_[static_cast<std::size_t>(code) * words_]);
        for_each_slot(code, [&](int x, std::int32_t) {
            const std::size_t i = plan_.occupancy_row[static_cast<std::size_t>(code)] + static_cast<std::size_t>(x);
            occupancy_[i] = plan_.base_occupancy[i];
        });
    }
}

void Allocator::touch(std::int32_t code) {
    if (next_touched_flag_[static_cast<std::size_t>(code)]) return;
    next_touched_flag_[static_cast<std::size_t>(code)] = 1;
    next_touched_.push_back(code);
}

void Allocator::step(int y, const Stock& stock, const YearFlows& flows, Stream& stream) {
    clear_older_places();
    keep_places(flows, stream);
    evict_above_places(y);
    count_entrants(stock);
    place_entrants(plan_, y, entrants_, next_, next_used_, next_mask_.data(), words_);
    std::swap(occupancy_, next_);
    std::swap(mask_, next_mask_);
    std::swap(used_, next_used_);
    std::swap(touched_, next_touched_);
    // next_touched_ now lists the cells of the older buffer, cleared on the next step.
    for (const std::int32_t code : touched_) next_touched_flag_[static_cast<std::size_t>(code)] = 0;
}

// The buffer being filled last held the places two years ago: clear the cells it used.
void Allocator::clear_older_places() {
    for (const std::int32_t code : next_touched_) {
        std::int32_t* row = &next_[plan_.occupancy_row[static_cast<std::size_t>(code)]];
        std::uint64_t* words = &next_mask_[static_cast<std::size_t>(code) * words_];
        for (std::size_t w = 0; w < words_; ++w) {
            for (std::uint64_t bits = words[w]; bits; bits &= bits - 1) row[w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))] = 0;
            words[w] = 0;
        }
    }
    next_touched_.clear();
    std::fill(kept_rows_.begin(), kept_rows_.end(), 0);
    std::fill(next_used_.begin(), next_used_.end(), 0);
}

// Rows (age, need) are visited in increasing order, the order in which need changes were recorded.
void Allocator::keep_places(const YearFlows& flows, Stream& stream) {
    const Dimensions& d = plan_.dims;
    const int A = d.ages, K = d.needs, S = d.settings, G = plan_.groups();
    const std::vector<StayedWithNewNeed>& changes = *flows.stayed_with_new_need;
    std::size_t ci = 0;
    for (int a = 0; a + 1 < A; ++a)
        for (int k = 0; k < K; ++k) {
            const int row_start = d.cell(a, k, 0);
            while (ci < changes.size() && changes[ci].from_cell < row_start) ++ci;
            std::size_t row_end = ci;
            while (row_end < changes.size() && changes[row_end].from_cell < row_start + S) ++row_end;
            const Row row{a, k, row_start, ci, row_end};
            for (int g = 0; g < G; ++g) keep_cell_places(g, row, flows, stream);
            ci = row_end;
        }
}

// The helpers below run for every pupil of every draw and year, so they are inline.
inline std::int32_t Allocator::stayed_in_group(int g, const Row& row, const YearFlows& flows) const {
    std::int32_t stayed = 0;
    for (const int s : plan_.settings_of_group[static_cast<std::size_t>(g)])
        if (previous_[static_cast<std::size_t>(row.start + s)] > 0) stayed += flows.stayed_in_family[row.start + s];
    return stayed;
}

// The cell's pupils by slot, in slot order, into held_slots_ and kept_; returns how many slots.
inline int Allocator::hold_cell(std::int32_t code) {
    int slots = 0;
    for_each_slot(code, [&](int x, std::int32_t v) {
        if (v) {
            held_slots_[static_cast<std::size_t>(slots++)] = x;
            kept_[static_cast<std::size_t>(x)] = v;
        }
    });
    return slots;
}

// The slot of one of the `remaining` pupils held (one draw from `stream`, unless they share one slot).
inline int Allocator::draw_slot(int slots, std::int32_t& remaining, Stream& stream) {
    if (slots == 1) {
        --remaining;
        --kept_[static_cast<std::size_t>(held_slots_[0])];
        return held_slots_[0];
    }
    std::int32_t r = uniform_below(stream, remaining--);
    std::size_t i = 0;
    while (r >= kept_[static_cast<std::size_t>(held_slots_[i])]) r -= kept_[static_cast<std::size_t>(held_slots_[i++])];
    const int x = held_slots_[i];
    --kept_[static_cast<std::size_t>(x)];
    return x;
}

// `count` pupils keep slot x into (age, need) of place group g, where it takes that age.
inline void Allocator::keep(int g, int age, int need, int x, std::int32_t count) {
    const int A = plan_.dims.ages;
    if (!keeps_[static_cast<std::size_t>(g)][x * A + age]) return;  // the provision does not take this age
    const std::int32_t code = (g * A + age) * plan_.dims.needs + need;
    next_[plan_.occupancy_row[static_cast<std::size_t>(code)] + static_cast<std::size_t>(x)] += count;
    next_mask_[static_cast<std::size_t>(code) * words_ + static_cast<std::size_t>(x / 64)] |= std::uint64_t{1} << (x % 64);
    kept_rows_[static_cast<std::size_t>(code)] += count;
    next_used_[static_cast<std::size_t>(pool_of_[static_cast<std::size_t>(g)][x])] += count;
    touch(code);
}

// The pupils of place group g in one row who stayed in their setting keep their places a year older.
void Allocator::keep_cell_places(int g, const Row& row, const YearFlows& flows, Stream& stream) {
    const std::int32_t code = (g * plan_.dims.ages + row.age) * plan_.dims.needs + row.need;
    const std::int32_t n = rows_[static_cast<std::size_t>(code)];
    if (n == 0) return;
    const std::int32_t stayed = stayed_in_group(g, row, flows);
    if (stayed > n) throw std::logic_error("more pupils stayed in a place group than it held");
    const int slots = hold_cell(code);
    // Pupils of a cell are alike, so which ones left (or changed need) is a draw without
    // replacement from its places.
    std::int32_t remaining = n;
    for (std::int32_t i = stayed; i < n; ++i) draw_slot(slots, remaining, stream);
    const std::vector<StayedWithNewNeed>& changes = *flows.stayed_with_new_need;
    for (std::size_t c = row.first_change; c < row.end_change; ++c)
        if (plan_.group_of_setting[static_cast<std::size_t>(changes[c].from_cell - row.start)] == g)
            keep(g, row.age + 1, changes[c].to_need, draw_slot(slots, remaining, stream), 1);
    for (int i = 0; i < slots; ++i) {
        const int x = held_slots_[static_cast<std::size_t>(i)];
        if (kept_[static_cast<std::size_t>(x)]) keep(g, row.age + 1, row.need, x, kept_[static_cast<std::size_t>(x)]);
        kept_[static_cast<std::size_t>(x)] = 0;
    }
}

// Everyone else in a capacity-limited setting needs a place.
void Allocator::count_entrants(const Stock& stock) {
    const int A = plan_.dims.ages, K = plan_.dims.needs, G = plan_.groups();
    for (int g = 0; g < G; ++g)
        for (int a = 0; a < A; ++a)
            for (int k = 0; k < K; ++k) count_cell_entrants(g, a, k, stock);
}

void Allocator::count_cell_entrants(int g, int a, int k, const Stock& stock) {
    const auto& settings = plan_.settings_of_group[static_cast<std::size_t>(g)];
    const std::size_t code = static_cast<std::size_t>(plan_.entrant_cell(g, a, k));
    const std::size_t row_start = static_cast<std::size_t>(plan_.dims.cell(a, k, 0));
    std::int32_t demand = 0;
    for (const int s : settings) demand += stock[row_start + static_cast<std::size_t>(s)];
    if (demand == 0 && rows_[code] == 0) return;  // empty now and before: nothing to update
    for (const int s : settings) previous_[row_start + static_cast<std::size_t>(s)] = stock[row_start + static_cast<std::size_t>(s)];
    const std::int32_t entrants = demand - kept_rows_[code];
    if (entrants < 0) throw std::logic_error("more pupils kept their place than the place group holds");
    entrants_[code] = entrants;
    rows_[code] = demand;
    if (entrants) touch(static_cast<std::int32_t>(code));
}

// A provision whose places fall below its pupils (it shrinks or closes) keeps its oldest pupils;
// the youngest look for places with the entrants.
void Allocator::evict_above_places(int y) {
    const int A = plan_.dims.ages, K = plan_.dims.needs, G = plan_.groups();
    const std::int32_t* places = &plan_.places_by_year[static_cast<std::size_t>(y) * plan_.pool_places.size()];
    for (std::size_t pool = 0; pool < next_used_.size(); ++pool) {
        std::int32_t excess = next_used_[pool] - places[pool];
        for (int a = 0; a < A && excess > 0; ++a)
            for (int k = 0; k < K && excess > 0; ++k)
                for (int g = 0; g < G && excess > 0; ++g)
                    for (int x = 0; x < plan_.slot_count[static_cast<std::size_t>(g)] && excess > 0; ++x) {
                        if (static_cast<std::size_t>(pool_of_[static_cast<std::size_t>(g)][x]) != pool) continue;
                        std::int32_t& held = next_[plan_.occupancy_index(g, a, k, x)];
                        const std::int32_t out = std::min(held, excess);
                        held -= out;
                        kept_rows_[static_cast<std::size_t>(plan_.entrant_cell(g, a, k))] -= out;
                        next_used_[pool] -= out;
                        excess -= out;
                    }
    }
}

}  // namespace sendplan
