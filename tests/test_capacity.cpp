// Capacity and sufficiency: places are never over-filled, every child is counted once, unlimited
// places reproduce the unconstrained projection draw for draw, the fill rule and the cascade give
// the answers worked out by hand, and the cascade's settings are checked.
#include <catch2/catch.hpp>

#include <numeric>

#include "capacity/allocator.h"
#include "capacity/sufficiency.h"
#include "core/error.h"
#include "io/provision_register.h"
#include "shipped_data.h"
#include "simulate/breakdowns.h"
#include "simulate/projection.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

struct Barnet {
    ShippedData data;
    Calibration cal = calibrate(data.history, data.pop, data.tax, data.as, 0, 15);
};

const Barnet& barnet() {
    static const Barnet b;
    return b;
}

ProvisionRegister register_from(const TempDir& dir, const std::string& provisions, const std::string& places, const Taxonomy& tax) {
    write_text(dir / "provisions.csv", "id,name,type,needs,age_from,age_to,in_borough\n" + provisions);
    write_text(dir / "places.csv", "id,year,places\n" + places);
    return read_provision_register(dir / "provisions.csv", dir / "places.csv", tax);
}

int group_index(const PlacementPlan& plan, const Taxonomy& tax, const std::string& setting) {
    return plan.group_of_setting[static_cast<std::size_t>(*tax.setting_index(setting))];
}

int local_slot(const PlacementPlan& plan, int l, const std::string& id) {
    const auto& usable = plan.usable[static_cast<std::size_t>(l)];
    for (std::size_t x = 0; x < usable.size(); ++x)
        if (plan.slots[static_cast<std::size_t>(usable[x])].id == id) return static_cast<int>(x);
    FAIL("no slot " << id);
    return -1;
}

// Checks, after every year of every draw, that the allocation holds its invariants.
class InvariantCheck : public DrawStage {
public:
    InvariantCheck(const PlacementPlan& plan, std::uint64_t seed, long& violations, long& checks, bool expect_all_own)
        : plan_(plan), allocator_(plan), seed_(seed), violations_(violations), checks_(checks), expect_all_own_(expect_all_own) {}
    void start_draw(long draw) override { draw_ = draw; }
    void merge() override {
#pragma omp atomic
        violations_ += my_violations_;
#pragma omp atomic
        checks_ += my_checks_;
    }
    void year(int y, const Stock& stock, const YearFlows& flows) override {
        if (y == 0) allocator_.start();
        else {
            Stream s(seed_, static_cast<std::uint64_t>(draw_), StreamPurpose::allocation, static_cast<std::uint64_t>(y - 1));
            allocator_.step(y, stock, flows, s);
        }
        const Dimensions& d = plan_.dims;
        const auto& occ = allocator_.occupancy();
        std::vector<std::int64_t> in_pool(plan_.pool_places.size(), 0);
        for (std::size_t g = 0; g < plan_.usable.size(); ++g)
            for (int a = 0; a < d.ages; ++a)
                for (int k = 0; k < d.needs; ++k) {
                    std::int64_t placed = 0, own = 0;
                    for (std::size_t x = 0; x < plan_.usable[g].size(); ++x) {
                        const std::int32_t v = occ[plan_.occupancy_index(static_cast<int>(g), a, k, static_cast<int>(x))];
                        if (v < 0) ++my_violations_;
                        placed += v;
                        if (plan_.kind[g][x] == place_own_local) own += v;
                        in_pool[static_cast<std::size_t>(plan_.pool_of[g][x])] += v;
                    }
                    std::int64_t demand = 0;
                    for (const int s : plan_.settings_of_group[g]) demand += stock[static_cast<std::size_t>(d.cell(a, k, s))];
                    ++my_checks_;
                    if (placed != demand) ++my_violations_;                     // every child counted once
                    if (expect_all_own_ && own != demand) ++my_violations_;     // unlimited: all in their own place group
                }
        for (std::size_t pool = 0; pool < in_pool.size(); ++pool) {
            ++my_checks_;
            if (in_pool[pool] > plan_.pool_places[pool][static_cast<std::size_t>(y)]) ++my_violations_;  // places never exceeded
            if (in_pool[pool] != allocator_.used()[pool]) ++my_violations_;
        }
    }

private:
    const PlacementPlan& plan_;
    Allocator allocator_;
    std::uint64_t seed_;
    long& violations_;
    long& checks_;
    bool expect_all_own_;
    long draw_ = 0, my_violations_ = 0, my_checks_ = 0;
};

