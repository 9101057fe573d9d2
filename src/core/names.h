#pragma once
// A scenario's name becomes the name of its results folder (results/<name>, or <compare folder>/<name>),
// so it must be a plain name: never a path that reaches another folder, and short enough for any disk.
#include <cstddef>
#include <string_view>

namespace sendplan {

inline constexpr std::size_t max_name_length = 100;

// Letters, digits, '-', '_' and '.', 1 to max_name_length characters, and neither "." nor "..".
inline bool is_plain_name(std::string_view name) {
    if (name.empty() || name.size() > max_name_length || name == "." || name == "..") return false;
    for (const char c : name) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        const bool digit = c >= '0' && c <= '9';
        if (!letter && !digit && c != '-' && c != '_' && c != '.') return false;
    }
    return true;
}

}  // namespace sendplan
