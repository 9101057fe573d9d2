#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "core/error.h"
#include "io/dfe_reader.h"
#include "io/taxonomy_reader.h"
#include "io/zip_archive.h"
#include "national_data.h"
#include "support.h"

using namespace sendplan;
using sendplan::test::source;

namespace {
const Taxonomy& taxonomy() {
    static const Taxonomy t = read_taxonomy(source("model"));
    return t;
}
// Every setting and need has a column in its release's tables: the fixtures carry those they do
// not use with no plans.
const std::string kOtherSettingColumns =
    ",mainstream_la_maintained_resourced_provision,special_academy_free,special_independent,special_non_maintained,ap_pru_academy,"
    "general_fe_tertiary_colleges,nm_early_years";
const std::string kOtherSettingZeros = ",0,0,0,0,0,0,0";
const std::string kOtherNeedColumns =
    ",number_slcn,number_mld,number_sld,number_pmld,number_spld,number_hi,number_vi,number_msi,number_pd,number_oth,number_need_unknown";
const std::string kOtherNeedZeros = ",0,0,0,0,0,0,0,0,0,0,0";
std::vector<std::string> releases() {
    return {source("data/dfe-ehcp-2022"), source("data/dfe-ehcp-2025"), source("data/dfe-ehcp-2026")};
}
double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }
}  // namespace

TEST_CASE("Barnet's published totals are read from the shipped releases") {
    AreaHistory h = read_dfe_releases(releases(), "E09000003", taxonomy());
    CHECK(h.area_name == "Barnet");
    CHECK(h.stock_total.at(2026) == 4840);
    CHECK(h.stock_total.at(2025) == 4320);
    CHECK(h.stock_total.at(2019) == 2372);   // 2022 release and 2025 release agree
    CHECK(h.stock_total.at(2010) == 1518);   // only in the 2022 release
    CHECK(h.new_total.at(2025) == 738);
    CHECK(h.new_total.at(2024) == 765);
    CHECK(h.ceased_total.at(2024) == 310);
    // The settings split the total exactly.
    CHECK(sum(h.stock_by_setting.at(2026)) == Approx(4840));
    const auto mainstream = static_cast<std::size_t>(*taxonomy().setting_index("mainstream"));
    const auto resourced = static_cast<std::size_t>(*taxonomy().setting_index("resourced"));
    CHECK(h.stock_by_setting.at(2026)[mainstream] == 2664);
    CHECK(h.stock_by_setting.at(2026)[resourced] == 291);
    // The 2026 release splits special academies and free schools; both belong to one setting.
    const auto academy = static_cast<std::size_t>(*taxonomy().setting_index("special_academy"));
    CHECK(h.stock_by_setting.at(2026)[academy] == 232 + 139);
    // Single years of age add up to the total.
    double ages = 0;
    for (const auto& row : h.stock_by_age.at(2026)) ages += row.total;
    CHECK(ages == Approx(4840));
    // Need at January 2025, all ages.
    CHECK(sum(h.stock_by_need.at(2025)) == Approx(4320));
}

TEST_CASE("an area can be named by new code, old code or name, and England by E92000001") {
    AreaHistory by_code = read_dfe_releases(releases(), "E09000003", taxonomy());
    AreaHistory by_old = read_dfe_releases(releases(), "302", taxonomy());
    AreaHistory by_name = read_dfe_releases(releases(), "barnet", taxonomy());
    CHECK(by_old.stock_total == by_code.stock_total);
    CHECK(by_name.new_total == by_code.new_total);
    AreaHistory england = read_dfe_releases(releases(), "E92000001", taxonomy());
    CHECK(england.area_name == "England");
    CHECK(england.stock_total.at(2026) == 718838);
    CHECK_THROWS_AS(read_dfe_releases(releases(), "E09999999", taxonomy()), InputError);
}

TEST_CASE("Barnsley's anomalous 2022 new-plan count is read as published") {
    AreaHistory h = read_dfe_releases(releases(), "370", taxonomy());
    CHECK(h.new_total.at(2022) == 6078);
    CHECK(h.new_total.at(2021) == 294);
}

