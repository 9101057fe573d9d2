#include "finance/spend.h"

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <span>
#include <stdexcept>

#include "core/rng.h"

namespace sendplan {

double SpendResult::balance(long draw, int y) const {
    double b = opening_balance;
    for (int t = 1; t <= y; ++t) b += income[static_cast<std::size_t>(t)] - high_needs(draw, t);
    return b;
}

SpendCollector::SpendCollector(const CostModel& costs, const Dimensions& dims, const Taxonomy& tax, std::uint64_t seed, long draws)
    : costs_(costs), dims_(dims), seed_(seed) {
    for (int a = 0; a < dims.ages; ++a) phase_of_age_.push_back(tax.phase_of_age(tax.min_age + a));
    SpendResult& r = result_;
    r.base_year = costs.base_year;
    r.horizon = costs.horizon;
    r.placements = costs.placements;
    r.draws = draws;
    r.placement_codes = costs.placement_codes;
    r.placement_labels = costs.placement_labels;
    r.by_draw.assign(shape_of(draws, r.years(), r.lines()), 0.0);
    r.capital = costs.capital;
    r.has_income = costs.has_income;
    r.income = costs.income;
    r.opening_balance = costs.opening_balance;
}

// One thread's pricing workspace, allocated once: the draw's unit costs and price indices, and the
// children counted by the placement they are costed at.
// `placed`: the allocation stage's placements each year, null without places.
class SpendDraws : public DrawStage {
public:
    SpendDraws(SpendCollector& c, const Placements* placed) : c_(c), m_(c.costs_), placed_(placed) {
        factor_.assign(m_.table->rows.size(), 1.0);
        index_.assign(shape_of(m_.years(), cost_elements), 1.0);
        counts_.assign(shape_of(m_.placements, m_.phases, m_.needs), 0);
    }

    // With places, a local provision's place funding is paid for every place it has, filled or not.
    void commissioned_places(int y, std::span<double> out) {
        const PlacementPlan& plan = *c_.plan_;
        const int G = plan.groups(), P = m_.phases, K = m_.needs;
        for (int g = 0; g < G; ++g) {
            const int home = m_.home_placement[static_cast<std::size_t>(g)];
            for (int p = 0; p < P; ++p)
                for (int k = 0; k < K; ++k) {
                    const double places = plan.places_by_group_phase_need(y, g, p, k);
                    const int row = m_.row_of(home, p, k, cost_place);
                    if (row < 0 || places == 0) continue;
                    const double spend = places * unit(row, y, home, p, k, cost_place);
                    add_spend(out, cost_place, home, spend);
                }
        }
    }

    // A year's spend is kept twice, by element and by placement (SpendResult's lines).
    static void add_spend(std::span<double> lines, int element, int placement, double spend) {
        lines[as_extent(element)] += spend;
        lines[as_extent(cost_elements + placement)] += spend;
    }

    // What one child (or place) at a placement, phase and need costs of one element in year y.
    double unit(int row, int y, int placement, int phase, int need, int e) const {
        double u = m_.table->rows[static_cast<std::size_t>(row)].pounds * factor_[static_cast<std::size_t>(row)] * index_(y, e);
        if (m_.has_changes) u *= m_.change_factor(y, placement, phase, need, e);
        return u;
    }

    void start_draw(long draw) override {
        draw_ = draw;
        // What each cost turns out to be: a factor of mean one, drawn once per draw, so an
        // uncertain cost is uncertain in every year alike.
        Stream level(c_.seed_, static_cast<std::uint64_t>(draw), StreamPurpose::costs, 0);
        boost::random::normal_distribution<double> normal(0.0, 1.0);
        for (std::size_t r = 0; r < factor_.size(); ++r) {
            const double sd = m_.table->rows[r].uncertainty_percent / 100.0;
            const double z = normal(level);
            factor_[r] = sd > 0 ? std::exp(sd * z - 0.5 * sd * sd) : 1.0;
        }
        // How fast costs grow: each year's growth of each element drawn about its assumed rate.
        Stream growth(c_.seed_, static_cast<std::uint64_t>(draw), StreamPurpose::costs, 1);
        boost::random::normal_distribution<double> growth_normal(0.0, 1.0);
        const double sd = m_.rates.inflation_uncertainty_percent;
        for (int e = 0; e < cost_elements; ++e) index_(0, e) = 1.0;
        for (int y = 1; y < m_.years(); ++y)
            for (int e = 0; e < cost_elements; ++e) {
                const double z = growth_normal(growth);
                const double rate = (m_.inflation_percent(y, e) + (sd > 0 ? sd * z : 0.0)) / 100.0;
                index_(y, e) = index_(y - 1, e) * (1.0 + rate);
            }
    }

