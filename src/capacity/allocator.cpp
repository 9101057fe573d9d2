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

// Most cells hold pupils in one to three of the dozens of slots their setting may use, so each cell
// carries a bit mask of the slots that may be non-zero and every loop over slots follows it.
Allocator::Allocator(const PlacementPlan& plan)
    : plan_(plan),
      occupancy_(plan.occupancy_size, 0),
      next_(plan.occupancy_size, 0),
      rows_(plan.limited.size() * static_cast<std::size_t>(plan.dims.ages * plan.dims.needs), 0),
      kept_rows_(rows_.size(), 0),
      entrants_(rows_.size(), 0),
      used_(plan.group_places.size(), 0),
      next_used_(plan.group_places.size(), 0),
      next_touched_flag_(rows_.size(), 0) {
    std::size_t widest = 0;
    for (const auto& u : plan.usable) widest = std::max(widest, u.size());
    kept_.assign(widest, 0);
    held_slots_.assign(widest, 0);
    // Per setting, the tables the inner loop reads, looked up once.
    for (std::size_t l = 0; l < plan.limited.size(); ++l) {
        keeps_.push_back(plan.keeps[l].data());
        group_of_.push_back(plan.group_of[l].data());
    }
    words_ = std::max<std::size_t>(1, (widest + 63) / 64);
    mask_.assign(rows_.size() * words_, 0);
    next_mask_.assign(rows_.size() * words_, 0);
    base_mask_.assign(rows_.size() * words_, 0);
    base_rows_.assign(rows_.size(), 0);
    base_used_.assign(used_.size(), 0);
    const int A = plan.dims.ages, K = plan.dims.needs, L = static_cast<int>(plan.limited.size());
    for (int l = 0; l < L; ++l) {
        const auto& usable = plan.usable[static_cast<std::size_t>(l)];
        for (int a = 0; a < A; ++a)
            for (int k = 0; k < K; ++k) {
                const std::int32_t code = (l * A + a) * K + k;
                for (std::size_t x = 0; x < usable.size(); ++x) {
                    const std::int32_t v = plan.base_occupancy[plan.occupancy_index(l, a, k, static_cast<int>(x))];
                    if (!v) continue;
                    base_mask_[static_cast<std::size_t>(code) * words_ + x / 64] |= std::uint64_t{1} << (x % 64);
                    base_rows_[static_cast<std::size_t>(code)] += v;
                    base_used_[static_cast<std::size_t>(plan.slots[static_cast<std::size_t>(usable[x])].group)] += v;
                }
                if (base_rows_[static_cast<std::size_t>(code)]) base_touched_.push_back(code);
            }
    }
}

