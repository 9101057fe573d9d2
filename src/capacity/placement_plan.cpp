#include "capacity/placement_plan.h"

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "core/error.h"

namespace sendplan {

const char* place_kind_name(int kind) {
    static const char* names[] = {"own_place_group_in_borough", "other_place_group_in_borough", "out_of_borough_at_base_year",
                                  "out_of_borough_because_full", "independent_because_full", "waiting_for_a_place"};
    return names[kind];
}

namespace {

struct Builder {
    const Taxonomy& tax;
    const Dimensions& d;
    const ProvisionRegister& reg;
    const Assumptions::Capacity& cap;
    PlacementPlan& plan;
    std::vector<int> provision_slot;   // [provision] slot
    std::vector<int> elsewhere_slot;   // [setting] slot of its places elsewhere, or -1
    std::vector<int> at_base_slot;     // [setting] (limited) slot of its places elsewhere at the base census
    int waiting_slot = -1;

    int new_group(std::vector<std::int32_t> places) {
        plan.group_places.push_back(std::move(places));
        return static_cast<int>(plan.group_places.size()) - 1;
    }
    int add_slot(PlaceSlot slot) {
        plan.slots.push_back(std::move(slot));
        return static_cast<int>(plan.slots.size()) - 1;
    }
    const Assumptions::Capacity::Step& step_named(const std::string& name, const Assumptions::Capacity::Cascade& c) const {
        for (const auto& s : cap.steps)
            if (s.name == name) return s;
        throw InputError(c.file, c.line, "capacity.cascade." + c.setting, "unknown step '" + name + "' (not under capacity.steps)");
    }
    int setting_of_type(const Assumptions::Capacity::Step& step, const std::string& type) const {
        const auto s = tax.setting_of_provision_type(type);
        if (!s) throw InputError(step.file, step.line, "capacity.steps." + step.name + ".types", "unknown provision type '" + type + "'");
        return *s;
    }
    bool is_limited(int setting) const { return plan.limited_of_setting[static_cast<std::size_t>(setting)] >= 0; }
    std::string place_group(int setting) const { return tax.settings[static_cast<std::size_t>(setting)].place_group; }

