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

DrawSimulator::DrawSimulator(const Posterior& posterior, const std::vector<int>& setting_family, const Interventions& interventions)
    : posterior_(posterior), params_(posterior), arrivals_by_cell_size_(kBinomialFrom), current_(posterior.base_stock), next_(posterior.base_stock.size()),
      stayed_in_family_(posterior.base_stock.size(), 0) {
    set_families(setting_family);
    if (posterior.dims.settings > 64) throw std::invalid_argument("the simulation handles at most 64 settings");  // one bit each in a row's mask
    landed_.assign(static_cast<std::size_t>(posterior.dims.settings), 0);
    // New plans joining in step h are counted at the census of base_year + h + 1.
    for (int h = 0; h < posterior.horizon; ++h) joiner_growth_limit_.push_back(interventions.joiner_growth_limit(posterior.base_year + h + 1));
    set_redirections(interventions);
}

void DrawSimulator::set_families(const std::vector<int>& setting_family) {
    const int settings = posterior_.dims.settings;
    for (int s = 0; s < settings; ++s)
        family_.push_back(s < static_cast<int>(setting_family.size()) ? static_cast<std::uint32_t>(setting_family[static_cast<std::size_t>(s)])
                                                                       : static_cast<std::uint32_t>(s) + 1000000u);
    if (!setting_family.empty() && static_cast<int>(setting_family.size()) != settings)
        throw std::invalid_argument("a setting family is needed for every setting");
}

// The redirections in force in each year, as a table the movers read without a search.
void DrawSimulator::set_redirections(const Interventions& interventions) {
    if (!interventions.redirects_moves()) return;
    const Posterior& p = posterior_;
    const std::size_t cells = static_cast<std::size_t>(p.horizon) * static_cast<std::size_t>(p.dims.cells());
    redirect_threshold_.assign(cells, 0);
    redirect_to_.assign(cells, 0);
    // Moves made in step h are counted at the census of base_year + h + 1.
    for (int h = 0; h < p.horizon; ++h) set_year_redirections(h, interventions.move_redirections_in(p.base_year + h + 1));
}

// A later redirection of the same age, need and setting overwrites an earlier one.
void DrawSimulator::set_year_redirections(int h, const std::vector<const MoveRedirection*>& in_force) {
    const Dimensions& d = posterior_.dims;
    const std::size_t year_offset = static_cast<std::size_t>(h) * static_cast<std::size_t>(d.cells());
    for (const MoveRedirection* r : in_force) {
        const auto threshold = static_cast<std::uint32_t>(std::min(r->share, 1.0) * 4294967295.0);
        for (const int a : r->ages)
            for (const int k : r->needs)
                for (const int to : r->to) {
                    const std::size_t i = year_offset + static_cast<std::size_t>(d.cell(a, k, to));
                    redirect_threshold_[i] = threshold;
                    redirect_to_[i] = static_cast<std::uint8_t>(r->instead);
                }
    }
}

void DrawSimulator::run(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer) { run_draw<false>(seed, draw, observer); }

void DrawSimulator::run(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer, PlanTracer& tracer) {
    tracer_ = &tracer;
    run_draw<true>(seed, draw, observer);
    tracer_ = nullptr;
}

template <bool Traced>
void DrawSimulator::run_draw(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer) {
    const Posterior& p = posterior_;
    Stream parameter_stream(seed, draw, StreamPurpose::parameters);
    sample_parameters(p, parameter_stream, params_, scratch_);  // move and joiner tables are built on first use

    current_ = p.base_stock;
    observer.year(0, current_, YearFlows{});
    // Net arrivals: each plan held brings another with probability equal to the rate (Bernoulli
    // thinning of a Poisson stream; the rate is a few per cent a year, so at most one per plan is ample).
    // A cell's arrivals are one binomial count.
    arrival_rate_ = std::min(params_.transfer_rate > 0 ? params_.transfer_rate : 0.0, 1.0);
    arrivals_by_cell_size_.build(arrival_rate_);

    JoinerTrend trend;
    for (int h = 0; h < p.horizon; ++h) {
        // Sub-streams keyed by year keep years aligned across scenarios that differ earlier on.
        YearStreams streams{Stream(seed, draw, StreamPurpose::ceasing_and_moves, static_cast<std::uint64_t>(h)),
                            Stream(seed, draw, StreamPurpose::transfers_in, static_cast<std::uint64_t>(h)),
                            Stream(seed, draw, StreamPurpose::joiners, static_cast<std::uint64_t>(h)),
                            Stream(seed, draw, StreamPurpose::joiner_noise, static_cast<std::uint64_t>(h)),
                            Stream(seed, draw, StreamPurpose::need_changes, static_cast<std::uint64_t>(h)),
                            Stream(seed, draw, StreamPurpose::redirected_moves, static_cast<std::uint64_t>(h))};
        YearFlows flows;
        flows.stayed_in_family = stayed_in_family_.data();
        flows.stayed_with_new_need = &stayed_with_new_need_;
        stayed_with_new_need_.clear();
        std::fill(next_.begin(), next_.end(), 0);
        age_on<Traced>(h, streams, flows);
        join<Traced>(seed, draw, h, streams, trend, flows);
        std::swap(current_, next_);
        observer.year(h + 1, current_, flows);
    }
}

