// Stored expected outputs: two small fixed scenarios (tests/golden/*.yaml) are run as a user would
// and everything they write is compared with tests/golden/expected/<scenario>/, the CSV and text
// files byte for byte, results.h5 as text (tests/h5_text.h) and a workbook as the text of its
// sheets, strings and styles. A change that is meant to change outputs rewrites them with
// scripts/update-golden.sh, and its commit says why.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "h5_text.h"
#include "io/zip_archive.h"
#include "support.h"

using namespace sendplan::test;
namespace fs = std::filesystem;

namespace {

bool updating() {
    const char* v = std::getenv("SENDPLAN_UPDATE_GOLDEN");
    return v && std::string(v) == "1";
}

// A workbook as text: its sheets, shared strings and styles, each under its name in the archive
// (the archive's own bytes are not what a reader sees). The git revision a finance workbook's cover
// names differs from one build to the next, and is masked as results.h5's is.
std::string workbook_as_text(const std::string& path) {
    static const std::regex revision(R"(\(revision [^)<]*\))");
    std::string text;
    for (const std::string& entry : sendplan::zip_entry_names(path))
        if (entry.rfind("xl/worksheets/", 0) == 0 || entry == "xl/sharedStrings.xml" || entry == "xl/styles.xml" || entry == "xl/workbook.xml")
            text += "== " + entry + "\n" + std::regex_replace(sendplan::read_zip_entry(path, entry), revision, "(revision masked)") + "\n";
    return text;
}

// What the comparison reads of a written file: results.h5 and workbooks as text, anything else as
// it is.
std::string comparable(const fs::path& file) {
    if (file.filename() == "results.h5") return h5_as_text(file.string());
    if (file.extension() == ".xlsx") return workbook_as_text(file.string());
    return read_text(file.string());
}

std::string stored_name(const fs::path& file) {
    return file.filename() == "results.h5" || file.extension() == ".xlsx" ? file.filename().string() + ".txt" : file.filename().string();
}

std::set<std::string> files_in(const fs::path& dir) {
    std::set<std::string> names;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
}

// The first line at which two texts differ, both versions shown, so a failure reads at a glance.
std::string first_difference(const std::string& expected, const std::string& actual) {
    std::istringstream e(expected), a(actual);
    std::string le, la;
    for (int line = 1;; ++line) {
        const bool more_e = static_cast<bool>(std::getline(e, le)), more_a = static_cast<bool>(std::getline(a, la));
        if (!more_e && !more_a) return "they differ only in line endings";
        if (le != la || more_e != more_a)
            return "line " + std::to_string(line) + ":\n  expected: " + (more_e ? le.substr(0, 300) : "(end)") +
                   "\n  written:  " + (more_a ? la.substr(0, 300) : "(end)");
    }
}

void check_against_stored(const std::string& scenario) {
    TempDir tmp;
    const fs::path out = tmp.path() / scenario;
    // Run from the source folder with a relative path, as the stored results.h5 records it.
    const auto r = run_sendplan("run tests/golden/" + scenario + ".yaml --threads 2 --quiet --out '" + out.string() + "'", 600,
                                std::string(SENDPLAN_SOURCE_DIR));
    INFO(r.output);
    REQUIRE(r.status == 0);
    const fs::path stored = fs::path(SENDPLAN_SOURCE_DIR) / "tests/golden/expected" / scenario;
    if (updating()) {
        fs::remove_all(stored);
        fs::create_directories(stored);
        for (const auto& name : files_in(out)) write_text((stored / stored_name(out / name)).string(), comparable(out / name));
        WARN("rewrote " << stored.string());
        return;
    }
    std::set<std::string> written;
    for (const auto& name : files_in(out)) written.insert(stored_name(out / name));
    CHECK(written == files_in(stored));
    for (const auto& name : files_in(out)) {
        const std::string actual = comparable(out / name), expected = read_text((stored / stored_name(out / name)).string());
        INFO(scenario << "/" << name << " differs from the stored output: " << first_difference(expected, actual)
                      << "\n(if the change is meant: scripts/update-golden.sh, and say why in the commit)");
        CHECK(actual == expected);
    }
}

}  // namespace

TEST_CASE("stored outputs: Barnet's plans alone, written exactly as stored", "[golden]") { check_against_stored("plans_only"); }

TEST_CASE("stored outputs: Barnet with places, costs and finance, written exactly as stored", "[golden]") {
    check_against_stored("places_and_costs");
}
