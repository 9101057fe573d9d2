#include <catch2/catch.hpp>

#include "output/table.h"

#include "core/error.h"
#include "io/csv.h"

using namespace sendplan;

TEST_CASE("suppression letters are missing values, never zero") {
    CsvTable t = CsvTable::parse("a,b,c,d,e,f\n12,x,z,c,low,u\n", "mem.csv");
    REQUIRE(t.rows() == 1);
    CHECK(t.count(0, 0).value() == 12.0);
    for (std::size_t c = 1; c < 6; ++c) CHECK_FALSE(t.count(0, c).has_value());
}

TEST_CASE("a letter where a number belongs names file, line and field") {
    CsvTable t = CsvTable::parse("year,plans\n2024,10\n2025,1O\n", "plans.csv");
    try {
        t.count(1, t.column("plans"));
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(e.file() == "plans.csv");
        CHECK(e.line() == 3);
        CHECK(e.field() == "plans");
        CHECK(std::string(e.what()).find("'1O'") != std::string::npos);
    }
}

TEST_CASE("a missing column is refused by name") {
    CsvTable t = CsvTable::parse("year,plans\n2024,10\n", "plans.csv");
    CHECK_THROWS_WITH(t.column("ehcplans"), Catch::Contains("plans.csv:1: field 'ehcplans'") && Catch::Contains("missing"));
}

TEST_CASE("quoted fields, blank lines and a byte-order mark are read; ragged rows are refused") {
    CsvTable t = CsvTable::parse("\xEF\xBB\xBFname,n\n\"Barnet, London\",3\n\n\"say \"\"hi\"\"\",4\n", "q.csv");
    REQUIRE(t.rows() == 2);
    CHECK(t.header()[0] == "name");
    CHECK(t.text(0, 0) == "Barnet, London");
    CHECK(t.text(1, 0) == "say \"hi\"");
    CHECK(t.line(1) == 4);
    CHECK_THROWS_WITH(CsvTable::parse("a,b\n1,2,3\n", "r.csv"), Catch::Contains("r.csv:2"));
}

TEST_CASE("negative counts are refused") {
    CsvTable t = CsvTable::parse("plans\n-3\n", "n.csv");
    CHECK_THROWS_AS(t.count(0, 0), InputError);
}

TEST_CASE("CSV columns are named for programs, titles for people", "[outputs]") {
    CHECK(sendplan::csv_column_name("Difference (5th percentile)") == "difference_p05");
    CHECK(sendplan::csv_column_name("Difference (median)") == "difference_p50");
    CHECK(sendplan::csv_column_name("Mean (GBP)") == "mean_gbp");
    CHECK(sendplan::csv_column_name("95th percentile (GBP)") == "p95_gbp");
    CHECK(sendplan::csv_column_name("5th_percentile_GBP") == "p05_gbp");
    CHECK(sendplan::csv_column_name("baseline: high-needs spend (mean)") == "baseline_high_needs_spend_mean");
    CHECK(sendplan::csv_column_name("Surplus (+) or shortfall (-)") == "surplus_or_shortfall");
    CHECK(sendplan::csv_column_name("Share of plans (%)") == "share_of_plans_percent");
    CHECK(sendplan::csv_column_name("financial_year") == "financial_year");
    CHECK(sendplan::csv_column_name("y2026") == "y2026");
    sendplan::Table t;
    t.header = {"Year", "Place group", "Chance places suffice (base)"};
    t.rows.push_back({sendplan::TableCell::of(2027.0, 0), sendplan::TableCell::of("state_special"), sendplan::TableCell::of(0.5, 3)});
    CHECK(sendplan::table_csv(t) == "year,place_group,chance_places_suffice_base\n2027,state_special,0.500\n");
}
