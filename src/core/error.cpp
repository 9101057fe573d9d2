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

}  // namespace sendplan
