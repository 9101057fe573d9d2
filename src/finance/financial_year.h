#pragma once
// The financial year (April to March) a census falls in: the January 2027 census is in 2026-27, the
// year whose budget and DSG return finance officers work to.
#include <string>

#include <fmt/format.h>

namespace sendplan {

inline std::string financial_year(int census_year) { return fmt::format("{}-{:02}", census_year - 1, census_year % 100); }

}  // namespace sendplan
