#pragma once
// Readers for the DfE "Education, health and care plans" release files, exactly as published on
// explore-education-statistics (2022 release and 2023+ shapes), for any area given by new LA code,
// old LA code, name, region code, or E92000001 / England.
#include <memory>
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "io/area_history.h"

namespace sendplan {

// A local authority as the caseload tables name it.
struct LocalAuthority {
    std::string code, old_code, name, region_code, region_name;
    int first_census = 0, last_census = 0;  // January censuses it has rows for
    std::vector<std::string> successors;    // where it was dissolved: the authorities that took over
    std::vector<std::string> earlier_codes; // codes it had before, under the same old code (Gateshead's E08000020)
};

// The published release files, read once (from folders of CSVs or from the zips the DfE publishes)
// and indexed by area, so that every authority's history can be taken from them without reading
// them again.
class DfeReleases {
public:
    // Sources are folders or zip archives, oldest release first: where releases overlap, the later wins.
    static DfeReleases read(const std::vector<std::string>& sources);

    // One area's history, by new LA code, old code, name, region code or name, or E92000001 /
    // England. A name that matches nothing is refused with the closest names; a dissolved
    // authority is refused naming its successors unless `allow_dissolved` (backtests from before
    // the reorganisation).
    AreaHistory history(const std::string& area, const Taxonomy& taxonomy, bool allow_dissolved = false) const;

    // Every local authority in the caseload tables, by code; dissolved ones included.
    const std::vector<LocalAuthority>& local_authorities() const { return authorities_; }
    const std::vector<std::string>& files_read() const { return files_read_; }
    std::vector<std::string> closest_names(const std::string& area, std::size_t count) const;

    struct File;

private:
    void index_authorities();
    std::vector<std::shared_ptr<const File>> files_;
    std::vector<std::string> files_read_;
    std::vector<LocalAuthority> authorities_;
};

// The release sources under a data folder: its subfolders and the zips in it or in them, ordered
// by the release year in their names (oldest first), then the folder itself. A zip is itself.
std::vector<std::string> release_sources(const std::string& path);

// Reads every known release file found in each directory, in order; where releases overlap, the
// later directory wins (list releases oldest first). Refuses an area found in none of the files.
AreaHistory read_dfe_releases(const std::vector<std::string>& directories, const std::string& area,
                              const Taxonomy& taxonomy);

// Parses an age label of the published tables ("age 10", "under 3", "age 20 and over",
// "Age 5 to 10", "Under 5"); false for labels that are not an age (totals, "Age unknown").
bool parse_age_label(const std::string& label, int max_age, AgeSpan& span);

// "201819" -> 2019 (January census of the academic year); "2021" -> 2021.
int parse_time_period(const std::string& text);

}  // namespace sendplan
