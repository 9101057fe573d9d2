#pragma once
// The plots of a run, drawn by the scripts in python-plots/ with Debian's python3, so that a run
// ends with pictures a planner can open rather than with a command to copy.
#include <string>
#include <vector>

namespace sendplan {

// The shell commands that draw a run folder's plots: its projection, and its places against demand
// where the run had places.
std::vector<std::string> plot_commands(const std::string& folder, bool places);

// SENDPLAN_NO_PLOTS=1 in the environment: batch scripts and tests that run many scenarios and
// want no pictures.
bool plots_declined_by_environment();

// Whether Debian's python3 with the libraries the scripts import is present.
bool plotting_available();

// Draws the plots (into `folder`/plots); prints the commands instead where python3 or its libraries
// are missing, and says so where a script fails: the results themselves are already complete, so a
// failed plot never fails the run.
void draw_plots(const std::string& folder, bool places);

}  // namespace sendplan
