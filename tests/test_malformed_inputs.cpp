// Whatever a user types or a file holds, the engine refuses it in one line naming the file, line
// and field, what it found and what it expected: it never crashes, hangs or reads it as something else.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <functional>
#include <sstream>
#include <map>
#include <regex>
#include <string>

#include "core/error.h"
#include "core/numbers.h"
#include "io/csv.h"
#include "io/dfe_reader.h"
#include "io/person_level.h"
#include "io/population.h"
#include "io/provision_register.h"
#include "io/scenario.h"
#include "io/taxonomy_reader.h"
#include "shipped_data.h"
#include "refusals.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

const Taxonomy& model() { return shipped_model(); }

// The InputError `f` throws; fails the test when it throws nothing or anything else.
InputError refusal(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e;
    } catch (const std::exception& e) {
        FAIL("not an InputError: " << e.what());
    }
    FAIL("accepted");
    throw std::logic_error("unreachable");
}

void expect_refused(const std::function<void()>& f, const std::string& file, long line, const std::string& field, const std::string& words) {
    expect_input_error(f, {file, line, {}, field, words});
}

// Runs the binary under a time limit, so a regression that blocks fails instead of hanging the suite.
CommandResult run_limited(const std::string& args) { return run_sendplan(args, 60); }

// One line on stderr, exit status 2, never an internal error.
void expect_cli_refusal(const CommandResult& r, const std::vector<std::string>& words) {
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("internal error") == std::string::npos);
    CHECK(r.output.rfind("sendplan: ", 0) == 0);
    for (const auto& w : words) CHECK(r.output.find(w) != std::string::npos);
    // No number hundreds of digits long, no megabyte echoed back.
    CHECK_FALSE(std::regex_search(r.output, std::regex("[0-9]{25,}")));
    CHECK(r.output.size() < 400);
}

std::string baseline() { return source("scenarios/baseline.yaml"); }

// The published 2025 caseload header, and rows with every figure zero but the total.
std::string caseload_header() {
    std::string h = read_text(source("data/dfe-ehcp-2025/caseload.csv"));
    h = h.substr(0, h.find('\n') + 1);
    if (h.rfind("\xEF\xBB\xBF", 0) == 0) h = h.substr(3);
    return h;
}
std::size_t columns(const std::string& header) { return static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1; }
std::string caseload_row(const std::string& header, const std::string& period, const std::string& topic, const std::string& breakdown,
                         const std::string& total) {
    std::string row = period + ",Academic year,Local authority,E92000001,England,R,R,E1,1,Here," + topic + "," + breakdown + "," + total;
    for (std::size_t c = 13; c < columns(header); ++c) row += ",0";
    return row + "\n";
}
std::string all_plans(const std::string& header, const std::string& period, const std::string& total) {
    return caseload_row(header, period, "Child or young persons age", "age 10", total) +
           caseload_row(header, period, "All EHC plans", "All EHC plans", total);
}

void write_caseload(const TempDir& dir, const std::string& text) { write_text(dir / "release/caseload.csv", text); }
std::function<void()> reading_release(const TempDir& dir) {
    return [&dir] { DfeReleases::read({dir / "release"}).history("E1", model()); };
}

}  // namespace

TEST_CASE("command-line numbers are refused outside their bounds, with the option named", "[inputs][cli]") {
    expect_cli_refusal(run_limited("run " + baseline() + " --threads 1000000"), {"--threads", "from 1 to 1024", "1000000"});
    expect_cli_refusal(run_limited("run " + baseline() + " --threads -1"), {"--threads", "from 1 to 1024"});
    expect_cli_refusal(run_limited("run " + baseline() + " --draws 1000000000000"), {"--draws", "1,000,000"});
    expect_cli_refusal(run_limited("run " + baseline() + " --draws 99999999999999999999"), {"--draws"});
    expect_cli_refusal(run_limited("run " + baseline() + " --seed 99999999999999999999"), {"--seed", "2^63 - 1"});
    expect_cli_refusal(run_limited("compare " + baseline() + " " + baseline() + " --threads 0"), {"--threads"});
    expect_cli_refusal(run_limited("backtest --data-dir " + source("data/dfe-ehcp-2025") + " --area E09000003 --origin 2021 --horizon 1000 --out x.csv"),
                       {"--horizon", "from 1 to 50", "1000"});
    expect_cli_refusal(run_limited("backtest --data-dir " + source("data/dfe-ehcp-2025") + " --area E09000003 --origin 1800 --horizon 2 --out x.csv"),
                       {"--origin", "from 2000 to 2100"});
    expect_cli_refusal(run_limited("synth " + baseline() + " --first-census 1800 --out x.csv"), {"--first-census", "from 2000 to 2100", "1800"});
}

