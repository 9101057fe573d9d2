// The planners' summary of places (places_summary.csv and its sheet in special_places_plan.xlsx),
// read back from a run of the stored places scenario and checked against the detailed
// special_places_plan.csv of the same run: whole places, needed rounded up, extra places never
// below zero, and no chance or confidence for the observed base census.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "io/csv.h"
#include "io/zip_archive.h"
#include "support.h"

using namespace sendplan::test;
using sendplan::CsvTable;

namespace {

constexpr int kBase = 2026, kLast = 2030;  // tests/golden/places_and_costs.yaml: horizon 4

const std::vector<std::string> kMeasures{"places", "pupils", "places_needed_50", "places_needed_80", "places_needed_90",
                                         "extra_places_needed_50", "extra_places_needed_80", "extra_places_needed_90", "chance_places_suffice"};

// The stored places scenario, run once for every test here.
const std::string& places_run() {
    static TempDir dir;
    static const std::string out = [] {
        const std::string folder = dir / "places";
        const CommandResult r = run_sendplan("run tests/golden/places_and_costs.yaml --threads 2 --quiet --out '" + folder + "'", 600, SENDPLAN_SOURCE_DIR);
        INFO(r.output);
        REQUIRE(r.status == 0);
        return folder;
    }();
    return out;
}

// special_places_plan.csv's rows by year, place group, phase and need group (a broad area or all).
std::map<std::string, std::size_t> detail_rows(const CsvTable& d) {
    std::map<std::string, std::size_t> rows;
    for (std::size_t i = 0; i < d.rows(); ++i)
        if (d.text(i, d.column("need_group_kind")) != "need")
            rows[d.text(i, 0) + "," + d.text(i, 1) + "," + d.text(i, 2) + "," + d.text(i, 3)] = i;
    return rows;
}

// Built with std::string's append rather than "y" + a temporary, which GCC 12 warns of wrongly.
std::string year_column(int year) {
    std::string name = "y";
    name.append(std::to_string(year));
    return name;
}

std::string needed_column(int q) {
    std::string name = "places_needed_";
    name.append(q == 0 ? "50" : q == 1 ? "80" : "90");
    return name;
}

double cell(const CsvTable& t, std::size_t row, const std::string& column) { return std::stod(t.text(row, t.column(column))); }

}  // namespace

TEST_CASE("places_summary.csv: a block of measures per place group, phase and need group, years as columns", "[outputs][places_summary]") {
    const CsvTable s = CsvTable::read(places_run() + "/places_summary.csv");
    std::vector<std::string> header{"place_group", "phase", "need_group", "measure"};
    for (int y = kBase; y <= kLast; ++y) header.push_back(year_column(y));
    CHECK(s.header() == header);
    REQUIRE(s.rows() % kMeasures.size() == 0);
    std::set<std::string> groups, phases, needs;
    for (std::size_t i = 0; i < s.rows(); ++i) {
        CHECK(s.text(i, 3) == kMeasures[i % kMeasures.size()]);
        groups.insert(s.text(i, 0));
        phases.insert(s.text(i, 1));
        needs.insert(s.text(i, 2));
    }
    CHECK(groups == std::set<std::string>{"resourced", "state_special"});
    CHECK(phases.count("all") == 1);
    CHECK(phases.count("primary") == 1);
    CHECK(needs.count("all") == 1);
    CHECK(needs.count("CI") == 1);
    CHECK(needs.count("unknown") == 0);  // a need not recorded is UNK everywhere
    // Each group's first block is its first phase, all needs; a group ends with all phases.
    CHECK(s.text(0, 1) != "all");
    CHECK(s.text(0, 2) == "all");
}

TEST_CASE("places_summary.csv: whole places, needed rounded up, extra = max(0, needed - places), as special_places_plan.csv has them",
          "[outputs][places_summary]") {
    const CsvTable s = CsvTable::read(places_run() + "/places_summary.csv");
    const CsvTable d = CsvTable::read(places_run() + "/special_places_plan.csv");
    const auto detail = detail_rows(d);
    std::size_t compared = 0;
    for (std::size_t i = 0; i < s.rows(); i += kMeasures.size())
        for (int y = kBase + 1; y <= kLast; ++y) {
            const auto found = detail.find(std::to_string(y) + "," + s.text(i, 0) + "," + s.text(i, 1) + "," + s.text(i, 2));
            const std::size_t col = s.column(year_column(y));
            if (found == detail.end()) {  // the detailed file leaves out a year with neither places nor children
                for (std::size_t m = 0; m < 8; ++m) CHECK(s.text(i + m, col) == "0");
                continue;
            }
            const std::size_t row = found->second;
            const double places = std::round(cell(d, row, "places"));
            CHECK(std::stod(s.text(i, col)) == places);
            for (int q = 0; q < 3; ++q) {
                const double needed = std::ceil(cell(d, row, needed_column(q)));
                CHECK(std::stod(s.text(i + 2 + static_cast<std::size_t>(q), col)) == needed);
                CHECK(std::stod(s.text(i + 5 + static_cast<std::size_t>(q), col)) == std::max(0.0, needed - places));
            }
            // Where the detailed file's places are whole, the two files' chances agree.
            if (cell(d, row, "places") == places)
                CHECK(std::stod(s.text(i + 8, col)) == Approx(1.0 - cell(d, row, "probability_shortfall")).margin(0.0011));
            ++compared;
        }
    CHECK(compared > 20);
}

