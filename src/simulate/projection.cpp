#include "simulate/projection.h"

#include <omp.h>

#include <exception>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>

namespace sendplan {
namespace {

// Per-thread accumulator: histograms and integer sums, merged once at the end. Integer sums and
// histogram bins add up the same in any order, so results do not depend on which thread ran a draw.
// Each draw's summary counts go to a batch buffer first and reach the histograms a batch at a time,
// one histogram after another, which keeps each histogram's bins in cache.
class Accumulator : public DrawStage {
public:
    static constexpr std::size_t kMaxFromCells = 8;

    Accumulator(const Posterior& p, const std::vector<Breakdown>& breakdowns, const std::vector<std::vector<std::int64_t>>& widths,
                std::size_t detail, ProjectionResult& shared, std::vector<std::int64_t>& shared_sums)
        : p_(p), breakdowns_(breakdowns), detail_(detail), shared_(shared), shared_sums_(shared_sums), years_(static_cast<std::size_t>(p.horizon + 1)) {
        lay_out_histograms(widths);
        sums_.assign(years_ * p.base_stock.size(), 0);
        sort_breakdowns();
        lay_out_detail_rows();
        find_one_category_per_row();
        take_row_categories();
        touched_total_.assign(breakdowns[detail].categories(), 0);
    }

    void start_draw(long draw) override {
        draw_ = draw;
        row_ = batch_.next_draw();
    }

    void year(int y, const Stock& stock, const YearFlows& flows) override {
        const std::size_t yy = static_cast<std::size_t>(y);
        const Breakdown& detail = breakdowns_[detail_];
        std::int64_t* detail_counts = &row_[offset_[detail_] + yy * detail.categories()];
        std::fill(detail_counts, detail_counts + detail.categories(), 0);
        const std::int64_t total = sum_rows(yy, stock, detail_counts);
        derive_from_detail(yy, detail_counts);
        const std::int64_t flow_values[flow_kinds] = {flows.joiners, flows.ceased, flows.aged_out, flows.transfers_in};
        for (int f = 0; f < flow_kinds; ++f) row_[flow_offset_ + static_cast<std::size_t>(f) * years_ + yy] = flow_values[f];
        // Each draw owns its own slots in these arrays, so threads never write the same element.
        shared_.total_by_draw[static_cast<std::size_t>(draw_) * years_ + yy] = total;
        if (!shared_.detail_by_draw.empty()) {
            const std::size_t D = detail.categories();
            std::int32_t* out = &shared_.detail_by_draw[(static_cast<std::size_t>(draw_) * years_ + yy) * D];
            for (std::size_t d = 0; d < D; ++d) out[d] = static_cast<std::int32_t>(detail_counts[d]);
        }
    }

    // Cells come in rows of one (age, need) over the settings; most rows are empty at any time.
    // A row's settings land in the detail table at a fixed stride, and the breakdowns that are not
    // functions of the detail table (age) take one category per row. Returns the year's plans.
    std::int64_t sum_rows(std::size_t yy, const Stock& stock, std::int64_t* detail_counts) {
        const std::size_t cells = stock.size(), S = settings(), stride = detail_stride_;
        std::int64_t* sums = &sums_[yy * cells];
        std::int64_t* out[kMaxFromCells];
        const std::size_t by_row = by_row_.size();
        for (std::size_t i = 0; i < by_row; ++i) {
            const std::size_t b = by_row_[i];
            out[i] = &row_[offset_[b] + yy * breakdowns_[b].categories()];
            std::fill(out[i], out[i] + breakdowns_[b].categories(), 0);
        }
        std::int64_t total = 0;
        for (const std::size_t start : touched_) touched_total_[start] = 0;
        touched_.clear();
        for (std::size_t r = 0, start = 0; start < cells; ++r, start += S) {
            const std::int32_t* row = &stock[start];
            std::int32_t row_total = 0;
            for (std::size_t s = 0; s < S; ++s) row_total += row[s];
            if (row_total == 0) continue;
            total += row_total;
            std::int64_t* row_sums = &sums[start];
            for (std::size_t s = 0; s < S; ++s) row_sums[s] += row[s];
            const std::size_t first = detail_row_start_[r];
            std::int64_t* dc = &detail_counts[first];
            for (std::size_t s = 0; s < S; ++s) dc[s * stride] += row[s];
            // A detail row's total is zero until its first plans: then it joins the touched rows.
            if (touched_total_[first] == 0) touched_.push_back(first);
            touched_total_[first] += row_total;
            for (std::size_t i = 0; i < by_row; ++i) out[i][row_category_[i][r]] += row_total;
        }
        return total;
    }