// Plans held at the top age end; every other plan ceases, stays or moves, its need may change, and
// net arrivals come in beside it, all landing a year older at the next census.
template <bool Traced>
void DrawSimulator::age_on(int h, YearStreams& streams, YearFlows& flows) {
    const Dimensions d = posterior_.dims;  // a copy: the compiler need not reload it after every count written
    const int A = d.ages, K = d.needs, S = d.settings;
    for (int c = d.cell(A - 1, 0, 0); c < d.cells(); ++c) {
        flows.aged_out += current_[static_cast<std::size_t>(c)];
        if constexpr (Traced) tracer_->aged_out(c, current_[static_cast<std::size_t>(c)]);
    }
    Row row;
    const std::size_t year_offset = static_cast<std::size_t>(h) * static_cast<std::size_t>(d.cells());
    row.redirect_threshold = redirect_threshold_.empty() ? nullptr : &redirect_threshold_[year_offset];
    row.redirect_to = redirect_to_.empty() ? nullptr : &redirect_to_[year_offset];
    for (int a = 0; a + 1 < A; ++a) {
        for (int k = 0; k < K; ++k) {
            // Many (age, need) rows are empty: skip them with one vectorised test.
            const std::int32_t* plans = &current_[static_cast<std::size_t>(d.cell(a, k, 0))];
            std::int32_t any = 0;
            for (int s = 0; s < S; ++s) any |= plans[s];
            if (any == 0) continue;
            row.age = a;
            row.need = k;
            settle_row<Traced>(row, streams, flows);
        }
    }
}

// One (age, need) row. Most rows have plans in only a few settings: visit those from a bit mask,
// so that no branch guesses at each setting. Where the row's plans are at the next census, by
// setting, is gathered in landed_ and added to the next stock once the row is done.
template <bool Traced>
void DrawSimulator::settle_row(Row& row, YearStreams& streams, YearFlows& flows) {
    const Dimensions d = posterior_.dims;
    const int S = d.settings;
    const std::int32_t* plans = &current_[static_cast<std::size_t>(d.cell(row.age, row.need, 0))];
    std::uint64_t occupied = 0;
    for (int s = 0; s < S; ++s) occupied |= static_cast<std::uint64_t>(plans[s] != 0) << s;
    const std::size_t need_row = params_.need_change_threshold.offset(row.age, row.need);
    row.need_threshold = params_.need_change_threshold[need_row];
    row.new_need = params_.new_need[need_row].view();
    do {
        const int s = std::countr_zero(occupied);
        occupied &= occupied - 1;
        settle_cell<Traced>(row, s, plans[s], streams, flows);
    } while (occupied != 0);
    std::int32_t* older = &next_[static_cast<std::size_t>(d.cell(row.age + 1, row.need, 0))];
    std::int32_t* landed = landed_.data();
    for (int s = 0; s < S; ++s) {
        older[s] += landed[s];
        landed[s] = 0;
    }
}

template <bool Traced>
void DrawSimulator::settle_cell(const Row& row, int s, std::int32_t n, YearStreams& streams, YearFlows& flows) {
    const Dimensions d = posterior_.dims;
    CellFate fate;
    fate.cell = d.cell(row.age, row.need, s);
    fate.here = static_cast<std::uint32_t>(s);
    fate.from = params_.stay_probability.offset(row.age, s);
    if (n < kBinomialFrom) settle_small_cell<Traced>(row, n, fate, streams);
    else settle_large_cell<Traced>(row, n, fate, streams);
    landed_[static_cast<std::size_t>(s)] += fate.stayers;
    flows.ceased += fate.ceased;
    if constexpr (Traced) {
        tracer_->stayed(fate.cell, fate.stayers);
        tracer_->ceased(fate.cell, fate.ceased);
    }
    stayed_in_family_[static_cast<std::size_t>(fate.cell)] = fate.kept_in_family;
    flows.transfers_in += arrive<Traced>(fate, n, streams.arrivals);
}