TEST_CASE("age labels of both release shapes") {
    AgeSpan s;
    REQUIRE(parse_age_label("age 10", 25, s));
    CHECK((s.first == 10 && s.last == 10));
    REQUIRE(parse_age_label("under 3", 25, s));
    CHECK((s.first == 0 && s.last == 2));
    REQUIRE(parse_age_label("age 2 and under", 25, s));
    CHECK((s.first == 0 && s.last == 2));
    REQUIRE(parse_age_label("age 20 and over", 25, s));
    CHECK((s.first == 20 && s.last == 25));
    REQUIRE(parse_age_label("Age 5 to 10", 25, s));
    CHECK((s.first == 5 && s.last == 10));
    REQUIRE(parse_age_label("Under 5", 25, s));
    CHECK((s.first == 0 && s.last == 4));
    CHECK_FALSE(parse_age_label("Total", 25, s));
    CHECK_FALSE(parse_age_label("Age unknown", 25, s));
    CHECK(parse_time_period("202425") == 2025);
    CHECK(parse_time_period("2021") == 2021);
    CHECK(parse_time_period(" 2021 ") == 2021);
    CHECK(parse_time_period("2024 25") == 2025);
    CHECK(parse_time_period("2024/25") == -1);
    CHECK(parse_time_period("20212") == -1);
    CHECK(parse_time_period("2021222") == -1);
    CHECK(parse_time_period("") == -1);
    CHECK(parse_time_period("x021") == -1);
}

TEST_CASE("suppressed placement cells are re-filled from the published total") {
    test::TempDir dir;
    // The published total is 10; two leaves are known (3 + 4) and one suppressed: it gets the 3.
    const std::string header =
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,"
        "la_name,breakdown_topic,breakdown,ehcplans,mainstream_la_maintained,special_la_maintained,neet" + kOtherSettingColumns + "\n";
    test::write_text(dir / "caseload.csv", header + "202425,Academic year,Local authority,E92000001,England,R,R,E1,1,Here,All EHC plans,All EHC plans,10,3,4,c" +
                                               kOtherSettingZeros + "\n");
    AreaHistory h = read_dfe_releases({dir.path().string()}, "E1", taxonomy());
    const auto& split = h.stock_by_setting.at(2025);
    CHECK(split[static_cast<std::size_t>(*taxonomy().setting_index("elsewhere"))] == Approx(3));
    CHECK(sum(split) == Approx(10));
}

TEST_CASE("an unknown placement label or need column is refused with file and line") {
    test::TempDir dir;
    const std::string header =
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,"
        "la_name,breakdown_topic,breakdown,ehc_plans,number_asd,number_semh" + kOtherNeedColumns + "\n";
    test::write_text(dir / "sen_needs_all_plans.csv",
                     header + "202425,Academic year,Local authority,E92000001,England,R,R,E1,1,Here,Type of placement,Mainstream - moon base,5,2,3" +
                         kOtherNeedZeros + "\n");
    CHECK_THROWS_WITH(read_dfe_releases({dir.path().string()}, "E1", taxonomy()),
                      Catch::Contains("sen_needs_all_plans.csv:2") && Catch::Contains("moon base"));
    test::write_text(dir / "sen_needs_all_plans.csv",
                     "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,"
                     "la_name,breakdown_topic,breakdown,ehc_plans,number_asd,number_xyz\n"
                     "202425,Academic year,Local authority,E92000001,England,R,R,E1,1,Here,All EHC plans,All EHC plans,5,2,3\n");
    CHECK_THROWS_WITH(read_dfe_releases({dir.path().string()}, "E1", taxonomy()), Catch::Contains("number_xyz") && Catch::Contains("unknown need code"));
}

TEST_CASE("an authority whose code changed reads as one series under either code", "[reader]") {
    // Barnet's 2025 release rows relabelled with a new LA code, as after a reorganisation; the 2022
    // release keeps E09000003. Both carry old code 302.
    const Taxonomy tax = read_taxonomy(source("model"));
    test::TempDir dir;
    std::string text = test::read_text(source("data/dfe-ehcp-2025/caseload.csv"));
    for (std::size_t at = text.find("E09000003"); at != std::string::npos; at = text.find("E09000003", at)) text.replace(at, 9, "E06999999");
    test::write_text(dir / "2025/caseload.csv", text);
    std::filesystem::create_directories(dir / "2022");
    std::filesystem::copy_file(source("data/dfe-ehcp-2022/sen2_age_caseload.csv"), dir / "2022/sen2_age_caseload.csv");
    for (const char* code : {"E06999999", "E09000003", "302"}) {
        INFO(code);
        const AreaHistory h = read_dfe_releases({dir / "2022", dir / "2025"}, code, tax);
        CHECK(h.stock_total.at(2016) == 1817);  // 2022 release
        CHECK(h.stock_total.at(2025) == 4320);  // 2025 release
    }
}