    // Most derived breakdowns (total, need, phase) take one category per detail row: they add the
    // row's total, not each setting's count.
    void derive_from_detail(std::size_t yy, const std::int64_t* detail_counts) {
        const std::size_t S = settings(), stride = detail_stride_;
        for (const Derived& from : from_detail_) {
            std::int64_t* derived = &row_[offset_[from.breakdown] + yy * breakdowns_[from.breakdown].categories()];
            std::fill(derived, derived + breakdowns_[from.breakdown].categories(), 0);
            const std::vector<int>& map = from.category_of_detail;
            if (from.one_per_row) {
                for (const std::size_t first : touched_) derived[map[first]] += touched_total_[first];
                continue;
            }
            for (const std::size_t first : touched_)
                for (std::size_t s = 0; s < S; ++s) {
                    const std::size_t d = first + s * stride;
                    derived[map[d]] += detail_counts[d];
                }
        }
    }

    // Flows are counted between censuses, so none lead into the base year.
    bool is_base_year_flow(std::size_t j) const { return j >= flow_offset_ && (j - flow_offset_) % years_ == 0; }

    void merge() override {
        ProjectionResult& r = shared_;
        std::vector<std::int64_t>& sums = shared_sums_;
        batch_.finish();
        for (std::size_t b = 0; b < breakdowns_.size(); ++b)
            for (std::size_t y = 0; y < years_; ++y)
                for (std::size_t c = 0; c < breakdowns_[b].categories(); ++c)
                    r.stock[b][y][c].merge(hist_[offset_[b] + y * breakdowns_[b].categories() + c]);
        for (std::size_t f = 0; f < flow_kinds; ++f)
            for (std::size_t y = 0; y < years_; ++y) r.flows[f][y].merge(hist_[flow_offset_ + f * years_ + y]);
        for (std::size_t i = 0; i < sums_.size(); ++i) sums[i] += sums_[i];
    }

private:
    // [breakdown][year][category], then [flow][year]; the batch rows are laid out the same way.
    void lay_out_histograms(const std::vector<std::vector<std::int64_t>>& widths) {
        for (std::size_t b = 0; b < breakdowns_.size(); ++b) {
            offset_.push_back(hist_.size());
            for (std::size_t y = 0; y < years_; ++y)
                for (std::size_t c = 0; c < breakdowns_[b].categories(); ++c) hist_.emplace_back(widths[b][c]);
        }
        flow_offset_ = hist_.size();
        hist_.resize(hist_.size() + flow_kinds * years_);
        std::vector<Histogram*> targets;
        for (std::size_t j = 0; j < hist_.size(); ++j) targets.push_back(is_base_year_flow(j) ? nullptr : &hist_[j]);
        batch_ = HistogramBatch<std::int64_t>(std::move(targets));
    }

    // Breakdowns that are a function of the detail table are summed from it, not from the cells.
    void sort_breakdowns() {
        const std::vector<int>& detail_of = breakdowns_[detail_].category_of_cell;
        for (std::size_t b = 0; b < breakdowns_.size(); ++b) {
            std::vector<int> map(breakdowns_[detail_].categories(), -1);
            bool derivable = b != detail_;
            for (std::size_t c = 0; c < breakdowns_[b].category_of_cell.size() && derivable; ++c) {
                int& m = map[static_cast<std::size_t>(detail_of[c])];
                const int cat = breakdowns_[b].category_of_cell[c];
                if (m >= 0 && m != cat) derivable = false;
                m = cat;
            }
            if (derivable) from_detail_.push_back(Derived{b, map, false});
            else if (b != detail_) by_row_.push_back(b);
        }
        if (by_row_.size() > kMaxFromCells) throw std::invalid_argument("too many breakdowns that are not functions of need, setting and phase");
    }

    std::size_t settings() const { return static_cast<std::size_t>(p_.dims.settings); }
    std::size_t rows() const { return p_.base_stock.size() / settings(); }

    // The layout the per-row summing relies on, checked once: each (age, need) row's settings lie
    // in the detail table at a fixed stride from the row's first.
    void lay_out_detail_rows() {
        const std::size_t S = settings();
        const std::vector<int>& detail_of = breakdowns_[detail_].category_of_cell;
        detail_stride_ = S > 1 ? static_cast<std::size_t>(detail_of[1] - detail_of[0]) : 1;
        for (std::size_t r = 0; r < rows(); ++r) {
            detail_row_start_.push_back(static_cast<std::size_t>(detail_of[r * S]));
            for (std::size_t s = 0; s < S; ++s)
                if (static_cast<std::size_t>(detail_of[r * S + s]) != detail_row_start_[r] + s * detail_stride_)
                    throw std::invalid_argument("the detail breakdown must place each row's settings at a fixed stride");
        }
    }