    void year(int y, const Stock& stock, const YearFlows&) override {
        count_children(stock);
        if (placed_) cost_where_placed();
        SpendResult& r = c_.result_;
        const std::span<double> out = r.by_draw.row(draw_, y);
        std::fill(out.begin(), out.end(), 0.0);
        if (placed_) commissioned_places(y, out);
        price(y, out);
    }

    // The year's children by the placement they are costed at (their setting), phase and need.
    void count_children(const Stock& stock) {
        const Dimensions& d = c_.dims_;
        const int K = m_.needs;
        std::fill(counts_.begin(), counts_.end(), 0);
        for (int a = 0; a < d.ages; ++a) {
            const int p = c_.phase_of_age_[static_cast<std::size_t>(a)];
            if (p < 0) continue;
            for (int k = 0; k < K; ++k)
                for (int s = 0; s < d.settings; ++s) counts_(s, p, k) += stock[static_cast<std::size_t>(d.cell(a, k, s))];
        }
    }

    // Where places were allocated, a child placed other than in her own place group's local
    // provision is costed where she was placed.
    void cost_where_placed() {
        const PlacementPlan& plan = *c_.plan_;
        const int K = m_.needs, P = m_.phases;
        for (int g = 0; g < plan.groups(); ++g) {
            const int home = m_.home_placement[static_cast<std::size_t>(g)];
            for (int p = 0; p < P; ++p)
                for (int k = 0; k < K; ++k)
                    for (int kind = 0; kind < place_kinds; ++kind) {
                        const int to = m_.kind_placement(g, kind);
                        if (to == home) continue;
                        const std::int64_t n = (*placed_)(g, p, k, placed_in(kind));
                        counts_(home, p, k) -= n;
                        counts_(to, p, k) += n;
                    }
        }
    }

    // Every child priced at her placement's unit costs, element by element (place funding of a
    // commissioned placement is paid by the place, with places allocated, not by the pupil).
    void price(int y, std::span<double> out) {
        const int K = m_.needs, P = m_.phases;
        for (int pl = 0; pl < m_.placements; ++pl)
            for (int p = 0; p < P; ++p)
                for (int k = 0; k < K; ++k) {
                    const std::int64_t n = counts_(pl, p, k);
                    if (n == 0) continue;
                    for (int e = 0; e < cost_elements; ++e) {
                        if (placed_ && e == cost_place && m_.commissioned[static_cast<std::size_t>(pl)]) continue;
                        const int row = m_.row_of(pl, p, k, e);
                        if (row < 0) continue;
                        const double spend = static_cast<double>(n) * unit(row, y, pl, p, k, e);
                        add_spend(out, e, pl, spend);
                    }
                }
    }

    void merge() override {}

private:
    SpendCollector& c_;
    const CostModel& m_;
    const Placements* placed_;
    long draw_ = 0;
    std::vector<double> factor_;  // [cost-table row]
    IndexArray<double, dim::Year, dim::CostElement> index_;  // the draw's price index
    IndexArray<std::int64_t, dim::Placement, dim::Phase, dim::Need> counts_;
};

DrawStageFactory SpendCollector::stage(const SufficiencyCollector* places) {
    plan_ = places ? &places->plan() : nullptr;
    return [this, places](const DrawStages& earlier) -> std::unique_ptr<DrawStage> {
        const Placements* placed = places ? places->placements_in(earlier) : nullptr;
        if (places && !placed) throw std::logic_error("the spend stage must come after the allocation of places it prices");
        return std::make_unique<SpendDraws>(*this, placed);
    };
}

}  // namespace sendplan