TEST_CASE("an unknown command or option names the word and the nearest valid one", "[inputs][cli]") {
    const CommandResult r = run_limited("runn " + baseline());
    expect_cli_refusal(r, {"'runn'", "nearest: run"});
    const CommandResult o = run_limited("run " + baseline() + " --drws 5");
    INFO(o.output);
    CHECK(o.status == 2);
    CHECK(o.output.find("'--drws'") != std::string::npos);
    CHECK(o.output.find("nearest: --draws") != std::string::npos);
}

TEST_CASE("the checked conversion refuses overflow, nan, inf and out-of-range values", "[inputs]") {
    const Where w{"f.csv", 3, 0, "places"};
    CHECK(whole_number("42", 0, 100, w) == 42);
    CHECK(whole_number("2029.0", 2000, 2100, w) == 2029);
    CHECK(real_number("2.5", 0, 10, w) == 2.5);
    for (const char* bad : {"4294967386", "99999999999999999999", "-1", "2.5", "nan", "inf", "1e308", "", "12a"})
        expect_refused([&] { whole_number(bad, 0, 100000, w); }, "f.csv", 3, "places", "expected a whole number from 0 to 100,000");
    for (const char* bad : {"nan", "inf", "-inf", "1e308", "1e400", "NaN", "infinity"})
        expect_refused([&] { real_number(bad, -1e12, 1e12, w); }, "f.csv", 3, "places", "expected a number from");
    // What was found is cut to 60 characters with an ellipsis.
    const std::string huge(5 << 20, '7');
    const InputError e = refusal([&] { whole_number(huge, 1, 50, w); });
    CHECK(std::string(e.what()).size() < 200);
    CHECK(std::string(e.what()).find("\u2026") != std::string::npos);
    CHECK(written(1e12) == "1,000,000,000,000");
    CHECK(written(2026) == "2026");
}

TEST_CASE("scenario numbers that would wrap, or are not finite, are refused where they are", "[inputs][scenario]") {
    TempDir dir;
    auto refused = [&](const std::string& body, long line, const std::string& field, const std::string& words) {
        write_text(dir / "option.yaml", "scenario: option\nextends: " + baseline() + "\n" + body);
        expect_refused([&] { read_scenario(dir / "option.yaml"); }, dir / "option.yaml", line, field, words);
    };
    refused("assumptions:\n  setting_moves:\n    transfer_ages: [4294967306]\n", 5, "assumptions.setting_moves.transfer_ages[0]", "4294967306");
    refused("provisions:\n  change:\n    - {id: northway, places: {2029: 4294967386}}\n", 5, "provisions.change[0].places.2029", "4294967386");
    refused("seed: 99999999999999999999\n", 3, "seed", "99999999999999999999");
    refused("horizon: " + std::string(5 << 20, '9') + "\n", 3, "horizon", "\u2026");
    for (const char* v : {"nan", ".nan", "inf", ".inf", "1e308", "-1e308"}) {
        refused(std::string("finance:\n  opening_dsg_balance: ") + v + "\n", 4, "finance.opening_dsg_balance", "expected a number");
        refused(std::string("finance:\n  high_needs_income: {year: 2026, pounds: ") + v + ", growth_percent_a_year: 3}\n", 4,
                "finance.high_needs_income.pounds", "expected a number");
        refused(std::string("finance:\n  high_needs_income: {year: 2026, pounds: 5, growth_percent_a_year: ") + v + "}\n", 4,
                "finance.high_needs_income.growth_percent_a_year", "expected a number");
        refused(std::string("provisions:\n  change:\n    - {id: northway, places: {2029: 10}, capital: {2028: ") + v + "}}\n", 5,
                "provisions.change[0].capital.2028", "expected a number");
    }
}

TEST_CASE("a key given twice in a YAML mapping is refused at the second", "[inputs][scenario]") {
    TempDir dir;
    write_text(dir / "twice.yaml", "scenario: twice\nextends: " + baseline() + "\nhorizon: 15\nhorizon: 3\n");
    expect_refused([&] { read_scenario(dir / "twice.yaml"); }, dir / "twice.yaml", 4, "horizon", "given twice (first at line 3)");
    write_text(dir / "nested.yaml", "scenario: nested\nextends: " + baseline() + "\nfinance:\n  opening_dsg_balance: 1\n  opening_dsg_balance: 2\n");
    expect_refused([&] { read_scenario(dir / "nested.yaml"); }, dir / "nested.yaml", 5, "finance.opening_dsg_balance", "given twice");
}