// ---------------------------------------------------------------------------------------------
// The national releases as the DfE publishes them (zips of every authority's rows), names and
// codes of areas, and local government reorganisations.

namespace {

// The message of the InputError `f` throws; anything else thrown or nothing thrown is said so.
std::string input_error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("NOT AN InputError: ") + e.what();
    }
    return "NOTHING THROWN";
}
bool is_input_error(const std::string& message) { return message.rfind("NOT AN InputError", 0) != 0 && message != "NOTHING THROWN"; }

// Two sets of age rows are the same rows with the same counts.
void check_same_age_rows(const YearAgeRows& a, const YearAgeRows& b, const char* what) {
    INFO(what);
    REQUIRE(a.size() == b.size());
    for (const auto& [year, rows] : a) {
        INFO("year " << year);
        REQUIRE(b.count(year));
        const auto& other = b.at(year);
        REQUIRE(rows.size() == other.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            INFO("row " << i << " ages " << rows[i].ages.first << ".." << rows[i].ages.last);
            CHECK(rows[i].ages.first == other[i].ages.first);
            CHECK(rows[i].ages.last == other[i].ages.last);
            CHECK(rows[i].total == other[i].total);
            CHECK(rows[i].split == other[i].split);
            CHECK(rows[i].suppressed == other[i].suppressed);
        }
    }
}

// Everything two readings of one area hold, compared (notes and file names aside).
void check_same_history(const AreaHistory& a, const AreaHistory& b) {
    CHECK(a.area_code == b.area_code);
    CHECK(a.area_name == b.area_name);
    CHECK(a.stock_total == b.stock_total);
    CHECK(a.new_total == b.new_total);
    CHECK(a.ceased_total == b.ceased_total);
    CHECK(a.stock_by_setting == b.stock_by_setting);
    CHECK(a.new_by_setting == b.new_by_setting);
    CHECK(a.stock_by_need == b.stock_by_need);
    CHECK(a.new_by_need == b.new_by_need);
    CHECK(a.stock_need_by_setting == b.stock_need_by_setting);
    CHECK(a.new_need_by_setting == b.new_need_by_setting);
    check_same_age_rows(a.stock_by_age, b.stock_by_age, "stock_by_age");
    check_same_age_rows(a.new_by_age, b.new_by_age, "new_by_age");
    check_same_age_rows(a.ceased_by_age, b.ceased_by_age, "ceased_by_age");
    check_same_age_rows(a.stock_need_by_age, b.stock_need_by_age, "stock_need_by_age");
    check_same_age_rows(a.new_need_by_age, b.new_need_by_age, "new_need_by_age");
}

// Zips the files of `folder` under `prefix` (the DfE's zips keep their tables under data/), plus
// `extra` entries given as name -> text. Python's zipfile, as the CI machines have it; else `zip`.
bool make_zip(const std::string& zip, const std::string& folder, const std::string& prefix,
              const std::map<std::string, std::string>& extra = {}) {
    test::TempDir staging;
    const std::string root = staging / "root";
    std::filesystem::create_directories(std::filesystem::path(root) / prefix);
    if (!folder.empty())
        for (const auto& e : std::filesystem::directory_iterator(folder))
            std::filesystem::copy_file(e.path(), std::filesystem::path(root) / prefix / e.path().filename());
    for (const auto& [name, text] : extra) test::write_text((std::filesystem::path(root) / name).string(), text);
    std::string cmd;
    if (std::filesystem::exists("/usr/bin/python3"))
        cmd = "cd '" + root + "' && /usr/bin/python3 -c \"import os,sys,zipfile\n"
              "z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\n"
              "for d, _, fs in sorted(os.walk('.')):\n"
              "    for f in sorted(fs): z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f), '.'))\n"
              "z.close()\" '" + zip + "' >/dev/null 2>&1";
    else if (std::system("command -v zip >/dev/null 2>&1") == 0)
        cmd = "cd '" + root + "' && zip -q -r '" + zip + "' . >/dev/null 2>&1";
    else
        return false;
    return std::system(cmd.c_str()) == 0 && std::filesystem::exists(zip);
}

