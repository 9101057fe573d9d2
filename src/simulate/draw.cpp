#include "simulate/draw.h"

#include <boost/random/normal_distribution.hpp>
#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "core/error.h"
#include "core/numbers.h"
#include "model/samplers.h"

namespace sendplan {

namespace {
constexpr std::int32_t kBinomialFrom = 128;  // cells at least this large draw their stayers at once (England-sized runs)

double held_total(const Stock& stock) {
    double held = 0;
    for (const std::int32_t n : stock) held += n;
    return held;
}

double expected_new_plans(double rate, const std::vector<double>& age_weight, const double* population) {
    double expected = 0;
    for (std::size_t a = 0; a < age_weight.size(); ++a) expected += rate * age_weight[a] * population[a];
    return expected;
}

// A shift of the year's net growth by `shift` plans per plan held reaches the area through its new
// plans: the year's expected new plans move by shift x plans held (never below none).
double net_growth_factor(double shift, double held, double expected) { return expected > 0 ? std::max(0.0, 1.0 + shift * held / expected) : 1.0; }
}  // namespace

DrawSimulator::DrawSimulator(const Posterior& posterior, const std::vector<int>& setting_family)
    : posterior_(posterior), params_(posterior), arrivals_by_cell_size_(kBinomialFrom), current_(posterior.base_stock), next_(posterior.base_stock.size()),
      stayed_in_family_(posterior.base_stock.size(), 0) {
    for (int s = 0; s < posterior.dims.settings; ++s)
        family_.push_back(s < static_cast<int>(setting_family.size()) ? static_cast<std::uint32_t>(setting_family[static_cast<std::size_t>(s)])
                                                                       : static_cast<std::uint32_t>(s) + 1000000u);
    if (!setting_family.empty() && static_cast<int>(setting_family.size()) != posterior.dims.settings)
        throw std::invalid_argument("a setting family is needed for every setting");
    if (posterior.dims.settings > 64) throw std::invalid_argument("the simulation handles at most 64 settings");  // one bit each in a row's mask
    landed_.assign(static_cast<std::size_t>(posterior.dims.settings), 0);
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
    const Dimensions d = p.dims;  // a copy: the compiler need not reload it after every count written
    const int A = d.ages, K = d.needs, S = d.settings;
    Stream parameter_stream(seed, draw, StreamPurpose::parameters);
    sample_parameters(p, parameter_stream, params_, scratch_);
    DrawParameters& q = params_;  // move and joiner tables are built on first use

    current_ = p.base_stock;
    observer.year(0, current_, YearFlows{});
    // Net arrivals: each plan held brings another with probability equal to the rate (Bernoulli
    // thinning of a Poisson stream; the rate is a few per cent a year, so at most one per plan is ample).
    // A cell's arrivals are one binomial count.
    const double arrival_rate = std::min(q.transfer_rate > 0 ? q.transfer_rate : 0.0, 1.0);
    arrivals_by_cell_size_.build(arrival_rate);

    double previous_trend = 0;
    double england_shock = 0;  // England's net growth of plans per plan held, above what the trend and rates give
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
                // Many (age, need) rows are empty: skip them with one vectorised test. Most others
                // have plans in only a few settings: visit those from a bit mask, so that no branch
                // guesses at each setting.
                const std::int32_t* row = &current_[static_cast<std::size_t>(d.cell(a, k, 0))];
                std::int32_t any = 0;
                for (int s = 0; s < S; ++s) any |= row[s];
                if (any == 0) continue;
                std::uint64_t occupied = 0;
                for (int s = 0; s < S; ++s) occupied |= static_cast<std::uint64_t>(row[s] != 0) << s;
                const std::size_t need_row = static_cast<std::size_t>(a * K + k);
                const std::uint32_t need_threshold = q.need_change_threshold[need_row];
                const AliasView new_need = q.new_need[need_row].view();
                // Where this row's plans are at the next census, by setting; added to the next stock
                // once the row is done.
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
                    std::int32_t stayers = 0, ceased = 0, kept_in_family = 0;
                    // A scenario may send some of these moves elsewhere (its own stream keeps the others aligned).
                    auto redirect = [&](std::uint32_t to) -> std::uint32_t {
                        if (!redirect_year) return to;
                        const std::size_t i = static_cast<std::size_t>(d.cell(a, k, static_cast<int>(to)));
                        if (redirect_year[i] && static_cast<std::uint32_t>(redirected() >> 32) < redirect_year[i]) return redirect_to_year[i];
                        return to;
                    };
                    // A mover draws where to (high half of her number) and whether her need changes
                    // (16 bits); she keeps her place if she lands in her setting's family (a
                    // redirected one may land back where she was).
                    auto settle_mover = [&](const AliasView& moves, std::uint64_t bits) {
                        const std::uint32_t to = redirect(moves.sample32(static_cast<std::uint32_t>(bits >> 32)));
                        const bool in_family = family_[to] == here_family;
                        kept_in_family += in_family;
                        if (((bits >> 16) & 0xFFFF) < need_threshold) {
                            const int to_need = place_with_new_need(to);
                            if (in_family) stayed_with_new_need_.push_back({cell, to_need});
                        } else {
                            ++landed[to];
                        }
                    };
                    const std::uint64_t stay_below = q.stay_below[from], cease_from = q.cease_from[from];
                    if (n < kBinomialFrom) {
                        // One 32-bit number per plan (two to each 64-bit one) splits at thresholds:
                        // below `same_below` the plan stays with the same need, then stays with a
                        // new need, then (from `stay_below`) moves, and from `cease_from` ceases. A
                        // first pass without branches counts those who stay as they are and those
                        // whose plans cease, and keeps the others' numbers; a second pass settles
                        // those few.
                        const std::uint64_t same_below = stay_below - ((stay_below * need_threshold) >> 16);
                        const std::uint64_t unusual_span = cease_from - same_below;
                        std::uint32_t unusual[kBinomialFrom];
                        std::int32_t m = 0;
                        auto sort_out = [&](std::uint32_t u) {
                            ceased += u >= cease_from;
                            unusual[m] = u;
                            m += (u - same_below) < unusual_span;  // wraps round below same_below
                        };
                        std::int32_t i = 0;
                        for (; i + 1 < n; i += 2) {
                            const std::uint64_t bits = fate();
                            sort_out(static_cast<std::uint32_t>(bits >> 32));
                            sort_out(static_cast<std::uint32_t>(bits));
                        }
                        if (i < n) sort_out(static_cast<std::uint32_t>(fate() >> 32));
                        stayers = n - m - ceased;
                        kept_in_family = stayers;
                        if (m > 0) {
                            const AliasView moves = q.next_if_moving[from];
                            for (std::int32_t j = 0; j < m; ++j) {
                                if (unusual[j] < stay_below) {  // stays, with a new need
                                    ++kept_in_family;
                                    stayed_with_new_need_.push_back({cell, place_with_new_need(here)});
                                } else {
                                    settle_mover(moves, fate());
                                }
                            }
                        }
                    } else {
                        // A large cell: how many stay, how many of the others cease, and how many
                        // stayers change need, are binomial draws; only movers are drawn one by one.
                        stayers = sample_binomial(fate, n, q.stay_probability[from]);
                        ceased = sample_binomial(fate, n - stayers, q.cease_share_of_leavers[from]);
                        kept_in_family = stayers;
                        const std::int32_t changing = need_threshold ? sample_binomial(needs, stayers, need_threshold / 65536.0) : 0;
                        for (std::int32_t i = 0; i < changing; ++i) stayed_with_new_need_.push_back({cell, place_with_new_need(here)});
                        const std::int32_t movers = n - stayers - ceased;
                        stayers -= changing;
                        if (movers > 0) {
                            const AliasView moves = q.next_if_moving[from];
                            for (std::int32_t i = 0; i < movers; ++i) settle_mover(moves, fate());
                        }
                    }
                    landed[s] += stayers;
                    flows.ceased += ceased;
                    stayed_in_family_[static_cast<std::size_t>(cell)] = kept_in_family;
                    const std::int32_t arriving = n < kBinomialFrom ? arrivals_by_cell_size_.sample(n, static_cast<std::uint32_t>(arrivals() >> 32))
                                                                    : sample_binomial(arrivals, n, arrival_rate);
                    if (arriving > 0) {
                        // Arrivals hold a plan: they stay or move as plans that go on do.
                        const std::uint64_t stays_below = q.stay_if_continuing_below[from];
                        const AliasView moves = q.next_if_moving[from];
                        for (std::int32_t i = 0; i < arriving; ++i) {
                            const std::uint64_t bits = arrivals();
                            ++landed[(bits >> 32) < stays_below ? here : moves.sample32(static_cast<std::uint32_t>(bits))];
                        }
                        flows.transfers_in += arriving;
                    }
                } while (occupied != 0);
                std::int32_t* older = &next_[static_cast<std::size_t>(d.cell(a + 1, k, 0))];
                for (int s = 0; s < S; ++s) {
                    older[s] += landed[s];
                    landed[s] = 0;
                }
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
        const double* population = &p.population_by_year_age[static_cast<std::size_t>(h * A)];
        double rate = std::exp(log_rate);
        double expected = expected_new_plans(rate, q.joiner_age_weight, population);
        if (p.england_shock_sd > 0 || p.yearly_departure_sd > 0) {
            Stream shock(seed, draw, StreamPurpose::england_shock, static_cast<std::uint64_t>(h));
            Stream departure(seed, draw, StreamPurpose::yearly_departure, static_cast<std::uint64_t>(h));
            england_shock += p.england_shock_sd * normal(shock);
            const double shift = england_shock + p.yearly_departure_sd * normal(departure);
            const double factor = net_growth_factor(shift, held_total(current_), expected);
            rate *= factor;
            expected *= factor;
        }
        // Each new plan is placed one by one into 32-bit cells: a year of more than ten million (a
        // hundred times England's) would take hours and overflow them, and can only come from a
        // population or trend no real area has.
        if (!(expected <= kMaxNewPlansAYear))
            throw DataError("a draw expects " + written(expected) + " new plans in " + std::to_string(p.base_year + h) + ", more than " +
                            written(kMaxNewPlansAYear) + ": check the population projection's years against each other, and the trend assumptions");
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
