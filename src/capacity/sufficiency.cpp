#include "capacity/sufficiency.h"

#include <algorithm>
#include <cmath>

#include "capacity/allocator.h"
#include "core/rng.h"

namespace sendplan {

const char* strategy_measure_name(int m) {
    static const char* names[] = {"share_of_plans_in_mainstream_percent", "share_of_plans_independent_or_out_of_borough_percent",
                                  "placed_out_of_borough_or_independent_because_full", "waiting_for_a_place"};
    return names[m];
}

namespace {
// Shares are kept in hundredths of a per cent, so that they fit the integer histograms.
constexpr double kShareScale = 10000.0;

// A count as the batch keeps it: a year's pupils in one area fit 32 bits, as the stock's cells do.
std::int32_t batched(std::int64_t count) { return static_cast<std::int32_t>(count); }

}  // namespace

SufficiencyCollector::SufficiencyCollector(const PlacementPlan& plan, const Taxonomy& tax, const ProvisionRegister& reg, std::uint64_t seed,
                                           long draws)
    : plan_(plan), tax_(tax), reg_(reg), seed_(seed) {
    SufficiencyResult& r = result_;
    r.base_year = plan.base_year;
    r.horizon = plan.horizon;
    r.groups = static_cast<int>(plan.place_groups.size());
    r.phases = plan.phases;
    r.draws = draws;
    for (const auto& n : tax.needs) {
        r.need_row_code.push_back(n.code);
        r.need_row_kind.push_back("need");
    }
    for (const auto& b : tax.broad_areas) {
        r.need_row_code.push_back(b.code);
        r.need_row_kind.push_back("broad_area");
    }
    r.need_row_code.push_back("all");
    r.need_row_kind.push_back("all");
    r.need_rows = static_cast<int>(r.need_row_code.size());
    const int Y = r.years(), G = r.groups, P = r.phases, K = plan.dims.needs;
    const std::size_t years = as_extent(Y), groups = as_extent(G), phase_rows = as_extent(P + 1), need_rows = as_extent(r.need_rows);
    r.table.assign({years, groups, phase_rows, need_rows, table_measures});
    r.provision_pupils.assign({years, reg.provisions.size()});
    r.placements.assign({years, groups, place_kinds});
    r.strategy.assign({years, strategy_measures});
    r.places.assign({years, groups, phase_rows, need_rows}, 0.0);
    r.by_draw.assign({static_cast<std::size_t>(draws), years, groups, table_measures}, 0);
    for (int y = 0; y < Y; ++y)
        for (int g = 0; g < G; ++g)
            for (int p = 0; p < P; ++p)
                for (int k = 0; k < K; ++k) {
                    const double v = plan.places_by_group_phase_need(y, g, p, k);
                    r.for_each_row(p, k, K + tax.needs[static_cast<std::size_t>(k)].broad_area, [&](int pr, int nr) { r.places(y, g, pr, nr) += v; });
                }
}

// One thread's share of the draws: its own allocator and histograms, added to the collector's at the end.
class SufficiencyDraws : public DrawStage {
public:
    explicit SufficiencyDraws(SufficiencyCollector& c)
        : c_(c), plan_(c.plan_), allocator_(c.plan_), local_(c.result_) {
        const Taxonomy& tax = c.tax_;
        for (const auto& s : tax.settings) {
            mainstream_.push_back(s.strategy_group == "mainstream");
            independent_.push_back(s.strategy_group == "independent");
        }
        for (const auto& n : tax.needs) broad_.push_back(n.broad_area);
        by_setting_.assign(tax.settings.size(), 0);
        const std::size_t groups = as_extent(local_.groups), phases = as_extent(local_.phases);
        fine_.assign({groups, phases, as_extent(plan_.dims.needs), place_kinds + 1}, 0);
        rows_.assign({groups, phases + 1, as_extent(local_.need_rows), table_measures}, 0);
        provision_.assign(c.reg_.provisions.size(), 0);
        by_group_.assign({groups, place_kinds}, 0);
        local_.by_draw.clear();  // every draw's record is written to the collector's, not copied per thread
        add_to_batch(local_.table);
        add_to_batch(local_.provision_pupils);
        add_to_batch(local_.placements);
        add_to_batch(local_.strategy);
        batch_ = HistogramBatch<std::int32_t>(histograms_);
    }

