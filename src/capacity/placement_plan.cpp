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

using Step = Assumptions::Capacity::Step;
using Cascade = Assumptions::Capacity::Cascade;
using StepSlots = std::vector<std::vector<int>>;  // [step] global slots

// Capacity-limited settings sharing a place group share its places; a setting without a limit is a
// family of its own.
void group_settings(PlacementPlan& plan, const Taxonomy& tax) {
    const int S = plan.dims.settings;
    plan.group_of_setting.assign(static_cast<std::size_t>(S), -1);
    for (int s = 0; s < S; ++s) {
        const Setting& setting = tax.settings[static_cast<std::size_t>(s)];
        if (!setting.capacity_limited) continue;
        auto g = std::find(plan.place_groups.begin(), plan.place_groups.end(), setting.place_group);
        if (g == plan.place_groups.end()) {
            g = plan.place_groups.insert(g, setting.place_group);
            plan.settings_of_group.emplace_back();
        }
        const int gi = static_cast<int>(g - plan.place_groups.begin());
        plan.group_of_setting[static_cast<std::size_t>(s)] = gi;
        plan.settings_of_group[static_cast<std::size_t>(gi)].push_back(s);
    }
    const int G = plan.groups();
    for (int s = 0; s < S; ++s) {
        const int g = plan.group_of_setting[static_cast<std::size_t>(s)];
        plan.setting_family.push_back(g >= 0 ? g : G + s);
    }
}

struct Builder {
    const Taxonomy& tax;
    const ProvisionRegister& reg;
    const Assumptions::Capacity& cap;
    const Interventions& changes;  // the scenario's changes of cascades from a year
    PlacementPlan& plan;
    const int A, K, G, years;
    std::vector<int> provision_slot;    // [provision] slot
    std::vector<int> elsewhere_slot;    // [setting] (without a limit) its places elsewhere, or -1
    std::vector<int> group_elsewhere;   // [g] the place group's places elsewhere
    std::vector<int> group_at_base;     // [g] the same, held since the base census
    int waiting_slot = -1;

    Builder(const Taxonomy& t, const ProvisionRegister& r, const Assumptions::Capacity& c, const Interventions& i, PlacementPlan& p)
        : tax(t),
          reg(r),
          cap(c),
          changes(i),
          plan(p),
          A(p.dims.ages),
          K(p.dims.needs),
          G(p.groups()),
          years(p.horizon + 1),
          elsewhere_slot(static_cast<std::size_t>(p.dims.settings), -1) {}

    int new_pool(std::vector<std::int32_t> places) {
        plan.pool_places.push_back(std::move(places));
        return static_cast<int>(plan.pool_places.size()) - 1;
    }
    int add_slot(PlaceSlot slot) {
        plan.slots.push_back(std::move(slot));
        return static_cast<int>(plan.slots.size()) - 1;
    }
    const Step& step_named(const std::string& name, const Cascade& c) const {
        for (const auto& s : cap.steps)
            if (s.name == name) return s;
        throw InputError(c.file, c.line, c.column, c.from_year ? "changes.cascade.steps" : "capacity.cascade." + c.place_group,
                         "unknown step '" + name + "' (not under capacity.steps)");
    }
    int setting_of_type(const Step& step, const std::string& type) const {
        const auto s = tax.setting_of_provision_type(type);
        if (!s) throw InputError(step.file, step.line, "capacity.steps." + step.name + ".types", "unknown provision type '" + type + "'");
        return *s;
    }
    int group_of(int setting) const { return plan.group_of_setting[static_cast<std::size_t>(setting)]; }

    // Provisions in the order they fill: the most specialised (fewest needs, then fewest ages)
    // first, then register order.
    std::vector<int> provisions_where(const std::function<bool(const Provision&)>& take) const {
        std::vector<int> out;
        for (std::size_t p = 0; p < reg.provisions.size(); ++p)
            if (take(reg.provisions[p])) out.push_back(static_cast<int>(p));
        auto rank = [&](int p) {
            const Provision& pr = reg.provisions[static_cast<std::size_t>(p)];
            return std::pair(std::count(pr.serves_need.begin(), pr.serves_need.end(), true), pr.last_age - pr.first_age);
        };
        std::stable_sort(out.begin(), out.end(), [&](int a, int b) { return rank(a) < rank(b); });
        std::vector<int> slots;
        for (int p : out) slots.push_back(provision_slot[static_cast<std::size_t>(p)]);
        return slots;
    }

