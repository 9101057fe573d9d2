// The scenario schema as the one place for the keys and ranges of a scenario and of
// model/assumptions.yaml: every number it holds has a range, the reader reads the sections it lists,
// its ranges are the ones the rest of sendplan holds to, and a value outside one is refused, in a
// scenario and in the model's assumptions, naming file, line, column and field.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/numbers.h"
#include "io/cost_table.h"
#include "io/scenario.h"
#include "io/schema.h"
#include "refusals.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;

namespace {

// A number or whole number of the schema: the keys that lead to it ("[]" for a list's items, "*" for
// any name or year) and its spec.
struct Ranged {
    std::vector<std::string> path;
    YAML::Node spec;
};

std::string type_of(const YAML::Node& spec) { return spec["type"] ? spec["type"].as<std::string>() : "string"; }

std::vector<std::string> with(std::vector<std::string> path, const std::string& key) {
    path.push_back(key);
    return path;
}

// The path as a refusal names it, the first item of a list for its items: setting_moves.transfer_ages[0].
std::string joined(const std::vector<std::string>& path) {
    std::string out;
    for (const auto& key : path) out += key == "[]" ? "[0]" : (out.empty() ? "" : ".") + key;
    return out;
}

// Every number, per cent and whole number at or below `spec`.
void collect(const YAML::Node& spec, const std::vector<std::string>& path, std::vector<Ranged>& out) {
    const std::string t = type_of(spec);
    if (t == "integer" || t == "number" || t == "percent") out.push_back({path, spec});
    if (t == "list") collect(spec["items"], with(path, "[]"), out);
    if (t == "named_map" || t == "year_map") collect(spec["values"], with(path, "*"), out);
    if (t == "one_of")
        for (const auto& option : spec["options"]) collect(option, path, out);
    if (t == "map")
        for (const auto& kv : spec["keys"]) collect(kv.second, with(path, kv.first.Scalar()), out);
}

std::vector<Ranged> ranged(const YAML::Node& spec) {
    std::vector<Ranged> out;
    collect(spec, {}, out);
    return out;
}

// A value just past the spec's `max` (above) or `min` (below), as the file would spell it.
std::string beyond(const YAML::Node& spec, bool above) {
    const double bound = std::stod(spec[above ? "max" : "min"].Scalar());
    const double v = above ? bound + std::fabs(bound) + 1 : bound - std::fabs(bound) - 1;
    if (type_of(spec) == "integer") return std::to_string(static_cast<long>(v));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// What the refusal of a value outside the spec's range says was expected.
std::string expected_range(const YAML::Node& spec) {
    return std::string("expected ") + (type_of(spec) == "integer" ? "a whole number" : "a number") + " from " + spec["min"].Scalar() + " to " +
           spec["max"].Scalar();
}

// The refusal `read` must throw: at `file`, (line, column) and `field`, with `words` in it.
void expect_refused(const std::function<void()>& read, const std::string& file, long line, long column, const std::string& field, const std::string& words) {
    expect_input_error(read, {file, line, column, field, words});
}

// A scenario extending the baseline that gives `value` at `path` under `assumptions:`, each key on
// a line of its own; the value is on line 3 + the number of keys.
std::string scenario_giving(const std::vector<std::string>& path, const std::string& value) {
    std::string text = "scenario: option\nextends: " + source("scenarios/baseline.yaml") + "\nassumptions:\n";
    const bool item = path.back() == "[]";
    const std::size_t keys = path.size() - (item ? 1 : 0);
    for (std::size_t i = 0; i < keys; ++i) text += std::string(2 * (i + 1), ' ') + path[i] + ":" + (i + 1 < keys ? "\n" : " ");
    return text + (item ? "[" + value + "]" : value) + "\n";
}

// Where `scenario_giving` puts the value: line and column, 1-based.
std::pair<long, long> where_given(const std::vector<std::string>& path) {
    const bool item = path.back() == "[]";
    const std::size_t keys = path.size() - (item ? 1 : 0);
    return {static_cast<long>(3 + keys), static_cast<long>(2 * keys + path[keys - 1].size() + 3 + (item ? 1 : 0))};
}



// The value at `path` of a parsed file (the first item of a list).
YAML::Node value_at(const YAML::Node& root, const std::vector<std::string>& path) {
    YAML::Node at;
    at.reset(root);
    for (const auto& key : path) at.reset(key == "[]" ? YAML::Node(at[0]) : YAML::Node(at[key]));
    return at;
}

// The model's assumptions with the value at `path` replaced by `value`.
std::string model_giving(const std::string& model, const std::vector<std::string>& path, const std::string& value, long& line, long& column) {
    const YAML::Mark mark = value_at(YAML::Load(model), path).Mark();
    line = mark.line + 1;
    column = mark.column + 1;
    std::vector<std::string> lines = lines_of(model);
    std::string& l = lines[static_cast<std::size_t>(mark.line)];
    const std::size_t start = static_cast<std::size_t>(mark.column), end = l.find_first_of(" ,]}#", start);
    l = l.substr(0, start) + value + (end == std::string::npos ? "" : l.substr(end));
    return text_of(lines);
}

const YAML::Node& assumptions_spec() {
    static const YAML::Node spec = scenario_schema()["keys"]["assumptions"];
    return spec;
}

}  // namespace

TEST_CASE("every number and whole number of the schema has its range there", "[schema]") {
    for (const auto& r : ranged(scenario_schema())) {
        INFO(joined(r.path));
        // A seed may be any whole number from 0: its range ends where a whole number does.
        CHECK(r.spec["min"]);
        if (r.path != std::vector<std::string>{"seed"}) CHECK(r.spec["max"]);
    }
    // The walk reaches every section of assumptions but capacity, which holds no numbers.
    for (const auto& section : schema_keys(assumptions_spec())) {
        bool found = false;
        for (const auto& r : ranged(assumptions_spec())) found = found || r.path.front() == section;
        CHECK(found == (section != "capacity"));
    }
}

// The keys of a mapping spec below `path`, as section.key, and of the mappings within it.
void leaf_keys(const YAML::Node& spec, const std::vector<std::string>& path, std::vector<std::string>& out) {
    for (const auto& kv : spec["keys"]) {
        const std::vector<std::string> key = with(path, kv.first.Scalar());
        if (type_of(kv.second) == "map")
            leaf_keys(kv.second, key, out);
        else
            out.push_back(joined(key));
    }
}

TEST_CASE("the reader reads exactly the keys of assumptions the schema lists", "[schema]") {
    std::vector<std::string> listed, read = assumption_keys();
    leaf_keys(assumptions_spec(), {}, listed);
    std::sort(listed.begin(), listed.end());
    std::sort(read.begin(), read.end());
    CHECK(read == listed);
    CHECK(listed.size() >= 40);
    std::vector<std::string> elements;
    for (int e = 0; e < cost_elements; ++e) elements.emplace_back(cost_element_name(e));
    CHECK(schema_keys(schema_spec(assumptions_spec(), {"finance", "inflation_percent_a_year"})) == elements);
    elements.emplace_back("all");
    std::vector<std::string> named;
    for (const auto& v : schema_spec(scenario_schema(), {"finance", "cost_changes", "element"})["values"]) named.push_back(v.Scalar());
    CHECK(named == elements);
}

TEST_CASE("the schema's ranges are the ones the rest of sendplan holds to", "[schema]") {
    // The `max` (or `min`) of the key at `path`, or of its values or items below `inner`.
    auto bound = [](const std::vector<std::string>& path, const char* inner, const char* which) {
        const YAML::Node spec = schema_spec(scenario_schema(), path);
        const YAML::Node& s = spec;
        return std::stod((*inner ? s[inner][which] : s[which]).Scalar());
    };
    CHECK(bound({"draws"}, "", "max") == static_cast<double>(kMaxDraws));
    for (const char* list : {"open", "change"}) {
        CHECK(bound({"provisions", list, "places"}, "values", "max") == static_cast<double>(kMaxPlaces));
        CHECK(bound({"provisions", list, "capital"}, "values", "max") == kMaxPounds);
    }
    CHECK(bound({"finance", "high_needs_income", "pounds"}, "", "max") == kMaxPounds);
    CHECK(bound({"finance", "opening_dsg_balance"}, "", "max") == kMaxPounds);
    for (const auto& ages : std::vector<std::vector<std::string>>{
             {"provisions", "open", "ages"}, {"changes", "setting_moves", "ages"}, {"assumptions", "setting_moves", "transfer_ages"}}) {
        INFO(joined(ages));
        CHECK(bound(ages, "items", "min") == kMinAge);
        CHECK(bound(ages, "items", "max") == kMaxAge);
    }
}

TEST_CASE("a value of assumptions outside the schema's range is refused in a scenario, naming file, line, column and field", "[schema][scenarios]") {
    TempDir dir;
    const std::string path = dir / "option.yaml";
    for (const auto& r : ranged(assumptions_spec())) {
        INFO(joined(r.path));
        const auto [line, column] = where_given(r.path);
        const std::string field = "assumptions." + joined(r.path);
        for (const bool above : {true, false}) {
            write_text(path, scenario_giving(r.path, beyond(r.spec, above)));
            expect_refused([&] { read_scenario(path); }, path, line, column, field, expected_range(r.spec));
        }
        // Its ends are within it: the reader holds to the range the schema checks.
        for (const char* end : {"min", "max"}) {
            write_text(path, scenario_giving(r.path, r.spec[end].Scalar()));
            CHECK_NOTHROW(read_scenario(path));
        }
    }
}

TEST_CASE("model/assumptions.yaml is checked against the schema: a value outside a range, or a key left out, is refused", "[schema]") {
    TempDir dir;
    const std::string path = dir / "assumptions.yaml";
    const std::string model = read_text(source("model/assumptions.yaml"));
    Assumptions a;
    for (const auto& r : ranged(assumptions_spec())) {
        INFO(joined(r.path));
        const std::string field = joined(r.path);
        for (const bool above : {true, false}) {
            long line = 0, column = 0;
            write_text(path, model_giving(model, r.path, beyond(r.spec, above), line, column));
            expect_refused([&] { read_assumptions(path, a); }, path, line, column, field, expected_range(r.spec));
        }
    }
    // Each section left out: the model's defaults must give every one.
    for (const auto& section : schema_keys(assumptions_spec())) {
        INFO(section);
        std::vector<std::string> kept;
        bool in_section = false;
        for (const auto& l : lines_of(model)) {
            if (!l.empty() && l[0] != ' ' && l[0] != '#') in_section = l.rfind(section + ":", 0) == 0;
            if (!in_section) kept.push_back(l);
        }
        write_text(path, text_of(kept));
        try {
            read_assumptions(path, a);
            FAIL_CHECK("accepted");
        } catch (const InputError& e) {
            CHECK(e.field() == section);
            CHECK(std::string(e.what()).find("required key is missing") != std::string::npos);
        }
    }
}

TEST_CASE("a per cent given as a fraction is refused with what was likely meant; 5% and 0.05% say what they mean", "[schema][scenarios]") {
    TempDir dir;
    const std::string path = dir / "option.yaml";
    const std::string head = "scenario: option\nextends: " + source("scenarios/baseline.yaml") + "\nchanges:\n  joiner_growth: {from: 2028, at_most_percent_a_year: ";
    write_text(path, head + "0.05}\n");
    expect_refused([&] { read_scenario(path); }, path, 4, 55, "changes.joiner_growth.at_most_percent_a_year", "did you mean 5%?");
    write_text(path, head + "'0.05%'}\n");
    CHECK(read_scenario(path).joiner_growth.at_most_percent == 0.05);
    write_text(path, head + "5%}\n");
    CHECK(read_scenario(path).joiner_growth.at_most_percent == 5.0);
    write_text(path, head + "-0.5}\n");
    expect_refused([&] { read_scenario(path); }, path, 4, 55, "changes.joiner_growth.at_most_percent_a_year", "did you mean -50%?");
    // In assumptions too, wherever the schema says per cent.
    write_text(path, scenario_giving({"finance", "discount_rate_percent"}, "0.035"));
    const auto [line, column] = where_given({"finance", "discount_rate_percent"});
    expect_refused([&] { read_scenario(path); }, path, line, column, "assumptions.finance.discount_rate_percent", "did you mean 3.5%?");
}
