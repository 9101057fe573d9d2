// The provision register: the shipped Barnet register reads with its published figures, and bad
// rows are refused with file, line and field.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "io/provision_register.h"
#include "shipped_data.h"

using namespace sendplan;
using namespace sendplan::test;

TEST_CASE("the shipped Barnet provision register reads with its published places", "[provisions]") {
    const ShippedData d;
    const ProvisionRegister reg =
        read_provision_register(source("data/local/barnet_provisions.csv"), source("data/local/barnet_provision_places.csv"), d.tax);
    REQUIRE(reg.provisions.size() == 23);
    // The approved interim modular classrooms open in the January 2027 and 2028 censuses.
    CHECK(reg.provisions[*reg.find("mapledown_modular")].places_in(2026) == 0);
    CHECK(reg.provisions[*reg.find("mapledown_modular")].places_in(2027) == 16);
    CHECK(reg.provisions[*reg.find("oakleigh_modular")].places_in(2027) == 0);
    CHECK(reg.provisions[*reg.find("oakleigh_modular")].places_in(2028) == 16);
    const Provision& windmill = reg.provisions[*reg.find("windmill")];
    CHECK(windmill.places_in(2022) == 0);  // not open yet
    CHECK(windmill.places_in(2023) == 23);
    CHECK(windmill.places_in(2026) == 90);
    CHECK(windmill.places_in(2035) == 90);
    CHECK(windmill.setting == *d.tax.setting_index("special_academy"));
    CHECK(windmill.serves(*d.tax.need_index("ASD"), d.tax.age_index(7)));
    CHECK_FALSE(windmill.serves(*d.tax.need_index("SEMH"), d.tax.age_index(7)));
    CHECK(reg.provisions[*reg.find("northway")].places_in(2024) == 141);
    CHECK(reg.provisions[*reg.find("kisharon")].places_in(2024) == 72);
    CHECK(reg.provisions[*reg.find("oak_hill")].places_in(2024) == 47);
    CHECK(reg.provisions[*reg.find("mapledown")].places_in(2024) + reg.provisions[*reg.find("mapledown_copthall")].places_in(2024) == 110);
    const Provision& hi = reg.provisions[*reg.find("hendon_hi")];
    CHECK(hi.setting == *d.tax.setting_index("resourced"));
    CHECK(hi.serves(*d.tax.need_index("HI"), d.tax.age_index(12)));
    CHECK_FALSE(hi.serves(*d.tax.need_index("HI"), d.tax.age_index(9)));
    // A broad area designates every need in it.
    const Provision& oakleigh = reg.provisions[*reg.find("oakleigh")];
    for (const char* need : {"MLD", "SLD", "PMLD", "SpLD", "DS", "PD"}) CHECK(oakleigh.serves(*d.tax.need_index(need), d.tax.age_index(5)));
    CHECK_FALSE(oakleigh.serves(*d.tax.need_index("SEMH"), d.tax.age_index(5)));
}

TEST_CASE("a register with a bad row is refused with file, line and field", "[provisions]") {
    const ShippedData d;
    TempDir dir;
    const std::string head = "id,name,type,needs,age_from,age_to,in_borough\n";
    const std::string good = "a,A School,special_la,ASD,5,11,yes\n";
    const std::string places_head = "id,year,places\n";
    auto refused = [&](const std::string& provisions, const std::string& places, const std::string& file, long line, const std::string& field,
                       const std::string& words) {
        write_text(dir / "p.csv", provisions);
        write_text(dir / "q.csv", places);
        try {
            read_provision_register(dir / "p.csv", dir / "q.csv", d.tax);
            FAIL("accepted");
        } catch (const InputError& e) {
            INFO(e.what());
            CHECK(e.file() == dir / file);
            CHECK(e.line() == line);
            CHECK(e.field() == field);
            CHECK(std::string(e.what()).find(words) != std::string::npos);
        }
    };
    refused(head + good, places_head + "a,2024,-5\n", "q.csv", 2, "places", "expected a whole number from 0 to");
    refused(head + good, places_head + "a,2024,12.5\n", "q.csv", 2, "places", "whole number");
    refused(head + good, places_head + "b,2024,10\n", "q.csv", 2, "id", "'b' is not in");
    refused(head + good, places_head + "a,2024,10\na,2024,12\n", "q.csv", 3, "year", "given twice");
    refused(head + good + "b,B School,special_la,AUTISM,5,11,yes\n", places_head, "p.csv", 3, "needs", "unknown need code 'AUTISM'");
    refused(head + good + "b,B School,special_la,ASD,16,11,yes\n", places_head, "p.csv", 3, "age_to", "runs backwards");
    refused(head + good + "b,B School,special_la,ASD,5,30,yes\n", places_head, "p.csv", 3, "age_to", "outside the model's ages");
    refused(head + good + "b,B School,castle,ASD,5,11,yes\n", places_head, "p.csv", 3, "type", "unknown provision type 'castle'");
    refused(head + good + "a,Again,special_la,ASD,5,11,yes\n", places_head, "p.csv", 3, "id", "already listed at line 2");
    refused(head + good + "b,B School,arp,ASD,5,11,maybe\n", places_head, "p.csv", 3, "in_borough", "expected yes or no");
    refused("id,name,type,needs,age_from,in_borough\na,A School,special_la,ASD,5,yes\n", places_head, "p.csv", 1, "age_to", "");
}