void Allocator::start() {
    // Clear what the last draw left, then copy the base census's places.
    for (const std::int32_t code : touched_) {
        for_each_slot(code, [&](int x, std::int32_t) {
            const int K = plan_.dims.needs, A = plan_.dims.ages;
            occupancy_[plan_.occupancy_index(code / (A * K), (code / K) % A, code % K, x)] = 0;
        });
        std::fill_n(&mask_[static_cast<std::size_t>(code) * words_], words_, 0);
    }
    touched_ = base_touched_;
    std::copy(base_rows_.begin(), base_rows_.end(), rows_.begin());
    std::copy(base_used_.begin(), base_used_.end(), used_.begin());
    for (const std::int32_t code : touched_) {
        std::copy_n(&base_mask_[static_cast<std::size_t>(code) * words_], words_, &mask_[static_cast<std::size_t>(code) * words_]);
        for_each_slot(code, [&](int x, std::int32_t) {
            const int K = plan_.dims.needs, A = plan_.dims.ages;
            const std::size_t i = plan_.occupancy_index(code / (A * K), (code / K) % A, code % K, x);
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
    const Dimensions& d = plan_.dims;
    const int A = d.ages, K = d.needs, L = static_cast<int>(plan_.limited.size());
    // The buffer being filled last held the places two years ago: clear the cells it used.
    for (const std::int32_t code : next_touched_) {
        const int l = code / (A * K), a = (code / K) % A, k = code % K;
        std::int32_t* row = &next_[plan_.occupancy_index(l, a, k, 0)];
        std::uint64_t* words = &next_mask_[static_cast<std::size_t>(code) * words_];
        for (std::size_t w = 0; w < words_; ++w) {
            for (std::uint64_t bits = words[w]; bits; bits &= bits - 1) row[w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))] = 0;
            words[w] = 0;
        }
    }
    next_touched_.clear();
    std::fill(kept_rows_.begin(), kept_rows_.end(), 0);
    std::fill(next_used_.begin(), next_used_.end(), 0);

    const std::uint8_t* const* keeps = keeps_.data();
    const int* const* group_of = group_of_.data();
    auto keep = [&](int l, int age, int need, int x, std::int32_t count) {
        if (!keeps[l][x * A + age]) return;  // the provision does not take this age
        const std::int32_t code = (l * A + age) * K + need;
        next_[plan_.occupancy_index(l, age, need, x)] += count;
        next_mask_[static_cast<std::size_t>(code) * words_ + static_cast<std::size_t>(x / 64)] |= std::uint64_t{1} << (x % 64);
        kept_rows_[static_cast<std::size_t>(code)] += count;
        next_used_[static_cast<std::size_t>(group_of[l][x])] += count;
        touch(code);
    };
    // Cells are visited in increasing cell order, the order in which the record of need changes was written.
    const std::vector<StayedWithNewNeed>& changes = *flows.stayed_with_new_need;
    std::size_t ci = 0;
    int* held_slots = held_slots_.data();
    for (int a = 0; a + 1 < A; ++a)
        for (int k = 0; k < K; ++k)
            for (int l = 0; l < L; ++l) {
                const int cell = d.cell(a, k, plan_.limited[static_cast<std::size_t>(l)]);
                while (ci < changes.size() && changes[ci].from_cell < cell) ++ci;
                const std::int32_t code = (l * A + a) * K + k;
                const std::int32_t n = rows_[static_cast<std::size_t>(code)];
                if (n == 0) continue;
                std::size_t cj = ci;
                while (cj < changes.size() && changes[cj].from_cell == cell) ++cj;
                // The cell's pupils by slot, in slot order.
                int slots = 0;
                for_each_slot(code, [&](int x, std::int32_t v) {
                    if (v) {
                        held_slots[slots++] = x;
                        kept_[static_cast<std::size_t>(x)] = v;
                    }
                });
                // Pupils of a cell are alike, so which ones left (or changed need) is a draw without
                // replacement from its places.
                std::int32_t remaining = n;
                auto take_one = [&]() {
                    std::int32_t r = uniform_below(stream, remaining--);
                    int i = 0;
                    while (r >= kept_[static_cast<std::size_t>(held_slots[i])]) r -= kept_[static_cast<std::size_t>(held_slots[i++])];
                    const int x = held_slots[i];
                    --kept_[static_cast<std::size_t>(x)];
                    return x;
                };
                const std::int32_t stayed = flows.stayed_in_setting[cell];
                if (stayed > n) throw std::logic_error("more pupils stayed in a setting than it held");
                if (slots == 1) {
                    // One place for the whole cell: no need to draw who left.
                    const int x = held_slots[0];
                    const std::int32_t changers = static_cast<std::int32_t>(cj - ci);
                    for (std::size_t c = ci; c < cj; ++c) keep(l, a + 1, changes[c].to_need, x, 1);
                    if (stayed - changers > 0) keep(l, a + 1, k, x, stayed - changers);
                    kept_[static_cast<std::size_t>(x)] = 0;
                } else {
                    for (std::int32_t i = stayed; i < n; ++i) take_one();
                    for (std::size_t c = ci; c < cj; ++c) keep(l, a + 1, changes[c].to_need, take_one(), 1);
                    for (int i = 0; i < slots; ++i) {
                        const int x = held_slots[i];
                        if (kept_[static_cast<std::size_t>(x)]) keep(l, a + 1, k, x, kept_[static_cast<std::size_t>(x)]);
                        kept_[static_cast<std::size_t>(x)] = 0;
                    }
                }
                ci = cj;
            }
    evict_above_places(y);

    // Everyone else in a capacity-limited setting needs a place.
    for (int l = 0; l < L; ++l)
        for (int a = 0; a < A; ++a)
            for (int k = 0; k < K; ++k) {
                const std::size_t code = static_cast<std::size_t>((l * A + a) * K + k);
                const std::int32_t demand = stock[static_cast<std::size_t>(d.cell(a, k, plan_.limited[static_cast<std::size_t>(l)]))];
                const std::int32_t entrants = demand - kept_rows_[code];
                if (entrants < 0) throw std::logic_error("more pupils kept their place than the setting holds");
                entrants_[code] = entrants;
                rows_[code] = demand;
                if (entrants) touch(static_cast<std::int32_t>(code));
            }
    place_entrants(plan_, y, entrants_, next_, next_used_, next_mask_.data(), words_);
    std::swap(occupancy_, next_);
    std::swap(mask_, next_mask_);
    std::swap(used_, next_used_);
    std::swap(touched_, next_touched_);
    // next_touched_ now lists the cells of the older buffer, cleared on the next step.
    for (const std::int32_t code : touched_) next_touched_flag_[static_cast<std::size_t>(code)] = 0;
}

// A provision whose places fall below its pupils (it shrinks or closes) keeps its oldest pupils;
// the youngest look for places with the entrants.
void Allocator::evict_above_places(int y) {
    const int A = plan_.dims.ages, K = plan_.dims.needs, L = static_cast<int>(plan_.limited.size());
    for (std::size_t g = 0; g < next_used_.size(); ++g) {
        std::int32_t excess = next_used_[g] - plan_.group_places[g][static_cast<std::size_t>(y)];
        for (int a = 0; a < A && excess > 0; ++a)
            for (int k = 0; k < K && excess > 0; ++k)
                for (int l = 0; l < L && excess > 0; ++l) {
                    const auto& usable = plan_.usable[static_cast<std::size_t>(l)];
                    for (std::size_t x = 0; x < usable.size() && excess > 0; ++x) {
                        if (static_cast<std::size_t>(plan_.slots[static_cast<std::size_t>(usable[x])].group) != g) continue;
                        std::int32_t& held = next_[plan_.occupancy_index(l, a, k, static_cast<int>(x))];
                        const std::int32_t out = std::min(held, excess);
                        held -= out;
                        kept_rows_[static_cast<std::size_t>((l * A + a) * K + k)] -= out;
                        next_used_[g] -= out;
                        excess -= out;
                    }
                }
    }
}

}  // namespace sendplan
