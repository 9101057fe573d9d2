// The workbooks for finance, read back as a finance officer's spreadsheet reads them (openpyxl,
// through tests/workbook_cells.py): high_needs_finance.xlsx of a run with costs and appraisal.xlsx
// of a comparison, checked for their sheets, the cover's seed and draws, pounds and percentages in
// their formats, years as numbers on every sheet with the financial year beside them; and the CSV
// files' financial years and the DSG management plan's categories.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/csv.h"
#include "io/zip_archive.h"
#include "support.h"

using namespace sendplan::test;
using sendplan::CsvTable;

namespace {

// "B" and 7 make "B7" (appended, not added: GCC 12 warns wrongly of `"B" + text`).
std::string cell_ref(const std::string& column, int row) {
    std::string ref = column;
    ref.append(std::to_string(row));
    return ref;
}

struct Cell {
    std::string type, format, value;
};

struct Book {
    std::vector<std::string> sheets;
    std::set<std::string> chartsheets;
    std::map<std::string, std::map<std::string, Cell>> cells;  // sheet -> A1 -> cell

    const Cell* at(const std::string& sheet, const std::string& ref) const {
        const auto s = cells.find(sheet);
        if (s == cells.end()) return nullptr;
        const auto c = s->second.find(ref);
        return c == s->second.end() ? nullptr : &c->second;
    }
    // The cell right of the first cell in column A whose text is `label` (on a cover).
    const Cell* beside(const std::string& sheet, const std::string& label) const {
        for (const auto& [ref, cell] : cells.at(sheet))
            if (ref[0] == 'A' && cell.value == label) return at(sheet, cell_ref("B", std::stoi(ref.substr(1))));
        return nullptr;
    }
};

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> parts;
    std::stringstream in(line);
    for (std::string part; std::getline(in, part, '\t');) parts.push_back(part);
    return parts;
}

// The workbook as openpyxl reads it; nullopt where openpyxl is not installed.
std::optional<Book> read_book(const std::string& path) {
    TempDir tmp;
    const std::string listing = tmp / "cells.txt";
    const std::string cmd = "/usr/bin/python3 " + source("tests/workbook_cells.py") + " '" + path + "' > '" + listing + "' 2>&1";
    const int raw = std::system(cmd.c_str());
    const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    if (status == 3) return std::nullopt;
    INFO(read_text(listing));
    REQUIRE(status == 0);
    Book book;
    std::ifstream in(listing);
    for (std::string line; std::getline(in, line);) {
        const auto parts = split_tabs(line);
        if (parts.size() >= 3 && parts[0] == "sheet") {
            book.sheets.push_back(parts[1]);
            if (parts[2] == "chartsheet") book.chartsheets.insert(parts[1]);
        } else if (parts.size() >= 5 && parts[0] == "cell") {
            book.cells[parts[1]][parts[2]] = Cell{parts[3], parts[4], parts.size() > 5 ? parts[5] : std::string()};
        }
    }
    return book;
}

std::string column_of(const std::string& ref) { return ref.substr(0, ref.find_first_of("0123456789")); }
int row_of(const std::string& ref) { return std::stoi(ref.substr(ref.find_first_of("0123456789"))); }
std::string next_column(const std::string& col) { return std::string(1, static_cast<char>(col.back() + 1)); }  // A..Y only

std::string financial_year_of(int census_year) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d-%02d", census_year - 1, census_year % 100);
    return buf;
}

// Every worksheet but the cover: each column headed as a year holds numbers, and where the column
// beside it is headed "Financial year", that column holds the year's financial year as text.
// Returns the sheets with a year column.
std::set<std::string> check_years(const Book& book) {
    std::set<std::string> with_years;
    for (const auto& [sheet, cells] : book.cells) {
        if (sheet == "Cover") continue;
        for (const auto& [ref, header] : cells) {
            const bool year = header.value.rfind("Year", 0) == 0 || header.value.rfind("Census year", 0) == 0;
            if (row_of(ref) != 1 || !year) continue;
            with_years.insert(sheet);
            const std::string col = column_of(ref), fy_col = next_column(col);
            const Cell* fy_header = book.at(sheet, cell_ref(fy_col, 1));
            for (const auto& [r, cell] : cells) {
                if (column_of(r) != col || row_of(r) == 1) continue;
                INFO(sheet << " " << r << " " << cell.value);
                CHECK(cell.type == "n");
                if (!fy_header || fy_header->value != "Financial year") continue;
                const Cell* fy = book.at(sheet, cell_ref(fy_col, row_of(r)));
                REQUIRE(fy);
                CHECK(fy->type == "s");
                CHECK(fy->value == financial_year_of(static_cast<int>(std::stod(cell.value))));
            }
        }
    }
    return with_years;
}

