#include "simulate/draw.h"

#include <boost/random/binomial_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "simulate/poisson.h"

namespace sendplan {

namespace {
constexpr std::int32_t kBinomialFrom = 128;  // cells at least this large draw their stayers at once (England-sized runs)

// Binomial(n, p). With few expected successes (or failures), by counting geometric gaps between
// them: about n min(p, 1-p) + 1 logarithms and no setup, where the cells here usually are; otherwise
// Boost's BTRD rejection sampler.
std::int32_t binomial(Stream& s, std::int32_t n, double p) {
    if (n <= 0 || p <= 0.0) return 0;
    if (p >= 1.0) return n;
    const bool flip = p > 0.5;
    const double q = flip ? 1.0 - p : p;
    std::int32_t k = 0;
    if (static_cast<double>(n) * q < 16.0) {
        const double log_miss = std::log1p(-q);
        double position = 0;
        for (;;) {
            position += std::floor(std::log(1.0 - s.uniform()) / log_miss) + 1.0;
            if (position > n) break;
            ++k;
        }
    } else {
        boost::random::binomial_distribution<std::int32_t, double> d(n, q);
        k = d(s);
    }
    return flip ? n - k : k;
}
}  // namespace

DrawSimulator::DrawSimulator(const Posterior& posterior, const std::vector<int>& setting_family)
    : posterior_(posterior), params_(posterior), current_(posterior.base_stock), next_(posterior.base_stock.size()),
      stayed_in_family_(posterior.base_stock.size(), 0) {
    for (int s = 0; s <= posterior.dims.settings; ++s)  // the last is "ceases", a family of its own
        family_.push_back(s < static_cast<int>(setting_family.size()) ? static_cast<std::uint32_t>(setting_family[static_cast<std::size_t>(s)])
                                                                       : static_cast<std::uint32_t>(s) + 1000000u);
    if (!setting_family.empty() && static_cast<int>(setting_family.size()) != posterior.dims.settings)
        throw std::invalid_argument("a setting family is needed for every setting");
    if (posterior.dims.settings > 64) throw std::invalid_argument("the simulation handles at most 64 settings");  // one bit each in a row's mask
    landed_.assign(static_cast<std::size_t>(posterior.dims.settings) + 1, 0);
    if (!posterior.move_redirects.empty()) {
        const Dimensions& d = posterior.dims;
        const std::size_t cells = static_cast<std::size_t>(posterior.horizon) * static_cast<std::size_t>(d.cells());
        redirect_threshold_.assign(cells, 0);
        redirect_to_.assign(cells, 0);
        for (int h = 0; h < posterior.horizon; ++h)
            for (const auto& r : posterior.move_redirects) {
                if (posterior.base_year + h + 1 < r.from_year) continue;  // moves counted at the census of base_year + h + 1
                const auto threshold = static_cast<std::uint32_t>(std::min(r.share, 1.0) * 4294967295.0);
                for (const int a : r.ages)
                    for (const int k : r.needs)
                        for (const int to : r.to) {
                            const std::size_t i = static_cast<std::size_t>(h) * static_cast<std::size_t>(d.cells()) + static_cast<std::size_t>(d.cell(a, k, to));
                            redirect_threshold_[i] = threshold;
                            redirect_to_[i] = static_cast<std::uint8_t>(r.instead);
                        }
            }
    }
}

void DrawSimulator::run(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer) {
    const Posterior& p = posterior_;
    const Dimensions& d = p.dims;
    const int A = d.ages, K = d.needs, S = d.settings;
    Stream parameter_stream(seed, draw, StreamPurpose::parameters);
    sample_parameters(p, parameter_stream, params_, scratch_);
    DrawParameters& q = params_;  // move and joiner tables are built on first use

    current_ = p.base_stock;
    observer.year(0, current_, YearFlows{});
    // Net arrivals: each plan held brings another with probability equal to the rate (Bernoulli
    // thinning of a Poisson stream; the rate is a few per cent a year, so at most one per plan is ample).
    const double arrival_rate = std::min(q.transfer_rate > 0 ? q.transfer_rate : 0.0, 1.0);
    const std::uint32_t arrival_threshold = static_cast<std::uint32_t>(std::lround(arrival_rate * 65536.0));  // out of 2^16
    const std::uint32_t ceases = static_cast<std::uint32_t>(S);  // the outcome "plan ceases"

    double previous_trend = 0;
    for (int h = 0; h < p.horizon; ++h) {
        // Sub-streams keyed by year keep years aligned across scenarios that differ earlier on.
        Stream fate(seed, draw, StreamPurpose::ceasing_and_moves, static_cast<std::uint64_t>(h));
        Stream arrivals(seed, draw, StreamPurpose::transfers_in, static_cast<std::uint64_t>(h));
        Stream joiners(seed, draw, StreamPurpose::joiners, static_cast<std::uint64_t>(h));
        Stream noise(seed, draw, StreamPurpose::joiner_noise, static_cast<std::uint64_t>(h));
        Stream needs(seed, draw, StreamPurpose::need_changes, static_cast<std::uint64_t>(h));
        Stream redirected(seed, draw, StreamPurpose::redirected_moves, static_cast<std::uint64_t>(h));
        const std::uint32_t* redirect_year = redirect_threshold_.empty() ? nullptr : &redirect_threshold_[static_cast<std::size_t>(h) * static_cast<std::size_t>(d.cells())];
        const std::uint8_t* redirect_to_year = redirect_to_.empty() ? nullptr : &redirect_to_[static_cast<std::size_t>(h) * static_cast<std::size_t>(d.cells())];
        YearFlows flows;
        flows.stayed_in_family = stayed_in_family_.data();
        flows.stayed_with_new_need = &stayed_with_new_need_;
        stayed_with_new_need_.clear();
        std::fill(next_.begin(), next_.end(), 0);

        // Plans held at the top age end.
        for (int c = d.cell(A - 1, 0, 0); c < d.cells(); ++c) flows.aged_out += current_[static_cast<std::size_t>(c)];
        for (int a = 0; a + 1 < A; ++a) {
            for (int k = 0; k < K; ++k) {
                // Many (age, need) rows are empty, and most rows have plans in only a few settings:
                // visit the occupied settings from a bit mask, so that no branch guesses at each one.
                const std::int32_t* row = &current_[static_cast<std::size_t>(d.cell(a, k, 0))];
                std::uint64_t occupied = 0;
                for (int s = 0; s < S; ++s) occupied |= static_cast<std::uint64_t>(row[s] != 0) << s;
                if (occupied == 0) continue;
                const std::size_t need_row = static_cast<std::size_t>(a * K + k);
                const std::uint32_t need_threshold = q.need_change_threshold[need_row];
                const AliasView new_need = q.new_need[need_row].view();
                // Where this row's plans are at the next census, by setting, the last slot counting
                // those whose plans cease; added to the next stock once the row is done.
                std::int32_t* landed = landed_.data();
                auto place_with_new_need = [&](std::uint32_t setting) {
                    const int to_need = static_cast<int>(new_need.sample32(static_cast<std::uint32_t>(needs() >> 32)));
                    ++next_[static_cast<std::size_t>(d.cell(a + 1, to_need, static_cast<int>(setting)))];
                    return to_need;
                };
                do {
                    const int s = std::countr_zero(occupied);
                    occupied &= occupied - 1;
                    const std::int32_t n = row[s];
                    const int cell = d.cell(a, k, s);
                    const std::uint32_t here = static_cast<std::uint32_t>(s);
                    const std::uint32_t here_family = family_[here];
                    const std::size_t from = static_cast<std::size_t>(a * S + s);
                    const std::uint32_t stay_threshold = q.stay_threshold[from];
                    std::int32_t stayers = 0, arriving = 0, kept_in_family = 0;
                    // A scenario may send some of these moves elsewhere (its own stream keeps the others aligned).
                    auto redirect = [&](std::uint32_t to) -> std::uint32_t {
                        if (!redirect_year || to == ceases) return to;
                        const std::size_t i = static_cast<std::size_t>(d.cell(a, k, static_cast<int>(to)));
                        if (redirect_year[i] && static_cast<std::uint32_t>(redirected() >> 32) < redirect_year[i]) return redirect_to_year[i];
                        return to;
                    };
                    // A mover (or leaver) lands where the cell's moves send her; she keeps her place if
                    // that is in her setting's family (a redirected one may land back where she was).
                    auto settle = [&](const AliasView& moves, std::uint64_t bits, std::uint32_t draw_bits) {
                        const std::uint32_t to = redirect(moves.sample32(draw_bits));
                        const bool in_family = family_[to] == here_family;  // "ceases" is a family of its own
                        kept_in_family += in_family;
                        if (to != ceases && ((bits >> 16) & 0xFFFF) < need_threshold) {
                            const int to_need = place_with_new_need(to);
                            if (in_family) stayed_with_new_need_.push_back({cell, to_need});
                        } else {
                            ++landed[to];  // the last slot counts plans that cease
                        }
                    };
                    if (n < kBinomialFrom) {
                        // One 64-bit number per plan: the high half decides whether it stays in its
                        // setting, 16 bits whether its need changes, 16 whether a plan like it
                        // arrives from another authority. A first pass without branches counts the
                        // plans that stay with the same need and keeps the others' numbers; a second
                        // pass settles those few (movers draw where to, and need changes).
                        std::uint64_t unusual[kBinomialFrom];
                        std::int32_t m = 0;
                        for (std::int32_t i = 0; i < n; ++i) {
                            const std::uint64_t bits = fate();
                            const bool need_changes = ((bits >> 16) & 0xFFFF) < need_threshold;
                            arriving += (bits & 0xFFFF) < arrival_threshold;
                            const bool stays = static_cast<std::uint32_t>(bits >> 32) < stay_threshold;
                            unusual[m] = bits;
                            m += !(stays & !need_changes);
                        }
                        stayers = n - m;
                        kept_in_family = stayers;
                        if (m > 0) {
                            const AliasView moves = q.next_if_moving[from];
                            for (std::int32_t j = 0; j < m; ++j) {
                                const std::uint64_t bits = unusual[j];
                                if (static_cast<std::uint32_t>(bits >> 32) >= stay_threshold) {
                                    settle(moves, bits, static_cast<std::uint32_t>(fate() >> 32));
                                } else {  // stays, with a new need
                                    ++kept_in_family;
                                    stayed_with_new_need_.push_back({cell, place_with_new_need(here)});
                                }
                            }
                        }
                    } else {
                        // A large cell: how many stay put, and how many of those change need, are
                        // binomial draws; only movers and leavers are drawn one by one.
                        const double stay = q.stay_probability[from];
                        stayers = stay >= 1.0 ? n : binomial(fate, n, stay);
                        kept_in_family = stayers;
                        const std::int32_t changing = need_threshold ? binomial(needs, stayers, need_threshold / 65536.0) : 0;
                        for (std::int32_t i = 0; i < changing; ++i) stayed_with_new_need_.push_back({cell, place_with_new_need(here)});
                        const std::int32_t movers = n - stayers;
                        stayers -= changing;
                        if (movers > 0) {
                            const AliasView moves = q.next_if_moving[from];
                            for (std::int32_t i = 0; i < movers; ++i) {
                                const std::uint64_t bits = fate();
                                settle(moves, bits, static_cast<std::uint32_t>(bits >> 32));
                            }
                        }
                        if (arrival_threshold) arriving = binomial(fate, n, arrival_threshold / 65536.0);
                    }
                    landed[s] += stayers;
                    stayed_in_family_[static_cast<std::size_t>(cell)] = kept_in_family;
                    if (arriving > 0) {
                        const AliasView moves = q.next_if_moving[from];
                        for (std::int32_t i = 0; i < arriving; ++i) {
                            // Arrivals hold a plan: their setting follows the same moves, conditional
                            // on not ceasing.
                            std::uint32_t to = ceases;
                            for (int tries = 0; to == ceases && tries < 64; ++tries) {
                                const std::uint64_t bits = arrivals();
                                to = static_cast<std::uint32_t>(bits >> 32) < stay_threshold ? here : moves.sample32(static_cast<std::uint32_t>(bits));
                            }
                            ++landed[to == ceases ? here : to];
                        }
                        flows.transfers_in += arriving;
                    }
                } while (occupied != 0);
                std::int32_t* older = &next_[static_cast<std::size_t>(d.cell(a + 1, k, 0))];
                for (int s = 0; s < S; ++s) {
                    older[s] += landed[s];
                    landed[s] = 0;
                }
                flows.ceased += landed[S];
                landed[S] = 0;
            }
        }

        // New plans in calendar year base_year + h, by the age they are at the next census.
        const int steps = p.base_year + h - p.trend.last_year;
        boost::random::normal_distribution<double> normal(0.0, 1.0);
        double trend = q.trend_intercept + q.trend_slope * damped_time(p.trend.damping, steps);
        // A scenario's cap holds the trend (not the year's noise) to a growth rate from its year.
        if (p.joiner_growth_cap.from_year > 0 && h > 0 && p.base_year + h + 1 >= p.joiner_growth_cap.from_year)
            trend = std::min(trend, previous_trend + p.joiner_growth_cap.log_growth);
        previous_trend = trend;
        const double log_rate = trend + q.trend_sigma * normal(noise);
        const double rate = std::exp(log_rate);
        const double* population = &p.population_by_year_age[static_cast<std::size_t>(h * A)];
        for (int a = 0; a < A; ++a) {
            const double mean = rate * q.joiner_age_weight[static_cast<std::size_t>(a)] * population[a];
            const std::int64_t n = sample_poisson(joiners, mean);
            const AliasView cell = q.joiner_cell[static_cast<std::size_t>(a)];
            std::int32_t* at_age = &next_[static_cast<std::size_t>(d.cell(a, 0, 0))];
            for (std::int64_t i = 0; i < n; ++i) ++at_age[cell.sample32(static_cast<std::uint32_t>(joiners() >> 32))];
            flows.joiners += n;
        }
        std::swap(current_, next_);
        observer.year(h + 1, current_, flows);
    }
}

}  // namespace sendplan