    // Provisions of a step in the order they fill: the most specialised (fewest needs, then fewest
    // ages) first, then register order.
    std::vector<int> provisions_where(const std::function<bool(const Provision&)>& take) const {
        std::vector<int> out;
        for (std::size_t p = 0; p < reg.provisions.size(); ++p)
            if (take(reg.provisions[p])) out.push_back(static_cast<int>(p));
        auto needs = [&](int p) { return std::count(reg.provisions[static_cast<std::size_t>(p)].serves_need.begin(), reg.provisions[static_cast<std::size_t>(p)].serves_need.end(), true); };
        auto ages = [&](int p) { return reg.provisions[static_cast<std::size_t>(p)].last_age - reg.provisions[static_cast<std::size_t>(p)].first_age; };
        std::stable_sort(out.begin(), out.end(), [&](int a, int b) { return std::pair(needs(a), ages(a)) < std::pair(needs(b), ages(b)); });
        return out;
    }
};

}  // namespace

PlacementPlan build_placement_plan(const Taxonomy& tax, const Dimensions& d, const ProvisionRegister& reg,
                                   const Assumptions::Capacity& cap, const std::vector<std::int32_t>& base_stock, int base_year,
                                   int horizon) {
    PlacementPlan plan;
    plan.dims = d;
    plan.base_year = base_year;
    plan.horizon = horizon;
    const int A = d.ages, K = d.needs, S = d.settings, years = horizon + 1;
    plan.phases = static_cast<int>(tax.phases.size());
    for (int a = 0; a < A; ++a) plan.phase_of_age.push_back(tax.phase_of_age(tax.min_age + a));
    plan.limited_of_setting.assign(static_cast<std::size_t>(S), -1);
    for (int s = 0; s < S; ++s) {
        const Setting& setting = tax.settings[static_cast<std::size_t>(s)];
        if (!setting.capacity_limited) continue;
        plan.limited_of_setting[static_cast<std::size_t>(s)] = static_cast<int>(plan.limited.size());
        plan.limited.push_back(s);
        auto g = std::find(plan.place_groups.begin(), plan.place_groups.end(), setting.place_group);
        if (g == plan.place_groups.end()) g = plan.place_groups.insert(g, setting.place_group);
        plan.group_of_limited.push_back(static_cast<int>(g - plan.place_groups.begin()));
    }
    const int L = static_cast<int>(plan.limited.size());
    Builder b{tax, d, reg, cap, plan, {}, std::vector<int>(static_cast<std::size_t>(S), -1), std::vector<int>(static_cast<std::size_t>(S), -1)};

    // Slots: every provision of the register, places elsewhere for each setting a step can reach and
    // each limited setting, and the waiting list.
    for (std::size_t p = 0; p < reg.provisions.size(); ++p) {
        const Provision& pr = reg.provisions[p];
        std::vector<std::int32_t> places;
        for (int y = 0; y < years; ++y) places.push_back(pr.places_in(base_year + y));
        b.provision_slot.push_back(b.add_slot({pr.id, pr.name, static_cast<int>(p), pr.setting, b.new_group(places), pr.first_age, pr.last_age}));
    }
    auto ensure_elsewhere = [&](int s) {
        if (b.elsewhere_slot[static_cast<std::size_t>(s)] >= 0) return;
        const Setting& setting = tax.settings[static_cast<std::size_t>(s)];
        const int group = b.new_group(std::vector<std::int32_t>(static_cast<std::size_t>(years), PlacementPlan::unlimited));
        b.elsewhere_slot[static_cast<std::size_t>(s)] = b.add_slot({"elsewhere:" + setting.code, setting.label + ", elsewhere", -1, s, group, 0, A - 1});
        if (b.is_limited(s))
            b.at_base_slot[static_cast<std::size_t>(s)] =
                b.add_slot({"elsewhere_at_base:" + setting.code, setting.label + ", elsewhere at the base census", -1, s, group, 0, A - 1});
    };
    for (const auto& step : cap.steps)
        for (const auto& t : step.types) b.setting_of_type(step, t);  // every step's types are known, used or not
    for (const int s : plan.limited) ensure_elsewhere(s);
    for (const auto& step : cap.steps)
        if (step.borough != "in")
            for (const auto& t : step.types) ensure_elsewhere(b.setting_of_type(step, t));
    b.waiting_slot = b.add_slot({"waiting", "Waiting for a place", -1, -1, b.new_group(std::vector<std::int32_t>(static_cast<std::size_t>(years), PlacementPlan::unlimited)), 0, -1});

    // Each limited setting's cascade, checked against the taxonomy.
    std::vector<const Assumptions::Capacity::Cascade*> cascade_of(static_cast<std::size_t>(L), nullptr);
    for (const auto& c : cap.cascade) {
        const auto s = tax.setting_index(c.setting);
        if (!s) throw InputError(c.file, c.line, "capacity.cascade", "unknown setting '" + c.setting + "'");
        if (!b.is_limited(*s)) throw InputError(c.file, c.line, "capacity.cascade." + c.setting, "this setting has no capacity limit, so no cascade");
        cascade_of[static_cast<std::size_t>(plan.limited_of_setting[static_cast<std::size_t>(*s)])] = &c;
    }
    for (int l = 0; l < L; ++l)
        if (!cascade_of[static_cast<std::size_t>(l)])
            throw InputError(cap.cascade.empty() ? std::string("assumptions") : cap.cascade.front().file, 0,
                             "capacity.cascade." + tax.settings[static_cast<std::size_t>(plan.limited[static_cast<std::size_t>(l)])].code,
                             "every capacity-limited setting needs a cascade");

    // Step contents (global slots), per limited setting: own place group in the borough, the cascade, waiting.
    std::vector<std::vector<std::vector<int>>> step_slots(static_cast<std::size_t>(L));
    std::vector<std::vector<std::vector<int>>> base_step_slots(static_cast<std::size_t>(L));
    for (int l = 0; l < L; ++l) {
        const int s = plan.limited[static_cast<std::size_t>(l)];
        const std::string group = b.place_group(s);
        std::vector<int> own;
        for (int p : b.provisions_where([&](const Provision& pr) { return pr.in_borough && b.is_limited(pr.setting) && b.place_group(pr.setting) == group; }))
            own.push_back(b.provision_slot[static_cast<std::size_t>(p)]);
        auto& steps = step_slots[static_cast<std::size_t>(l)];
        auto& base_steps = base_step_slots[static_cast<std::size_t>(l)];
        steps.push_back(own);
        base_steps.push_back(own);
        const auto& c = *cascade_of[static_cast<std::size_t>(l)];
        for (const auto& name : c.steps) {
            const auto& step = b.step_named(name, c);
            std::set<int> settings_of_types;
            for (const auto& t : step.types) settings_of_types.insert(b.setting_of_type(step, t));
            std::vector<int> slots;
            for (int p : b.provisions_where([&](const Provision& pr) {
                     const bool borough = step.borough == "any" || (step.borough == "in") == pr.in_borough;
                     return borough && std::find(step.types.begin(), step.types.end(), pr.type) != step.types.end();
                 }))
                slots.push_back(b.provision_slot[static_cast<std::size_t>(p)]);
            if (step.borough == "in") base_steps.push_back(slots);
            else {
                // Places elsewhere, the child's own setting first.
                if (settings_of_types.count(s)) slots.push_back(b.elsewhere_slot[static_cast<std::size_t>(s)]);
                for (const int t : settings_of_types)
                    if (t != s) slots.push_back(b.elsewhere_slot[static_cast<std::size_t>(t)]);
            }
            steps.push_back(slots);
        }
        steps.push_back({b.waiting_slot});
        base_steps.push_back({b.at_base_slot[static_cast<std::size_t>(s)]});
    }

    // Local slot lists and kinds.
    plan.usable.resize(static_cast<std::size_t>(L));
    plan.kind.resize(static_cast<std::size_t>(L));
    plan.keeps.resize(static_cast<std::size_t>(L));
    for (int l = 0; l < L; ++l) {
        const int s = plan.limited[static_cast<std::size_t>(l)];
        auto& usable = plan.usable[static_cast<std::size_t>(l)];
        auto add = [&](int slot) {
            if (std::find(usable.begin(), usable.end(), slot) == usable.end()) usable.push_back(slot);
        };
        for (const auto& step : base_step_slots[static_cast<std::size_t>(l)])
            for (int slot : step) add(slot);
        for (const auto& step : step_slots[static_cast<std::size_t>(l)])
            for (int slot : step) add(slot);
        for (const int slot : usable) {
            const PlaceSlot& ps = plan.slots[static_cast<std::size_t>(slot)];
            PlaceKind k = place_waiting;
            if (slot == b.waiting_slot) k = place_waiting;
            else if (slot == b.at_base_slot[static_cast<std::size_t>(s)]) k = place_elsewhere_at_base;
            else {
                const bool in_borough = ps.provision >= 0 && reg.provisions[static_cast<std::size_t>(ps.provision)].in_borough;
                const bool limited = b.is_limited(ps.setting);
                if (!limited) k = place_independent;
                else if (!in_borough) k = place_out_of_borough;
                else k = b.place_group(ps.setting) == b.place_group(s) ? place_own_local : place_other_local;
            }
            plan.kind[static_cast<std::size_t>(l)].push_back(k);
            for (int a = 0; a < A; ++a)
                plan.keeps[static_cast<std::size_t>(l)].push_back(slot != b.waiting_slot && a >= ps.first_age && a <= ps.last_age);
        }
    }
    for (int l = 0; l < L; ++l) {
        plan.slot_count.push_back(static_cast<int>(plan.usable[static_cast<std::size_t>(l)].size()));
        plan.group_of.emplace_back();
        for (const int slot : plan.usable[static_cast<std::size_t>(l)]) plan.group_of.back().push_back(plan.slots[static_cast<std::size_t>(slot)].group);
        plan.occupancy_offset.push_back(plan.occupancy_size);
        plan.occupancy_size += static_cast<std::size_t>(A * K) * plan.usable[static_cast<std::size_t>(l)].size();
    }

    // Candidates by (l, step, age, need): the step's slots that take that need at that age.
    auto takes = [&](int slot, int a, int k) {
        const PlaceSlot& ps = plan.slots[static_cast<std::size_t>(slot)];
        if (ps.provision < 0) return true;
        return reg.provisions[static_cast<std::size_t>(ps.provision)].serves(k, a);
    };
    auto local_of = [&](int l, int slot) {
        const auto& u = plan.usable[static_cast<std::size_t>(l)];
        return static_cast<std::int32_t>(std::find(u.begin(), u.end(), slot) - u.begin());
    };
    auto build_candidates = [&](const std::vector<std::vector<std::vector<int>>>& steps_by_l, int steps, std::vector<std::int32_t>& start,
                                std::vector<std::int32_t>& cand) {
        start.assign(static_cast<std::size_t>(L * steps * A * K + 1), 0);
        cand.clear();
        for (int l = 0; l < L; ++l)
            for (int j = 0; j < steps; ++j)
                for (int a = 0; a < A; ++a)
                    for (int k = 0; k < K; ++k) {
                        const std::size_t idx = static_cast<std::size_t>(((l * steps + j) * A + a) * K + k);
                        start[idx] = static_cast<std::int32_t>(cand.size());
                        if (j < static_cast<int>(steps_by_l[static_cast<std::size_t>(l)].size()))
                            for (int slot : steps_by_l[static_cast<std::size_t>(l)][static_cast<std::size_t>(j)])
                                if (takes(slot, a, k)) cand.push_back(local_of(l, slot));
                    }
        start.back() = static_cast<std::int32_t>(cand.size());
    };
    for (const auto& steps : step_slots) plan.steps = std::max(plan.steps, static_cast<int>(steps.size()));
    build_candidates(step_slots, plan.steps, plan.candidate_start, plan.candidates);

    // Entrant order: the cells with the fewest provisions to choose from are placed first, so that a
    // provision taking several needs fills last with the children who could have gone nowhere else.
    std::vector<std::pair<int, std::int32_t>> order;
    for (int l = 0; l < L; ++l)
        for (int a = 0; a < A; ++a)
            for (int k = 0; k < K; ++k) {
                int choices = 0;
                for (int j = 0; j < plan.steps; ++j) {
                    const std::size_t idx = static_cast<std::size_t>(((l * plan.steps + j) * A + a) * K + k);
                    for (auto i = plan.candidate_start[idx]; i < plan.candidate_start[idx + 1]; ++i)
                        choices += plan.slots[static_cast<std::size_t>(plan.usable[static_cast<std::size_t>(l)][static_cast<std::size_t>(plan.candidates[static_cast<std::size_t>(i)])])].provision >= 0;
                }
                order.emplace_back(choices, (l * A + a) * K + k);
            }
    std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [choices, code] : order) plan.entrant_order.push_back(code);

