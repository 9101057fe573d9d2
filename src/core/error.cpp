#include "core/error.h"

namespace sendplan {

std::string InputError::compose(const std::string& file, long line, long column, const std::string& field, const std::string& message) {
    std::string out;
    out.append(file);
    if (line > 0) out.append(":").append(std::to_string(line));
    if (line > 0 && column > 0) out.append(":").append(std::to_string(column));
    if (!field.empty()) out.append(": field '").append(field).append("'");
    out.append(": ").append(message);
    return out;
}

std::string shown(std::string_view found) {
    constexpr std::size_t limit = 60;
    std::string out = "'";
    if (found.size() <= limit) {
        out.append(found);
    } else {
        std::size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(found[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
        out.append(found.substr(0, cut)).append("\u2026");
    }
    for (auto& c : out)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return out + "'";
}

}  // namespace sendplan
