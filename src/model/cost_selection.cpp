#include "model/cost_selection.h"

#include <algorithm>

#include "core/error.h"

namespace sendplan {

int CostedPlacements::index(const std::string& code) const {
    for (int i = 0; i < count(); ++i)
        if (codes[static_cast<std::size_t>(i)] == code) return i;
    return -1;
}

CostedPlacements costed_placements(const Taxonomy& tax) {
    CostedPlacements out;
    for (const auto& s : tax.settings) {
        out.codes.push_back(s.code);
        out.labels.push_back(s.label);
    }
    std::vector<std::string> groups;
    for (const auto& s : tax.settings)
        if (!s.place_group.empty() && std::find(groups.begin(), groups.end(), s.place_group) == groups.end()) groups.push_back(s.place_group);
    for (const auto& g : groups) {
        out.codes.push_back("out_of_borough_" + g);
        out.labels.push_back("Out of borough (" + g + ")");
    }
    return out;
}

int CostSelection::specificity(int cell_phase, int cell_need, const Taxonomy& tax) const {
    if (phase >= 0 && phase != cell_phase) return -1;
    int need_score = 0;
    if (need_scope == NeedScope::need) {
        if (need != cell_need) return -1;
        need_score = 2;
    } else if (need_scope == NeedScope::broad_area) {
        if (tax.needs[static_cast<std::size_t>(cell_need)].broad_area != need) return -1;
        need_score = 1;
    }
    return need_score * 2 + (phase >= 0 ? 1 : 0);
}

namespace {

int parse_placement(const CostedPlacements& placements, const std::string& placement, const WrittenAt& at) {
    const int index = placements.index(placement);
    if (index < 0) {
        std::string list;
        for (const auto& c : placements.codes) list += (list.empty() ? "" : ", ") + c;
        throw InputError(at.file, at.line, at.column, at.prefix + "placement", "unknown placement '" + placement + "'; expected one of " + list);
    }
    return index;
}

int parse_phase(const Taxonomy& tax, const std::string& phase, const WrittenAt& at) {
    int index = -1;
    for (std::size_t i = 0; i < tax.phases.size(); ++i)
        if (tax.phases[i].code == phase) index = static_cast<int>(i);
    if (index < 0) {
        std::string list;
        for (const auto& ph : tax.phases) list += ph.code + ", ";
        throw InputError(at.file, at.line, at.column, at.prefix + "phase", "unknown phase '" + phase + "'; expected one of " + list + "all");
    }
    return index;
}

// A need code, or else a broad area.
void parse_need(const Taxonomy& tax, const std::string& need, const WrittenAt& at, CostSelection& p) {
    if (const auto k = tax.need_index(need)) {
        p.need_scope = NeedScope::need;
        p.need = *k;
    } else if (const auto b = tax.broad_area_index(need)) {
        p.need_scope = NeedScope::broad_area;
        p.need = *b;
    } else {
        throw InputError(at.file, at.line, at.column, at.prefix + "need", "unknown need code or broad area '" + need + "'");
    }
}

}  // namespace

CostSelection parse_cost_selection(const CostedPlacements& placements, const Taxonomy& tax, const std::string& placement, const std::string& phase,
                                   const std::string& need, const WrittenAt& at, bool placement_may_be_all) {
    CostSelection p;
    if (!(placement_may_be_all && placement == "all")) p.placement = parse_placement(placements, placement, at);
    if (phase != "all") p.phase = parse_phase(tax, phase, at);
    if (need != "all") parse_need(tax, need, at, p);
    return p;
}

}  // namespace sendplan
