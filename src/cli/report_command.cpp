#include "cli/report_command.h"

#include <filesystem>

#include "core/error.h"
#include "output/atomic_output.h"
#include "output/html_report.h"

namespace sendplan {

namespace fs = std::filesystem;

std::string run_report(const std::string& dir) {
    std::error_code ec;
    if (dir.empty()) throw InputError("DIR", 0, "", "is empty: give a results folder that sendplan run or sendplan compare wrote");
    if (!fs::is_directory(dir, ec)) throw InputError(dir, 0, "", "is not a folder: give a results folder that sendplan run or sendplan compare wrote");
    const fs::path folder(dir);
    if (!fs::exists(folder / results_marker, ec) && !fs::exists(folder / "results.h5", ec) && !fs::exists(folder / "comparison.csv", ec))
        throw InputError(dir, 0, "", std::string("is not a sendplan results folder (it has no ") + results_marker + ", results.h5 or comparison.csv)");
    // Made whole before anything is written, so a folder that cannot be read leaves any earlier report as it was.
    const std::string text = report_of_folder(folder, dir);
    const std::string path = (folder / report_file_name).string();
    write_text_file(path, "DIR", OutputKind{"HTML report", report_first_line}, [&](std::ostream& file) { file << text; });
    return fs::absolute(path).lexically_normal().string();
}

}  // namespace sendplan
