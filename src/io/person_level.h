#pragma once
// A local authority's person-level history, from its SEN2 census returns (one row per child per
// January census) or from witan.send's transitions.csv, turned into the transitions between
// consecutive censuses that calibration counts. Pseudonymous ids are used only to pair a child's
// rows and are not kept: nothing read here can reach an output.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/taxonomy.h"

namespace sendplan {

struct PersonState {
    int age = 0;      // census age (index into the model's ages)
    int need = 0;     // index into Taxonomy::needs
    int setting = 0;  // index into Taxonomy::settings
    bool operator==(const PersonState&) const = default;
};

// One child between the January census of `year` and that of `year + 1`: held at both, joined
// (no `from`), or left (no `to`).
struct PersonTransition {
    int year = 0;
    std::optional<PersonState> from, to;
};

struct PersonHistory {
    std::string source;
    int first_census = 0, last_census = 0;
    std::vector<PersonTransition> transitions;  // sorted by year
    // Every census's children, as states (the `from` side of year y, or the `to` side of y - 1).
    std::map<int, std::vector<PersonState>> censuses;
};

// One child in one census, as read (the id only pairs rows; it goes no further).
struct CensusRow {
    std::string person_id;
    int year = 0;
    PersonState state;
    long line = 0;  // where it was read, for messages (0 for generated rows)
};
// Pairs each child's rows in consecutive censuses into transitions. A child twice in one census is
// refused, naming both lines.
PersonHistory person_history_from_censuses(const std::vector<CensusRow>& rows, const std::string& source);
// Sorts the transitions by year and fills `censuses`, first_census and last_census from them.
void index_censuses(PersonHistory& history);

// witan.send codes that are not the model's own: its setting codes (and any need codes) mapped to
// the model's, from a two-column CSV `from,to`.
struct CodeMap {
    std::map<std::string, std::string> settings, needs;
};
CodeMap read_code_map(const std::string& path);

// SEN2 census history: columns person_id, census_year, need, setting, and age or ncy; optional
// provision_id and in_area are accepted. Bad rows (unknown codes, age out of range, a child twice
// in one census) are refused with file, line and field.
PersonHistory read_person_censuses(const std::string& path, const Taxonomy& taxonomy);

// witan.send transitions.csv: calendar-year, setting-1, need-1, academic-year-1, setting-2, need-2,
// academic-year-2, with NONSEND for "no plan". `calendar-year` Y is read as the move from the
// January Y census to the January Y+1 census; academic years are national curriculum years.
PersonHistory read_witan_transitions(const std::string& path, const Taxonomy& taxonomy, const CodeMap& codes = {});

// Either format, told apart by its header.
PersonHistory read_person_level(const std::string& path, const Taxonomy& taxonomy, const CodeMap& codes = {});

}  // namespace sendplan