const char* kBarnet = "E09000003";

}  // namespace

TEST_CASE("the national zips read as published give Barnet's history as the selected rows do", "[dfe][zip][national]") {
    const DfeReleases& national = test::national_releases();
    const AreaHistory zipped = national.history(kBarnet, taxonomy());
    const AreaHistory folders =
        DfeReleases::read({source("data/dfe-ehcp-2022"), source("data/dfe-ehcp-2025")}).history(kBarnet, taxonomy());
    // The figures the shipped folders are known to hold, so the comparison is not of two empties.
    REQUIRE(zipped.stock_total.count(2010));
    CHECK(zipped.stock_total.at(2010) == 1518);
    CHECK(zipped.stock_total.at(2025) == 4320);
    CHECK(zipped.new_total.at(2024) == 765);
    CHECK(zipped.ceased_total.at(2024) == 310);
    CHECK(zipped.stock_by_age.at(2016).size() > 3);   // age bands of the 2022 release
    CHECK(zipped.stock_by_age.at(2025).size() > 20);  // single years of the 2025 release
    check_same_history(zipped, folders);
    // A few age rows spelled out, so a failure says which.
    for (int year : {2012, 2019, 2024, 2025}) {
        INFO("January " << year);
        double zipped_ages = 0, folder_ages = 0;
        for (const auto& r : zipped.stock_by_age.at(year)) zipped_ages += r.total;
        for (const auto& r : folders.stock_by_age.at(year)) folder_ages += r.total;
        CHECK(zipped_ages == folder_ages);
        CHECK(zipped_ages == Approx(zipped.stock_total.at(year)).epsilon(0.02));
    }
    // The files named are the published archives (with the entry, where a table is named in a message).
    bool names_2022 = false, names_2025 = false;
    for (const auto& f : zipped.files_read) {
        names_2022 |= f.find("education-health-and-care-plans_2022.zip") != std::string::npos;
        names_2025 |= f.find("education-health-and-care-plans_2025.zip") != std::string::npos;
    }
    CHECK(names_2022);
    CHECK(names_2025);
    CHECK(national.files_read() == zipped.files_read);
    for (const auto& f : national.files_read()) CHECK(std::filesystem::is_regular_file(f));  // their checksums go in the provenance
}

TEST_CASE("the national zips list every authority in England once", "[dfe][national]") {
    const auto& las = test::national_releases().local_authorities();
    std::set<std::string> codes, current;
    std::map<std::string, int> by_old_code;
    for (const auto& la : las) {
        INFO(la.code << " " << la.name);
        CHECK(codes.insert(la.code).second);
        CHECK_FALSE(la.name.empty());
        CHECK_FALSE(la.region_name.empty());
        CHECK(la.first_census >= 2010);
        CHECK(la.first_census <= la.last_census);
        if (la.successors.empty()) ++by_old_code[la.old_code];
        if (la.last_census == 2025) current.insert(la.code);
        if (la.last_census == 2025) CHECK(la.successors.empty());
    }
    // 153 authorities took the January 2025 census (after Cumbria's split in April 2023).
    CHECK(current.size() == 153);
    CHECK(current.count("E06000063"));  // Cumberland
    CHECK(current.count("E06000064"));  // Westmorland and Furness
    CHECK_FALSE(current.count("E10000006"));
    // Gateshead is one authority under its latest code, with the earlier one remembered.
    CHECK(codes.count("E08000037"));
    CHECK_FALSE(codes.count("E08000020"));
    for (const auto& [old, n] : by_old_code) {
        INFO("old code " << old);
        CHECK(n == 1);
    }
    for (const char* dissolved : {"E06000028", "E06000029", "E10000009", "E10000021", "E10000006"}) {
        INFO(dissolved);
        auto it = std::find_if(las.begin(), las.end(), [&](const LocalAuthority& la) { return la.code == dissolved; });
        REQUIRE(it != las.end());
        CHECK_FALSE(it->successors.empty());
    }
}