    // Slots: every provision of the register; each place group's places elsewhere (and those held
    // since the base census, sharing a pool); places elsewhere in each setting without a limit that
    // a step can reach; and the waiting list.
    void make_slots() {
        for (const auto& step : cap.steps)
            for (const auto& t : step.types) setting_of_type(step, t);  // every step's types are known, used or not
        provision_slots();
        const std::vector<std::int32_t> unlimited(static_cast<std::size_t>(years), PlacementPlan::unlimited);
        group_slots_elsewhere(unlimited);
        setting_slots_elsewhere(unlimited);
        waiting_slot = add_slot({"waiting", "Waiting for a place", -1, -1, -1, new_pool(unlimited), 0, -1});
    }
    void provision_slots() {
        for (std::size_t p = 0; p < reg.provisions.size(); ++p) {
            const Provision& pr = reg.provisions[p];
            std::vector<std::int32_t> places;
            for (int y = 0; y < years; ++y) places.push_back(pr.places_in(plan.base_year + y));
            provision_slot.push_back(
                add_slot({pr.id, pr.name, static_cast<int>(p), pr.setting, group_of(pr.setting), new_pool(places), pr.first_age, pr.last_age}));
        }
    }
    void group_slots_elsewhere(const std::vector<std::int32_t>& unlimited) {
        for (int g = 0; g < G; ++g) {
            const std::string& name = plan.place_groups[static_cast<std::size_t>(g)];
            const int pool = new_pool(unlimited);
            group_elsewhere.push_back(add_slot({"elsewhere:" + name, name + " places elsewhere", -1, -1, g, pool, 0, A - 1}));
            group_at_base.push_back(add_slot({"elsewhere_at_base:" + name, name + " places elsewhere since the base census", -1, -1, g, pool, 0, A - 1}));
        }
    }
    void setting_slots_elsewhere(const std::vector<std::int32_t>& unlimited) {
        for (const auto& step : cap.steps)
            if (step.borough != "in")
                for (const auto& t : step.types) {
                    const int s = setting_of_type(step, t);
                    if (group_of(s) >= 0 || elsewhere_slot[static_cast<std::size_t>(s)] >= 0) continue;
                    const Setting& setting = tax.settings[static_cast<std::size_t>(s)];
                    elsewhere_slot[static_cast<std::size_t>(s)] =
                        add_slot({"elsewhere:" + setting.code, setting.label + ", elsewhere", -1, s, -1, new_pool(unlimited), 0, A - 1});
                }
    }

    // Each place group's cascade, and the years a scenario changes one: the cascades in force
    // change only in those years. Year indices, the first the base year.
    std::vector<int> cascade_change_years() const {
        for (const auto& c : cap.cascade)
            if (std::find(plan.place_groups.begin(), plan.place_groups.end(), c.place_group) == plan.place_groups.end())
                throw InputError(c.file, c.line, c.column, "capacity.cascade." + c.place_group,
                                 "'" + c.place_group + "' is not a place group of a capacity-limited setting (settings.yaml: place_group)");
        std::vector<int> change_years{0};
        for (const int year : changes.cascade_change_years()) change_years.push_back(year - plan.base_year);
        return change_years;
    }
    // The cascade of place group g in force in year index y: the latest change up to y, or else the
    // one for every year.
    const Cascade* cascade_in_force(int g, int y) const {
        const std::string& group = plan.place_groups[static_cast<std::size_t>(g)];
        if (const Cascade* change = changes.cascade_change_in_force(group, plan.base_year + y)) return change;
        for (const auto& c : cap.cascade)
            if (c.place_group == group) return &c;
        return nullptr;
    }
    void require_cascades() const {
        for (int g = 0; g < G; ++g)
            if (!cascade_in_force(g, 0))
                throw InputError(cap.cascade.empty() ? std::string("assumptions") : cap.cascade.front().file, 0,
                                 "capacity.cascade." + plan.place_groups[static_cast<std::size_t>(g)], "every place group needs a cascade");
    }