    void find_one_category_per_row() {
        for (Derived& from : from_detail_) {
            from.one_per_row = true;
            for (const std::size_t first : detail_row_start_)
                for (std::size_t s = 0; s < settings(); ++s)
                    if (from.category_of_detail[first + s * detail_stride_] != from.category_of_detail[first]) from.one_per_row = false;
        }
    }

    // The breakdowns summed per row (age) take one category for the whole row.
    void take_row_categories() {
        const std::size_t S = settings();
        for (const std::size_t b : by_row_) {
            std::vector<int> of_row(rows());
            for (std::size_t r = 0; r < rows(); ++r) {
                of_row[r] = breakdowns_[b].category_of_cell[r * S];
                for (std::size_t s = 0; s < S; ++s)
                    if (breakdowns_[b].category_of_cell[r * S + s] != of_row[r])
                        throw std::invalid_argument("breakdown " + breakdowns_[b].name + " is neither a function of the detail table nor of age and need");
            }
            row_category_.push_back(std::move(of_row));
        }
    }

    const Posterior& p_;
    const std::vector<Breakdown>& breakdowns_;
    std::size_t detail_;
    ProjectionResult& shared_;
    std::vector<std::int64_t>& shared_sums_;
    std::size_t years_;
    long draw_ = 0;
    std::vector<Histogram> hist_;          // [breakdown][year][category], then [flow][year]
    std::vector<std::size_t> offset_;
    std::size_t flow_offset_ = 0;
    HistogramBatch<std::int64_t> batch_;   // rows laid out as hist_
    std::int64_t* row_ = nullptr;
    struct Derived {
        std::size_t breakdown;
        std::vector<int> category_of_detail;
        bool one_per_row;  // every setting of a detail row falls in one category
    };
    std::vector<Derived> from_detail_;
    std::vector<std::size_t> by_row_;                  // breakdowns summed per (age, need) row: age
    std::vector<std::vector<int>> row_category_;        // [by_row breakdown][row]
    std::size_t detail_stride_ = 1;                     // distance between settings in the detail table
    std::vector<std::size_t> detail_row_start_;         // [row] detail category of its first setting
    std::vector<std::int64_t> sums_;
    std::vector<std::size_t> touched_;                  // detail rows (first category) with plans this year
    std::vector<std::int64_t> touched_total_;           // [detail row's first category] plans in it this year
};

// One thread's stages, each year passed to each in list order.
class StagesInOrder : public DrawObserver {
public:
    void year(int y, const Stock& stock, const YearFlows& flows) override {
        for (const auto& stage : stages) stage->year(y, stock, flows);
    }
    DrawStages stages;
};

// Bin widths from the base-year counts, fixed before any draw runs: [breakdown][category].
std::vector<std::vector<std::int64_t>> bin_widths(const Posterior& posterior, const std::vector<Breakdown>& breakdowns) {
    std::vector<std::vector<std::int64_t>> widths(breakdowns.size());
    for (std::size_t b = 0; b < breakdowns.size(); ++b) {
        std::vector<std::int64_t> base(breakdowns[b].categories(), 0);
        for (std::size_t c = 0; c < posterior.base_stock.size(); ++c)
            base[static_cast<std::size_t>(breakdowns[b].category_of_cell[c])] += posterior.base_stock[c];
        for (auto v : base) widths[b].push_back(Histogram::width_for(v));
    }
    return widths;
}

// The result's shape, every histogram empty, before the draws.
ProjectionResult empty_result(const Posterior& posterior, std::vector<Breakdown> breakdowns, const std::vector<std::vector<std::int64_t>>& widths,
                              const ProjectionOptions& options) {
    ProjectionResult r;
    r.base_year = posterior.base_year;
    r.horizon = posterior.horizon;
    r.draws = options.draws;
    r.seed = options.seed;
    r.breakdowns = std::move(breakdowns);
    const std::size_t years = static_cast<std::size_t>(r.years());
    r.detail_breakdown = r.breakdowns.size();
    for (std::size_t b = 0; b < r.breakdowns.size(); ++b)
        if (r.breakdowns[b].name == "need_setting_phase") r.detail_breakdown = b;
    if (r.detail_breakdown == r.breakdowns.size()) throw std::invalid_argument("the need_setting_phase breakdown is required");
    for (std::size_t b = 0; b < r.breakdowns.size(); ++b) {
        r.stock.emplace_back(years);
        for (auto& per_year : r.stock.back())
            for (auto w : widths[b]) per_year.emplace_back(w);
    }
    r.flows.assign(flow_kinds, std::vector<Histogram>(years));
    r.mean_stock.assign(years * posterior.base_stock.size(), 0.0);
    r.total_by_draw.assign(static_cast<std::size_t>(options.draws) * years, 0);
    if (options.keep_draws)
        r.detail_by_draw.assign(static_cast<std::size_t>(options.draws) * years * r.breakdowns[r.detail_breakdown].categories(), 0);
    return r;
}

// The draws, run in parallel: each thread builds its own simulator and stages, takes draws as
// they come, and merges its stages once at the end. An exception must not leave the parallel
// region (that aborts the process): the first is kept, the remaining draws are skipped, and it is
// thrown again outside.
class ParallelDraws {
public:
    ParallelDraws(const Posterior& posterior, const ProjectionOptions& options, ProjectionResult& result,
                  const std::vector<std::vector<std::int64_t>>& widths)
        : posterior_(posterior), options_(options), result_(result), widths_(widths), sums_(result.mean_stock.size(), 0) {}

