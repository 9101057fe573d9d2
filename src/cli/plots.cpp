#include "cli/plots.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace sendplan {

namespace {

constexpr const char* kPython = "/usr/bin/python3";

// A path as one shell word, whatever it holds.
std::string shell_quoted(const std::string& text) {
    std::string q = "'";
    for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string script(const std::string& name) { return (std::filesystem::path(SENDPLAN_PLOTS_DIR) / name).string(); }

void list_plots(const std::string& plots) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(plots, ec))
        if (entry.path().extension() == ".png") names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    std::printf("plots in %s/:\n", plots.c_str());
    for (const auto& n : names) std::printf("  %s\n", n.c_str());
}

}  // namespace

std::vector<std::string> plot_commands(const std::string& folder, bool places) {
    std::vector<std::string> commands{std::string(kPython) + " " + shell_quoted(script("plot_projection.py")) + " " + shell_quoted(folder)};
    if (places) commands.push_back(std::string(kPython) + " " + shell_quoted(script("plot_sufficiency.py")) + " " + shell_quoted(folder));
    return commands;
}

bool plots_declined_by_environment() {
    const char* value = std::getenv("SENDPLAN_NO_PLOTS");
    return value && std::string(value) != "" && std::string(value) != "0";
}

bool plotting_available() {
    if (!std::filesystem::exists(kPython) || !std::filesystem::exists(script("plot_projection.py"))) return false;
    const std::string probe = std::string(kPython) + " -c 'import matplotlib, h5py, numpy, pandas' > /dev/null 2>&1";
    return std::system(probe.c_str()) == 0;
}

void draw_plots(const std::string& folder, bool places) {
    const auto commands = plot_commands(folder, places);
    if (!plotting_available()) {
        std::printf("plots: not drawn (needs %s with matplotlib, h5py, numpy and pandas); to draw them:\n", kPython);
        for (const auto& c : commands) std::printf("  %s\n", c.c_str());
        return;
    }
    std::fflush(stdout);
    for (const auto& c : commands) {
        const std::string quiet = "MPLBACKEND=Agg " + c + " > /dev/null";
        if (std::system(quiet.c_str()) != 0) std::printf("plots: a script failed (its message is above); rerun it with:\n  %s\n", c.c_str());
    }
    list_plots(folder + "/plots");
}

}  // namespace sendplan