TEST_CASE("an input that is a pipe, a device or a folder is refused at once, saying what was expected", "[inputs]") {
    TempDir dir;
    const std::string fifo = dir / "pipe.yaml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Run as a user would: a regression blocks in open() and the command line's timeout fails it.
    const CommandResult pipe = run_limited("run " + fifo);
    expect_cli_refusal(pipe, {"named pipe", "scenario file"});
    expect_cli_refusal(run_limited("run /dev/zero"), {"/dev/zero", "not a regular file"});
    expect_refused([] { read_scenario("/dev/zero"); }, "/dev/zero", 0, "", "expected a scenario file");

    write_text(dir / "extends.yaml", "scenario: x\nextends: /dev/zero\n");
    expect_refused([&] { read_scenario(dir / "extends.yaml"); }, dir / "extends.yaml", 2, "extends", "/dev/zero");
    write_text(dir / "fifo_extends.yaml", "scenario: x\nextends: " + fifo + "\n");
    expect_refused([&] { read_scenario(dir / "fifo_extends.yaml"); }, dir / "fifo_extends.yaml", 2, "extends", "named pipe");

    std::filesystem::create_directories(dir / "folder.csv");
    expect_refused([&] { read_population(dir / "folder.csv", model()); }, dir / "folder.csv", 0, "", "is a folder: expected an ONS population");
    expect_refused([&] { read_population(fifo, model()); }, fifo, 0, "", "named pipe");
    expect_refused([] { read_population("/dev/zero", model()); }, "/dev/zero", 0, "", "not a regular file");
    // A file where a release folder belongs.
    expect_refused([] { release_sources(source("README.md")); }, source("README.md"), 0, "", "is a file, not a folder");
}

TEST_CASE("CSV line endings LF, CRLF and CR alone read alike, and a header without rows is refused", "[inputs][csv]") {
    for (const char* eol : {"\n", "\r\n", "\r"}) {
        const std::string e = eol;
        const CsvTable t = CsvTable::parse("a,b" + e + "1,2" + e + "3,4" + e, "t.csv");
        REQUIRE(t.rows() == 2);
        CHECK(t.text(1, 1) == "4");
        CHECK(t.line(1) == 3);
    }
    expect_refused([] { CsvTable::parse("a,b\n", "t.csv"); }, "t.csv", 2, "", "no rows");
    expect_refused([] { CsvTable::parse("a,b\r\r\r", "t.csv"); }, "t.csv", 2, "", "no rows");
}

TEST_CASE("DfE counts that overflow or are not finite are refused with file, line and field", "[inputs][dfe]") {
    TempDir dir;
    const std::string h = caseload_header();
    for (const char* bad : {"1000000000000", "nan", "inf", "1e308", "3e9"}) {
        write_caseload(dir, h + caseload_row(h, "202425", "All EHC plans", "All EHC plans", bad));
        expect_refused(reading_release(dir), dir / "release/caseload.csv", 2, "ehcplans", "expected a number from 0 to 100,000,000");
    }
}

