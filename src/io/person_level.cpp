#include "io/person_level.h"

#include <algorithm>
#include <fstream>
#include <type_traits>
#include <unordered_map>

#include "core/error.h"
#include "io/csv.h"
#include "io/input_file.h"

namespace sendplan {

namespace {

std::string known_codes(const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : ", ") + c;
    return out;
}

// A model code (need or setting), matched without regard to case ("SpLD", "SPLD"), after any
// mapping from a witan.send code.
template <class Category>
int code_index(const CsvTable& t, std::size_t row, std::size_t col, const std::vector<Category>& categories,
               const std::map<std::string, std::string>& mapped, const char* kind) {
    std::string code = t.text(row, col);
    if (auto m = mapped.find(code); m != mapped.end()) code = m->second;
    std::vector<std::string> all;
    for (std::size_t i = 0; i < categories.size(); ++i) {
        if (upper(categories[i].code) == upper(code)) return static_cast<int>(i);
        all.push_back(categories[i].code);
    }
    if constexpr (std::is_same_v<Category, Need>)
        for (std::size_t i = 0; i < categories.size(); ++i)
            for (const auto& former : categories[i].former_codes)
                if (upper(former) == upper(code)) return static_cast<int>(i);
    throw InputError(t.path(), t.line(row), t.header()[col],
                     std::string("unknown ") + kind + " code '" + t.text(row, col) + "'; expected one of " + known_codes(all) +
                         (mapped.empty() ? "" : ", or a code in the code map"));
}

int need_code(const CsvTable& t, std::size_t row, std::size_t col, const Taxonomy& tax, const CodeMap& codes) {
    return code_index(t, row, col, tax.needs, codes.needs, "need");
}

int setting_code(const CsvTable& t, std::size_t row, std::size_t col, const Taxonomy& tax, const CodeMap& codes) {
    return code_index(t, row, col, tax.settings, codes.settings, "setting");
}

// Census age from an age or a national curriculum year column, refused outside the model's ages.
int age_of(const CsvTable& t, std::size_t row, std::size_t col, bool is_ncy, const Taxonomy& tax) {
    // Read within generous bounds first, so the range below can be said in ages.
    const auto value = t.integer(row, col, -100, 100);
    const auto age = is_ncy ? value + tax.ncy_offset : value;
    if (age < tax.min_age || age > tax.max_age)
        throw InputError(t.path(), t.line(row), t.header()[col],
                         (is_ncy ? "national curriculum year " + std::to_string(value) + " is age " + std::to_string(age) + ", " : "age " + std::to_string(age) + " is ") +
                             "outside the model's ages " + std::to_string(tax.min_age) + ".." + std::to_string(tax.max_age));
    return static_cast<int>(age) - tax.min_age;
}

}  // namespace

// A census's children are the `from` side of the transitions out of it; the last census, which has
// none, is the `to` side of the transitions into it.
void index_censuses(PersonHistory& h) {
    std::stable_sort(h.transitions.begin(), h.transitions.end(), [](const auto& a, const auto& b) { return a.year < b.year; });
    h.censuses.clear();
    std::map<int, std::vector<PersonState>> arriving;
    for (const auto& tr : h.transitions) {
        if (tr.from) h.censuses[tr.year].push_back(*tr.from);
        if (tr.to) arriving[tr.year + 1].push_back(*tr.to);
    }
    for (auto& [year, children] : arriving)
        if (!h.censuses.count(year)) h.censuses[year] = std::move(children);
    if (!h.censuses.empty()) {
        h.first_census = h.censuses.begin()->first;
        h.last_census = h.censuses.rbegin()->first;
    }
}

CodeMap read_code_map(const std::string& path) {
    const CsvTable t = CsvTable::read(path);
    const std::size_t kind = t.column("kind"), from = t.column("from"), to = t.column("to");
    CodeMap m;
    std::map<std::pair<std::string, std::string>, long> mapped_at;  // a code mapped twice would leave one mapping silently lost
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string& k = t.text(r, kind);
        if (k != "setting" && k != "need") throw InputError(path, t.line(r), "kind", "expected 'setting' or 'need', found " + shown(k));
        const auto [earlier, fresh] = mapped_at.emplace(std::pair{k, t.text(r, from)}, t.line(r));
        if (!fresh)
            throw InputError(path, t.line(r), "from", k + " code " + shown(t.text(r, from)) + " is already mapped at line " + std::to_string(earlier->second) +
                                                          ": expected each code mapped once");
        (k == "setting" ? m.settings : m.needs)[t.text(r, from)] = t.text(r, to);
    }
    return m;
}

