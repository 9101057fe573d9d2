#include "io/cost_table.h"

#include "core/error.h"
#include "io/csv.h"

namespace sendplan {

const char* cost_element_name(int e) {
    static const char* names[] = {"place", "top_up", "fee", "transport"};
    return names[e];
}

int cost_element_of(const std::string& name) {
    for (int e = 0; e < cost_elements; ++e)
        if (name == cost_element_name(e)) return e;
    return -1;
}

CostTable read_cost_table(const std::string& path) {
    CostTable out;
    out.path = path;
    const CsvTable t = CsvTable::read(path);
    const std::size_t placement = t.column("placement"), phase = t.column("phase"), need = t.column("need"), element = t.column("element"),
                      pounds = t.column("gbp_a_year"), uncertainty = t.column("uncertainty_percent");
    const std::size_t source = t.column("source");  // every figure says where it comes from
    out.area_code = stated_area_code(t);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        CostRow row;
        row.line = t.line(r);
        row.placement = trim(t.text(r, placement));
        row.phase = trim(t.text(r, phase));
        row.need = trim(t.text(r, need));
        if (row.placement.empty()) throw InputError(path, row.line, "placement", "empty placement");
        if (row.phase.empty()) throw InputError(path, row.line, "phase", "empty phase: give a phase code or 'all'");
        if (row.need.empty()) throw InputError(path, row.line, "need", "empty need: give a need code, a broad area or 'all'");
        const std::string e = trim(t.text(r, element));
        row.element = cost_element_of(e);
        if (row.element < 0) throw InputError(path, row.line, "element", "unknown element " + shown(e) + "; expected place, top_up, fee or transport");
        row.pounds = t.number(r, pounds, 0, kMaxPounds);
        row.uncertainty_percent = t.percent(r, uncertainty, 0, 100);
        row.source = trim(t.text(r, source));
        out.rows.push_back(std::move(row));
    }
    if (out.rows.empty()) throw InputError(path, 0, "", "the cost table has no rows");
    return out;
}

}  // namespace sendplan
