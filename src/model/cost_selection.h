#pragma once
// What a cost-table row or a scenario's cost change selects: a costed placement, a phase and a need,
// each of them or "all". Costed placements are every setting, then each place group's places out of
// the borough, a placement of their own (other authorities' schools charge their own top-ups, and the
// journeys are longer). Both the cost table and the scenario's cost changes are parsed here, once,
// against the taxonomy, so that a name means the same in either.
#include <string>
#include <vector>

#include "core/taxonomy.h"

namespace sendplan {

struct CostedPlacements {
    std::vector<std::string> codes, labels;
    int count() const { return static_cast<int>(codes.size()); }
    // The placement with this code, or -1.
    int index(const std::string& code) const;
};

CostedPlacements costed_placements(const Taxonomy& taxonomy);

// How a selection names needs.
enum class NeedScope { all, broad_area, need };

struct CostSelection {
    int placement = -1;  // -1: every placement
    int phase = -1;      // -1: every phase
    NeedScope need_scope = NeedScope::all;
    int need = -1;       // a need index, or a broad area's, as need_scope says

    bool selects_placement(int p) const { return placement < 0 || placement == p; }
    // How specifically this selects a cell's phase and need: -1 not at all; higher is more specific
    // (a need code before its broad area before "all"; a phase code before "all").
    int specificity(int cell_phase, int cell_need, const Taxonomy& taxonomy) const;
};

// Where a selection was written, for a refusal.
struct WrittenAt {
    const std::string& file;
    long line = 0, column = 0;
    std::string prefix;  // put before the field's name
};

// Parses a placement, phase and need as written; refuses an unknown one with file, line, column
// and field. `placement_may_be_all`: a cost change may select every placement; a cost row may not.
CostSelection parse_cost_selection(const CostedPlacements& placements, const Taxonomy& taxonomy, const std::string& placement,
                                   const std::string& phase, const std::string& need, const WrittenAt& at, bool placement_may_be_all);

}  // namespace sendplan
