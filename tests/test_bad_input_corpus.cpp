// A corpus of bad inputs over every kind of file a run reads: each case takes a shipped file that
// reads cleanly, spoils one value in it, and expects a refusal that names the file, the line and the
// field, in one line. The cases are generated from a list of fields and a list of spoilt values, so
// a new field or a new kind of bad value is one line here, and every case is reported by name.
#include <catch2/catch.hpp>

#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/assumptions.h"
#include "core/error.h"
#include "io/cost_table.h"
#include "io/population.h"
#include "io/provision_register.h"
#include "io/scenario.h"
#include "shipped_data.h"
#include "refusals.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

struct Case {
    std::string name;         // what is spoilt, for the report
    std::string file;         // the file the refusal must name
    long line = 0;            // and its line (1-based)
    std::string field;        // and a field whose name the refusal must contain
    std::function<void()> read;
};

// Values no number field may take, whatever its bounds.
const std::vector<std::string> kNotNumbers = {"nan", "inf", "-inf", "1e308", "-1e308", "99999999999999999999", "abc", "12abc", "0x10", "--1"};
// The same for YAML, which spells infinity and not-a-number its own way, and can hold lists and maps.
const std::vector<std::string> kNotYamlNumbers = {".nan", ".inf", "-.inf", "1e308", "-1e308", "99999999999999999999", "abc", "[1, 2]", "{a: 1}", "12abc"};



// The 1-based number of the first line starting with `start` (after indentation) at or after `from`.
long line_starting(const std::vector<std::string>& lines, const std::string& start, long from = 1) {
    for (long i = from - 1; i < static_cast<long>(lines.size()); ++i) {
        const auto& l = lines[static_cast<std::size_t>(i)];
        const auto first = l.find_first_not_of(' ');
        if (first != std::string::npos && l.compare(first, start.size(), start) == 0) return i + 1;
    }
    FAIL("no line starts with " << start);
    return 0;
}

// `key: value` at `line` with the value replaced (the comment after it dropped).
std::vector<std::string> with_value(std::vector<std::string> lines, long line, const std::string& key, const std::string& value) {
    std::string& l = lines[static_cast<std::size_t>(line - 1)];
    const auto at = l.find(key + ":");
    REQUIRE(at != std::string::npos);
    l = l.substr(0, at) + key + ": " + value;
    return lines;
}

// Splits a CSV line on commas outside quotes.
std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (const char c : line) {
        if (c == '"') quoted = !quoted;
        if (c == ',' && !quoted)
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

std::string row_of(const std::vector<std::string>& c) {
    std::string out;
    for (std::size_t i = 0; i < c.size(); ++i) out += (i ? "," : "") + c[i];
    return out;
}

// A CSV file's text with the cell of `column` in data row `row` (1-based, after the header) replaced.
std::string with_cell(const std::string& text, const std::string& column, std::size_t row, const std::string& value) {
    auto lines = lines_of(text);
    const auto header = cells(lines.at(0));
    std::size_t c = 0;
    while (c < header.size() && header[c] != column) ++c;
    REQUIRE(c < header.size());
    auto spoilt = cells(lines.at(row));
    spoilt.at(c) = value;
    lines[row] = row_of(spoilt);
    return text_of(lines);
}

void check(const Case& c) {
    INFO("case: " << c.name);
    try {
        c.read();
        FAIL_CHECK("accepted");
        return;
    } catch (const InputError& e) {
        INFO(e.what());
        CHECK(e.file() == c.file);
        CHECK(e.line() == c.line);
        CHECK(e.field().find(c.field) != std::string::npos);
        const std::string what = e.what();
        CHECK(what.find('\n') == std::string::npos);
        // What was found is cut, never echoed whole.
        CHECK(what.size() < 400);
    } catch (const std::exception& e) {
        FAIL_CHECK("not an InputError: " << e.what());
    }
}

// Scenario files: the shipped baseline with its paths made absolute, one scalar spoilt.
std::vector<Case> scenario_cases(const TempDir& dir) {
    std::string text = read_text(source("scenarios/baseline.yaml"));
    text = std::regex_replace(text, std::regex("\\.\\./"), source("") + "/");
    const auto lines = lines_of(text);
    std::vector<Case> out;
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"horizon", "horizon"}, {"draws", "draws"}, {"seed", "seed"}, {"base_year", "base_year"}, {"opening_dsg_balance", "opening_dsg_balance"}};
    int n = 0;
    for (const auto& [key, field] : keys) {
        const long line = line_starting(lines, key + ":");
        for (const auto& v : kNotYamlNumbers) {
            const std::string path = dir / ("scenario-" + std::to_string(n++) + ".yaml");
            write_text(path, text_of(with_value(lines, line, key, v)));
            out.push_back({"scenario " + key + " = " + v, path, line, field, [path] { read_scenario(path); }});
        }
    }
    return out;
}

