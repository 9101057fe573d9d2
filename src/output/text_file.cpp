#include "output/text_file.h"

#include <filesystem>
#include <fstream>

#include "core/error.h"

namespace sendplan {

void write_text_file(const std::string& path, const std::string& option, const std::function<void(std::ostream&)>& write) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    if (target.has_parent_path() && !fs::is_directory(target.parent_path()))
        throw InputError(path, 0, option, "the directory to write into does not exist");
    const fs::path temporary = target.string() + ".partial";
    {
        std::ofstream f(temporary);
        if (!f) throw InputError(path, 0, option, "cannot be written");
        write(f);
        if (!f.flush()) {
            std::error_code ec;
            fs::remove(temporary, ec);
            throw InputError(path, 0, option, "could not be written completely");
        }
    }
    fs::rename(temporary, target);
}

}  // namespace sendplan