int DrawSimulator::place_with_new_need(const Row& row, std::uint32_t setting, Stream& needs) {
    const int to_need = static_cast<int>(row.new_need.sample32(static_cast<std::uint32_t>(needs() >> 32)));
    ++next_[static_cast<std::size_t>(posterior_.dims.cell(row.age + 1, to_need, static_cast<int>(setting)))];
    return to_need;
}

template <bool Traced>
void DrawSimulator::stay_with_new_need(const Row& row, const CellFate& fate, Stream& needs) {
    const int to_need = place_with_new_need(row, fate.here, needs);
    stayed_with_new_need_.push_back({fate.cell, to_need});
    if constexpr (Traced) tracer_->went(fate.cell, to_need, static_cast<int>(fate.here));
}

// A scenario may send some moves elsewhere (its own stream keeps the others aligned).
std::uint32_t DrawSimulator::redirect(const Row& row, std::uint32_t to, Stream& redirected) {
    if (!row.redirect_threshold) return to;
    const std::size_t i = static_cast<std::size_t>(posterior_.dims.cell(row.age, row.need, static_cast<int>(to)));
    if (row.redirect_threshold[i] && static_cast<std::uint32_t>(redirected() >> 32) < row.redirect_threshold[i]) return row.redirect_to[i];
    return to;
}

// A mover draws where to (high half of her number) and whether her need changes (16 bits); she
// keeps her place if she lands in her setting's family (a redirected one may land back where she was).
template <bool Traced>
void DrawSimulator::settle_mover(const Row& row, const AliasView& moves, std::uint64_t bits, CellFate& fate, YearStreams& streams) {
    const std::uint32_t to = redirect(row, moves.sample32(static_cast<std::uint32_t>(bits >> 32)), streams.redirected);
    const bool in_family = family_[to] == family_[fate.here];
    fate.kept_in_family += in_family;
    if (((bits >> 16) & 0xFFFF) < row.need_threshold) {
        const int to_need = place_with_new_need(row, to, streams.needs);
        if (in_family) stayed_with_new_need_.push_back({fate.cell, to_need});
        if constexpr (Traced) tracer_->went(fate.cell, to_need, static_cast<int>(to));
    } else {
        ++landed_[to];
        if constexpr (Traced) tracer_->went(fate.cell, row.need, static_cast<int>(to));
    }
}

// One 32-bit number per plan (two to each 64-bit one) splits at thresholds: below `same_below` the
// plan stays with the same need, then stays with a new need, then (from `stay_below`) moves, and
// from `cease_from` ceases. A first pass without branches counts those who stay as they are and
// those whose plans cease, and keeps the others' numbers; a second pass settles those few.
template <bool Traced>
void DrawSimulator::settle_small_cell(const Row& row, std::int32_t n, CellFate& fate, YearStreams& streams) {
    const std::uint64_t stay_below = params_.stay_below[fate.from], cease_from = params_.cease_from[fate.from];
    const std::uint64_t same_below = stay_below - ((stay_below * row.need_threshold) >> 16);
    const std::uint64_t unusual_span = cease_from - same_below;
    std::uint32_t unusual[kBinomialFrom];
    std::int32_t m = 0, ceased = 0;
    auto sort_out = [&](std::uint32_t u) {
        ceased += u >= cease_from;
        unusual[m] = u;
        m += (u - same_below) < unusual_span;  // wraps round below same_below
    };
    Stream& fates = streams.fate;
    std::int32_t i = 0;
    for (; i + 1 < n; i += 2) {
        const std::uint64_t bits = fates();
        sort_out(static_cast<std::uint32_t>(bits >> 32));
        sort_out(static_cast<std::uint32_t>(bits));
    }
    if (i < n) sort_out(static_cast<std::uint32_t>(fates() >> 32));
    fate.ceased = ceased;
    fate.stayers = n - m - ceased;
    fate.kept_in_family = fate.stayers;
    if (m == 0) return;
    const AliasView moves = params_.next_if_moving[fate.from];
    for (std::int32_t j = 0; j < m; ++j) {
        if (unusual[j] < stay_below) {  // stays, with a new need
            ++fate.kept_in_family;
            stay_with_new_need<Traced>(row, fate, streams.needs);
        } else {
            settle_mover<Traced>(row, moves, fates(), fate, streams);
        }
    }
}