    // The base census: its children are placed as entrants would be, but only in the borough, and
    // the rest are where they are, elsewhere; those places elsewhere are then held.
    {
        PlacementPlan base = plan;  // same slots, base-census steps
        for (const auto& places : base.group_places) base.places_by_year.push_back(places[0]);
        int base_steps = 0;
        for (const auto& steps : base_step_slots) base_steps = std::max(base_steps, static_cast<int>(steps.size()));
        base.steps = base_steps;
        build_candidates(base_step_slots, base_steps, base.candidate_start, base.candidates);
        std::vector<std::int32_t> entrants(static_cast<std::size_t>(L * A * K), 0);
        for (int l = 0; l < L; ++l)
            for (int a = 0; a < A; ++a)
                for (int k = 0; k < K; ++k)
                    entrants[static_cast<std::size_t>((l * A + a) * K + k)] = base_stock[static_cast<std::size_t>(d.cell(a, k, plan.limited[static_cast<std::size_t>(l)]))];
        plan.base_occupancy.assign(plan.occupancy_size, 0);
        std::vector<std::int32_t> used(plan.group_places.size(), 0);
        place_entrants(base, 0, entrants, plan.base_occupancy, used);
        if (!cap.places_elsewhere_unlimited)
            for (const int s : plan.limited) {
                const int group = plan.slots[static_cast<std::size_t>(b.at_base_slot[static_cast<std::size_t>(s)])].group;
                std::fill(plan.group_places[static_cast<std::size_t>(group)].begin(), plan.group_places[static_cast<std::size_t>(group)].end(),
                          used[static_cast<std::size_t>(group)]);
            }
    }

