#pragma once
// Helpers shared by the tests: where the sources and the built binary are, temporary directories,
// and running the CLI the way a user would.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace sendplan::test {

inline std::string source(const std::string& relative) { return std::string(SENDPLAN_SOURCE_DIR) + "/" + relative; }

class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("sendplan-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string operator/(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int status = -1;
    std::string output;  // stdout and stderr together
};

// Runs the sendplan binary with the given arguments (already shell-quoted where needed); with a
// time limit, a run that blocks is killed and reads as failed. With `dir`, it runs from that folder
// (relative paths in `args` are then relative to it). A run draws no plots unless `plots` is set:
// drawing them is tested once, not in every run.
inline CommandResult run_sendplan(const std::string& args, int limit_seconds = 0, const std::string& dir = "", bool plots = false) {
    const std::string limit = limit_seconds > 0 ? "timeout -k 5 " + std::to_string(limit_seconds) + " " : std::string();
    const std::string cd = dir.empty() ? std::string() : "cd '" + dir + "' && ";
    const std::string env = plots ? "env -u SENDPLAN_NO_PLOTS " : "env SENDPLAN_NO_PLOTS=1 ";
    const std::string cmd = cd + env + limit + std::string(SENDPLAN_BINARY) + " " + args + " 2>&1";
    CommandResult r;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
    const int raw = ::pclose(pipe);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return r;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_text(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path);
    out << text;
}

}  // namespace sendplan::test
