#include "core/numbers.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.h"

namespace sendplan {
namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

[[noreturn]] void refuse(const Where& w, std::string_view found, const std::string& expected) {
    throw InputError(w.file, w.line, w.column, w.field, "expected " + expected + ", found " + shown(found));
}

// The text as a double when it is one in full; false for anything else (including "nan", "inf").
bool finite_real(std::string_view s, double& out, bool& too_large) {
    too_large = false;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    if (s.empty()) return false;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ptr != s.data() + s.size()) return false;
    if (ec == std::errc::result_out_of_range) {
        too_large = true;
        return false;
    }
    if (ec != std::errc()) return false;
    if (!std::isfinite(out)) return false;
    return true;
}

// Whole numbers with thousands marked from 10,000 (years stay 2026).
std::string written_whole(std::int64_t v) {
    if (v == std::numeric_limits<std::int64_t>::max()) return "2^63 - 1";
    const std::string digits = std::to_string(v < 0 ? -static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v));
    std::string out = v < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && digits.size() > 4 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

std::string written(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "infinity" : "-infinity";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return written_whole(static_cast<std::int64_t>(v));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string range_text(double lo, double hi) { return "from " + written(lo) + " to " + written(hi); }

std::int64_t whole_number(std::string_view text, std::int64_t lo, std::int64_t hi, const Where& where) {
    const std::string_view s = trimmed(text);
    const std::string expected = "a whole number from " + written_whole(lo) + " to " + written_whole(hi);
    std::string_view digits = s;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc() && ptr == digits.data() + digits.size() && !digits.empty()) {
        if (value < lo || value > hi) refuse(where, s, expected);
        return value;
    }
    // "2029.0" as a spreadsheet writes it.
    double real = 0;
    bool too_large = false;
    if (!finite_real(s, real, too_large) || real != std::floor(real) || real < static_cast<double>(lo) || real > static_cast<double>(hi))
        refuse(where, s, expected);
    return static_cast<std::int64_t>(real);
}

std::uint64_t seed_number(std::string_view text, const Where& where) {
    std::string_view s = trimmed(text);
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || s.front() == '-' || ec != std::errc() || ptr != s.data() + s.size())
        refuse(where, s, "a whole number from 0 to 18446744073709551615 (2^64 - 1)");
    return value;
}

double real_number(std::string_view text, double lo, double hi, const Where& where) {
    const std::string_view s = trimmed(text);
    double value = 0;
    bool too_large = false;
    if (!finite_real(s, value, too_large) || value < lo || value > hi) refuse(where, s, "a number " + range_text(lo, hi));
    return value;
}

double percent_number(std::string_view text, double lo, double hi, const Where& where) {
    std::string_view s = trimmed(text);
    const bool marked = !s.empty() && s.back() == '%';
    if (marked) s.remove_suffix(1);
    const double value = real_number(s, lo, hi, where);
    if (!marked && value != 0 && std::fabs(value) < 1)
        throw InputError(where.file, where.line, where.column, where.field,
                         "this is a per cent, and " + written(value) + " looks like a fraction: did you mean " + written(value * 100) + "%? Write " +
                             written(value * 100) + " for " + written(value * 100) + "%, or " + written(value) + "% if " + written(value) +
                             "% is meant");
    return value;
}

std::optional<int> census_year_of(std::string_view text) {
    const std::string_view s = trimmed(text);
    int year = 0, month = 1;
    const char* end = s.data() + s.size();
    auto [after_year, ec] = std::from_chars(s.data(), end, year);
    if (ec != std::errc() || after_year - s.data() != 4) return std::nullopt;
    if (after_year != end) {
        if (*after_year != '-' || end - after_year != 3) return std::nullopt;
        auto [after_month, ec2] = std::from_chars(after_year + 1, end, month);
        if (ec2 != std::errc() || after_month != end || month < 1 || month > 12) return std::nullopt;
    }
    // The census is taken in mid-January: a provision open by then is counted in it.
    const int census = month == 1 ? year : year + 1;
    if (census < kFirstYear || census > kLastYear) return std::nullopt;
    return census;
}

void require_within(double value, double lo, double hi, const Where& where) {
    if (!(value >= lo && value <= hi))
        throw InputError(where.file, where.line, where.column, where.field, "expected a number " + range_text(lo, hi) + ", found " + written(value));
}

}  // namespace sendplan