    const SufficiencyCollector& collector() const { return c_; }
    const Placements& placements() const { return fine_; }

    void start_draw(long draw) override {
        draw_ = draw;
        row_ = batch_.next_draw();
    }

    void year(int y, const Stock& stock, const YearFlows& flows) override {
        if (y == 0) {
            allocator_.start();
        } else {
            Stream stream(c_.seed_, static_cast<std::uint64_t>(draw_), StreamPurpose::allocation, static_cast<std::uint64_t>(y - 1));
            allocator_.step(y, stock, flows, stream);
        }
        summarise(y, stock);
    }

    void merge() override {
        batch_.finish();
        SufficiencyResult& r = c_.result_;
        merge_into(r.table, local_.table);
        merge_into(r.provision_pupils, local_.provision_pupils);
        merge_into(r.placements, local_.placements);
        merge_into(r.strategy, local_.strategy);
    }

private:
    // Each table's histograms take a batch row's columns in their own layout, the tables one after
    // another: offset_[i] is where the i-th begins.
    template <class Table>
    void add_to_batch(Table& table) {
        offset_.push_back(histograms_.size());
        for (Histogram& h : table) histograms_.push_back(&h);
    }
    template <class Table>
    static void merge_into(Table& all, const Table& mine) {
        for (std::size_t i = 0; i < all.size(); ++i) all[i].merge(mine[i]);
    }

    void summarise(int y, const Stock& stock) {
        std::int64_t kinds[place_kinds] = {};
        count_placements(kinds);
        table_rows(y);
        std::transform(provision_.begin(), provision_.end(), &row_[offset_[1] + local_.provision_pupils.offset(y, 0)], batched);
        placements_by_group(y);
        strategy_measures_of(y, stock, kinds);
    }

    // Where this year's pupils were placed, from the allocator's occupied cells: fine_ by group,
    // phase, need and place kind (demand first), each provision's pupils, and pupils by place kind.
    void count_placements(std::int64_t* kinds) {
        std::fill(fine_.begin(), fine_.end(), 0);
        std::fill(provision_.begin(), provision_.end(), 0);
        for (const std::int32_t code : allocator_.occupied_cells()) {
            const auto cell = plan_.cell_of_code[static_cast<std::size_t>(code)];
            const int g = cell.group, a = cell.age, k = cell.need;
            const int p = plan_.phase_of_age[static_cast<std::size_t>(a)];
            const auto& usable = plan_.usable[static_cast<std::size_t>(g)];
            const auto& kind = plan_.kind[static_cast<std::size_t>(g)];
            std::int64_t* f = p >= 0 ? fine_.row(g, p, k).data() : nullptr;
            allocator_.for_each_slot(code, [&](int x, std::int32_t v) {
                if (!v) return;
                kinds[kind[static_cast<std::size_t>(x)]] += v;
                if (f) {
                    f[placed_demand] += v;
                    f[placed_in(kind[static_cast<std::size_t>(x)])] += v;
                }
                const int prov = plan_.slots[static_cast<std::size_t>(usable[static_cast<std::size_t>(x)])].provision;
                if (prov >= 0) provision_[static_cast<std::size_t>(prov)] += v;
            });
        }
    }

    // Rows of the table: each need, its broad area and all needs; each phase and all phases.
    void table_rows(int y) {
        const int K = plan_.dims.needs, G = local_.groups, P = local_.phases, NR = local_.need_rows;
        std::fill(rows_.begin(), rows_.end(), 0);
        for (int g = 0; g < G; ++g)
            for (int p = 0; p < P; ++p)
                for (int k = 0; k < K; ++k) {
                    const auto f = fine_.row(g, p, k);
                    const std::int64_t v[table_measures] = {
                        f[placed_demand], f[placed_demand] - f[placed_in(place_own_local)],
                        f[placed_in(place_out_of_borough)] + f[placed_in(place_independent)] + f[placed_in(place_waiting)]};
                    local_.for_each_row(p, k, K + broad_[static_cast<std::size_t>(k)], [&](int pr, int nr) {
                        for (int m = 0; m < table_measures; ++m) rows_(g, pr, nr, m) += v[m];
                    });
                }
        std::transform(rows_.begin(), rows_.end(), &row_[offset_[0] + local_.table.offset(y, 0, 0, 0, 0)], batched);
        // Each draw owns its slots of the shared record, so threads never write the same element.
        for (int g = 0; g < G; ++g)
            for (int m = 0; m < table_measures; ++m) c_.result_.by_draw(draw_, y, g, m) = batched(rows_(g, P, NR - 1, m));
    }

