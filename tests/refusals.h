#pragma once
// Shared checks that bad input is refused where it was written, and text helpers the refusal tests
// edit inputs with.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"

namespace sendplan::test {

// Where a refusal must point, and words its message must hold. A line not given must still be a
// line (above 0); a column not given is not checked.
struct Refusal {
    std::string file;
    std::optional<long> line, column;
    std::string field, words;
};

// `act` must throw an InputError that points where `expected` says, in one line.
inline void expect_input_error(const std::function<void()>& act, const Refusal& expected) {
    try {
        act();
        FAIL_CHECK("accepted; expected a refusal at " << expected.field);
    } catch (const InputError& e) {
        INFO(e.what());
        CHECK(e.file() == expected.file);
        if (expected.line) CHECK(e.line() == *expected.line);
        else CHECK(e.line() > 0);
        if (expected.column) CHECK(e.column() == *expected.column);
        CHECK(e.field() == expected.field);
        CHECK(std::string(e.what()).find(expected.words) != std::string::npos);
        CHECK(std::string(e.what()).find('\n') == std::string::npos);
    } catch (const std::exception& e) {
        FAIL_CHECK("not an InputError: " << e.what());
    }
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

inline std::string text_of(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

}  // namespace sendplan::test
