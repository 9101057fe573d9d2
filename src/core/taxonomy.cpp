#include "core/taxonomy.h"

#include <algorithm>
#include <cctype>

namespace sendplan {
namespace {
bool same_text(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}
template <class T>
std::optional<int> find_code(const std::vector<T>& items, const std::string& code) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].code == code) return static_cast<int>(i);
    return std::nullopt;
}
}  // namespace

std::optional<int> Taxonomy::need_index(const std::string& code) const {
    if (const auto k = find_code(needs, code)) return k;
    for (std::size_t k = 0; k < needs.size(); ++k)
        if (std::find(needs[k].former_codes.begin(), needs[k].former_codes.end(), code) != needs[k].former_codes.end()) return static_cast<int>(k);
    return std::nullopt;
}
std::optional<int> Taxonomy::setting_index(const std::string& code) const { return find_code(settings, code); }
std::optional<int> Taxonomy::broad_area_index(const std::string& code) const { return find_code(broad_areas, code); }

std::optional<int> Taxonomy::setting_of_label(const std::string& label) const {
    for (std::size_t s = 0; s < settings.size(); ++s)
        for (const auto& l : settings[s].labels)
            if (same_text(l, label)) return static_cast<int>(s);
    for (const auto& l : ignore_labels)
        if (same_text(l, label)) return -1;
    return std::nullopt;
}

std::string Taxonomy::place_group_label(const std::string& group) const {
    const auto s = std::find_if(settings.begin(), settings.end(), [&](const Setting& setting) { return setting.code == group; });
    return s == settings.end() ? group : s->label;
}

std::optional<int> Taxonomy::setting_of_provision_type(const std::string& type) const {
    for (std::size_t s = 0; s < settings.size(); ++s)
        for (const auto& t : settings[s].provision_types)
            if (t == type) return static_cast<int>(s);
    return std::nullopt;
}

std::string year_group_label(int ncy) {
    if (ncy == 0) return "Reception";
    if (ncy > 0) return "Year " + std::to_string(ncy);
    return "Nursery (NCY " + std::to_string(ncy) + ")";
}

}  // namespace sendplan
