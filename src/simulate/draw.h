#pragma once
// One Monte Carlo draw of the cohort model: sample the parameters, then step the stock a year at a
// time (age on, plans cease, net transfers arrive, settings change, new plans join).
#include <cstdint>
#include <optional>
#include <vector>

#include "core/rng.h"
#include "model/alias_table.h"
#include "model/interventions.h"
#include "model/parameters.h"
#include "model/posterior.h"
#include "simulate/binomial_table.h"

namespace sendplan {

// A plan that stayed in its setting's family while its recorded need changed.
struct StayedWithNewNeed {
    std::int32_t from_cell = 0;  // (age, need, setting) at the earlier census
    std::int32_t to_need = 0;
};

struct YearFlows {
    std::int64_t joiners = 0;       // new plans
    std::int64_t ceased = 0;        // plans that ceased before the top age
    std::int64_t aged_out = 0;      // plans held at the top age, which end
    std::int64_t transfers_in = 0;  // net plans arriving from other authorities
    // Who stayed, so that a later stage can keep them in their place: per cell of the earlier
    // census, the plans that are at the next one in the same setting or another of its family (any
    // need); set only for cells that held plans below the top age. Null at year 0.
    const std::int32_t* stayed_in_family = nullptr;
    const std::vector<StayedWithNewNeed>* stayed_with_new_need = nullptr;
};

// Called with the stock at year index y (0 = base census) and the flows that led to it (zero at y = 0).
class DrawObserver {
public:
    virtual ~DrawObserver() = default;
    virtual void year(int y, const Stock& stock, const YearFlows& flows) = 0;
};

// Where each plan of a year went, cell by cell: what a history of individual children needs and a
// projection never does. `from` is an (age, need, setting) cell of the earlier census; a plan that
// goes on is a year older at the next census, in the need and setting given.
class PlanTracer {
public:
    virtual ~PlanTracer() = default;
    virtual void stayed(int from, std::int32_t plans) = 0;  // same setting, same need
    virtual void went(int from, int need, int setting) = 0;  // one plan whose setting or need changed (or a move that came back)
    virtual void ceased(int from, std::int32_t plans) = 0;
    virtual void aged_out(int from, std::int32_t plans) = 0;
    virtual void arrived(int beside, int setting) = 0;  // one net arrival beside the plans of `beside`, with their need
    virtual void joined(int cell) = 0;                   // one new plan, in a cell of the next census
};

// Workspace for simulating draws, one per thread, allocated once.
class DrawSimulator {
public:
    // `setting_family[s]`: settings with the same number share places, so a plan moving between
    // them keeps its place (empty: each setting is its own family). `interventions`: the scenario's
    // changes to demand, asked once here what applies in each projected year.
    explicit DrawSimulator(const Posterior& posterior, const std::vector<int>& setting_family = {}, const Interventions& interventions = {});
    void run(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer);
    // The same draw, with the same random numbers, telling `tracer` where each plan went before
    // each census reaches `observer`.
    void run(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer, PlanTracer& tracer);

private:
    // One draw's random streams for one year, each keyed by (seed, draw, purpose, year).
    struct YearStreams {
        Stream fate, arrivals, joiners, noise, needs, redirected;
    };
    // The (age, need) row being settled, with what its plans share: the chance of a new need and
    // where it goes, and this year's redirections of moves (null without any).
    struct Row {
        int age = 0, need = 0;
        std::uint32_t need_threshold = 0;
        AliasView new_need;
        const std::uint32_t* redirect_threshold = nullptr;
        const std::uint8_t* redirect_to = nullptr;
    };
    // What became of one cell's plans.
    struct CellFate {
        int cell = 0;
        std::uint32_t here = 0;  // its setting
        std::size_t from = 0;    // its (age, setting), as the rate tables are laid out
        std::int32_t stayers = 0, ceased = 0, kept_in_family = 0;
    };
    // The new plans' trend so far in a draw: last year's (for a scenario's cap on its growth), and
    // England's shock, which accumulates.
    struct JoinerTrend {
        double previous = 0, england_shock = 0;
    };

    void set_families(const std::vector<int>& setting_family);
    void set_redirections(const Interventions& interventions);
    void set_year_redirections(int h, const std::vector<const MoveRedirection*>& in_force);
    // `Traced`: whether tracer_ is told where each plan went. A compile-time choice, so that a
    // projection, which never asks, runs the very code it ran before there was a tracer.
    template <bool Traced>
    void run_draw(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer);
    template <bool Traced>
    void age_on(int h, YearStreams& streams, YearFlows& flows);
    template <bool Traced>
    void settle_row(Row& row, YearStreams& streams, YearFlows& flows);
    template <bool Traced>
    void settle_cell(const Row& row, int setting, std::int32_t plans, YearStreams& streams, YearFlows& flows);
    template <bool Traced>
    void settle_small_cell(const Row& row, std::int32_t plans, CellFate& fate, YearStreams& streams);
    template <bool Traced>
    void settle_large_cell(const Row& row, std::int32_t plans, CellFate& fate, YearStreams& streams);
    template <bool Traced>
    void settle_mover(const Row& row, const AliasView& moves, std::uint64_t bits, CellFate& fate, YearStreams& streams);
    template <bool Traced>
    void stay_with_new_need(const Row& row, const CellFate& fate, Stream& needs);
    int place_with_new_need(const Row& row, std::uint32_t setting, Stream& needs);
    std::uint32_t redirect(const Row& row, std::uint32_t to, Stream& redirected);
    template <bool Traced>
    std::int32_t arrive(const CellFate& fate, std::int32_t plans, Stream& arrivals);
    template <bool Traced>
    void join(std::uint64_t seed, std::uint64_t draw, int h, YearStreams& streams, JoinerTrend& trend, YearFlows& flows);

    const Posterior& posterior_;
    DrawParameters params_;
    BinomialTable arrivals_by_cell_size_;  // a cell's arrivals, for the draw's arrival rate
    double arrival_rate_ = 0;
    std::vector<double> scratch_;
    Stock current_, next_;
    std::vector<std::int32_t> stayed_in_family_;
    // The scenario's cap on the growth of new plans joining in each projection step: [h], none where not in force.
    std::vector<std::optional<double>> joiner_growth_limit_;
    // Scenario redirections of moves: [year][age][need][to setting] the chance (of 2^32) a move is
    // sent elsewhere, and where; empty without any.
    std::vector<std::uint32_t> redirect_threshold_;
    std::vector<std::uint8_t> redirect_to_;
    std::vector<std::uint32_t> family_;
    std::vector<StayedWithNewNeed> stayed_with_new_need_;
    std::vector<std::int32_t> landed_;  // one (age, need) row's plans at the next census, by setting
    PlanTracer* tracer_ = nullptr;      // read only where Traced
};

}  // namespace sendplan
