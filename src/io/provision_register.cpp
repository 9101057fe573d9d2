#include "io/provision_register.h"

#include <cmath>
#include <sstream>

#include "core/error.h"
#include "io/csv.h"

namespace sendplan {

namespace {

// Marks the needs a code designates: the need of that code, else every need of the broad area of
// that code. False for a code that is neither.
bool mark_designated(const std::string& code, const Taxonomy& tax, std::vector<bool>& serves) {
    bool known = false;
    for (std::size_t k = 0; k < tax.needs.size(); ++k)
        if (upper(tax.needs[k].code) == upper(code)) serves[k] = known = true;
    for (std::size_t b = 0; b < tax.broad_areas.size() && !known; ++b)
        if (upper(tax.broad_areas[b].code) == upper(code)) {
            for (std::size_t k = 0; k < tax.needs.size(); ++k)
                if (tax.needs[k].broad_area == static_cast<int>(b)) serves[k] = true;
            known = true;
        }
    return known;
}

// "ASD;SLCN" or "CI;SEMH".
std::vector<bool> designated_needs(const CsvTable& t, std::size_t row, std::size_t col, const Taxonomy& tax) {
    std::vector<std::string> codes;
    std::stringstream list(t.text(row, col));
    for (std::string code; std::getline(list, code, ';');) codes.push_back(code);
    return needs_from_codes(codes, tax, t.path(), t.line(row), t.header()[col]);
}

int age_index(const CsvTable& t, std::size_t row, std::size_t col, const Taxonomy& tax) {
    const auto age = t.integer(row, col, -100, 100);  // read first, so the range below can be said in ages
    if (age < tax.min_age || age > tax.max_age)
        throw InputError(t.path(), t.line(row), t.header()[col],
                         "age " + std::to_string(age) + " is outside the model's ages " + std::to_string(tax.min_age) + ".." + std::to_string(tax.max_age));
    return static_cast<int>(age) - tax.min_age;
}

std::optional<double> optional_amount(const CsvTable& t, std::size_t row, std::optional<std::size_t> col) {
    if (!col || trim(t.text(row, *col)).empty()) return std::nullopt;
    return t.number(row, *col, 0, kMaxPounds);
}

}  // namespace

int Provision::places_in(int year) const {
    auto it = places_from.upper_bound(year);
    return it == places_from.begin() ? 0 : std::prev(it)->second;
}

std::optional<std::size_t> ProvisionRegister::find(const std::string& id) const {
    for (std::size_t i = 0; i < provisions.size(); ++i)
        if (provisions[i].id == id) return i;
    return std::nullopt;
}

namespace {

struct ProvisionColumns {
    std::size_t id, name, type, needs, age_from, age_to, in_borough;
    std::optional<std::size_t> place_cost, top_up;

    explicit ProvisionColumns(const CsvTable& t)
        : id(t.column("id")),
          name(t.column("name")),
          type(t.column("type")),
          needs(t.column("needs")),
          age_from(t.column("age_from")),
          age_to(t.column("age_to")),
          in_borough(t.column("in_borough")),
          place_cost(t.find_column("place_cost")),
          top_up(t.find_column("top_up")) {}
};

// The setting whose provision types include the provision's; the message lists them all.
int setting_of_type(const std::string& path, long line, const std::string& type, const Taxonomy& tax) {
    const auto setting = tax.setting_of_provision_type(type);
    if (setting) return *setting;
    std::string known;
    for (const auto& s : tax.settings)
        for (const auto& pt : s.provision_types) known += (known.empty() ? "" : ", ") + pt;
    throw InputError(path, line, "type", "unknown provision type " + shown(type) + "; expected one of " + known);
}

bool in_borough_of(const CsvTable& t, std::size_t r, std::size_t col, long line) {
    const std::string b = upper(trim(t.text(r, col)));
    if (b == "YES" || b == "TRUE") return true;
    if (b == "NO" || b == "FALSE") return false;
    throw InputError(t.path(), line, "in_borough", "expected yes or no, found " + shown(t.text(r, col)));
}

// One row of the register; an id listed before in `reg` is refused.
Provision provision_of_row(const CsvTable& t, std::size_t r, const ProvisionColumns& c, const Taxonomy& tax, const ProvisionRegister& reg) {
    const std::string& path = t.path();
    Provision p;
    p.line = t.line(r);
    p.id = trim(t.text(r, c.id));
    if (p.id.empty()) throw InputError(path, p.line, "id", "empty id");
    if (const auto earlier = reg.find(p.id))
        throw InputError(path, p.line, "id", "provision " + shown(p.id) + " is already listed at line " + std::to_string(reg.provisions[*earlier].line));
    p.name = trim(t.text(r, c.name));
    p.type = trim(t.text(r, c.type));
    p.setting = setting_of_type(path, p.line, p.type, tax);
    p.serves_need = designated_needs(t, r, c.needs, tax);
    p.first_age = age_index(t, r, c.age_from, tax);
    p.last_age = age_index(t, r, c.age_to, tax);
    if (p.last_age < p.first_age)
        throw InputError(path, p.line, "age_to", "the age range runs backwards (" + t.text(r, c.age_from) + " to " + t.text(r, c.age_to) + ")");
    p.in_borough = in_borough_of(t, r, c.in_borough, p.line);
    p.place_cost = optional_amount(t, r, c.place_cost);
    p.top_up = optional_amount(t, r, c.top_up);
    return p;
}

// Places by provision and year, from the year given on: each provision must be in the register.
void read_places(const std::string& places_path, ProvisionRegister& reg) {
    const CsvTable places = CsvTable::read(places_path);
    const std::size_t pid = places.column("id"), year = places.column("year"), count = places.column("places");
    for (std::size_t r = 0; r < places.rows(); ++r) {
        const std::string key = trim(places.text(r, pid));
        const auto i = reg.find(key);
        if (!i) throw InputError(places_path, places.line(r), "id", "provision " + shown(key) + " is not in " + reg.provisions_path);
        const int y = places.year(r, year);
        const auto n = places.integer(r, count, 0, kMaxPlaces);
        auto [it, fresh] = reg.provisions[*i].places_from.emplace(y, static_cast<int>(n));
        if (!fresh) throw InputError(places_path, places.line(r), "year", "places for " + shown(key) + " in " + std::to_string(y) + " are given twice");
    }
}

}  // namespace

std::vector<bool> needs_from_codes(const std::vector<std::string>& codes, const Taxonomy& tax, const std::string& file, long line,
                                   const std::string& field) {
    std::vector<bool> serves(tax.needs.size(), false);
    bool any = false;
    for (std::string code : codes) {
        code = trim(code);
        if (code.empty()) continue;
        if (!mark_designated(code, tax, serves))
            throw InputError(file, line, field, "unknown need code " + shown(code) + ": give need codes (ASD, SLCN, ...) or broad areas (CI, CL, SEMH, SP)");
        any = true;
    }
    if (!any) throw InputError(file, line, field, "no designated need: give need codes or broad areas");
    return serves;
}

ProvisionRegister read_provision_register(const std::string& provisions_path, const std::string& places_path, const Taxonomy& tax) {
    ProvisionRegister reg;
    reg.provisions_path = provisions_path;
    reg.places_path = places_path;
    const CsvTable t = CsvTable::read(provisions_path);
    const ProvisionColumns columns(t);
    reg.area_code = stated_area_code(t);
    for (std::size_t r = 0; r < t.rows(); ++r) reg.provisions.push_back(provision_of_row(t, r, columns, tax, reg));
    read_places(places_path, reg);
    return reg;
}

}  // namespace sendplan
