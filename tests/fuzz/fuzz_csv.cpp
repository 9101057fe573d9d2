// The CSV reader, from a file and from text, and the checked conversions of every cell: bad input
// must be refused with InputError or DataError, never crash, hang or be read as something else.
#include <cstdint>
#include <string>

#include "core/error.h"
#include "fuzz_support.h"
#include "io/csv.h"

using namespace sendplan;

namespace {

void read_every_cell(const CsvTable& t) {
    for (const auto& name : t.header()) t.find_column(name);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        for (std::size_t c = 0; c < t.header().size(); ++c) {
            try { t.count(r, c); } catch (const InputError&) {}
            try { t.number(r, c, -1e9, 1e9); } catch (const InputError&) {}
            try { t.integer(r, c, -1000000, 1000000); } catch (const InputError&) {}
            try { t.year(r, c); } catch (const InputError&) {}
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        read_every_cell(CsvTable::read(fuzz::write_input(fuzz::scratch() / "input.csv", data, size)));
    } catch (const InputError&) {
    } catch (const DataError&) {
    }
    try {
        read_every_cell(CsvTable::parse(std::string(reinterpret_cast<const char*>(data), size), "input.csv"));
    } catch (const InputError&) {
    } catch (const DataError&) {
    }
    return 0;
}
