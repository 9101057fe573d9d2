#pragma once
// A text file written whole or not at all: to a temporary name beside it, renamed into place once
// complete, so a killed or failed run never leaves a half-written file that looks whole.
#include <functional>
#include <ostream>
#include <string>

namespace sendplan {

// `option` names the command-line option the path came from, for the error message.
void write_text_file(const std::string& path, const std::string& option, const std::function<void(std::ostream&)>& write);

}  // namespace sendplan
