#pragma once
// An input is read only once it is known to be an ordinary file of sensible size: a named pipe
// would block for ever, a device (/dev/zero) would be read until memory runs out, and a folder
// reads as nothing.
#include <cstdint>
#include <string>

namespace sendplan {

// Larger than any published release file or scenario a person writes.
inline constexpr std::uintmax_t kMaxInputBytes = 512ull << 20;

// Refuses, naming the path, anything but a regular file of at most kMaxInputBytes; `what` says
// what was expected there ("a scenario file (YAML)").
void require_input_file(const std::string& path, const std::string& what);
// The file's bytes, after require_input_file.
std::string read_input_file(const std::string& path, const std::string& what);

}  // namespace sendplan