// The stored places scenario (costs and income), run once for every test here.
const std::string& finance_run() {
    static TempDir dir;
    static const std::string out = [] {
        const std::string folder = dir / "finance";
        const CommandResult r = run_sendplan("run tests/golden/places_and_costs.yaml --threads 2 --quiet --out '" + folder + "'", 600, SENDPLAN_SOURCE_DIR);
        INFO(r.output);
        REQUIRE(r.status == 0);
        return folder;
    }();
    return out;
}

}  // namespace

TEST_CASE("high_needs_finance.xlsx read back: sheets, cover, formats, numeric years and financial years", "[outputs][workbook][finance]") {
    const auto book = read_book(finance_run() + "/high_needs_finance.xlsx");
    if (!book) {
        WARN("skipped: openpyxl is not installed for /usr/bin/python3, so the workbook cannot be read back");
        return;
    }
    CHECK(book->sheets == std::vector<std::string>{"Cover", "Assumptions", "Spend by year", "DSG balance", "DSG management plan", "Spend detail",
                                                   "Spend fan chart"});
    CHECK(book->chartsheets == std::set<std::string>{"Spend fan chart"});
    // The cover: the scenario, its seed as text (every digit kept) and its draws as a number.
    CHECK(book->at("Cover", "A1")->value == "High-needs finance: places_and_costs");
    REQUIRE(book->beside("Cover", "Seed"));
    CHECK(book->beside("Cover", "Seed")->value == "777");
    REQUIRE(book->beside("Cover", "Draws"));
    CHECK(book->beside("Cover", "Draws")->type == "n");
    CHECK(std::stod(book->beside("Cover", "Draws")->value) == 24);
    CHECK(book->beside("Cover", "Base census (observed)")->value == "2026");
    CHECK(book->beside("Cover", "Discount rate a year")->format == "0.0%");
    CHECK(book->beside("Cover", "Scenario")->value == "places_and_costs");
    // Pounds with a pound sign and thousands separators; shares as percentages.
    const Cell* spend = book->at("Spend by year", "C2");
    REQUIRE(spend);
    CHECK(book->at("Spend by year", "C1")->value == "High-needs spend (mean)");
    CHECK(spend->type == "n");
    CHECK(spend->format == "£#,##0");
    CHECK(std::stod(spend->value) > 1e6);
    // The sheet holds the figure as high_needs_spend.csv writes it: to the pound.
    const CsvTable csv = CsvTable::read(finance_run() + "/high_needs_spend.csv");
    REQUIRE(csv.text(0, 2) == "high_needs_spend");
    CHECK(std::stod(spend->value) == std::stod(csv.text(0, 4)));
    const Cell* chance = book->at("DSG balance", "I2");
    REQUIRE(chance);
    CHECK(book->at("DSG balance", "I1")->value == "Chance of a cumulative deficit");
    CHECK(chance->format == "0.0%");
    CHECK(std::stod(chance->value) >= 0.0);
    CHECK(std::stod(chance->value) <= 1.0);
    // The assumptions: every cost row, its amount in pounds and its uncertainty a percentage of it.
    CHECK(book->at("Assumptions", "E1")->value == "Amount a year (base-year prices)");
    CHECK(book->at("Assumptions", "A2")->value == "mainstream");
    CHECK(book->at("Assumptions", "E2")->format == "£#,##0");
    CHECK(std::stod(book->at("Assumptions", "E2")->value) == 7000);
    CHECK(book->at("Assumptions", "F2")->format == "0.0%");
    CHECK(std::stod(book->at("Assumptions", "F2")->value) == Approx(0.25));
    CHECK(book->at("Assumptions", "G2")->value == "assumed");
    // Years are numbers on every sheet of figures, each with its financial year beside it.
    const std::set<std::string> with_years = check_years(*book);
    CHECK(with_years == std::set<std::string>{"Spend by year", "DSG balance", "DSG management plan", "Spend detail"});
    CHECK(book->at("DSG management plan", "A1")->value == "Census year (January)");
    CHECK(book->at("DSG management plan", "A2")->type == "n");
    CHECK(book->at("DSG management plan", "B2")->value == "2025-26");
    CHECK(book->at("Spend by year", "B3")->value == "2026-27");
    // The fan chart draws the 5th to 95th percentiles by year, the outer two dashed, in pounds.
    const std::string chart = sendplan::read_zip_entry(finance_run() + "/high_needs_finance.xlsx", "xl/charts/chart1.xml");
    for (const char* series : {"'Spend by year'!$D$2:$D$6", "'Spend by year'!$F$2:$F$6", "'Spend by year'!$H$2:$H$6", "'Spend by year'!$A$2:$A$6"})
        CHECK(chart.find(series) != std::string::npos);
    CHECK(chart.find("'Spend by year'!$C$2") == std::string::npos);  // the mean is not one of the fan's lines
    CHECK(chart.find("prstDash val=\"dash\"") != std::string::npos);
    CHECK(chart.find("formatCode=\"£#,##0\"") != std::string::npos);
}

