// The DfE release reader. The first byte chooses which release file the rest becomes (or a zip
// holding releases), so one corpus reaches every table the reader knows; then every area found is
// taken from it, and England.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "fuzz_support.h"
#include "io/dfe_reader.h"
#include "io/taxonomy_reader.h"

using namespace sendplan;

namespace {

const char* const kNames[] = {"caseload.csv",          "newplans.csv",          "ceased_plans.csv",
                              "sen_needs_all_plans.csv", "sen_need_newplans.csv", "sen2_age_caseload.csv",
                              "sen2_age_new_plans.csv", "release.zip"};
constexpr std::size_t kKinds = sizeof(kNames) / sizeof(kNames[0]);

const Taxonomy& model() {
    static const Taxonomy t = read_taxonomy(std::string(SENDPLAN_SOURCE_DIR) + "/model");
    return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string name = kNames[data[0] % kKinds];
    const auto dir = fuzz::scratch() / "release";
    std::filesystem::remove_all(dir);
    const std::string path = fuzz::write_input(dir / name, data + 1, size - 1);
    const std::string source = name == "release.zip" ? path : dir.string();
    try {
        const DfeReleases releases = DfeReleases::read({source});
        std::vector<std::string> areas{"E92000001"};
        for (const auto& la : releases.local_authorities()) {
            if (areas.size() >= 4) break;
            areas.push_back(la.code);
        }
        for (const auto& area : areas) {
            try {
                releases.history(area, model(), true);
            } catch (const InputError&) {
            } catch (const DataError&) {
            }
        }
    } catch (const InputError&) {
    } catch (const DataError&) {
    }
    return 0;
}
