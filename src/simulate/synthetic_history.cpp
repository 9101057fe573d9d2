#include "simulate/synthetic_history.h"

#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <stdexcept>

#include "model/parameters.h"
#include "model/samplers.h"

namespace sendplan {

namespace {

struct Child {
    long id;
    PersonState state;
};

// One synthetic history being written: the children at the latest census, and every census's rows.
class History {
public:
    History(const Posterior& truth, const SyntheticOptions& o) : truth_(truth), o_(o), q_(truth) {
        Stream parameter_stream(o.seed, 0, StreamPurpose::parameters);
        sample_parameters(truth, parameter_stream, q_, scratch_);
        const Dimensions& d = truth.dims;
        for (int c = 0; c < d.cells(); ++c)
            for (std::int32_t i = 0; i < truth.base_stock[static_cast<std::size_t>(c)]; ++i)
                children_.push_back(Child{next_id_++, PersonState{d.age_of(c), d.need_of(c), d.setting_of(c)}});
        record(o.first_census);
    }

    void step(int h) {
        next_.clear();
        age_on(h);
        join(h);
        std::swap(children_, next_);
        record(o_.first_census + h + 1);
    }

    std::vector<CensusRow> rows() && { return std::move(rows_); }

private:
    void record(int year) {
        for (const auto& c : children_) {
            std::string id = std::to_string(c.id);
            id.insert(id.begin(), 'P');
            rows_.push_back(CensusRow{std::move(id), year, c.state});
        }
    }

    // As in the projection: one number splits into stays, moves and ceases; plans end at the top
    // age; a plan arriving from another authority is a new child like this one.
    void age_on(int h) {
        const Dimensions& d = truth_.dims;
        Stream fate(o_.seed, 0, StreamPurpose::ceasing_and_moves, static_cast<std::uint64_t>(h));
        Stream needs(o_.seed, 0, StreamPurpose::need_changes, static_cast<std::uint64_t>(h));
        Stream arrivals(o_.seed, 0, StreamPurpose::transfers_in, static_cast<std::uint64_t>(h));
        for (const auto& c : children_) {
            const int a = c.state.age;
            if (a + 1 >= d.ages) continue;
            const std::size_t from = q_.stay_probability.offset(a, c.state.setting);
            std::uint32_t to = static_cast<std::uint32_t>(c.state.setting);
            const std::uint64_t u = fate() >> 32;
            if (u >= q_.cease_from[from]) continue;
            if (u >= q_.stay_below[from]) to = q_.next_if_moving[from].sample32(static_cast<std::uint32_t>(fate() >> 32));
            PersonState s{a + 1, c.state.need, static_cast<int>(to)};
            const std::size_t need_row = q_.need_change_threshold.offset(a, c.state.need);
            if ((needs() >> 48) < q_.need_change_threshold[need_row])
                s.need = static_cast<int>(q_.new_need[need_row].sample32(static_cast<std::uint32_t>(needs() >> 32)));
            next_.push_back(Child{c.id, s});
            if (q_.transfer_rate > 0 && arrivals.uniform() < q_.transfer_rate) next_.push_back(Child{next_id_++, s});
        }
    }

    // New plans in the year, by the age they are at the next census.
    void join(int h) {
        const Dimensions& d = truth_.dims;
        const int A = d.ages, S = d.settings;
        Stream joiners(o_.seed, 0, StreamPurpose::joiners, static_cast<std::uint64_t>(h));
        Stream noise(o_.seed, 0, StreamPurpose::joiner_noise, static_cast<std::uint64_t>(h));
        const int steps = o_.first_census + h - truth_.trend.last_year;
        boost::random::normal_distribution<double> normal(0.0, 1.0);
        const double rate = std::exp(q_.trend_intercept + q_.trend_slope * damped_time(truth_.trend.damping, steps) + q_.trend_sigma * normal(noise));
        for (int a = 0; a < A; ++a) {
            const double mean = rate * q_.joiner_age_weight[static_cast<std::size_t>(a)] * truth_.population_by_year_age(h, a);
            const std::int64_t n = sample_poisson(joiners, mean);
            const AliasView cell = q_.joiner_cell[static_cast<std::size_t>(a)];
            for (std::int64_t i = 0; i < n; ++i) {
                const int ks = static_cast<int>(cell.sample32(static_cast<std::uint32_t>(joiners() >> 32)));
                next_.push_back(Child{next_id_++, PersonState{a, ks / S, ks % S}});
            }
        }
    }

    const Posterior& truth_;
    const SyntheticOptions& o_;
    DrawParameters q_;
    std::vector<double> scratch_;
    std::vector<Child> children_, next_;
    long next_id_ = 1;
    std::vector<CensusRow> rows_;
};

}  // namespace

std::vector<CensusRow> synthesise_history(const Posterior& truth, const SyntheticOptions& o) {
    if (o.years < 1 || o.years > truth.horizon) throw std::invalid_argument("synthetic years must be 1.. the posterior's horizon");
    History history(truth, o);
    for (int h = 0; h < o.years; ++h) history.step(h);
    return std::move(history).rows();
}

}  // namespace sendplan