    // Step contents (global slots): own place group in the borough, the cascade, waiting. The base
    // census uses the steps in the borough only, then the places elsewhere held since.
    StepSlots cascade_steps(int g, const Cascade& c, bool base_census) const {
        StepSlots steps{own_provisions(g)};
        for (const auto& name : c.steps) {
            const Step& step = step_named(name, c);
            std::vector<int> slots = step_provisions(step);
            if (step.borough == "in") {
                steps.push_back(slots);
            } else if (!base_census) {
                add_places_elsewhere(g, step, slots);
                steps.push_back(slots);
            }
        }
        steps.push_back({base_census ? group_at_base[static_cast<std::size_t>(g)] : waiting_slot});
        return steps;
    }
    std::vector<int> own_provisions(int g) const {
        return provisions_where([&](const Provision& pr) { return pr.in_borough && group_of(pr.setting) == g; });
    }
    std::vector<int> step_provisions(const Step& step) const {
        return provisions_where([&](const Provision& pr) {
            const bool borough = step.borough == "any" || (step.borough == "in") == pr.in_borough;
            return borough && std::find(step.types.begin(), step.types.end(), pr.type) != step.types.end();
        });
    }
    // After a step's provisions, its places elsewhere, the child's own place group first.
    void add_places_elsewhere(int g, const Step& step, std::vector<int>& slots) const {
        std::vector<int> elsewhere;
        for (const auto& t : step.types) {
            const int s = setting_of_type(step, t), sg = group_of(s);
            elsewhere.push_back(sg >= 0 ? group_elsewhere[static_cast<std::size_t>(sg)] : elsewhere_slot[static_cast<std::size_t>(s)]);
        }
        std::stable_partition(elsewhere.begin(), elsewhere.end(), [&](int slot) { return slot == group_elsewhere[static_cast<std::size_t>(g)]; });
        for (int slot : elsewhere)
            if (std::find(slots.begin(), slots.end(), slot) == slots.end()) slots.push_back(slot);
    }

    // Local slot lists, kinds, ages kept, pools.
    void local_slots(const std::vector<StepSlots>& base_step_slots, const std::vector<std::vector<StepSlots>>& step_slots) {
        plan.usable.resize(static_cast<std::size_t>(G));
        plan.kind.resize(static_cast<std::size_t>(G));
        plan.keeps.resize(static_cast<std::size_t>(G));
        plan.pool_of.resize(static_cast<std::size_t>(G));
        for (int g = 0; g < G; ++g) {
            std::vector<const StepSlots*> lists{&base_step_slots[static_cast<std::size_t>(g)]};
            for (const auto& by_group : step_slots) lists.push_back(&by_group[static_cast<std::size_t>(g)]);
            usable_slots(g, lists);
            const auto& usable = plan.usable[static_cast<std::size_t>(g)];
            for (const int slot : usable) add_local_slot(g, slot);
            plan.slot_count.push_back(static_cast<int>(usable.size()));
            plan.occupancy_offset.push_back(plan.occupancy_size);
            plan.occupancy_size += static_cast<std::size_t>(A * K) * usable.size();
        }
    }
    void usable_slots(int g, const std::vector<const StepSlots*>& lists) {
        auto& usable = plan.usable[static_cast<std::size_t>(g)];
        for (const StepSlots* list : lists)
            for (const auto& step : *list)
                for (int slot : step)
                    if (std::find(usable.begin(), usable.end(), slot) == usable.end()) usable.push_back(slot);
        // Slots in the order they were made (the register's order, then places elsewhere), so a
        // provision a scenario adds comes after the others and leaves their order, and with it the
        // draws of who leaves which place, as it was.
        std::sort(usable.begin(), usable.end());
    }
    void add_local_slot(int g, int slot) {
        const PlaceSlot& ps = plan.slots[static_cast<std::size_t>(slot)];
        plan.kind[static_cast<std::size_t>(g)].push_back(kind_of(g, slot));
        plan.pool_of[static_cast<std::size_t>(g)].push_back(ps.pool);
        for (int a = 0; a < A; ++a) plan.keeps[static_cast<std::size_t>(g)].push_back(a >= ps.first_age && a <= ps.last_age);
    }
    PlaceKind kind_of(int g, int slot) const {
        const PlaceSlot& ps = plan.slots[static_cast<std::size_t>(slot)];
        const bool in_borough = ps.provision >= 0 && reg.provisions[static_cast<std::size_t>(ps.provision)].in_borough;
        if (slot == waiting_slot) return place_waiting;
        if (slot == group_at_base[static_cast<std::size_t>(g)]) return place_elsewhere_at_base;
        if (ps.place_group < 0) return place_independent;
        if (!in_borough) return place_out_of_borough;
        return ps.place_group == g ? place_own_local : place_other_local;
    }

