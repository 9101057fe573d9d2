#include "simulate/synthetic_history.h"

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <stdexcept>

#include "model/parameters.h"
#include "model/samplers.h"

namespace sendplan {

std::vector<CensusRow> synthesise_history(const Posterior& truth, const SyntheticOptions& o) {
    if (o.years < 1 || o.years > truth.horizon) throw std::invalid_argument("synthetic years must be 1.. the posterior's horizon");
    const Dimensions& d = truth.dims;
    const int A = d.ages, K = d.needs, S = d.settings;
    DrawParameters q(truth);
    std::vector<double> scratch;
    Stream parameter_stream(o.seed, 0, StreamPurpose::parameters);
    sample_parameters(truth, parameter_stream, q, scratch);

    struct Child {
        long id;
        PersonState state;
    };
    std::vector<Child> children, next;
    long next_id = 1;
    for (int c = 0; c < d.cells(); ++c)
        for (std::int32_t i = 0; i < truth.base_stock[static_cast<std::size_t>(c)]; ++i)
            children.push_back(Child{next_id++, PersonState{d.age_of(c), d.need_of(c), d.setting_of(c)}});
    std::vector<CensusRow> rows;
    auto record = [&](int year) {
        for (const auto& c : children) {
            std::string id = std::to_string(c.id);
            id.insert(id.begin(), 'P');
            rows.push_back(CensusRow{std::move(id), year, c.state});
        }
    };
    record(o.first_census);
    for (int h = 0; h < o.years; ++h) {
        Stream fate(o.seed, 0, StreamPurpose::ceasing_and_moves, static_cast<std::uint64_t>(h));
        Stream needs(o.seed, 0, StreamPurpose::need_changes, static_cast<std::uint64_t>(h));
        Stream joiners(o.seed, 0, StreamPurpose::joiners, static_cast<std::uint64_t>(h));
        Stream noise(o.seed, 0, StreamPurpose::joiner_noise, static_cast<std::uint64_t>(h));
        Stream arrivals(o.seed, 0, StreamPurpose::transfers_in, static_cast<std::uint64_t>(h));
        next.clear();
        for (const auto& c : children) {
            const int a = c.state.age;
            if (a + 1 >= A) continue;  // plans end at the top age
            const std::size_t from = static_cast<std::size_t>(a * S + c.state.setting);
            // As in the projection: one number splits into stays, moves and ceases.
            std::uint32_t to = static_cast<std::uint32_t>(c.state.setting);
            const std::uint64_t u = fate() >> 32;
            if (u >= q.cease_from[from]) continue;
            if (u >= q.stay_below[from]) to = q.next_if_moving[from].sample32(static_cast<std::uint32_t>(fate() >> 32));
            PersonState s{a + 1, c.state.need, static_cast<int>(to)};
            const std::size_t need_row = static_cast<std::size_t>(a * K + c.state.need);
            if ((needs() >> 48) < q.need_change_threshold[need_row])
                s.need = static_cast<int>(q.new_need[need_row].sample32(static_cast<std::uint32_t>(needs() >> 32)));
            next.push_back(Child{c.id, s});
            // A plan arriving from another authority: a new child like this one.
            if (q.transfer_rate > 0 && arrivals.uniform() < q.transfer_rate) next.push_back(Child{next_id++, s});
        }
        const int steps = o.first_census + h - truth.trend.last_year;
        boost::random::normal_distribution<double> normal(0.0, 1.0);
        const double rate = std::exp(q.trend_intercept + q.trend_slope * damped_time(truth.trend.damping, steps) + q.trend_sigma * normal(noise));
        for (int a = 0; a < A; ++a) {
            const double mean = rate * q.joiner_age_weight[static_cast<std::size_t>(a)] * truth.population_by_year_age[static_cast<std::size_t>(h * A + a)];
            const std::int64_t n = sample_poisson(joiners, mean);
            const AliasView cell = q.joiner_cell[static_cast<std::size_t>(a)];
            for (std::int64_t i = 0; i < n; ++i) {
                const int ks = static_cast<int>(cell.sample32(static_cast<std::uint32_t>(joiners() >> 32)));
                next.push_back(Child{next_id++, PersonState{a, ks / S, ks % S}});
            }
        }
        std::swap(children, next);
        record(o.first_census + h + 1);
    }
    return rows;
}

}  // namespace sendplan
