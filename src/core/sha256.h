#pragma once
// SHA-256 of a file, recorded with the results so a reader can tell exactly which inputs made them.
#include <string>

namespace sendplan {

std::string sha256_hex(const std::string& bytes);
// Throws std::runtime_error when the file cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace sendplan