    void cell_codes() {
        for (int g = 0; g < G; ++g)
            for (int a = 0; a < A; ++a)
                for (int k = 0; k < K; ++k) {
                    plan.cell_of_code.push_back({static_cast<std::int16_t>(g), static_cast<std::int16_t>(a), static_cast<std::int16_t>(k)});
                    plan.occupancy_row.push_back(plan.occupancy_index(g, a, k, 0));
                }
    }

    // Candidates by (g, step, age, need): the step's slots that take that need at that age.
    bool takes(int slot, int a, int k) const {
        const PlaceSlot& ps = plan.slots[static_cast<std::size_t>(slot)];
        return ps.provision < 0 || reg.provisions[static_cast<std::size_t>(ps.provision)].serves(k, a);
    }
    std::int32_t local_of(int g, int slot) const {
        const auto& u = plan.usable[static_cast<std::size_t>(g)];
        return static_cast<std::int32_t>(std::find(u.begin(), u.end(), slot) - u.begin());
    }
    // Laid out as `target` (the plan, or the base census's) reads them, by its number of steps.
    PlacementPlan::Candidates candidates_of(const std::vector<StepSlots>& steps_by_g, const PlacementPlan& target) const {
        const int steps = target.steps;
        PlacementPlan::Candidates out;
        out.start.assign(as_extent(target.entrant_cells() * steps + 1), 0);
        for (int g = 0; g < G; ++g) {
            const StepSlots& cascade = steps_by_g[static_cast<std::size_t>(g)];
            for (int j = 0; j < steps; ++j)
                for (int a = 0; a < A; ++a)
                    for (int k = 0; k < K; ++k) {
                        out.start[target.candidate_row(target.entrant_cell(g, a, k), g, j)] = static_cast<std::int32_t>(out.slots.size());
                        if (j < static_cast<int>(cascade.size())) add_candidates(out.slots, g, cascade[static_cast<std::size_t>(j)], a, k);
                    }
        }
        out.start.back() = static_cast<std::int32_t>(out.slots.size());
        return out;
    }
    void add_candidates(std::vector<std::int32_t>& candidates, int g, const std::vector<int>& step, int a, int k) const {
        for (int slot : step)
            if (takes(slot, a, k)) candidates.push_back(local_of(g, slot));
    }
    // One set of candidates for each cascade in force, and which is in force each year.
    void candidates_by_year(const std::vector<std::vector<StepSlots>>& step_slots, const std::vector<int>& change_years) {
        for (const auto& by_group : step_slots)
            for (const auto& steps : by_group) plan.steps = std::max(plan.steps, static_cast<int>(steps.size()));
        for (const auto& by_group : step_slots) plan.candidates.push_back(candidates_of(by_group, plan));
        for (int y = 0, c = 0; y < years; ++y) {
            while (c + 1 < static_cast<int>(change_years.size()) && change_years[static_cast<std::size_t>(c + 1)] <= y) ++c;
            plan.candidates_of_year.push_back(c);
        }
    }