TEST_CASE("DfE files: required columns, years, ages and repeated rows are checked", "[inputs][dfe]") {
    TempDir dir;
    const std::string h = caseload_header();
    // The published file reads.
    write_caseload(dir, h + all_plans(h, "202425", "10"));
    CHECK(DfeReleases::read({dir / "release"}).history("E1", model()).stock_total.at(2025) == 10);

    // A setting's only column missing, or spelt otherwise, would read as no plans.
    const std::string without = std::regex_replace(h, std::regex(",special_independent,"), ",");
    std::string rows;
    for (const auto& line : {all_plans(h, "202425", "10")}) rows += line;
    write_caseload(dir, without + std::regex_replace(rows, std::regex(",0\n"), "\n"));
    expect_refused(reading_release(dir), dir / "release/caseload.csv", 1, "special_independent", "required column is missing");
    write_caseload(dir, std::regex_replace(h, std::regex(",special_independent,"), ",Special_Independent,") + rows);
    expect_refused(reading_release(dir), dir / "release/caseload.csv", 1, "Special_Independent", "expected 'special_independent'");

    // One of several columns of a setting dropped (or renamed): the published subtotal no longer adds
    // up, and the file is refused rather than read with those plans missing.
    {
        auto with_fields = [](std::string row, const std::map<std::size_t, std::string>& values, std::size_t drop) {
            std::vector<std::string> cells;
            std::size_t start = 0;
            row.pop_back();  // the newline
            for (;;) {
                const std::size_t end = row.find(',', start);
                cells.push_back(row.substr(start, end == std::string::npos ? std::string::npos : end - start));
                if (end == std::string::npos) break;
                start = end + 1;
            }
            for (const auto& [i, v] : values) cells[i] = v;
            std::string out;
            for (std::size_t i = 0; i < cells.size(); ++i)
                if (i != drop) out += (out.empty() ? "" : ",") + cells[i];
            return out + "\n";
        };
        const CsvTable published = CsvTable::parse(h + caseload_row(h, "202425", "All EHC plans", "All EHC plans", "7"), "caseload.csv");
        const std::size_t academy = published.column("mainstream_academy"), subtotal = published.column("mainstream_total"), none = 10000;
        const std::map<std::size_t, std::string> values = {{academy, "7"}, {subtotal, "7"}};
        const std::string row = with_fields(caseload_row(h, "202425", "All EHC plans", "All EHC plans", "7"), values, none);
        write_caseload(dir, h + row);
        CHECK(DfeReleases::read({dir / "release"}).history("E1", model()).stock_total.at(2025) == 7);
        write_caseload(dir, with_fields(h, {}, academy) + with_fields(row, {}, academy));
        expect_refused(reading_release(dir), dir / "release/caseload.csv", 2, "mainstream_total", "add up to 0");
    }

    // Line endings: CR alone reads the same rows.
    write_caseload(dir, std::regex_replace(h + all_plans(h, "202425", "10"), std::regex("\n"), "\r"));
    CHECK(DfeReleases::read({dir / "release"}).history("E1", model()).stock_total.at(2025) == 10);
    // Header only.
    write_caseload(dir, h);
    expect_refused(reading_release(dir), dir / "release/caseload.csv", 2, "", "no rows");

    // A year no census can have.
    write_caseload(dir, h + all_plans(h, "299899", "10"));
    expect_refused(reading_release(dir), dir / "release/caseload.csv", 2, "time_period", "299899");

    // Ages: too long to be a number, outside the model, or in words.
    for (const char* label : {"age 99999999999", "age 30", "age five"}) {
        write_caseload(dir, h + caseload_row(h, "202425", "Child or young persons age", label, "3") + all_plans(h, "202425", "10"));
        expect_refused(reading_release(dir), dir / "release/caseload.csv", 2, "breakdown", label);
    }

    // The same row twice with other figures: both lines named. The same figures twice are harmless.
    write_caseload(dir, h + all_plans(h, "202425", "10") + caseload_row(h, "202425", "All EHC plans", "All EHC plans", "12"));
    expect_refused(reading_release(dir), dir / "release/caseload.csv", 4, "breakdown", "repeats line 3");
    write_caseload(dir, h + all_plans(h, "202425", "10") + caseload_row(h, "202425", "All EHC plans", "All EHC plans", "10"));
    CHECK(DfeReleases::read({dir / "release"}).history("E1", model()).stock_total.at(2025) == 10);

    // A 2 MB area is not echoed whole (and does not take minutes to compare with every name).
    write_caseload(dir, h + all_plans(h, "202425", "10"));
    const InputError e = refusal([&] { DfeReleases::read({dir / "release"}).history(std::string(2 << 20, 'x'), model()); });
    CHECK(std::string(e.what()).size() < 600);
}

TEST_CASE("a need table missing a need's column, or spelling it otherwise, is refused", "[inputs][dfe]") {
    TempDir dir;
    std::string header =
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,breakdown_topic,"
        "breakdown,ehc_plans";
    std::string values;
    for (const auto& n : model().needs)
        if (n.first_published == 0) {
            header += ",number_" + n.column;
            values += ",1";
        }
    const std::string start = "\n202425,Academic year,Local authority,E92000001,England,R,R,E1,101,Here,All EHC plans,All EHC plans,13";
    const std::string row = start + values + "\n";
    write_text(dir / "release/sen_needs_all_plans.csv", header + row);
    CHECK_NOTHROW(DfeReleases::read({dir / "release"}).history("E1", model()));
    write_text(dir / "release/sen_needs_all_plans.csv", std::regex_replace(header, std::regex("number_asd"), "NUMBER_ASD") + row);
    expect_refused(reading_release(dir), dir / "release/sen_needs_all_plans.csv", 1, "NUMBER_ASD", "expected 'number_asd'");
    write_text(dir / "release/sen_needs_all_plans.csv", std::regex_replace(header, std::regex(",number_asd"), "") + start + values.substr(2) + "\n");
    expect_refused(reading_release(dir), dir / "release/sen_needs_all_plans.csv", 1, "number_asd", "required column is missing");
    // A need first published later may be absent from an earlier release, not from its own.
    const std::string later = std::regex_replace(row, std::regex("202425"), "202526");
    write_text(dir / "release/sen_needs_all_plans.csv", header + later);
    expect_refused(reading_release(dir), dir / "release/sen_needs_all_plans.csv", 1, "number_ds", "required column is missing");
}