    void run() {
        const int threads = options_.threads > 0 ? options_.threads : omp_get_max_threads();
#pragma omp parallel num_threads(threads)
        run_thread();
        if (first_failure_) std::rethrow_exception(first_failure_);
        for (std::size_t i = 0; i < sums_.size(); ++i)
            result_.mean_stock[i] = static_cast<double>(sums_[i]) / static_cast<double>(options_.draws);
        if (options_.progress) options_.progress(options_.draws, options_.draws);
    }

private:
    // A thread whose state failed to build still takes part in the loop (every thread must),
    // skipping its draws.
    void run_thread() {
        std::unique_ptr<DrawSimulator> simulator;
        StagesInOrder stages;
        try {
            simulator = std::make_unique<DrawSimulator>(posterior_, options_.setting_family, options_.interventions);
            stages.stages.push_back(std::make_unique<Accumulator>(posterior_, result_.breakdowns, widths_, result_.detail_breakdown, result_, sums_));
            for (const DrawStageFactory& make : options_.stages) stages.stages.push_back(make(stages.stages));
        } catch (...) {
            keep_failure();
        }
#pragma omp for schedule(dynamic, 8)
        for (long draw = 0; draw < options_.draws; ++draw) {
            if (failed_.load(std::memory_order_relaxed)) continue;
            try {
                for (const auto& stage : stages.stages) stage->start_draw(draw);
                simulator->run(options_.seed, static_cast<std::uint64_t>(draw), stages);
            } catch (...) {
                keep_failure();
                continue;
            }
            report(++done_);
        }
#pragma omp critical(sendplan_merge)
        {
            try {
                if (!failed_)
                    for (const auto& stage : stages.stages) stage->merge();
            } catch (...) {
                if (!first_failure_) first_failure_ = std::current_exception();
                failed_ = true;
            }
        }
    }

    void keep_failure() {
#pragma omp critical(sendplan_failure)
        if (!first_failure_) first_failure_ = std::current_exception();
        failed_ = true;
    }

    // Progress is told from one thread only, at most twice a second.
    void report(long finished) {
        if (!options_.progress || omp_get_thread_num() != 0) return;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_report_ <= std::chrono::milliseconds(500)) return;
        last_report_ = now;
        options_.progress(finished, options_.draws);
    }

    const Posterior& posterior_;
    const ProjectionOptions& options_;
    ProjectionResult& result_;
    const std::vector<std::vector<std::int64_t>>& widths_;
    std::vector<std::int64_t> sums_;
    std::atomic<long> done_{0};
    std::atomic<bool> failed_{false};
    std::exception_ptr first_failure_;
    std::chrono::steady_clock::time_point last_report_ = std::chrono::steady_clock::now();
};

}  // namespace

ProjectionResult project(const Posterior& posterior, std::vector<Breakdown> breakdowns, const ProjectionOptions& options) {
    if (options.draws < 1) throw std::invalid_argument("draws must be positive");
    const auto widths = bin_widths(posterior, breakdowns);
    ProjectionResult r = empty_result(posterior, std::move(breakdowns), widths, options);
    ParallelDraws(posterior, options, r, widths).run();
    return r;
}

}  // namespace sendplan