    // Entrant order, each year: the cells with the fewest open provisions to choose from are placed
    // first, so that a provision taking several needs fills last with the children who could have
    // gone nowhere else. Counting only provisions open that year keeps a school that opens later
    // from changing the years before it.
    void entrant_order() {
        plan.entrant_order.assign(as_extent(years * plan.entrant_cells()), 0);
        for (int y = 0; y < years; ++y) {
            std::vector<std::pair<int, std::int32_t>> order;
            for (int g = 0; g < G; ++g)
                for (int a = 0; a < A; ++a)
                    for (int k = 0; k < K; ++k) order.emplace_back(open_choices(y, g, a, k), plan.entrant_cell(g, a, k));
            std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& z) { return x.first < z.first; });
            for (std::size_t i = 0; i < order.size(); ++i) plan.entrant_order[static_cast<std::size_t>(y) * order.size() + i] = order[i].second;
        }
    }
    // Candidate provisions with places in year index y for an entrant of (g, age a, need k), over
    // every step of her cascade.
    int open_choices(int y, int g, int a, int k) const {
        int choices = 0;
        const PlacementPlan::Candidates& cand = plan.candidates[static_cast<std::size_t>(plan.candidates_of_year[static_cast<std::size_t>(y)])];
        for (int j = 0; j < plan.steps; ++j) {
            const std::size_t idx = plan.candidate_row(plan.entrant_cell(g, a, k), g, j);
            for (auto i = cand.start[idx]; i < cand.start[idx + 1]; ++i) {
                const PlaceSlot& ps = plan.slots[static_cast<std::size_t>(
                    plan.usable[static_cast<std::size_t>(g)][static_cast<std::size_t>(cand.slots[static_cast<std::size_t>(i)])])];
                choices += ps.provision >= 0 && plan.pool_places[static_cast<std::size_t>(ps.pool)][static_cast<std::size_t>(y)] > 0;
            }
        }
        return choices;
    }

    // The base census: its children are placed as entrants would be, but only in the borough; the
    // rest are where they are, elsewhere, and those places elsewhere are then held.
    std::vector<std::int32_t> base_entrants() const {
        std::vector<std::int32_t> entrants(as_extent(plan.entrant_cells()), 0);
        for (int s = 0; s < plan.dims.settings; ++s) {
            const int g = plan.group_of_setting[static_cast<std::size_t>(s)];
            if (g < 0) continue;
            for (int a = 0; a < A; ++a)
                for (int k = 0; k < K; ++k)
                    entrants[static_cast<std::size_t>(plan.entrant_cell(g, a, k))] += plan.base_stock[static_cast<std::size_t>(plan.dims.cell(a, k, s))];
        }
        return entrants;
    }
    // Places the base census's children (`entrants` is emptied, as place_entrants does).
    void place_base_census(const std::vector<StepSlots>& base_step_slots, std::vector<std::int32_t>& entrants) {
        PlacementPlan base = plan;
        for (const auto& places : base.pool_places) base.places_by_year.push_back(places[0]);
        base.steps = 0;
        for (const auto& steps : base_step_slots) base.steps = std::max(base.steps, static_cast<int>(steps.size()));
        base.candidates = {candidates_of(base_step_slots, base)};
        base.candidates_of_year.assign(static_cast<std::size_t>(years), 0);
        plan.base_occupancy.assign(plan.occupancy_size, 0);
        std::vector<std::int32_t> used(plan.pool_places.size(), 0);
        place_entrants(base, 0, entrants, plan.base_occupancy, used);
        if (!cap.places_elsewhere_unlimited)
            for (int g = 0; g < G; ++g) {
                const std::size_t pool = static_cast<std::size_t>(plan.slots[static_cast<std::size_t>(group_at_base[static_cast<std::size_t>(g)])].pool);
                std::fill(plan.pool_places[pool].begin(), plan.pool_places[pool].end(), used[pool]);
            }
    }

    // Places by place group, phase and need, for the table.
    void places_table(const std::vector<std::int32_t>& base_entrants) {
        plan.places_by_group_phase_need.assign(shape_of(years, G, plan.phases, K), 0.0);
        for (const Provision& pr : reg.provisions) {
            const int g = group_of(pr.setting);
            if (!pr.in_borough || g < 0) continue;
            for (int a = pr.first_age; a <= pr.last_age; ++a) add_places_at_age(pr, g, a, base_entrants);
        }
    }
    void add_places_at_age(const Provision& pr, int g, int a, const std::vector<std::int32_t>& base_entrants) {
        const int phase = plan.phase_of_age[static_cast<std::size_t>(a)];
        if (phase < 0) return;
        const std::vector<double> weight = need_weights(pr, g, a, base_entrants);
        const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
        if (total <= 0) return;
        const int ages = pr.last_age - pr.first_age + 1;
        for (int y = 0; y < years; ++y) {
            const double share = pr.places_in(plan.base_year + y) / static_cast<double>(ages) / total;
            for (int k = 0; k < K; ++k)
                plan.places_by_group_phase_need(y, g, phase, k) += share * weight[static_cast<std::size_t>(k)];
        }
    }
    // A provision's places at one age go to its needs as the base census's children of that age
    // are spread over them, or evenly where there are none.
    std::vector<double> need_weights(const Provision& pr, int g, int a, const std::vector<std::int32_t>& base_entrants) const {
        std::vector<double> weight(static_cast<std::size_t>(K), 0.0);
        for (int k = 0; k < K; ++k)
            if (pr.serves_need[static_cast<std::size_t>(k)]) weight[static_cast<std::size_t>(k)] = base_entrants[static_cast<std::size_t>(plan.entrant_cell(g, a, k))];
        if (std::accumulate(weight.begin(), weight.end(), 0.0) <= 0)
            for (int k = 0; k < K; ++k) weight[static_cast<std::size_t>(k)] = pr.serves_need[static_cast<std::size_t>(k)] ? 1.0 : 0.0;
        return weight;
    }
};

}  // namespace