TEST_CASE("a population file: counts checked, only the run's area, one row per age", "[inputs][population]") {
    TempDir dir;
    auto file = [](const std::string& area, int copies_of_age_3, const std::string& value_of_age_0) {
        std::string text;
        for (int a = 0; a <= 25; ++a)
            for (int k = 0; k < (a == 3 ? copies_of_age_3 : 1); ++k)
                text += area + ",Here,Population,persons," + std::to_string(a) + "," + (a == 0 ? value_of_age_0 : std::string("100")) + ",101\n";
        return text;
    };
    const std::string header = "AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2025,2026\n";
    for (const char* bad : {"inf", "1e308", "nan", "-5"}) {
        write_text(dir / "pop.csv", header + file("E1", 1, bad));
        expect_refused([&] { read_population(dir / "pop.csv", model(), "E1"); }, dir / "pop.csv", 2, "2025", "expected a number from 0 to 100,000,000");
    }
    // Rows of another area are not added in.
    write_text(dir / "pop.csv", header + file("E1", 1, "100") + file("E2", 1, "900"));
    const Population pop = read_population(dir / "pop.csv", model(), "E1");
    CHECK(pop.at(2025, 0) == 100);
    expect_refused([&] { read_population(dir / "pop.csv", model()); }, dir / "pop.csv", 0, "AREA_CODE", "holds 2 areas");
    expect_refused([&] { read_population(dir / "pop.csv", model(), "E3"); }, dir / "pop.csv", 0, "AREA_CODE", "no rows for area 'E3'");
    // An age given twice: both lines named.
    write_text(dir / "pop.csv", header + file("E1", 2, "100"));
    expect_refused([&] { read_population(dir / "pop.csv", model(), "E1"); }, dir / "pop.csv", 6, "AGE_GROUP", "already given at line 5");
}

TEST_CASE("provision places that would wrap or are not finite are refused", "[inputs][provisions]") {
    TempDir dir;
    write_text(dir / "provisions.csv", "id,name,type,needs,age_from,age_to,in_borough\nnorthway,Northway,special_la,ASD,5,16,yes\n");
    for (const char* bad : {"inf", "1e10", "3e9", "4294967386", "-1", "nan"}) {
        write_text(dir / "places.csv", std::string("id,year,places\nnorthway,2026,") + bad + "\n");
        expect_refused([&] { read_provision_register(dir / "provisions.csv", dir / "places.csv", model()); }, dir / "places.csv", 2, "places",
                       "expected a whole number from 0 to 100,000");
    }
    write_text(dir / "places.csv", "id,year,places\nnorthway,2150,10\n");
    expect_refused([&] { read_provision_register(dir / "provisions.csv", dir / "places.csv", model()); }, dir / "places.csv", 2, "year", "2150");
}

TEST_CASE("person-level rows dated outside plausible censuses, and codes mapped twice, are refused", "[inputs][person]") {
    TempDir dir;
    write_text(dir / "censuses.csv", "person_id,census_year,age,need,setting\na,2024,8,ASD,mainstream\na,2150,9,ASD,mainstream\n");
    expect_refused([&] { read_person_level(dir / "censuses.csv", model(), CodeMap{}); }, dir / "censuses.csv", 3, "census_year",
                   "from 2000 to 2100");
    write_text(dir / "censuses.csv", "person_id,census_year,age,need,setting\na,2024,99999999999,ASD,mainstream\n");
    expect_refused([&] { read_person_level(dir / "censuses.csv", model(), CodeMap{}); }, dir / "censuses.csv", 2, "age", "from -100 to 100");
    write_text(dir / "codes.csv", "kind,from,to\nneed,AUT,ASD\nneed,AUT,SLCN\n");
    expect_refused([&] { read_code_map(dir / "codes.csv"); }, dir / "codes.csv", 3, "from", "already mapped at line 2");
}