PlacementPlan barnet_plan(const ProvisionRegister& reg) {
    const Posterior& p = barnet().cal.posterior;
    return build_placement_plan(barnet().data.tax, p.dims, reg, barnet().data.as.capacity, Interventions{}, p.base_stock, p.base_year, p.horizon);
}

ProjectionOptions options(long draws, std::uint64_t seed, int threads) {
    ProjectionOptions o;
    o.draws = draws;
    o.seed = seed;
    o.threads = threads;
    return o;
}

}  // namespace

TEST_CASE("the fill rule and the cascade place children as worked out by hand", "[capacity]") {
    const Barnet& b = barnet();
    const Taxonomy& tax = b.data.tax;
    const Dimensions d = b.cal.posterior.dims;
    TempDir dir;
    // Two provisions in the borough (one ASD only, one ASD or MLD) and one out of it.
    const ProvisionRegister reg = register_from(dir,
                                                "a,A,special_la,ASD,5,11,yes\n"
                                                "b,B,special_academy,ASD;MLD,5,11,yes\n"
                                                "c,C,special_out_of_borough,ASD,5,11,no\n",
                                                "a,2020,5\nb,2020,3\nc,2020,2\n", tax);
    const int asd = *tax.need_index("ASD"), mld = *tax.need_index("MLD"), la = *tax.setting_index("special_la");
    std::vector<std::int32_t> base(static_cast<std::size_t>(d.cells()), 0);
    base[static_cast<std::size_t>(d.cell(tax.age_index(7), asd, la))] = 6;
    base[static_cast<std::size_t>(d.cell(tax.age_index(7), mld, la))] = 2;
    base[static_cast<std::size_t>(d.cell(tax.age_index(20), asd, la))] = 4;  // no provision takes age 20
    const PlacementPlan plan = build_placement_plan(tax, d, reg, b.data.as.capacity, Interventions{}, base, 2026, 3);
    const int l = group_index(plan, tax, "special_la");
    const int xa = local_slot(plan, l, "a"), xb = local_slot(plan, l, "b"), xc = local_slot(plan, l, "c");
    const int at_base = local_slot(plan, l, "elsewhere_at_base:state_special"), independent = local_slot(plan, l, "elsewhere:special_independent");
    auto occ = [&](const std::vector<std::int32_t>& o, int age, int need, int x) { return o[plan.occupancy_index(l, tax.age_index(age), need, x)]; };

    // The base census: MLD has one provision to choose from, so it is placed first (2 in B); ASD
    // fills the specialist A (5), then B's last place (1). Age 20 is out of the borough already.
    CHECK(occ(plan.base_occupancy, 7, mld, xb) == 2);
    CHECK(occ(plan.base_occupancy, 7, asd, xa) == 5);
    CHECK(occ(plan.base_occupancy, 7, asd, xb) == 1);
    CHECK(occ(plan.base_occupancy, 20, asd, at_base) == 4);
    CHECK(plan.kind[static_cast<std::size_t>(l)][static_cast<std::size_t>(xa)] == place_own_local);
    CHECK(plan.kind[static_cast<std::size_t>(l)][static_cast<std::size_t>(xc)] == place_out_of_borough);
    CHECK(plan.kind[static_cast<std::size_t>(l)][static_cast<std::size_t>(independent)] == place_independent);
    // Places elsewhere are held at what the base census used: 4 for state special schools.
    CHECK(plan.pool_places[static_cast<std::size_t>(plan.pool_of[static_cast<std::size_t>(l)][static_cast<std::size_t>(at_base)])][1] == 4);

    // Five ASD entrants aged 6 with the borough full: C's 2 places out of borough, then (places
    // elsewhere being full) independent special for the other 3.
    std::vector<std::int32_t> occupancy = plan.base_occupancy, used(plan.pool_places.size(), 0);
    for (std::size_t g = 0; g < plan.usable.size(); ++g)
        for (int a = 0; a < d.ages; ++a)
            for (int k = 0; k < d.needs; ++k)
                for (std::size_t x = 0; x < plan.usable[g].size(); ++x)
                    used[static_cast<std::size_t>(plan.pool_of[g][x])] += occupancy[plan.occupancy_index(static_cast<int>(g), a, k, static_cast<int>(x))];
    std::vector<std::int32_t> entrants(plan.usable.size() * static_cast<std::size_t>(d.ages * d.needs), 0);
    entrants[static_cast<std::size_t>((l * d.ages + tax.age_index(6)) * d.needs + asd)] = 5;
    place_entrants(plan, 1, entrants, occupancy, used);
    CHECK(occ(occupancy, 6, asd, xc) == 2);
    CHECK(occ(occupancy, 6, asd, independent) == 3);
    CHECK(occ(occupancy, 6, asd, xa) == 0);
    CHECK(std::accumulate(entrants.begin(), entrants.end(), 0) == 0);
}

