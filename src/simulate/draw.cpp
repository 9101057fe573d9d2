#include "simulate/draw.h"

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "simulate/poisson.h"

namespace sendplan {

namespace {
constexpr int kMaxSettings = 62;
constexpr std::int32_t kBinomialFrom = 16;  // cells at least this large draw their stayers at once

std::int32_t binomial(Stream& s, std::int32_t n, double p) {
    boost::random::binomial_distribution<std::int32_t, double> d(n, p);
    return d(s);
}
}  // namespace

DrawSimulator::DrawSimulator(const Posterior& posterior)
    : posterior_(posterior), params_(posterior.dims), current_(posterior.base_stock), next_(posterior.base_stock.size()) {}

void DrawSimulator::run(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer) {
    const Posterior& p = posterior_;
    const Dimensions& d = p.dims;
    const int A = d.ages, K = d.needs, S = d.settings;
    Stream parameter_stream(seed, draw, StreamPurpose::parameters);
    sample_parameters(p, parameter_stream, params_, scratch_);
    const DrawParameters& q = params_;

    current_ = p.base_stock;
    observer.year(0, current_, YearFlows{});
    // Net arrivals: each plan held brings another with probability equal to the rate (Bernoulli
    // thinning of a Poisson stream; the rate is a few per cent a year, so at most one per plan is ample).
    const double arrival_rate = std::min(q.transfer_rate > 0 ? q.transfer_rate : 0.0, 1.0);
    const std::uint32_t arrival_threshold = static_cast<std::uint32_t>(arrival_rate * 4294967295.0);
    if (S > kMaxSettings) throw std::invalid_argument("the model allows at most 62 settings");
    const std::uint32_t ceases = static_cast<std::uint32_t>(S);  // the outcome "plan ceases"

    for (int h = 0; h < p.horizon; ++h) {
        // Sub-streams keyed by year keep years aligned across scenarios that differ earlier on.
        Stream fate(seed, draw, StreamPurpose::ceasing_and_moves, static_cast<std::uint64_t>(h));
        Stream arrivals(seed, draw, StreamPurpose::transfers_in, static_cast<std::uint64_t>(h));
        Stream joiners(seed, draw, StreamPurpose::joiners, static_cast<std::uint64_t>(h));
        Stream noise(seed, draw, StreamPurpose::joiner_noise, static_cast<std::uint64_t>(h));
        YearFlows flows;
        std::fill(next_.begin(), next_.end(), 0);

        for (int a = 0; a < A; ++a) {
            for (int k = 0; k < K; ++k)
                for (int s = 0; s < S; ++s) {
                    const std::int32_t n = current_[static_cast<std::size_t>(d.cell(a, k, s))];
                    if (n == 0) continue;
                    if (a == A - 1) {
                        flows.aged_out += n;
                        continue;
                    }
                    const AliasTable& next = q.next_setting[static_cast<std::size_t>(a * S + s)];
                    // One 64-bit number per plan: its high half picks the plan's fate (a setting, or
                    // ceasing), its low half whether a plan like it arrives from another authority.
                    std::int32_t outcome[kMaxSettings + 1];
                    std::fill_n(outcome, S + 1, 0);
                    std::int32_t arriving = 0;
                    if (n < kBinomialFrom) {
                        // Most plans stay put: counting stayers in a register avoids a chain of
                        // increments to the same memory slot.
                        std::int32_t stayers = 0;
                        const std::uint32_t here = static_cast<std::uint32_t>(s);
                        for (std::int32_t i = 0; i < n; ++i) {
                            const std::uint64_t bits = fate();
                            const std::uint32_t to = next.sample32(static_cast<std::uint32_t>(bits >> 32));
                            if (to == here) ++stayers;
                            else ++outcome[to];
                            arriving += static_cast<std::uint32_t>(bits) < arrival_threshold;
                        }
                        outcome[s] += stayers;
                    } else {
                        // A large cell: how many stay put is one binomial draw; only movers and
                        // leavers are drawn one by one. Same distribution, a fraction of the work.
                        const std::size_t from = static_cast<std::size_t>(a * S + s);
                        const double stay = q.stay_probability[from];
                        const std::int32_t stayers = stay >= 1.0 ? n : binomial(fate, n, stay);
                        outcome[s] += stayers;
                        const AliasTable& moving = q.next_if_moving[from];
                        for (std::int32_t i = stayers; i < n; ++i) ++outcome[moving.sample32(static_cast<std::uint32_t>(fate() >> 32))];
                        if (arrival_rate > 0) arriving = binomial(fate, n, arrival_rate);
                    }
                    std::int32_t* older = &next_[static_cast<std::size_t>(d.cell(a + 1, k, 0))];
                    for (int t = 0; t < S; ++t) older[t] += outcome[t];
                    flows.ceased += outcome[S];
                    for (std::int32_t i = 0; i < arriving; ++i) {
                        // Arrivals hold a plan: draw a destination, ignoring the ceasing outcome.
                        std::uint32_t to = ceases;
                        for (int tries = 0; to == ceases && tries < 64; ++tries) to = next.sample(arrivals.uniform());
                        ++older[to == ceases ? static_cast<std::uint32_t>(s) : to];
                    }
                    flows.transfers_in += arriving;
                }
        }

        // New plans in calendar year base_year + h, by the age they are at the next census.
        const int steps = p.base_year + h - p.trend.last_year;
        boost::random::normal_distribution<double> normal(0.0, 1.0);
        const double log_rate = q.trend_intercept + q.trend_slope * damped_time(p.trend.damping, steps) + q.trend_sigma * normal(noise);
        const double rate = std::exp(log_rate);
        const double* population = &p.population_by_year_age[static_cast<std::size_t>(h * A)];
        for (int a = 0; a < A; ++a) {
            const double mean = rate * q.joiner_age_weight[static_cast<std::size_t>(a)] * population[a];
            const std::int64_t n = sample_poisson(joiners, mean);
            const AliasTable& cell = q.joiner_cell[static_cast<std::size_t>(a)];
            std::int32_t* at_age = &next_[static_cast<std::size_t>(d.cell(a, 0, 0))];
            for (std::int64_t i = 0; i < n; ++i) ++at_age[cell.sample(joiners.uniform())];
            flows.joiners += n;
        }
        std::swap(current_, next_);
        observer.year(h + 1, current_, flows);
    }
}

}  // namespace sendplan
