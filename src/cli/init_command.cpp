#include "cli/init_command.h"

#include <filesystem>
#include <ostream>
#include <random>

#include "core/error.h"
#include "io/cost_table.h"
#include "io/dfe_reader.h"
#include "io/taxonomy_reader.h"
#include "model/cost_selection.h"
#include "output/atomic_output.h"

namespace sendplan {

namespace fs = std::filesystem;

namespace {

struct Authority {
    std::string code, name;
    int last_census = 0;
};

// The releases a new authority starts from: every national release shipped, and the 2026 rows
// where its authority is among them, oldest first.
std::vector<std::string> national_releases(const fs::path& data) {
    const fs::path national = data / "dfe-national";
    std::vector<std::string> out;
    for (const std::string& source : release_sources(national.string()))
        if (fs::path(source).lexically_normal() != national.lexically_normal()) out.push_back(source);  // the zips, not the folder holding them
    if (fs::exists(data / "dfe-ehcp-2026")) out.push_back((data / "dfe-ehcp-2026").string());
    return out;
}

Authority find_authority(const std::string& area, const std::vector<std::string>& releases, const Taxonomy& tax) {
    const DfeReleases all = DfeReleases::read(releases);
    const AreaHistory h = all.history(area, tax);  // refuses an unknown name (with the closest) or a dissolved authority
    if (!is_local_authority_code(h.area_code))
        throw InputError("AREA", 0, "", shown(area) + " is not a local authority: init starts one authority (a new code, an old code or its name)");
    return {h.area_code, h.area_name, h.stock_total.rbegin()->first};
}

// A path as the scenario in `folder` names it: relative, so the folder and the data move together.
std::string from_folder(const fs::path& folder, const std::string& path) {
    return fs::absolute(path).lexically_relative(fs::absolute(folder)).generic_string();
}

std::string slug(const std::string& name) {
    std::string out;
    for (const char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out.empty() ? "area" : out;
}

void write_scenario(std::ostream& o, const Authority& a, const std::vector<std::string>& releases, const std::string& model) {
    o << "# " << a.name << " (" << a.code << "): its EHC plans projected from the published DfE releases, as\n"
      << "# `sendplan init` started it. It runs as it is (demand only); fill in provisions.csv,\n"
      << "# provision_places.csv and costs.csv, then uncomment their lines below (docs/new-authority.md).\n"
      << "# Paths are relative to this file.\n"
      << "scenario: " << slug(a.name) << "_baseline\n"
      << "description: >\n  " << a.name << ", no change: published DfE caseload, new and ceased plans, default assumptions.\n\n"
      << "# The local authority, by its ONS code. Every local file that states an area must state this one.\n"
      << "area: " << a.code << "\n\n"
      << "data:\n"
      << "  # DfE \"Education, health and care plans\" releases, oldest first; where they overlap the later wins.\n"
      << "  dfe_releases: [";
    for (std::size_t i = 0; i < releases.size(); ++i) o << (i ? ", " : "") << releases[i];
    o << "]\n"
      << "  # An ONS subnational population projection by single year of age for this authority (AREA_CODE\n"
      << "  # " << a.code << "; ONS 'Population projections for local authorities: Table 2', persons, ages 0-25).\n"
      << "  # Without one, new plans are modelled on a constant population, and the run says so.\n"
      << "  # population: population.csv\n"
      << "  # The places the authority has and plans (docs/provisions.md): replace the example rows, then uncomment.\n"
      << "  # provisions: provisions.csv\n"
      << "  # provision_places: provision_places.csv\n"
      << "  # What each placement costs a year (docs/finance.md): give the local figures, then uncomment.\n"
      << "  # costs: costs.csv\n\n"
      << "model: " << model << "\n\n"
      << "base_year: latest    # the latest January census published for " << a.name << "\n"
      << "horizon: 10          # years projected after the base year\n"
      << "draws: 1000          # Monte Carlo draws; 1,000 give stable medians, 10,000 stable 5th/95th percentiles\n"
      << "seed: 20260123       # the same seed gives the same results, whatever the number of threads\n\n"
      << "# With costs, the high-needs block: REQUIRED before the finance figures mean anything. The income is\n"
      << "# the authority's high-needs block allocation (DfE 'Dedicated schools grant (DSG)' allocations, the\n"
      << "# high needs block line, after deductions for places the ESFA funds directly); the opening balance is\n"
      << "# the DSG reserve at 31 March before the first projected year (the authority's section 251 outturn or\n"
      << "# its DSG management plan; a deficit is negative). Growth is per cent a year (3 for 3%).\n"
      << "# finance:\n"
      << "#   high_needs_income: {year: " << a.last_census << ", pounds: REQUIRED, growth_percent_a_year: REQUIRED}\n"
      << "#   opening_dsg_balance: REQUIRED\n";
}

void write_provisions(std::ostream& o, const Authority& a) {
    o << "id,name,type,needs,age_from,age_to,in_borough,basis,source,area_code\n"
      << "example_arp,Example primary autism ARP (replace this row with your own),arp,ASD,4,10,yes,example: replace with your own provision,"
      << "your source," << a.code << "\n";
}

void write_places(std::ostream& o, const Authority& a) {
    o << "id,year,places,basis,source\n"
      << "example_arp," << a.last_census << ",12,example: places at the January census of that year,your source\n";
}

// National figures where there are any; every other figure is the authority's own, at 0 until given.
struct CostFigure {
    double pounds;
    const char* source;
};
CostFigure national_figure(const std::string& placement, const std::string& element) {
    if (element == "place" && (placement == "special_la" || placement == "special_academy"))
        return {10000, "published: place funding of 10,000 a place in special schools (DfE high needs funding operational guide)"};
    if (element == "place" && placement == "resourced")
        return {6000, "published: place funding of 6,000 a place in resourced provision, on top of the school's 4,000 (DfE high needs funding operational guide)"};
    return {0, "LOCAL: the authority's own figure (0 until given)"};
}

void write_costs(std::ostream& o, const Authority& a, const Taxonomy& tax) {
    o << "placement,phase,need,element,gbp_a_year,uncertainty_percent,source,area_code\n";
    for (const std::string& placement : costed_placements(tax).codes)
        for (int e = 0; e < cost_elements; ++e) {
            const std::string element = cost_element_name(e);
            const CostFigure f = national_figure(placement, element);
            o << placement << ",all,all," << element << "," << f.pounds << ",0,\"" << f.source << "\"," << a.code << "\n";
        }
}

void write_readme(std::ostream& o, const Authority& a) {
    o << "# " << a.name << " (" << a.code << ")\n\n"
      << "Started by `sendplan init`. `sendplan run scenario.yaml` projects " << a.name << "'s EHC plans from the\n"
      << "published releases as it is. To plan places and spend, in this order (docs/new-authority.md):\n\n"
      << "1. population.csv: the ONS projection for " << a.code << " (see the comment in scenario.yaml).\n"
      << "2. provisions.csv and provision_places.csv: replace the example rows with every ARP, unit and\n"
      << "   special school you place children in, with places by January census.\n"
      << "3. costs.csv: rows marked LOCAL are 0 until you give your top-up bands, fees and transport.\n"
      << "4. scenario.yaml: uncomment the lines naming these files, and the finance block (required with costs).\n\n"
      << "Every file here states area_code " << a.code << ": a run for another authority refuses it.\n";
}

}  // namespace

std::string run_init(const InitOptions& o) {
    const fs::path out = fs::path(o.out).lexically_normal();
    std::error_code ec;
    if (o.out.empty()) throw InputError("--out", 0, "", "is empty: give a new folder for the authority's files");
    if (fs::exists(out, ec)) throw InputError(o.out, 0, "--out", "already exists: init writes a new folder and never overwrites one");
    const Taxonomy tax = read_taxonomy(o.model_dir);
    const std::vector<std::string> releases = national_releases(o.data_dir);
    const Authority a = find_authority(o.area, releases, tax);
    const fs::path folder = fs::absolute(out);
    std::vector<std::string> named;
    for (const auto& r : releases) named.push_back(from_folder(folder, r));
    // Written under a hidden name beside it and renamed in whole, so a failure leaves nothing half made.
    const fs::path writing = folder.parent_path() / (".init-" + folder.filename().string() + "-" + std::to_string(std::random_device{}()));
    fs::create_directories(writing);
    try {
        const ResultsFolder files(writing, folder, "--out");
        files.text("scenario.yaml", [&](std::ostream& s) { write_scenario(s, a, named, from_folder(folder, o.model_dir)); });
        files.text("provisions.csv", [&](std::ostream& s) { write_provisions(s, a); });
        files.text("provision_places.csv", [&](std::ostream& s) { write_places(s, a); });
        files.text("costs.csv", [&](std::ostream& s) { write_costs(s, a, tax); });
        files.text("README.md", [&](std::ostream& s) { write_readme(s, a); });
        fs::rename(writing, folder);
    } catch (...) {
        fs::remove_all(writing, ec);
        throw;
    }
    return folder.string();
}

}  // namespace sendplan
