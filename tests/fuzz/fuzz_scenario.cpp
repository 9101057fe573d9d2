// The scenario reader. The input is a scenario file in a folder laid out like the project's own
// (model/, data/ and the shipped scenarios beside it), so that the relative paths and `extends` a
// real scenario gives resolve and the reader goes past them into assumptions and provision changes.
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "fuzz_support.h"
#include "io/scenario.h"

using namespace sendplan;

namespace {

const std::filesystem::path& project() {
    static const std::filesystem::path dir = [] {
        const auto d = fuzz::scratch() / "project";
        std::filesystem::create_directories(d / "scenarios");
        for (const char* name : {"model", "data"})
            std::filesystem::create_directory_symlink(std::filesystem::path(SENDPLAN_SOURCE_DIR) / name, d / name);
        const std::filesystem::path source(SENDPLAN_SOURCE_DIR);
        for (const auto& e : std::filesystem::directory_iterator(source / "scenarios"))
            std::filesystem::create_symlink(e.path(), d / "scenarios" / e.path().filename());
        return d;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        read_scenario(fuzz::write_input(project() / "scenarios" / "fuzz.yaml", data, size));
    } catch (const InputError&) {
    } catch (const DataError&) {
    }
    return 0;
}
