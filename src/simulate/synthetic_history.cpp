#include "simulate/synthetic_history.h"

#include <stdexcept>
#include <string>

#include "core/rng.h"
#include "simulate/draw.h"

namespace sendplan {

namespace {

constexpr int kEnded = -1;  // a plan that ceased or aged out

struct Child {
    long id;
    int cell;
};

// One synthetic history being written. The projection's own yearly step says, cell by cell, what
// became of the plans at each census; the history hands those fates out to the children of the
// cell, at random, and gives every plan that arrives or joins to a new child.
class History : public DrawObserver, public PlanTracer {
public:
    History(const Dimensions& d, const SyntheticOptions& o) : d_(d), o_(o), fates_(static_cast<std::size_t>(d.cells())) {}

    void year(int y, const Stock& stock, const YearFlows&) override {
        if (y == 0) {
            for (int c = 0; c < d_.cells(); ++c)
                for (std::int32_t i = 0; i < stock[static_cast<std::size_t>(c)]; ++i) children_.push_back(Child{next_id_++, c});
        } else {
            settle_children(y - 1);
        }
        check_against(stock, o_.first_census + y);
        record(o_.first_census + y);
    }

    void stayed(int from, std::int32_t plans) override { ended_or_on(from, a_year_older(from, d_.need_of(from), d_.setting_of(from)), plans); }
    void went(int from, int need, int setting) override { ended_or_on(from, a_year_older(from, need, setting), 1); }
    void ceased(int from, std::int32_t plans) override { ended_or_on(from, kEnded, plans); }
    void aged_out(int from, std::int32_t plans) override { ended_or_on(from, kEnded, plans); }
    void arrived(int beside, int setting) override { newcomers_.push_back(a_year_older(beside, d_.need_of(beside), setting)); }
    void joined(int cell) override { newcomers_.push_back(cell); }

    std::vector<CensusRow> rows() && { return std::move(rows_); }

private:
    int a_year_older(int from, int need, int setting) const { return d_.cell(d_.age_of(from) + 1, need, setting); }

    void ended_or_on(int from, int to, std::int32_t plans) {
        std::vector<int>& fates = fates_[static_cast<std::size_t>(from)];
        fates.insert(fates.end(), static_cast<std::size_t>(plans), to);
    }

    // Which of a cell's children take which of its fates is drawn afresh each year, so that a
    // child's past says nothing of her future beyond the cell she is in.
    void settle_children(int h) {
        Stream shuffle(o_.seed, 0, StreamPurpose::synthetic_children, static_cast<std::uint64_t>(h));
        for (std::vector<int>& fates : fates_)
            for (std::size_t i = fates.size(); i > 1; --i) std::swap(fates[i - 1], fates[((shuffle() >> 32) * i) >> 32]);
        std::vector<std::size_t> taken(fates_.size(), 0);
        next_.clear();
        for (const Child& c : children_) {
            const std::vector<int>& fates = fates_[static_cast<std::size_t>(c.cell)];
            const std::size_t i = taken[static_cast<std::size_t>(c.cell)]++;
            if (i >= fates.size()) throw std::logic_error("the yearly step settled fewer plans than a cell of the synthetic history holds");
            if (fates[i] != kEnded) next_.push_back(Child{c.id, fates[i]});
        }
        for (const int cell : newcomers_) next_.push_back(Child{next_id_++, cell});
        std::swap(children_, next_);
        for (std::vector<int>& fates : fates_) fates.clear();
        newcomers_.clear();
    }

    void check_against(const Stock& stock, int census) const {
        Stock held(stock.size(), 0);
        for (const Child& c : children_) ++held[static_cast<std::size_t>(c.cell)];
        if (held != stock) throw std::logic_error("the synthetic history's children differ from the yearly step's stock at the " + std::to_string(census) + " census");
    }

    void record(int census) {
        for (const Child& c : children_) {
            std::string id = std::to_string(c.id);
            id.insert(id.begin(), 'P');
            rows_.push_back(CensusRow{std::move(id), census, PersonState{d_.age_of(c.cell), d_.need_of(c.cell), d_.setting_of(c.cell)}});
        }
    }

    const Dimensions d_;
    const SyntheticOptions& o_;
    std::vector<std::vector<int>> fates_;  // per cell of the earlier census, where each of its plans is at the next (or kEnded)
    std::vector<int> newcomers_;           // cells of the plans that arrived or joined
    std::vector<Child> children_, next_;
    long next_id_ = 1;
    std::vector<CensusRow> rows_;
};

}  // namespace

std::vector<CensusRow> synthesise_history(const Posterior& truth, const SyntheticOptions& o) {
    if (o.years < 1 || o.years > truth.horizon) throw std::invalid_argument("synthetic years must be 1.. the posterior's horizon");
    // The projection's step, run from the first census for as many years as the history has.
    Posterior from_first_census = truth;
    from_first_census.base_year = o.first_census;
    from_first_census.horizon = o.years;
    DrawSimulator simulator(from_first_census, {}, o.interventions);
    History history(truth.dims, o);
    simulator.run(o.seed, 0, history, history);
    return std::move(history).rows();
}

}  // namespace sendplan