    for (int y = 0; y < years; ++y)
        for (const auto& places : plan.group_places) plan.places_by_year.push_back(places[static_cast<std::size_t>(y)]);

    // Places by place group, phase and need, for the table.
    const int G = static_cast<int>(plan.place_groups.size()), P = plan.phases;
    plan.places_by_group_phase_need.assign(static_cast<std::size_t>(years * G * P * K), 0.0);
    for (std::size_t p = 0; p < reg.provisions.size(); ++p) {
        const Provision& pr = reg.provisions[p];
        const int l = plan.limited_of_setting[static_cast<std::size_t>(pr.setting)];
        if (!pr.in_borough || l < 0) continue;
        const int g = plan.group_of_limited[static_cast<std::size_t>(l)];
        const int ages = pr.last_age - pr.first_age + 1;
        for (int a = pr.first_age; a <= pr.last_age; ++a) {
            std::vector<double> weight(static_cast<std::size_t>(K), 0.0);
            for (int k = 0; k < K; ++k) {
                if (!pr.serves_need[static_cast<std::size_t>(k)]) continue;
                for (int ll = 0; ll < L; ++ll)
                    if (plan.group_of_limited[static_cast<std::size_t>(ll)] == g)
                        weight[static_cast<std::size_t>(k)] += base_stock[static_cast<std::size_t>(d.cell(a, k, plan.limited[static_cast<std::size_t>(ll)]))];
            }
            double total = std::accumulate(weight.begin(), weight.end(), 0.0);
            if (total <= 0)
                for (int k = 0; k < K; ++k) weight[static_cast<std::size_t>(k)] = pr.serves_need[static_cast<std::size_t>(k)] ? 1.0 : 0.0;
            total = std::accumulate(weight.begin(), weight.end(), 0.0);
            if (total <= 0) continue;
            const int phase = plan.phase_of_age[static_cast<std::size_t>(a)];
            if (phase < 0) continue;
            for (int y = 0; y < years; ++y) {
                const double share = pr.places_in(base_year + y) / static_cast<double>(ages) / total;
                for (int k = 0; k < K; ++k)
                    plan.places_by_group_phase_need[static_cast<std::size_t>(((y * G + g) * P + phase) * K + k)] += share * weight[static_cast<std::size_t>(k)];
            }
        }
    }
    return plan;
}

