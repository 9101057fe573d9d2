#pragma once
// One Monte Carlo draw of the cohort model: sample the parameters, then step the stock a year at a
// time (age on, plans cease, net transfers arrive, settings change, new plans join).
#include <cstdint>
#include <vector>

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

// Workspace for simulating draws, one per thread, allocated once.
class DrawSimulator {
public:
    // `setting_family[s]`: settings with the same number share places, so a plan moving between
    // them keeps its place (empty: each setting is its own family).
    explicit DrawSimulator(const Posterior& posterior, const std::vector<int>& setting_family = {});
    void run(std::uint64_t seed, std::uint64_t draw, DrawObserver& observer);

private:
    const Posterior& posterior_;
    DrawParameters params_;
    BinomialTable arrivals_by_cell_size_;  // a cell's arrivals, for the draw's arrival rate
    std::vector<double> scratch_;
    Stock current_, next_;
    std::vector<std::int32_t> stayed_in_family_;
    // Scenario redirections of moves: [year][age][need][to setting] the chance (of 2^32) a move is
    // sent elsewhere, and where; empty without any.
    std::vector<std::uint32_t> redirect_threshold_;
    std::vector<std::uint8_t> redirect_to_;
    std::vector<std::uint32_t> family_;
    std::vector<StayedWithNewNeed> stayed_with_new_need_;
    std::vector<std::int32_t> landed_;  // one (age, need) row's plans at the next census, by setting
};

}  // namespace sendplan
