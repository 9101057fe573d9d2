#pragma once
// `sendplan report DIR`: the HTML report of a results folder that sendplan run or sendplan compare
// wrote, made again from its files (output/html_report.h) and written as DIR/report.html.
#include <string>

namespace sendplan {

// Writes DIR/report.html and returns its path as written. A folder that is not a sendplan result, or
// whose files are missing or not as sendplan writes them, is refused with InputError naming it.
std::string run_report(const std::string& dir);

}  // namespace sendplan