// A large cell: how many stay, how many of the others cease, and how many stayers change need, are
// binomial draws; only movers are drawn one by one.
template <bool Traced>
void DrawSimulator::settle_large_cell(const Row& row, std::int32_t n, CellFate& fate, YearStreams& streams) {
    fate.stayers = sample_binomial(streams.fate, n, params_.stay_probability[fate.from]);
    fate.ceased = sample_binomial(streams.fate, n - fate.stayers, params_.cease_share_of_leavers[fate.from]);
    fate.kept_in_family = fate.stayers;
    const std::int32_t changing = row.need_threshold ? sample_binomial(streams.needs, fate.stayers, row.need_threshold / 65536.0) : 0;
    for (std::int32_t i = 0; i < changing; ++i) stay_with_new_need<Traced>(row, fate, streams.needs);
    const std::int32_t movers = n - fate.stayers - fate.ceased;
    fate.stayers -= changing;
    if (movers <= 0) return;
    const AliasView moves = params_.next_if_moving[fate.from];
    for (std::int32_t i = 0; i < movers; ++i) settle_mover<Traced>(row, moves, streams.fate(), fate, streams);
}

// Net arrivals beside a cell's n plans. They hold a plan: they stay or move as plans that go on do.
template <bool Traced>
std::int32_t DrawSimulator::arrive(const CellFate& fate, std::int32_t n, Stream& arrivals) {
    const std::int32_t arriving = n < kBinomialFrom ? arrivals_by_cell_size_.sample(n, static_cast<std::uint32_t>(arrivals() >> 32))
                                                    : sample_binomial(arrivals, n, arrival_rate_);
    if (arriving <= 0) return 0;
    const std::uint64_t stays_below = params_.stay_if_continuing_below[fate.from];
    const AliasView moves = params_.next_if_moving[fate.from];
    for (std::int32_t i = 0; i < arriving; ++i) {
        const std::uint64_t bits = arrivals();
        const std::uint32_t to = (bits >> 32) < stays_below ? fate.here : moves.sample32(static_cast<std::uint32_t>(bits));
        ++landed_[to];
        if constexpr (Traced) tracer_->arrived(fate.cell, static_cast<int>(to));
    }
    return arriving;
}

// New plans in calendar year base_year + h, by the age they are at the next census.
template <bool Traced>
void DrawSimulator::join(std::uint64_t seed, std::uint64_t draw, int h, YearStreams& streams, JoinerTrend& trend_so_far, YearFlows& flows) {
    const Posterior& p = posterior_;
    DrawParameters& q = params_;  // the joiner tables are built on first use
    const Dimensions d = p.dims;
    const int A = d.ages;
    const int steps = p.base_year + h - p.trend.last_year;
    boost::random::normal_distribution<double> normal(0.0, 1.0);
    double trend = q.trend_intercept + q.trend_slope * damped_time(p.trend.damping, steps);
    // A scenario's cap holds the trend (not the year's noise) to a growth rate from its year.
    if (const std::optional<double> limit = joiner_growth_limit_[static_cast<std::size_t>(h)]; limit && h > 0)
        trend = std::min(trend, trend_so_far.previous + *limit);
    trend_so_far.previous = trend;
    const double log_rate = trend + q.trend_sigma * normal(streams.noise);
    const double* population = p.population_by_year_age.row(h).data();
    double rate = std::exp(log_rate);
    double expected = expected_new_plans(rate, q.joiner_age_weight, population);
    if (p.england_shock_sd > 0 || p.yearly_departure_sd > 0) {
        Stream shock(seed, draw, StreamPurpose::england_shock, static_cast<std::uint64_t>(h));
        Stream departure(seed, draw, StreamPurpose::yearly_departure, static_cast<std::uint64_t>(h));
        trend_so_far.england_shock += p.england_shock_sd * normal(shock);
        const double shift = trend_so_far.england_shock + p.yearly_departure_sd * normal(departure);
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
        const std::int64_t n = sample_poisson(streams.joiners, mean);
        const AliasView cell = q.joiner_cell[static_cast<std::size_t>(a)];
        std::int32_t* at_age = &next_[static_cast<std::size_t>(d.cell(a, 0, 0))];
        for (std::int64_t i = 0; i < n; ++i) {
            const std::uint32_t need_and_setting = cell.sample32(static_cast<std::uint32_t>(streams.joiners() >> 32));
            ++at_age[need_and_setting];
            if constexpr (Traced) tracer_->joined(d.cell(a, 0, 0) + static_cast<int>(need_and_setting));
        }
        flows.joiners += n;
    }
}

}  // namespace sendplan