TEST_CASE("a zip made from a release folder reads as the folder does", "[dfe][zip]") {
    test::TempDir dir;
    const std::string zip = dir / "education-health-and-care-plans_2025.zip";
    // Supporting files reuse release file names for other tables: only data/ is the release.
    const bool made = make_zip(zip, source("data/dfe-ehcp-2025"), "data",
                               {{"supporting-files/caseload.csv", "not,a,release\n1,2,3\n"},
                                {"data-guidance/data-guidance.txt", "guidance\n"}});
    if (!made) {
        WARN("neither python3 nor zip is available: cannot make a zip to read");
        return;
    }
    const std::vector<std::string> entries = zip_entry_names(zip);
    CHECK(std::find(entries.begin(), entries.end(), "data/caseload.csv") != entries.end());
    CHECK(std::find(entries.begin(), entries.end(), "supporting-files/caseload.csv") != entries.end());
    CHECK(read_zip_entry(zip, "data/newplans.csv") == test::read_text(source("data/dfe-ehcp-2025/newplans.csv")));
    const DfeReleases from_zip = DfeReleases::read({zip});
    const DfeReleases from_folder = DfeReleases::read({source("data/dfe-ehcp-2025")});
    for (const char* area : {"E09000003", "370", "E92000001"}) {
        INFO(area);
        check_same_history(from_zip.history(area, taxonomy()), from_folder.history(area, taxonomy()));
    }
    CHECK(from_zip.history("302", taxonomy()).stock_total.at(2025) == 4320);
    CHECK(from_zip.files_read() == std::vector<std::string>{zip});
    // A zip is its own release source.
    CHECK(release_sources(zip) == std::vector<std::string>{zip});

    // An error in a table inside the archive names the archive and the entry.
    const std::string bad = dir / "bad.zip";
    REQUIRE(make_zip(bad, "", "data",
                     {{"data/sen_needs_all_plans.csv",
                       "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,"
                       "la_name,breakdown_topic,breakdown,ehc_plans,number_asd,number_xyz\n"
                       "202425,Academic year,Local authority,E92000001,England,R,R,E1,1,Here,All EHC plans,All EHC plans,5,2,3\n"}}));
    const std::string message = input_error_of([&] { DfeReleases::read({bad}).history("E1", taxonomy()); });
    CHECK(is_input_error(message));
    CHECK_THAT(message, Catch::Contains("bad.zip:data/sen_needs_all_plans.csv") && Catch::Contains("number_xyz"));

    // A zip with no release table in data/ is refused, naming it.
    const std::string empty = dir / "empty.zip";
    REQUIRE(make_zip(empty, "", "data", {{"supporting-files/caseload.csv", "x\n"}}));
    const std::string none = input_error_of([&] { DfeReleases::read({empty}); });
    CHECK(is_input_error(none));
    CHECK_THAT(none, Catch::Contains("empty.zip"));
}