void place_entrants(const PlacementPlan& plan, int year_index, std::vector<std::int32_t>& entrants, std::vector<std::int32_t>& occupancy,
                    std::vector<std::int32_t>& used, std::uint64_t* masks, std::size_t words) {
    const int A = plan.dims.ages, K = plan.dims.needs;
    // The cells with entrants, in the plan's order (a per-thread list, reused from year to year).
    const std::int32_t* places = &plan.places_by_year[static_cast<std::size_t>(year_index) * plan.group_places.size()];
    thread_local std::vector<std::int32_t> pending;
    pending.clear();
    for (const std::int32_t code : plan.entrant_order)
        if (entrants[static_cast<std::size_t>(code)] > 0) pending.push_back(code);
    for (int j = 0; j < plan.steps && !pending.empty(); ++j) {
        for (const std::int32_t code : pending) {
            std::int32_t& left = entrants[static_cast<std::size_t>(code)];
            if (left == 0) continue;
            const int l = code / (A * K), a = (code / K) % A, k = code % K;
            const std::size_t idx = static_cast<std::size_t>(((l * plan.steps + j) * A + a) * K + k);
            const int* group_of = plan.group_of[static_cast<std::size_t>(l)].data();
            for (auto i = plan.candidate_start[idx]; i < plan.candidate_start[idx + 1] && left > 0; ++i) {
                const int x = plan.candidates[static_cast<std::size_t>(i)];
                const std::size_t group = static_cast<std::size_t>(group_of[x]);
                const std::int32_t free = places[group] - used[group];
                if (free <= 0) continue;
                const std::int32_t take = std::min(free, left);
                occupancy[plan.occupancy_index(l, a, k, x)] += take;
                if (masks) masks[static_cast<std::size_t>(code) * words + static_cast<std::size_t>(x / 64)] |= std::uint64_t{1} << (x % 64);
                used[group] += take;
                left -= take;
            }
        }
    }
}

}  // namespace sendplan