TEST_CASE("places_summary.csv: the observed base year has places and pupils but no chance or confidence; every count is whole",
          "[outputs][places_summary]") {
    const CsvTable s = CsvTable::read(places_run() + "/places_summary.csv");
    const std::size_t base = s.column(year_column(kBase));
    for (std::size_t i = 0; i < s.rows(); ++i) {
        const std::string& measure = s.text(i, 3);
        const bool observed = measure == "places" || measure == "pupils";
        CHECK(s.text(i, base).empty() != observed);
        for (std::size_t c = 4; c < s.header().size(); ++c)
            if (measure != "chance_places_suffice" && !s.text(i, c).empty()) CHECK(s.text(i, c).find_first_not_of("0123456789") == std::string::npos);
    }
    // The detailed file's base year has no probability of a shortfall either.
    const CsvTable d = CsvTable::read(places_run() + "/special_places_plan.csv");
    for (std::size_t i = 0; i < d.rows(); ++i)
        CHECK(d.text(i, d.column("probability_shortfall")).empty() == (d.text(i, 0) == std::to_string(kBase)));
}

namespace {

// A worksheet's cells as the workbook stores them: reference -> (value, style index); a string's
// value is its text (from the shared strings).
struct SheetCell {
    std::string value;
    int style = 0;
    bool is_text = false;
};

std::string attribute(const std::string& tag, const std::string& name) {
    std::string key = " ";
    key.append(name).append("=\"");
    const auto at = tag.find(key);
    if (at == std::string::npos) return "";
    const auto from = at + name.size() + 3;
    return tag.substr(from, tag.find('"', from) - from);
}

std::vector<std::string> element_texts(const std::string& xml, const std::string& open, const std::string& close) {
    std::vector<std::string> texts;
    for (auto at = xml.find(open); at != std::string::npos; at = xml.find(open, at + 1)) {
        const auto start = xml.find('>', at) + 1;
        texts.push_back(xml.substr(start, xml.find(close, start) - start));
    }
    return texts;
}

std::map<std::string, SheetCell> sheet_cells(const std::string& book) {
    const std::vector<std::string> strings = element_texts(sendplan::read_zip_entry(book, "xl/sharedStrings.xml"), "<t", "</t>");
    const std::string sheet = sendplan::read_zip_entry(book, "xl/worksheets/sheet1.xml");
    std::map<std::string, SheetCell> cells;
    for (auto at = sheet.find("<c "); at != std::string::npos; at = sheet.find("<c ", at + 1)) {
        const std::string tag = sheet.substr(at, sheet.find('>', at) - at);
        const auto v = sheet.find("<v>", at);
        const std::string value = sheet.substr(v + 3, sheet.find("</v>", v) - v - 3);
        SheetCell c;
        c.is_text = attribute(tag, "t") == "s";
        c.value = c.is_text ? strings.at(std::stoul(value)) : value;
        c.style = attribute(tag, "s").empty() ? 0 : std::stoi(attribute(tag, "s"));
        cells[attribute(tag, "r")] = c;
    }
    return cells;
}

// The number format of each cell style, as its format code ("#,##0", "0%").
std::vector<std::string> number_formats(const std::string& book) {
    const std::string styles = sendplan::read_zip_entry(book, "xl/styles.xml");
    std::map<std::string, std::string> codes;
    for (auto at = styles.find("<numFmt "); at != std::string::npos; at = styles.find("<numFmt ", at + 1)) {
        const std::string tag = styles.substr(at, styles.find('>', at) - at);
        codes[attribute(tag, "numFmtId")] = attribute(tag, "formatCode");
    }
    const std::string xfs = styles.substr(styles.find("<cellXfs"), styles.find("</cellXfs>") - styles.find("<cellXfs"));
    std::vector<std::string> formats;
    for (auto at = xfs.find("<xf "); at != std::string::npos; at = xfs.find("<xf ", at + 1))
        formats.push_back(codes[attribute(xfs.substr(at, xfs.find('>', at) - at), "numFmtId")]);
    return formats;
}

}  // namespace

TEST_CASE("special_places_plan.xlsx: the summary's sheet read back, with titles, years as numbers, whole places and percentages",
          "[outputs][places_summary]") {
    const std::string book = places_run() + "/special_places_plan.xlsx";
    CHECK(sendplan::read_zip_entry(book, "xl/workbook.xml").find("name=\"Places summary\"") != std::string::npos);
    const auto cells = sheet_cells(book);
    const auto formats = number_formats(book);
    CHECK(cells.at("A1").value == "Place group");
    CHECK(cells.at("D1").value == "Measure");
    CHECK_FALSE(cells.at("E1").is_text);
    CHECK(cells.at("E1").value == std::to_string(kBase));
    CHECK(cells.at("I1").value == std::to_string(kLast));
    CHECK(cells.at("A2").value == "Resourced provision / SEN unit (ARP)");
    CHECK(cells.at("C2").value == "All needs");
    CHECK(cells.at("D2").value == "Places in the borough");
    CHECK(cells.at("D7").value == "Extra places needed (50% confidence)");
    CHECK(cells.at("D10").value == "Chance places suffice");
    // The same figures as places_summary.csv, formatted for people.
    const CsvTable s = CsvTable::read(places_run() + "/places_summary.csv");
    CHECK(std::stod(cells.at("F2").value) == std::stod(s.text(0, 5)));
    CHECK(formats.at(static_cast<std::size_t>(cells.at("F2").style)) == "#,##0");
    CHECK(std::stod(cells.at("F10").value) == Approx(std::stod(s.text(8, 5))).margin(0.0005));
    CHECK(formats.at(static_cast<std::size_t>(cells.at("F10").style)) == "0.0%");
    CHECK(cells.count("E10") == 0);  // the base year has no chance: an empty cell
}