PersonHistory read_person_censuses(const std::string& path, const Taxonomy& tax) {
    const CsvTable t = CsvTable::read(path);
    const std::size_t id_col = t.column("person_id"), year_col = t.column("census_year"), need_col = t.column("need"),
                      setting_col = t.column("setting");
    const auto age_col = t.find_column("age"), ncy_col = t.find_column("ncy");
    if (!age_col && !ncy_col) throw InputError(path, 1, "age", "missing column: give 'age' or 'ncy' (national curriculum year)");
    const CodeMap none;
    std::vector<CensusRow> rows;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string& id = t.text(r, id_col);
        if (id.empty()) throw InputError(path, t.line(r), "person_id", "empty id");
        const int year = t.year(r, year_col);
        PersonState s;
        s.age = age_col ? age_of(t, r, *age_col, false, tax) : age_of(t, r, *ncy_col, true, tax);
        s.need = need_code(t, r, need_col, tax, none);
        s.setting = setting_code(t, r, setting_col, tax, none);
        rows.push_back(CensusRow{id, year, s, t.line(r)});
    }
    if (rows.empty()) throw InputError(path, 1, "census_year", "no rows");
    return person_history_from_censuses(rows, path);
}

PersonHistory person_history_from_censuses(const std::vector<CensusRow>& rows, const std::string& source) {
    // Row positions by census and id; the transitions keep the rows' order, so the history never
    // depends on hashing.
    std::map<int, std::unordered_map<std::string, std::size_t>> at;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto [it, fresh] = at[rows[i].year].emplace(rows[i].person_id, i);
        if (!fresh)
            throw InputError(source, rows[i].line, "person_id",
                             "this child is already in the " + std::to_string(rows[i].year) + " census, at line " + std::to_string(rows[it->second].line));
    }
    PersonHistory h;
    h.source = source;
    for (const auto& [year, ids] : at) {
        const auto next = at.find(year + 1);
        if (next == at.end()) continue;  // no following census: no transitions from this one
        std::vector<std::pair<std::size_t, PersonTransition>> moves;
        for (const auto& [id, i] : ids) {
            PersonTransition tr{year, rows[i].state, std::nullopt};
            if (auto later = next->second.find(id); later != next->second.end()) tr.to = rows[later->second].state;
            moves.emplace_back(i, tr);
        }
        for (const auto& [id, i] : next->second)
            if (!ids.count(id)) moves.emplace_back(i, PersonTransition{year, std::nullopt, rows[i].state});
        std::sort(moves.begin(), moves.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        for (auto& [i, tr] : moves) h.transitions.push_back(tr);
    }
    index_censuses(h);
    // A census with no neighbour still counts as a census (the base stock may be the only one).
    for (const auto& row : rows)
        if (!at.count(row.year - 1) && !at.count(row.year + 1)) h.censuses[row.year].push_back(row.state);
    if (!h.censuses.empty()) {
        h.first_census = h.censuses.begin()->first;
        h.last_census = h.censuses.rbegin()->first;
    }
    return h;
}

PersonHistory read_witan_transitions(const std::string& path, const Taxonomy& tax, const CodeMap& codes) {
    const CsvTable t = CsvTable::read(path);
    const std::size_t year_col = t.column("calendar-year");
    const std::size_t setting_col[2] = {t.column("setting-1"), t.column("setting-2")};
    const std::size_t need_col[2] = {t.column("need-1"), t.column("need-2")};
    const std::size_t ncy_col[2] = {t.column("academic-year-1"), t.column("academic-year-2")};
    PersonHistory h;
    h.source = path;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        PersonTransition tr;
        tr.year = t.year(r, year_col);
        for (int side = 0; side < 2; ++side) {
            if (upper(t.text(r, setting_col[side])) == "NONSEND") continue;
            PersonState s;
            s.age = age_of(t, r, ncy_col[side], true, tax);
            s.need = need_code(t, r, need_col[side], tax, codes);
            s.setting = setting_code(t, r, setting_col[side], tax, codes);
            (side == 0 ? tr.from : tr.to) = s;
        }
        if (!tr.from && !tr.to) throw InputError(path, t.line(r), "setting-1", "NONSEND on both sides: not a transition of a plan");
        h.transitions.push_back(tr);
    }
    if (h.transitions.empty()) throw InputError(path, 1, "calendar-year", "no rows");
    index_censuses(h);
    return h;
}

PersonHistory read_person_level(const std::string& path, const Taxonomy& tax, const CodeMap& codes) {
    require_input_file(path, "a person-level file (CSV)");
    std::ifstream in(path);
    if (!in) throw InputError(path, 0, "", "cannot open file");
    std::string header;
    std::getline(in, header);
    if (header.find("calendar-year") != std::string::npos) return read_witan_transitions(path, tax, codes);
    return read_person_censuses(path, tax);
}

}  // namespace sendplan
