#pragma once
#include <string>

namespace sendplan {

struct InitOptions {
    std::string area;      // new code, old code or name of a local authority in England
    std::string out;       // the folder to create
    std::string data_dir;  // the shipped data folder (its dfe-national releases and dfe-ehcp-2026)
    std::string model_dir;
};

// Starts a local authority from the national data: a folder with a scenario that runs as it is
// (demand from the published releases), a provision register, places file and cost table to fill
// (national figures marked as such, local ones left for the authority, every row stating the area),
// and a README of the next steps. Refuses an unknown or dissolved authority, and a folder that exists.
// Returns the folder as written.
std::string run_init(const InitOptions& options);

}  // namespace sendplan