TEST_CASE("high_needs_spend.csv and dsg_management_plan.csv: financial years, the template's categories adding up to the plans",
          "[outputs][workbook][finance]") {
    const CsvTable spend = CsvTable::read(finance_run() + "/high_needs_spend.csv");
    // The financial year is the last column; the columns before it are as they were.
    CHECK(read_text(finance_run() + "/high_needs_spend.csv")
              .rfind("year,kind,series,label,mean_gbp,p05_gbp,p10_gbp,p50_gbp,p90_gbp,p95_gbp,probability_below_zero,financial_year\n",
                     0) == 0);
    for (std::size_t r = 0; r < spend.rows(); ++r)
        CHECK(spend.text(r, spend.column("financial_year")) == financial_year_of(std::stoi(spend.text(r, 0))));

    const CsvTable plan = CsvTable::read(finance_run() + "/dsg_management_plan.csv");
    CHECK(read_text(finance_run() + "/dsg_management_plan.csv")
              .rfind("census_year,financial_year,dsg_category,dsg_category_label,age_group,plans_mean\n", 0) == 0);
    const CsvTable totals = CsvTable::read(finance_run() + "/projection_totals.csv");
    std::map<int, double> all_categories, total_plans;
    std::map<std::pair<int, std::string>, double> by_age, all_ages;
    std::set<std::string> categories;
    for (std::size_t r = 0; r < plan.rows(); ++r) {
        const int year = std::stoi(plan.text(r, 0));
        const std::string category = plan.text(r, 2), age = plan.text(r, 4);
        const double plans = std::stod(plan.text(r, 5));
        categories.insert(category);
        CHECK(plan.text(r, 1) == financial_year_of(year));
        CHECK(plans >= 0);
        if (age == "all_ages") {
            all_ages[{year, category}] = plans;
            all_categories[year] += plans;
        } else {
            by_age[{year, category}] += plans;
            // The template has post-16 and FE placements from age 16 only.
            if (category == "P16FE") CHECK((age == "age_16_to_19" || age == "age_20_to_25"));
        }
    }
    CHECK(categories == std::set<std::string>{"MmSoA", "RPSEN", "MdSSA", "NMISS", "HspAP", "P16FE", "OTHER"});
    for (const auto& [key, plans] : all_ages)
        if (key.second != "P16FE") CHECK(by_age[key] == Approx(plans).margin(0.3));
    for (std::size_t r = 0; r < totals.rows(); ++r)
        if (totals.text(r, 0) == "total") total_plans[std::stoi(totals.text(r, 2))] = std::stod(totals.text(r, 3));
    REQUIRE(total_plans.size() == 5);
    for (const auto& [year, plans] : total_plans) CHECK(all_categories[year] == Approx(plans).margin(1.0));
}

