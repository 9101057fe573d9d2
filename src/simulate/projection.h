#pragma once
// Runs every draw of a projection in parallel and gathers the summaries as draws finish.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "model/interventions.h"
#include "model/posterior.h"
#include "simulate/breakdowns.h"
#include "simulate/draw.h"
#include "simulate/histogram.h"

namespace sendplan {

// One stage of the work done for every draw, year by year, after the demand step has moved the
// stock on: the summaries, the allocation of places, the pricing of spend. A projection runs an
// ordered list of stages; each thread builds its own instance of every stage, in list order, and
// each year reaches the stages in that order, so a stage may read what the stages before it
// produced for the same year (spend reads the allocation's placements). merge() adds a thread's
// work to the shared results, under a lock, once at the end.
class DrawStage : public DrawObserver {
public:
    virtual void start_draw(long draw) = 0;
    virtual void merge() = 0;
};
using DrawStages = std::vector<std::unique_ptr<DrawStage>>;
// Builds one thread's instance of a stage, given that thread's stages before it in the list.
using DrawStageFactory = std::function<std::unique_ptr<DrawStage>(const DrawStages& earlier)>;

struct ProjectionOptions {
    long draws = 1000;
    std::uint64_t seed = 1;
    int threads = 0;            // 0: OpenMP's default
    bool keep_draws = false;    // keep every draw's need x setting x phase counts
    std::function<void(long done, long total)> progress;  // called from one thread only
    std::vector<DrawStageFactory> stages;                // after the built-in summaries, in order
    std::vector<int> setting_family;                     // settings that share places (see DrawSimulator)
    Interventions interventions;                         // the scenario's changes to demand (none by default)
};

enum FlowKind { flow_joiners, flow_ceased, flow_aged_out, flow_transfers_in, flow_kinds };
inline const char* flow_name(int f) {
    static const char* names[] = {"joiners", "ceased", "aged_out", "transfers_in"};
    return names[f];
}

struct ProjectionResult {
    int base_year = 0, horizon = 0;
    long draws = 0;
    std::uint64_t seed = 0;
    std::vector<Breakdown> breakdowns;
    std::vector<std::vector<std::vector<Histogram>>> stock;  // [breakdown][year index][category]
    std::vector<std::vector<Histogram>> flows;               // [flow kind][year index], year 0 empty
    std::vector<double> mean_stock;                          // [year index][cell]
    std::vector<std::int64_t> total_by_draw;                 // [draw][year index]
    std::vector<std::int32_t> detail_by_draw;                // [draw][year index][detail category] if kept
    std::size_t detail_breakdown = 0;                        // index of need_setting_phase in breakdowns
    int years() const { return horizon + 1; }
};

ProjectionResult project(const Posterior& posterior, std::vector<Breakdown> breakdowns, const ProjectionOptions& options);

}  // namespace sendplan