TEST_CASE("a damaged or missing or foreign zip is refused naming it and never crashes", "[dfe][zip]") {
    test::TempDir dir;
    const std::string good = dir / "good.zip";
    if (!make_zip(good, source("data/dfe-ehcp-2025"), "data")) {
        WARN("neither python3 nor zip is available: cannot make a zip to damage");
        return;
    }
    const std::string bytes = test::read_text(good);
    REQUIRE(bytes.size() > 10000);
    auto write_bytes = [](const std::string& path, const std::string& b) {
        std::ofstream out(path, std::ios::binary);
        out.write(b.data(), static_cast<std::streamsize>(b.size()));
    };
    std::vector<std::string> damaged;
    // Cut short: the central directory at the end is gone.
    damaged.push_back(dir / "truncated.zip");
    write_bytes(damaged.back(), bytes.substr(0, bytes.size() / 2));
    // Cut by a few bytes only: the end-of-central-directory record is incomplete.
    damaged.push_back(dir / "short-tail.zip");
    write_bytes(damaged.back(), bytes.substr(0, bytes.size() - 7));
    // Intact directory, scrambled compressed data in the middle of the first entries.
    damaged.push_back(dir / "scrambled.zip");
    {
        std::string b = bytes;
        for (std::size_t i = 200; i < 4000; ++i) b[i] = static_cast<char>(b[i] ^ 0x5a);
        write_bytes(damaged.back(), b);
    }
    // Not a zip at all, and an empty file.
    damaged.push_back(dir / "text.zip");
    write_bytes(damaged.back(), "time_period,geographic_level\n2025,National\n");
    damaged.push_back(dir / "empty.zip");
    write_bytes(damaged.back(), "");
    for (const auto& path : damaged) {
        INFO(path);
        const std::string message = input_error_of([&] { DfeReleases::read({path}).history(kBarnet, taxonomy()); });
        CHECK(is_input_error(message));
        CHECK_THAT(message, Catch::Contains(path));
    }
    // A missing archive, directly and as a data folder.
    const std::string missing = dir / "education-health-and-care-plans_2031.zip";
    for (const auto& message : {input_error_of([&] { DfeReleases::read({missing}); }),
                                input_error_of([&] { DfeReleases::read(release_sources(missing)); }),
                                input_error_of([&] { zip_entry_names(missing); })}) {
        CHECK(is_input_error(message));
        CHECK_THAT(message, Catch::Contains(missing));
    }
    // An entry the archive does not have is named with the archive.
    const std::string message = input_error_of([&] { read_zip_entry(good, "data/nothing.csv"); });
    CHECK(is_input_error(message));
    CHECK_THAT(message, Catch::Contains("good.zip") && Catch::Contains("data/nothing.csv"));
}

TEST_CASE("release_sources lists a data folder's releases oldest first and the folder itself last", "[dfe]") {
    test::TempDir dir;
    // A name with no digits: a year in the folder's own name would order it among the releases.
    const std::string root = dir / "releases";
    std::filesystem::create_directories(root + "/dfe-ehcp-2025");
    std::filesystem::create_directories(root + "/dfe-ehcp-2022");
    std::filesystem::create_directories(root + "/national");
    test::write_text(root + "/national/education-health-and-care-plans_2024.zip", "");
    test::write_text(root + "/education-health-and-care-plans_2023.zip", "");
    test::write_text(root + "/caseload.csv", "");
    test::write_text(root + "/notes.txt", "");
    const std::vector<std::string> got = release_sources(root);
    INFO([&] {
        std::string s;
        for (const auto& g : got) s += g + "\n";
        return s;
    }());
    const std::vector<std::string> dated = {root + "/dfe-ehcp-2022", root + "/education-health-and-care-plans_2023.zip",
                                            root + "/national/education-health-and-care-plans_2024.zip", root + "/dfe-ehcp-2025"};
    std::vector<std::string> dated_got;
    for (const auto& g : got)
        if (std::find(dated.begin(), dated.end(), g) != dated.end()) dated_got.push_back(g);
    CHECK(dated_got == dated);
    CHECK(std::find(got.begin(), got.end(), root + "/national") != got.end());
    CHECK(std::find(got.begin(), got.end(), root + "/caseload.csv") == got.end());
    CHECK(std::find(got.begin(), got.end(), root + "/notes.txt") == got.end());
    // The folder's own tables are the newest: they must come after every dated release so they win.
    REQUIRE_FALSE(got.empty());
    CHECK(got.back() == root);
    // A missing folder is refused naming it.
    const std::string message = input_error_of([&] { release_sources(root + "/nowhere"); });
    CHECK(is_input_error(message));
    CHECK_THAT(message, Catch::Contains(root + "/nowhere"));
}

