#include "io/input_file.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/error.h"

namespace sendplan {

void require_input_file(const std::string& path, const std::string& what) {
    struct stat st {};
    // stat, not open: opening a named pipe waits for a writer.
    if (::stat(path.c_str(), &st) != 0) throw InputError(path, 0, "", "cannot open: no such file; expected " + what);
    if (S_ISDIR(st.st_mode)) throw InputError(path, 0, "", "is a folder: expected " + what);
    if (S_ISFIFO(st.st_mode)) throw InputError(path, 0, "", "is a named pipe: expected " + what);
    if (!S_ISREG(st.st_mode)) throw InputError(path, 0, "", "is a device or special file, not a regular file: expected " + what);
    if (static_cast<std::uintmax_t>(st.st_size) > kMaxInputBytes)
        throw InputError(path, 0, "", "is " + std::to_string(static_cast<std::uintmax_t>(st.st_size) >> 20) + " MiB: expected " + what + " of at most " +
                                          std::to_string(kMaxInputBytes >> 20) + " MiB");
}

std::string read_input_file(const std::string& path, const std::string& what) {
    require_input_file(path, what);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, 0, "", "cannot open file: expected " + what);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string text = std::move(buffer).str();
    // A file that grows while it is read is cut where the check said it ends.
    if (text.size() > kMaxInputBytes) throw InputError(path, 0, "", "grew past " + std::to_string(kMaxInputBytes >> 20) + " MiB while being read");
    return text;
}

}  // namespace sendplan