TEST_CASE("places are never over-filled and every child is counted once, in every draw and year", "[capacity]") {
    const Barnet& b = barnet();
    const Posterior& p = b.cal.posterior;
    TempDir dir;
    // Barnet's register, with one school shrinking and one closing, so that pupils must be moved.
    std::string places;
    {
        std::ifstream in(source("data/local/barnet_provision_places.csv"));
        std::stringstream s;
        s << in.rdbuf();
        places = s.str() + "northway,2029,60,test,test\noak_hill,2030,0,test,test\n";
    }
    write_text(dir / "places.csv", places);
    const ProvisionRegister reg = read_provision_register(source("data/local/barnet_provisions.csv"), dir / "places.csv", b.data.tax);
    const PlacementPlan plan = barnet_plan(reg);
    long violations = 0, checks = 0;
    ProjectionOptions o = options(200, 11, 2);
    o.stages = {[&](const DrawStages&) { return std::make_unique<InvariantCheck>(plan, o.seed, violations, checks, false); }};
    o.setting_family = plan.setting_family;
    project(p, standard_breakdowns(b.data.tax, p.dims), o);
    CHECK(checks == 200L * 16 * static_cast<long>(plan.groups() * p.dims.ages * p.dims.needs + static_cast<int>(plan.pool_places.size())));
    CHECK(violations == 0);
}

TEST_CASE("with unlimited places the results equal the unconstrained projection draw for draw", "[capacity]") {
    const Barnet& b = barnet();
    const Posterior& p = b.cal.posterior;
    TempDir dir;
    const std::string all = "CI;CL;SEMH;SP;OTH;UNK";
    const ProvisionRegister reg = register_from(dir,
                                                "r,R,arp," + all + ",0,25,yes\n"
                                                "s,S,special_la," + all + ",0,25,yes\n"
                                                "t,T,special_academy," + all + ",0,25,yes\n",
                                                "r,2000,100000\ns,2000,100000\nt,2000,100000\n", b.data.tax);
    const PlacementPlan plan = barnet_plan(reg);
    long violations = 0, checks = 0;
    ProjectionOptions o = options(100, 5, 2);
    o.keep_draws = true;
    const ProjectionResult unconstrained = project(p, standard_breakdowns(b.data.tax, p.dims), o);
    o.stages = {[&](const DrawStages&) { return std::make_unique<InvariantCheck>(plan, o.seed, violations, checks, true); }};
    o.setting_family = plan.setting_family;
    const ProjectionResult with_places = project(p, standard_breakdowns(b.data.tax, p.dims), o);
    CHECK(violations == 0);
    CHECK(with_places.total_by_draw == unconstrained.total_by_draw);
    CHECK(with_places.detail_by_draw == unconstrained.detail_by_draw);

    // And the table: no unmet demand anywhere, demand as projected.
    SufficiencyCollector collector(plan, b.data.tax, reg, o.seed, o.draws);
    o.stages = {collector.stage()};
    o.keep_draws = false;
    project(p, standard_breakdowns(b.data.tax, p.dims), o);
    const SufficiencyResult& r = collector.result();
    double unmet = 0;
    for (int y = 0; y < r.years(); ++y)
        for (int g = 0; g < r.groups; ++g)
            for (int nr = 0; nr < r.need_rows; ++nr) unmet += r.table(y, g, r.phases, nr, table_unmet_local).mean();
    CHECK(unmet == 0);
}

