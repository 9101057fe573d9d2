#pragma once
// Files inside a zip archive, as the DfE publishes its releases, read without unpacking it.
#include <string>
#include <vector>

namespace sendplan {

// Names of the files in the archive, in its own order. A missing or damaged archive is refused
// with the archive's path.
std::vector<std::string> zip_entry_names(const std::string& archive);

// The whole text of one entry; refused naming the archive and entry if it cannot be read.
std::string read_zip_entry(const std::string& archive, const std::string& entry);

bool is_zip_path(const std::string& path);

}  // namespace sendplan
