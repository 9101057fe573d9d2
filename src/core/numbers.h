#pragma once
// Every number a person types or a file holds is read here: one that overflows, is not a number
// (nan, inf) or lies outside what it can mean is refused with where it was found, so nothing
// downstream meets a wrapped, infinite or negative count.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sendplan {

// Where a value was read: file (or option), line and column (0 where not known) and field.
struct Where {
    std::string file;
    long line = 0;
    long column = 0;
    std::string field;
};

// A whole number from `lo` to `hi`; "12" and "12.0" are twelve, "12.5", "1e30" and "" are refused.
std::int64_t whole_number(std::string_view text, std::int64_t lo, std::int64_t hi, const Where& where);
// A seed: any whole number from 0 to 2^64 - 1.
std::uint64_t seed_number(std::string_view text, const Where& where);
// A finite real number from `lo` to `hi`.
double real_number(std::string_view text, double lo, double hi, const Where& where);
// A per-cent figure from `lo` to `hi`: "5" and "5%" are both five per cent. A figure between -1 and
// 1 (not 0) written without "%" is refused as a fraction given for a per cent ("0.05" for 5%), with
// what was likely meant; "0.05%" says that a twentieth of one per cent is meant.
double percent_number(std::string_view text, double lo, double hi, const Where& where);
// The same bounds for a value already read (a sum, a product): refused as the reading would be.
void require_within(double value, double lo, double hi, const Where& where);

// The January census a year or a month counts from: "2029" is the census of January 2029;
// "2028-09" (a provision opening in September 2028) is first counted at the census of January 2029,
// and "2029-01" at that of January 2029. Empty for anything else, or a year outside
// kFirstYear..kLastYear.
std::optional<int> census_year_of(std::string_view year_or_month);

// A number as people write it: 1,024, 2.5, 1e+12 (never 309 digits).
std::string written(double value);
// "from 1 to 1,024"
std::string range_text(double lo, double hi);

// The largest count of children or places any input may hold: more than England's population, and
// small enough that sums over ages, settings and years stay exact in 64 bits and in a double.
inline constexpr double kMaxCount = 1e8;
// The most places one school or resourced provision can have: far above any real one, and small
// enough that every provision's places together stay far from overflowing a 32-bit count.
inline constexpr std::int64_t kMaxPlaces = 100000;
// The largest sum of money (pounds): far above any authority's budget, far below overflow.
inline constexpr double kMaxPounds = 1e12;
// Draws of one run: a million keeps every draw's totals well inside memory; more would not narrow
// any interval a planner reads.
inline constexpr std::int64_t kMaxDraws = 1000000;
// Threads: more than any machine has; a million would each want a stack and overflow memory.
inline constexpr std::int64_t kMaxThreads = 1024;
// New plans one draw may start in a year: a hundred times England's. With counts bounded at read,
// only a population or trend no real area has goes beyond it, and it keeps every count of a
// fifty-year projection inside 32 bits.
inline constexpr double kMaxNewPlansAYear = 1e7;
// EHC plans are for ages 0 to 25 (Children and Families Act 2014): no model's age lies outside.
inline constexpr int kMinAge = 0, kMaxAge = 25;
// January censuses the engine can speak of.
inline constexpr int kFirstYear = 2000, kLastYear = 2100;

}  // namespace sendplan