TEST_CASE("appraisal.xlsx read back: cover with every scenario, formats, numeric years and a chart of each option's difference",
          "[outputs][workbook][finance]") {
    TempDir dir;
    // An option: the stored scenario with 40 more places in an autism special school from 2028.
    const std::string option = dir / "more_places.yaml";
    std::ofstream(option) << "scenario: more_places\nextends: " << source("tests/golden/places_and_costs.yaml")
                          << "\ndescription: Forty more autism special places from 2028.\n"
                             "provisions:\n  open:\n    - {id: extra_asd, name: Extra autism places, type: special_academy, needs: [ASD], ages: [4, 18],\n"
                             "       in_borough: yes, places: {2028: 40}, capital: {2027: 4000000}}\n";
    const std::string out = dir / "cmp";
    const CommandResult r = run_sendplan("compare tests/golden/places_and_costs.yaml '" + option + "' --threads 2 --quiet --out '" + out + "'", 600,
                                         SENDPLAN_SOURCE_DIR);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const auto book = read_book(out + "/appraisal.xlsx");
    if (!book) {
        WARN("skipped: openpyxl is not installed for /usr/bin/python3, so the workbook cannot be read back");
        return;
    }
    CHECK(book->sheets == std::vector<std::string>{"Cover", "Assumptions", "Appraisal", "By year", "Differences", "Spend", "Spend difference",
                                                   "1. more_places"});
    CHECK(book->chartsheets == std::set<std::string>{"1. more_places"});
    CHECK(book->beside("Cover", "Base scenario")->value == "places_and_costs");
    CHECK(book->beside("Cover", "Option")->value == "more_places");
    CHECK(book->beside("Cover", "Seed")->value == "777");
    CHECK(std::stod(book->beside("Cover", "Draws")->value) == 24);
    // The appraisal's rows in their units: pounds, per cent, places.
    for (const auto& [ref, cell] : book->cells.at("Appraisal")) {
        if (column_of(ref) != "F" || row_of(ref) == 1) continue;
        const std::string unit = book->at("Appraisal", cell_ref("E", row_of(ref)))->value;
        INFO(ref << " " << unit);
        CHECK(cell.type == "n");
        if (unit == "GBP") CHECK(cell.format == "£#,##0");
        if (unit == "per cent a year") CHECK(cell.format == "0.0%");
        if (unit == "places") CHECK(cell.format == "#,##0");
    }
    // By year: the chance places suffice as a percentage; the year a number, as on every sheet.
    CHECK(book->at("By year", "G1")->value == "Chance places suffice (base)");
    CHECK(book->at("By year", "G2")->format == "0.0%");
    CHECK(book->at("By year", "B2")->type == "n");
    CHECK(check_years(*book) == std::set<std::string>{"By year", "Differences", "Spend", "Spend difference"});
    CHECK(book->at("Spend difference", "B1")->value == "Financial year");
    CHECK(book->at("Spend difference", "C1")->value == "more_places: difference (mean)");
    CHECK(book->at("Spend difference", "C2")->format == "£#,##0");
    // The option's chart: its difference's mean and 90% interval, by year.
    const std::string chart = sendplan::read_zip_entry(out + "/appraisal.xlsx", "xl/charts/chart1.xml");
    for (const char* series : {"'Spend difference'!$C$2", "'Spend difference'!$D$2", "'Spend difference'!$E$2", "'Spend difference'!$A$2"})
        CHECK(chart.find(series) != std::string::npos);
    CHECK(chart.find("more_places") != std::string::npos);
    // The CSV files keep their columns and gain the financial year last.
    CHECK(read_text(out + "/appraisal_by_year.csv").find(",cost_difference_p95,financial_year\nmore_places,2026,") != std::string::npos);
    CHECK(read_text(out + "/spend_by_scenario.csv").find("chance_of_a_dsg_deficit,financial_year\n2026,") != std::string::npos);
}