    // Placements by place group and kind.
    void placements_by_group(int y) {
        const int K = plan_.dims.needs, G = local_.groups, P = local_.phases;
        std::fill(by_group_.begin(), by_group_.end(), 0);
        for (int g = 0; g < G; ++g)
            for (int p = 0; p < P; ++p)
                for (int k = 0; k < K; ++k)
                    for (int kind = 0; kind < place_kinds; ++kind) by_group_(g, kind) += fine_(g, p, k, placed_in(kind));
        std::transform(by_group_.begin(), by_group_.end(), &row_[offset_[2] + local_.placements.offset(y, 0, 0)], batched);
    }

    // The strategy's measures: shares of plans by setting's strategy group, and pupils placed out.
    void strategy_measures_of(int y, const Stock& stock, const std::int64_t* kinds) {
        const std::size_t S = static_cast<std::size_t>(plan_.dims.settings);
        std::fill(by_setting_.begin(), by_setting_.end(), 0);
        for (std::size_t c = 0, cells = stock.size(); c < cells; c += S)
            for (std::size_t s = 0; s < S; ++s) by_setting_[s] += stock[c + s];
        std::int64_t total = 0, mainstream = 0, independent = 0;
        for (std::size_t s = 0; s < S; ++s) {
            total += by_setting_[s];
            if (mainstream_[s]) mainstream += by_setting_[s];
            if (independent_[s]) independent += by_setting_[s];
        }
        const std::int64_t out_or_independent = kinds[place_elsewhere_at_base] + kinds[place_out_of_borough] + kinds[place_independent];
        auto share = [&](std::int64_t part) { return total ? std::llround(kShareScale * static_cast<double>(part) / static_cast<double>(total)) : 0LL; };
        const std::int64_t values[strategy_measures] = {share(mainstream), share(independent + out_or_independent),
                                                        kinds[place_out_of_borough] + kinds[place_independent], kinds[place_waiting]};
        std::transform(values, values + strategy_measures, &row_[offset_[3] + local_.strategy.offset(y, 0)], batched);
    }

    SufficiencyCollector& c_;
    const PlacementPlan& plan_;
    Allocator allocator_;
    SufficiencyResult local_;
    long draw_ = 0;
    std::vector<std::uint8_t> mainstream_, independent_;
    std::vector<std::int64_t> by_setting_;
    std::vector<int> broad_;
    Placements fine_;
    IndexArray<std::int64_t, dim::Group, dim::PhaseRow, dim::NeedRow, dim::Measure> rows_;
    std::vector<std::int64_t> provision_;
    IndexArray<std::int64_t, dim::Group, dim::PlaceKind> by_group_;
    std::vector<Histogram*> histograms_;    // table, provisions, placements, strategy
    std::vector<std::size_t> offset_;       // where each of those starts in a batch row
    HistogramBatch<std::int32_t> batch_;
    std::int32_t* row_ = nullptr;
};

DrawStageFactory SufficiencyCollector::stage() {
    return [this](const DrawStages&) -> std::unique_ptr<DrawStage> { return std::make_unique<SufficiencyDraws>(*this); };
}

const Placements* SufficiencyCollector::placements_in(const DrawStages& stages) const {
    for (const auto& stage : stages)
        if (const auto* mine = dynamic_cast<const SufficiencyDraws*>(stage.get()); mine && &mine->collector() == this) return &mine->placements();
    return nullptr;
}

}  // namespace sendplan