TEST_CASE("an authority is found by name in any case or by new code or old code or earlier code", "[dfe][national]") {
    const DfeReleases& r = test::national_releases();
    const AreaHistory slough = r.history("Slough", taxonomy());
    CHECK(slough.area_code == "E06000039");
    CHECK(slough.area_name == "Slough");
    CHECK(slough.stock_total.size() >= 15);
    for (const char* name : {"slough", "SLOUGH", "E06000039", "e06000039", "871", " Slough "}) {
        INFO(name);
        check_same_history(r.history(name, taxonomy()), slough);
    }
    // A name that matches nothing is refused with the closest names.
    const std::string message = input_error_of([&] { r.history("Sloug", taxonomy()); });
    CHECK(is_input_error(message));
    CHECK_THAT(message, Catch::Contains("Sloug") && Catch::Contains("Slough (E06000039)"));
    CHECK_THAT(input_error_of([&] { r.history("Barnsly", taxonomy()); }), Catch::Contains("Barnsley (E08000016)"));
    CHECK(is_input_error(input_error_of([&] { r.history("E06999999", taxonomy()); })));
    CHECK(is_input_error(input_error_of([&] { r.history("", taxonomy()); })));

    // Gateshead changed its code (E08000020 -> E08000037) keeping old code 390: one series.
    const AreaHistory gateshead = r.history("Gateshead", taxonomy());
    CHECK(gateshead.area_code == "E08000037");
    REQUIRE_FALSE(gateshead.stock_total.empty());
    CHECK(gateshead.stock_total.begin()->first == 2010);
    CHECK(gateshead.stock_total.rbegin()->first == 2025);
    for (int year = 2010; year <= 2025; ++year) {
        INFO("January " << year);
        CHECK(gateshead.stock_total.count(year));
        if (gateshead.stock_total.count(year)) CHECK(gateshead.stock_total.at(year) > 0);
    }
    CHECK(gateshead.new_total.count(2012));  // 2022 release, under the earlier code
    CHECK(gateshead.new_total.count(2024));  // 2025 release, under the new one
    for (const char* name : {"E08000020", "e08000037", "390", "gateshead"}) {
        INFO(name);
        check_same_history(r.history(name, taxonomy()), gateshead);
    }

    // Dorset is the unitary authority of 2019, not the county it replaced (which had the name too).
    const AreaHistory dorset = r.history("Dorset", taxonomy());
    CHECK(dorset.area_code == "E06000059");
    REQUIRE_FALSE(dorset.stock_total.empty());
    CHECK(dorset.stock_total.begin()->first >= 2020);  // nothing of the county's censuses
    check_same_history(r.history("E06000059", taxonomy()), dorset);

    // Regions and England.
    const AreaHistory north_east = r.history("North East", taxonomy());
    CHECK(north_east.area_name == "North East");
    check_same_history(r.history("E12000001", taxonomy()), north_east);
    const AreaHistory england = r.history("England", taxonomy());
    CHECK(england.area_name == "England");
    check_same_history(r.history("E92000001", taxonomy()), england);
    CHECK(england.stock_total.at(2025) > north_east.stock_total.at(2025) * 5);
}

TEST_CASE("dissolved authorities are refused naming their successors unless asked for a backtest", "[dfe][national]") {
    const DfeReleases& r = test::national_releases();
    const std::string northants = input_error_of([&] { r.history("E10000021", taxonomy()); });
    CHECK(is_input_error(northants));
    CHECK_THAT(northants, Catch::Contains("North Northamptonshire") && Catch::Contains("West Northamptonshire"));
    CHECK_THAT(input_error_of([&] { r.history("Northamptonshire", taxonomy()); }), Catch::Contains("North Northamptonshire"));
    CHECK_THAT(input_error_of([&] { r.history("928", taxonomy()); }), Catch::Contains("West Northamptonshire"));
    const AreaHistory county = r.history("E10000021", taxonomy(), true);
    CHECK(county.area_code == "E10000021");
    REQUIRE_FALSE(county.stock_total.empty());
    CHECK(county.stock_total.rbegin()->first == 2021);
    CHECK(county.stock_total.begin()->first == 2010);

    // Each dissolved authority, by code, names (one of) its successors.
    const std::map<std::string, std::string> successor = {{"E06000028", "Bournemouth, Christchurch and Poole"},
                                                          {"E06000029", "Bournemouth, Christchurch and Poole"},
                                                          {"E10000009", "E06000059"},
                                                          {"E10000006", "Westmorland and Furness"}};
    for (const auto& [dissolved, name] : successor) {
        const std::string code = dissolved;  // a plain variable: lambdas may capture it in every compiler
        INFO(code);
        const std::string message = input_error_of([&] { r.history(code, taxonomy()); });
        CHECK(is_input_error(message));
        CHECK_THAT(message, Catch::Contains(name));
        CHECK_NOTHROW(r.history(code, taxonomy(), true));
    }
    CHECK(r.history("E10000006", taxonomy(), true).stock_total.rbegin()->first == 2023);  // Cumbria
    CHECK(r.history("E10000009", taxonomy(), true).stock_total.rbegin()->first == 2019);  // Dorset county

    // A successor runs on its own short history, and says so.
    const AreaHistory bcp = r.history("E06000058", taxonomy());
    CHECK(bcp.area_name == "Bournemouth, Christchurch and Poole");
    REQUIRE_FALSE(bcp.stock_total.empty());
    CHECK(bcp.stock_total.begin()->first == 2020);
    bool noted = false;
    for (const auto& n : bcp.notes) noted |= n.find("January 2020") != std::string::npos && n.find("own history") != std::string::npos;
    CHECK(noted);
    const AreaHistory north = r.history("North Northamptonshire", taxonomy());
    CHECK(north.area_code == "E06000061");
    noted = false;
    for (const auto& n : north.notes) noted |= n.find("Northamptonshire (E10000021)") != std::string::npos && n.find("January 2022") != std::string::npos;
    CHECK(noted);
    // An authority no reorganisation touched has no such note.
    for (const auto& n : r.history("Slough", taxonomy()).notes) CHECK(n.find("took over") == std::string::npos);
}

