#pragma once
// The provision register: every ARP, SEN unit and special school the authority places children in,
// with its designated needs, age range and places by year (data/local/*_provisions.csv and
// *_provision_places.csv; docs/provisions.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/taxonomy.h"

namespace sendplan {

struct Provision {
    std::string id, name, type;
    int setting = 0;                 // the model setting its places are in (from settings.yaml)
    std::vector<bool> serves_need;   // [need]: designated for it (a need code or its broad area)
    int first_age = 0, last_age = 0; // age indices, inclusive
    bool in_borough = true;
    std::optional<double> place_cost, top_up;  // per place per year, where the register gives them
    std::map<int, int> places_from;  // January census year -> places from then on
    long line = 0;                   // of its row, for messages

    // Places at the January census of `year`: the latest change up to it, none before the first.
    int places_in(int year) const;
    bool serves(int need, int age) const { return serves_need[static_cast<std::size_t>(need)] && age >= first_age && age <= last_age; }
};

struct ProvisionRegister {
    std::string provisions_path, places_path;
    std::string area_code;  // as its optional area_code column states, or empty
    std::vector<Provision> provisions;
    std::optional<std::size_t> find(const std::string& id) const;
};

// Reads both files. Bad rows are refused with file, line and field: an unknown type or need code, an
// age outside the model's or a range upside down, a negative or fractional number of places, a
// places row for a provision the register does not list, an id or (id, year) given twice.
ProvisionRegister read_provision_register(const std::string& provisions_path, const std::string& places_path, const Taxonomy& taxonomy);

// The needs designated by need codes or broad areas of need, any case; refuses with file, line and
// field an unknown code, or none at all.
std::vector<bool> needs_from_codes(const std::vector<std::string>& codes, const Taxonomy& taxonomy, const std::string& file, long line,
                                   const std::string& field);

}  // namespace sendplan
