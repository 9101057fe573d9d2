// The person-level reader, both formats (SEN2 censuses and witan.send transitions, told apart by
// the header), on the shipped model.
#include <cstdint>
#include <string>

#include "core/error.h"
#include "fuzz_support.h"
#include "io/person_level.h"
#include "io/taxonomy_reader.h"

using namespace sendplan;

namespace {

const Taxonomy& model() {
    static const Taxonomy t = read_taxonomy(std::string(SENDPLAN_SOURCE_DIR) + "/model");
    return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        read_person_level(fuzz::write_input(fuzz::scratch() / "person_level.csv", data, size), model(), CodeMap{});
    } catch (const InputError&) {
    } catch (const DataError&) {
    }
    return 0;
}