TEST_CASE("sufficiency results do not depend on the number of threads", "[capacity]") {
    const Barnet& b = barnet();
    const Posterior& p = b.cal.posterior;
    const ProvisionRegister reg =
        read_provision_register(source("data/local/barnet_provisions.csv"), source("data/local/barnet_provision_places.csv"), b.data.tax);
    const PlacementPlan plan = barnet_plan(reg);
    auto run = [&](int threads) {
        auto c = std::make_unique<SufficiencyCollector>(plan, b.data.tax, reg, 3, 120);
        ProjectionOptions o = options(120, 3, threads);
        o.stages = {c->stage()};
        o.setting_family = plan.setting_family;
        project(p, standard_breakdowns(b.data.tax, p.dims), o);
        return c;
    };
    const auto one = run(1), three = run(3);
    const SufficiencyResult &x = one->result(), &y = three->result();
    REQUIRE(x.table.size() == y.table.size());
    long differing = 0;
    for (std::size_t i = 0; i < x.table.size(); ++i)
        if (x.table[i].mean() != y.table[i].mean() || x.table[i].quantile(0.9) != y.table[i].quantile(0.9)) ++differing;
    for (std::size_t i = 0; i < x.provision_pupils.size(); ++i)
        if (x.provision_pupils[i].mean() != y.provision_pupils[i].mean()) ++differing;
    CHECK(differing == 0);
    // Capacity binds in Barnet: some children are placed elsewhere because places are full.
    CHECK(x.strategy(5, strategy_placed_out_because_full).mean() > 0);
}

TEST_CASE("a cascade naming an unknown step, or a setting without places, is refused with file, line and field", "[capacity]") {
    const Barnet& b = barnet();
    const Posterior& p = b.cal.posterior;
    const ProvisionRegister reg =
        read_provision_register(source("data/local/barnet_provisions.csv"), source("data/local/barnet_provision_places.csv"), b.data.tax);
    const std::string model = read_text(source("model/assumptions.yaml"));
    TempDir dir;
    auto refused = [&](const std::string& from, const std::string& to, const std::string& field, const std::string& words) {
        const auto at = model.find(from);
        REQUIRE(at != std::string::npos);
        write_text(dir / "assumptions.yaml", model.substr(0, at) + to + model.substr(at + from.size()));
        try {
            Assumptions a;
            read_assumptions(dir / "assumptions.yaml", a);
            build_placement_plan(b.data.tax, p.dims, reg, a.capacity, Interventions{}, p.base_stock, p.base_year, p.horizon);
            FAIL("accepted");
        } catch (const InputError& e) {
            INFO(e.what());
            CHECK(e.file() == dir / "assumptions.yaml");
            CHECK(e.line() > 0);
            CHECK(e.field() == field);
            CHECK(std::string(e.what()).find(words) != std::string::npos);
        }
    };
    refused("state_special: [out_of_borough_state_special,", "state_special: [nowhere, out_of_borough_state_special,",
            "capacity.cascade.state_special", "unknown step 'nowhere'");
    refused("  cascade:\n", "  cascade:\n    mainstream: [independent_special]\n", "capacity.cascade.mainstream", "not a place group");
    refused("{types: [arp, sen_unit], borough: in}", "{types: [arp, sen_units], borough: in}", "capacity.steps.in_borough_resourced.types",
            "unknown provision type 'sen_units'");
    refused("{types: [arp, sen_unit], borough: in}", "{types: [arp, sen_unit], borough: inn}", "capacity.steps.in_borough_resourced.borough",
            "expected one of: in, out, any");
    refused("places_elsewhere: base_year", "places_elsewhere: base", "capacity.places_elsewhere", "expected one of: base_year, unlimited");
}