TEST_CASE("a release read twice or revised gives the latest need-by-placement table and never a sum", "[dfe]") {
    // The same release from two sources (its selected rows and its zip, as a data folder holding
    // both gives them) must read as it does once.
    const AreaHistory once = DfeReleases::read({source("data/dfe-ehcp-2025")}).history(kBarnet, taxonomy());
    const AreaHistory twice = DfeReleases::read({source("data/dfe-ehcp-2025"), source("data/dfe-ehcp-2025")}).history(kBarnet, taxonomy());
    check_same_history(twice, once);
    auto cells = [](const std::vector<std::vector<double>>& table) {
        double s = 0;
        for (const auto& row : table) s += sum(row);
        return s;
    };
    REQUIRE(once.stock_need_by_setting.count(2025));
    CHECK(cells(once.stock_need_by_setting.at(2025)) == Approx(4320).epsilon(0.01));
    REQUIRE(twice.stock_need_by_setting.count(2025));
    CHECK(cells(twice.stock_need_by_setting.at(2025)) == Approx(4320).epsilon(0.01));
    REQUIRE(twice.new_need_by_setting.count(2024));
    CHECK(cells(twice.new_need_by_setting.at(2024)) == Approx(765).epsilon(0.01));

    // A later release revising a year's table replaces it, as it does every other table.
    test::TempDir dir;
    const std::string header =
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,"
        "la_name,breakdown_topic,breakdown,ehc_plans,number_asd,number_semh" + kOtherNeedColumns + "\n";
    const std::string row = "202425,Academic year,Local authority,E92000001,England,R,R,E1,1,Here,";
    test::write_text(dir / "first/sen_needs_all_plans.csv", header + row + "All EHC plans,All EHC plans,5,2,3" + kOtherNeedZeros + "\n" + row +
                                                                "Type of placement,Mainstream - academy,5,2,3" + kOtherNeedZeros + "\n");
    test::write_text(dir / "revised/sen_needs_all_plans.csv", header + row + "All EHC plans,All EHC plans,10,4,6" + kOtherNeedZeros + "\n" + row +
                                                                  "Type of placement,Mainstream - academy,10,4,6" + kOtherNeedZeros + "\n");
    const AreaHistory h = DfeReleases::read({dir / "first", dir / "revised"}).history("E1", taxonomy());
    const auto mainstream = static_cast<std::size_t>(*taxonomy().setting_index("mainstream"));
    REQUIRE(h.stock_need_by_setting.count(2025));
    CHECK(sum(h.stock_by_need.at(2025)) == Approx(10));  // the revised release wins
    CHECK(sum(h.stock_need_by_setting.at(2025)[mainstream]) == Approx(10));
    CHECK(cells(h.stock_need_by_setting.at(2025)) == Approx(10));
}