// The model's default assumptions: every number under the pooling and joiner_trend sections.
std::vector<Case> assumption_cases(const TempDir& dir) {
    const auto lines = lines_of(read_text(source("model/assumptions.yaml")));
    std::vector<Case> out;
    const std::vector<std::pair<std::string, std::string>> keys = {
        {"joiner_trend:", "window_years"}, {"joiner_trend:", "damping"},        {"pooling:", "window_years"},
        {"pooling:", "damping"},           {"pooling:", "uncertainty_scale"}, {"pooling:", "england_shock_scale"},
        {"pooling:", "england_shock_years"}};
    int n = 0;
    for (const auto& [section, key] : keys) {
        const long line = line_starting(lines, key + ":", line_starting(lines, section));
        for (const auto& v : kNotYamlNumbers) {
            const std::string path = dir / ("assumptions-" + std::to_string(n++) + ".yaml");
            write_text(path, text_of(with_value(lines, line, key, v)));
            out.push_back({"assumptions " + section + key + " = " + v, path, line, key, [path] {
                               Assumptions a;
                               read_assumptions(path, a);
                           }});
        }
    }
    return out;
}

// CSV inputs: one numeric cell of the first data row spoilt.
std::vector<Case> csv_cases(const TempDir& dir, const std::string& kind, const std::string& shipped, const std::vector<std::string>& columns,
                            const std::function<void(const std::string&)>& read) {
    const std::string text = read_text(source(shipped));
    std::vector<Case> out;
    int n = 0;
    for (const auto& column : columns)
        for (const auto& v : kNotNumbers) {
            const std::string path = dir / (kind + "-" + std::to_string(n++) + ".csv");
            write_text(path, with_cell(text, column, 1, v));
            out.push_back({kind + " " + column + " = " + v, path, 2, column, [path, read] { read(path); }});
        }
    return out;
}

}  // namespace

TEST_CASE("a corpus of spoilt values in every kind of input is refused naming file, line and field", "[inputs][corpus]") {
    TempDir dir;
    const Taxonomy& tax = shipped_model();
    std::vector<Case> corpus = scenario_cases(dir);
    for (auto& c : assumption_cases(dir)) corpus.push_back(std::move(c));
    for (auto& c : csv_cases(dir, "population", "data/ons-snpp-2022/barnet_snpp2022_5yrmig_persons_age0_25.csv", {"2026", "2030"},
                             [&tax](const std::string& p) { read_population(p, tax, "E09000003"); }))
        corpus.push_back(std::move(c));
    const std::string provisions = source("data/local/barnet_provisions.csv");
    for (auto& c : csv_cases(dir, "places", "data/local/barnet_provision_places.csv", {"year", "places"},
                             [&tax, provisions](const std::string& p) { read_provision_register(provisions, p, tax); }))
        corpus.push_back(std::move(c));
    for (auto& c : csv_cases(dir, "costs", "data/local/barnet_costs.csv", {"gbp_a_year", "uncertainty_percent"},
                             [](const std::string& p) { read_cost_table(p); }))
        corpus.push_back(std::move(c));
    CHECK(corpus.size() >= 150);
    for (const Case& c : corpus) check(c);
}