TEST_CASE("a base year after the data and a population ending early are named in the run", "[inputs][cli][slow]") {
    TempDir dir;
    const std::string local = "data:\n  dfe_releases: [" + source("data/dfe-ehcp-2022") + ", " + source("data/dfe-ehcp-2025") + ", " +
                              source("data/dfe-ehcp-2026") + "]\n";
    write_text(dir / "late.yaml", "scenario: late\nextends: " + baseline() + "\n" + local + "base_year: 2035\n");
    const CommandResult late = run_limited("run " + (dir / "late.yaml") + " --draws 5 --out " + (dir / "late"));
    expect_cli_refusal(late, {"late.yaml:5", "base_year", "2035", "2026"});

    // A population projection that ends in 2030: the years after it are said in the notes.
    std::string pop = read_text(source("data/ons-snpp-2022/barnet_snpp2022_5yrmig_persons_age0_25.csv"));
    std::string cut;
    std::istringstream lines(pop);
    for (std::string line; std::getline(lines, line);) {
        std::size_t at = 0;
        for (int field = 0; field < 5 + 9 && at != std::string::npos; ++field) at = line.find(',', at + 1);
        cut += line.substr(0, at) + "\n";  // AREA_CODE .. AGE_GROUP and 2022..2030
    }
    write_text(dir / "short_population.csv", cut);
    write_text(dir / "short.yaml", "scenario: short\nextends: " + baseline() + "\n" + local + "  population: " + (dir / "short_population.csv") +
                                       "\nassumptions:\n  pooling: {enabled: no}\n");
    const CommandResult run = run_limited("run " + (dir / "short.yaml") + " --draws 20 --out " + (dir / "short"));
    INFO(run.output);
    REQUIRE(run.status == 0);
    const std::string notes = read_text(dir / "short/notes.txt");
    CHECK(notes.find("ends at mid-2030") != std::string::npos);
    CHECK(notes.find("2031..2040") != std::string::npos);

    // Each figure in range, but a millionth of a person at the base year and a hundred million a
    // year later: new plans would be placed one by one for hours. Refused as the data's fault.
    std::string jump = "AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2025,2026,2027,2028\n";
    for (int a = 0; a <= 25; ++a) jump += "E09000003,Barnet,Population,persons," + std::to_string(a) + ",0.000001,0.000001,100000000,100000000\n";
    write_text(dir / "jump_population.csv", jump);
    write_text(dir / "jump.yaml", "scenario: jump\nextends: " + baseline() + "\n" + local + "  population: " + (dir / "jump_population.csv") +
                                      "\nhorizon: 3\nassumptions:\n  pooling: {enabled: no}\n");
    expect_cli_refusal(run_limited("run " + (dir / "jump.yaml") + " --draws 20 --quiet --out " + (dir / "jump")), {"new plans in 2027", "10,000,000"});
}

TEST_CASE("a census year is a year, or a month counted from the next January census; a per cent is not a fraction", "[inputs]") {
    CHECK(census_year_of("2029") == 2029);
    CHECK(census_year_of("2028-09") == 2029);
    CHECK(census_year_of("2028-12") == 2029);
    CHECK(census_year_of("2029-01") == 2029);  // open by the January census, counted in it
    for (const char* bad : {"2028-9", "2028-13", "2028-00", "29", "2028-09-01", "2028/09", "", "2100-02", "1999"}) {
        INFO(bad);
        CHECK_FALSE(census_year_of(bad));
    }
    const Where w{"f.yaml", 3, 7, "rate"};
    CHECK(percent_number("5", -10, 10, w) == 5.0);
    CHECK(percent_number(" 5% ", -10, 10, w) == 5.0);
    CHECK(percent_number("0.05%", -10, 10, w) == 0.05);
    CHECK(percent_number("0", -10, 10, w) == 0.0);
    CHECK(percent_number("-1", -10, 10, w) == -1.0);
    expect_refused([&] { percent_number("0.05", -10, 10, w); }, "f.yaml", 3, "rate", "did you mean 5%?");
    expect_refused([&] { percent_number("-0.2", -10, 10, w); }, "f.yaml", 3, "rate", "did you mean -20%?");
    expect_refused([&] { percent_number("50%", -10, 10, w); }, "f.yaml", 3, "rate", "from -10 to 10");
    expect_refused([&] { percent_number("%", -10, 10, w); }, "f.yaml", 3, "rate", "expected a number");
}