PlacementPlan build_placement_plan(const Taxonomy& tax, const Dimensions& d, const ProvisionRegister& reg,
                                   const Assumptions::Capacity& cap, const Interventions& interventions, const std::vector<std::int32_t>& base_stock,
                                   int base_year, int horizon) {
    PlacementPlan plan;
    plan.dims = d;
    plan.base_year = base_year;
    plan.horizon = horizon;
    plan.base_stock = base_stock;
    plan.phases = static_cast<int>(tax.phases.size());
    for (int a = 0; a < d.ages; ++a) plan.phase_of_age.push_back(tax.phase_of_age(tax.min_age + a));
    group_settings(plan, tax);
    Builder b(tax, reg, cap, interventions, plan);
    b.make_slots();
    const std::vector<int> change_years = b.cascade_change_years();
    b.require_cascades();

    std::vector<std::vector<StepSlots>> step_slots(change_years.size());  // [change][g]
    std::vector<StepSlots> base_step_slots;                               // [g]
    for (int g = 0; g < b.G; ++g) {
        base_step_slots.push_back(b.cascade_steps(g, *b.cascade_in_force(g, 0), true));
        for (std::size_t c = 0; c < change_years.size(); ++c) step_slots[c].push_back(b.cascade_steps(g, *b.cascade_in_force(g, change_years[c]), false));
    }
    b.local_slots(base_step_slots, step_slots);
    b.cell_codes();
    b.candidates_by_year(step_slots, change_years);
    b.entrant_order();

    // The base census's children by place group, age and need: placed (which empties the list
    // placed), and the mix the places table splits each provision's places by.
    const std::vector<std::int32_t> base_children = b.base_entrants();
    std::vector<std::int32_t> base_entrants = base_children;
    b.place_base_census(base_step_slots, base_entrants);
    for (int y = 0; y < b.years; ++y)
        for (const auto& places : plan.pool_places) plan.places_by_year.push_back(places[static_cast<std::size_t>(y)]);
    b.places_table(base_children);
    return plan;
}
void place_entrants(const PlacementPlan& plan, int year_index, std::vector<std::int32_t>& entrants, std::vector<std::int32_t>& occupancy,
                    std::vector<std::int32_t>& used, std::uint64_t* masks, std::size_t words) {
    // The cells with entrants, in the plan's order (a per-thread list, reused from year to year).
    const std::int32_t* places = &plan.places_by_year[static_cast<std::size_t>(year_index) * plan.pool_places.size()];
    thread_local std::vector<std::int32_t> pending;
    pending.clear();
    const std::size_t cells = as_extent(plan.entrant_cells());
    for (std::size_t i = 0; i < cells; ++i) {
        const std::int32_t code = plan.entrant_order[static_cast<std::size_t>(year_index) * cells + i];
        if (entrants[static_cast<std::size_t>(code)] > 0) pending.push_back(code);
    }
    const PlacementPlan::Candidates& cand = plan.candidates[static_cast<std::size_t>(plan.candidates_of_year[static_cast<std::size_t>(year_index)])];
    for (int j = 0; j < plan.steps && !pending.empty(); ++j) {
        for (const std::int32_t code : pending) {
            std::int32_t& left = entrants[static_cast<std::size_t>(code)];
            if (left == 0) continue;
            const int g = plan.cell_of_code[static_cast<std::size_t>(code)].group;
            const std::size_t idx = plan.candidate_row(code, g, j);
            const int* pool_of = plan.pool_of[static_cast<std::size_t>(g)].data();
            std::int32_t* row = &occupancy[plan.occupancy_row[static_cast<std::size_t>(code)]];
            for (auto i = cand.start[idx]; i < cand.start[idx + 1] && left > 0; ++i) {
                const int x = cand.slots[static_cast<std::size_t>(i)];
                const std::size_t pool = static_cast<std::size_t>(pool_of[x]);
                const std::int32_t free = places[pool] - used[pool];
                if (free <= 0) continue;
                const std::int32_t take = std::min(free, left);
                row[x] += take;
                if (masks) masks[static_cast<std::size_t>(code) * words + static_cast<std::size_t>(x / 64)] |= std::uint64_t{1} << (x % 64);
                used[pool] += take;
                left -= take;
            }
        }
    }
}

}  // namespace sendplan
