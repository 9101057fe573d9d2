#include <catch2/catch.hpp>

#include <filesystem>
#include <numeric>

#include "core/error.h"
#include "io/dfe_reader.h"
#include "io/taxonomy_reader.h"
#include "support.h"

using namespace sendplan;
using sendplan::test::source;

namespace {
const Taxonomy& taxonomy() {
    static const Taxonomy t = read_taxonomy(source("model"));
    return t;
}
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

TEST_CASE("an area can be named by new code, old code or name; England by E92000001") {
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
}

TEST_CASE("suppressed placement cells are re-filled from the published total") {
    test::TempDir dir;
    // The published total is 10; two leaves are known (3 + 4) and one suppressed: it gets the 3.
    const std::string header =
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,"
        "la_name,breakdown_topic,breakdown,ehcplans,mainstream_la_maintained,special_la_maintained,neet\n";
    test::write_text(dir / "caseload.csv", header + "202425,Academic year,Local authority,E92000001,England,R,R,E1,1,Here,All EHC plans,All EHC plans,10,3,4,c\n");
    AreaHistory h = read_dfe_releases({dir.path().string()}, "E1", taxonomy());
    const auto& split = h.stock_by_setting.at(2025);
    CHECK(split[static_cast<std::size_t>(*taxonomy().setting_index("elsewhere"))] == Approx(3));
    CHECK(sum(split) == Approx(10));
}

TEST_CASE("an unknown placement label or need column is refused with file and line") {
    test::TempDir dir;
    const std::string header =
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,"
        "la_name,breakdown_topic,breakdown,ehc_plans,number_asd,number_semh\n";
    test::write_text(dir / "sen_needs_all_plans.csv",
                     header + "202425,Academic year,Local authority,E92000001,England,R,R,E1,1,Here,Type of placement,Mainstream - moon base,5,2,3\n");
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
