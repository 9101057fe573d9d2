#include <catch2/catch.hpp>

#include <sstream>
#include <hdf5.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include "io/csv.h"
#include "h5_text.h"
#include "support.h"

using namespace sendplan::test;
namespace fs = std::filesystem;

namespace {

// A scenario in a temporary directory pointing at the shipped data, with `extra` appended.
std::string write_scenario(const TempDir& dir, const std::string& extra, const std::string& releases = "") {
    const std::string rel = releases.empty()
                                ? "[" + source("data/dfe-ehcp-2022") + ", " + source("data/dfe-ehcp-2025") + ", " + source("data/dfe-ehcp-2026") + "]"
                                : releases;
    const std::string text = "scenario: test\narea: E09000003\ndata:\n  dfe_releases: " + rel + "\n  population: " +
                             source("data/ons-snpp-2022/barnet_snpp2022_5yrmig_persons_age0_25.csv") + "\nmodel: " + source("model") +
                             "\nhorizon: 5\ndraws: 50\nseed: 1\n" + extra;
    const std::string path = dir / "scenario.yaml";
    write_text(path, text);
    return path;
}

std::string h5_string_attribute(hid_t obj, const char* name) {
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t type = H5Aget_type(attr);
    char* value = nullptr;
    H5Aread(attr, type, &value);
    std::string out = value ? value : "";
    H5free_memory(value);
    H5Tclose(type);
    H5Aclose(attr);
    return out;
}

double h5_double_attribute(hid_t obj, const char* name) {
    double v = 0;
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    H5Aread(attr, H5T_NATIVE_DOUBLE, &v);
    H5Aclose(attr);
    return v;
}

std::int64_t h5_int_attribute(hid_t obj, const char* name) {
    hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
    std::int64_t v = 0;
    H5Aread(attr, H5T_NATIVE_INT64, &v);
    H5Aclose(attr);
    return v;
}

std::vector<double> h5_doubles(hid_t file, const char* path, std::vector<hsize_t>& dims) {
    hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
    hid_t space = H5Dget_space(ds);
    dims.assign(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)), 0);
    H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    hsize_t n = 1;
    for (auto d : dims) n *= d;
    std::vector<double> v(n);
    H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    H5Sclose(space);
    H5Dclose(ds);
    return v;
}

void expect_refused(const std::string& args, const std::vector<std::string>& mentions) {
    const CommandResult r = run_sendplan(args);
    INFO(r.output);
    CHECK(r.status == 2);
    for (const auto& m : mentions) CHECK(r.output.find(m) != std::string::npos);
    CHECK(r.output.find("internal error") == std::string::npos);
}

}  // namespace

TEST_CASE("end to end: the baseline scenario writes a self-describing HDF5 file and CSV summaries", "[cli]") {
    TempDir dir;
    const std::string out = dir / "baseline";
    const CommandResult r = run_sendplan("run " + source("scenarios/baseline.yaml") + " --draws 200 --threads 2 --out " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find(out + "/results.h5") != std::string::npos);
    REQUIRE(fs::exists(out + "/results.h5"));

    hid_t f = H5Fopen((out + "/results.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(f >= 0);
    CHECK(h5_int_attribute(f, "seed") == 20260123);
    CHECK(h5_int_attribute(f, "draws") == 200);
    CHECK(h5_int_attribute(f, "base_year") == 2026);
    CHECK(h5_string_attribute(f, "area_code") == "E09000003");
    CHECK(h5_string_attribute(f, "scenario_text").find("scenario: baseline") != std::string::npos);
    CHECK_FALSE(h5_string_attribute(f, "engine_version").empty());
    CHECK_FALSE(h5_string_attribute(f, "git_revision").empty());
    {
        // Pooled across the national releases: the yearly spreads the draws carry are recorded.
        hid_t c = H5Gopen2(f, "/calibration", H5P_DEFAULT);
        REQUIRE(c >= 0);
        CHECK(h5_double_attribute(c, "yearly_departure_sd") > 0.0);
        CHECK(h5_double_attribute(c, "england_shock_sd") > 0.0);
        CHECK(h5_double_attribute(c, "england_shock_sd") < 0.1);
        H5Gclose(c);
    }
    std::vector<hsize_t> dims;
    const auto pct = h5_doubles(f, "/summary/total/percentiles", dims);
    REQUIRE(dims == std::vector<hsize_t>{16, 1, 5});
    CHECK(pct[0] == 4840);  // base year, 5th percentile: the census itself
    CHECK(pct[15 * 5 + 0] <= pct[15 * 5 + 2]);
    CHECK(pct[15 * 5 + 2] <= pct[15 * 5 + 4]);
    const auto mean_stock = h5_doubles(f, "/mean_stock", dims);
    CHECK(dims.size() == 4);
    hid_t ds = H5Dopen2(f, "/summary/need/mean", H5P_DEFAULT);
    CHECK(ds >= 0);
    H5Dclose(ds);
    hid_t inputs = H5Dopen2(f, "/inputs/sha256", H5P_DEFAULT);
    CHECK(inputs >= 0);
    H5Dclose(inputs);
    H5Fclose(f);

    const std::string totals = read_text(out + "/projection_totals.csv");
    CHECK(totals.rfind("breakdown,category,year,mean,p05,p10,p50,p90,p95\n", 0) == 0);
    CHECK(totals.find("total,all,2026,4840.0,4840.0,4840.0,4840.0,4840.0,4840.0") != std::string::npos);
    CHECK(totals.find("total,all,2041,") != std::string::npos);
    const std::string detail = read_text(out + "/projection_detail.csv");
    CHECK(detail.rfind("year,need,setting,phase,mean,p05,p10,p50,p90,p95\n", 0) == 0);
    CHECK(detail.find("2026,ASD,mainstream,primary,") != std::string::npos);
    // Published plans by setting sit beside the projection's, for the charts' history: each year's
    // split adds up to that year's published total (4,840 in January 2026).
    const std::string h5 = h5_as_text(out + "/results.h5");
    CHECK(h5.find("\n/history/setting/category = [10] mainstream | resourced |") != std::string::npos);
    CHECK(h5.find("\n/history/setting/year = [8] 2019 2020 2021 2022 2023 2024 2025 2026\n") != std::string::npos);
    CHECK(h5.find("\n/history/broad_area/year = [1] 2025\n") != std::string::npos);
    auto numbers_after = [&](const std::string& key) {
        const auto at = h5.find("\n" + key + " = [");
        REQUIRE(at != std::string::npos);
        std::stringstream line(h5.substr(h5.find(']', at) + 1, h5.find('\n', at + 1) - h5.find(']', at) - 1));
        std::vector<double> v;
        for (double x; line >> x;) v.push_back(x);
        return v;
    };
    const std::vector<double> by_setting = numbers_after("/history/setting/plans"), published = numbers_after("/history/total");
    REQUIRE(by_setting.size() == 80u);
    REQUIRE(published.size() >= 8u);
    for (std::size_t y = 0; y < 8; ++y) {
        double sum = 0;
        for (std::size_t s = 0; s < 10; ++s) sum += by_setting[y * 10 + s];
        CHECK(sum == Approx(published[published.size() - 8 + y]).epsilon(0.01));
    }
    const std::string plot = "/usr/bin/python3 " + source("python-plots/plot_projection.py") + " " + out + " > /dev/null 2>&1";
    REQUIRE(std::system(plot.c_str()) == 0);
    for (const char* png : {"total_plans.png", "plans_by_broad_area.png", "plans_by_setting.png"}) CHECK(fs::file_size(out + "/plots/" + png) > 10000);
    // No temporary directory is left behind.
    for (const auto& e : fs::directory_iterator(dir.path())) CHECK(e.path().filename().string().find("incomplete") == std::string::npos);
}

TEST_CASE("end to end: with a provision register the run writes the Special Places Plan tables and plots", "[cli][capacity]") {
    TempDir dir;
    const std::string out = dir / "baseline";
    const CommandResult r = run_sendplan("run " + source("scenarios/baseline.yaml") + " --draws 100 --quiet --out " + out, 0, "", true);
    INFO(r.output);
    REQUIRE(r.status == 0);
    // The run lists every file it wrote, and draws and lists its plots.
    for (const auto& entry : std::filesystem::directory_iterator(out))
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
            CHECK(r.output.find("  " + entry.path().filename().string() + "\n") != std::string::npos);
    CHECK(r.output.find("plots in " + out + "/plots/:") != std::string::npos);
    for (const char* png : {"places_vs_demand_state_special.png", "shortfall_probability_resourced.png"}) {
        CHECK(r.output.find(std::string("  ") + png + "\n") != std::string::npos);
        CHECK(fs::file_size(out + "/plots/" + png) > 10000);
    }
    const std::string table = read_text(out + "/special_places_plan.csv");
    CHECK(table.rfind("year,place_group,phase,need_group,need_group_kind,places,demand_mean,demand_p05,", 0) == 0);
    // The base census: Barnet's 819 plans in state special schools against the register's 781 places
    // in the borough (Northway 141, Kisharon 72, Oak Hill 47, Mapledown 94 + 16, Windmill 90, Oakleigh 132, Oak Lodge 189).
    CHECK(table.find("\n2026,state_special,all,all,all,781.0,819.0,819.0,") != std::string::npos);
    CHECK(table.find("\n2041,resourced,all,all,all,") != std::string::npos);
    // No provision ever holds more pupils than its places, even at the 90th percentile.
    std::istringstream pupils(read_text(out + "/provision_pupils.csv"));
    std::string line;
    std::getline(pupils, line);
    CHECK(line == "year,provision,name,type,in_borough,places,pupils_mean,pupils_p10,pupils_p50,pupils_p90,probability_full");
    int rows = 0;
    while (std::getline(pupils, line)) {
        std::vector<std::string> f;
        std::stringstream cells(line);
        for (std::string c; std::getline(cells, c, ',');) f.push_back(c);
        // A provision not yet open has no chance of being full: the last field is empty.
        REQUIRE(f.size() == (f[5] == "0" ? 10u : 11u));
        CHECK(std::stod(f[9]) <= std::stod(f[5]));
        ++rows;
    }
    CHECK(rows == 16 * 23);
    CHECK(read_text(out + "/strategy_measures.csv").find("2026,share_of_plans_in_mainstream_percent,61.05,") != std::string::npos);
    // Without plots, the run prints the commands that draw them.
    const CommandResult bare = run_sendplan("run " + source("scenarios/baseline.yaml") + " --draws 10 --quiet --no-plots --out " + (dir / "bare"), 0, "", true);
    CHECK(bare.status == 0);
    CHECK(bare.output.find("plots: not drawn") != std::string::npos);
    CHECK(bare.output.find("plot_sufficiency.py' '" + (dir / "bare") + "'") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "bare/plots"));

    // A register with a bad row is refused with its file, line and field, and nothing is written.
    write_text(dir / "provisions.csv", "id,name,type,needs,age_from,age_to,in_borough\na,A,special_la,ASD,11,5,yes\n");
    write_text(dir / "places.csv", "id,year,places\na,2020,10\n");
    std::string sc = read_text(write_scenario(dir, ""));
    const std::string population_line = "  population: ";
    sc.insert(sc.find("\n", sc.find(population_line)) + 1, "  provisions: " + (dir / "provisions.csv") + "\n  provision_places: " + (dir / "places.csv") + "\n");
    write_text(dir / "scenario.yaml", sc);
    expect_refused("run " + (dir / "scenario.yaml") + " --out " + (dir / "bad"), {"provisions.csv:2", "age"});
    CHECK_FALSE(fs::exists(dir / "bad"));
}

TEST_CASE("end to end: a scenario opening a school changes places, not demand", "[slow][cli][scenarios]") {
    TempDir dir;
    const std::string args = " --draws 100 --quiet --out ";
    REQUIRE(run_sendplan("run " + source("scenarios/baseline.yaml") + args + (dir / "base")).status == 0);
    const CommandResult r = run_sendplan("run " + source("scenarios/new_autism_special_free_school.yaml") + args + (dir / "option"));
    INFO(r.output);
    REQUIRE(r.status == 0);
    // Same seed, same draws: the demand projection is the same child for child.
    CHECK(read_text(dir / "base/projection_detail.csv") == read_text(dir / "option/projection_detail.csv"));
    // 90 more places in state special schools from 2031 (the base has 781 and the 32 approved
    // modular places), and fewer children placed elsewhere.
    CHECK(read_text(dir / "base/special_places_plan.csv").find("\n2031,state_special,all,all,all,813.0,") != std::string::npos);
    CHECK(read_text(dir / "option/special_places_plan.csv").find("\n2031,state_special,all,all,all,903.0,") != std::string::npos);
    CHECK(read_text(dir / "option/provision_pupils.csv").find("\n2031,autism_free_school,New autism special free school,special_academy,yes,90,90.0,") !=
          std::string::npos);
}

TEST_CASE("end to end: compare writes each scenario's results and the differences", "[cli][compare]") {
    TempDir dir;
    const std::string out = dir / "cmp";
    const CommandResult r = run_sendplan("compare " + source("scenarios/baseline.yaml") + " " + source("scenarios/new_autism_special_free_school.yaml") +
                                         " --draws 80 --quiet --out " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(fs::exists(out + "/baseline/special_places_plan.csv"));
    CHECK(fs::exists(out + "/new_autism_special_free_school/results.h5"));
    // The headline, option by option, with intervals: the 90 places the school adds, and its value.
    CHECK(r.output.find("new_autism_special_free_school: Additional local places by 2041 (state_special): 90 (90% interval 90 to 90)") != std::string::npos);
    CHECK(r.output.find("new_autism_special_free_school: Net present value against the base (positive: the option costs less): GBP ") != std::string::npos);
    CHECK(r.output.find("Additional local places by 2041 (resourced)") == std::string::npos);  // a place group it leaves alone
    CHECK(r.output.find("new_autism_special_free_school: EHC plans in 2041: no change from the base") != std::string::npos);
    const std::string table = read_text(out + "/comparison.csv");
    CHECK(table.rfind("option,measure,place_group,year,base_mean,option_mean,difference_mean,difference_p05,", 0) == 0);
    // Demand is the same child for child, so plans and demand for places differ by exactly nothing.
    auto difference = [&](const std::string& measure) {
        const auto at = table.find("\nnew_autism_special_free_school," + measure);
        REQUIRE(at != std::string::npos);
        std::vector<double> f;
        std::stringstream cells(table.substr(at + 1, table.find('\n', at + 1) - at - 1));
        std::string c;
        for (int i = 0; i < 6; ++i) std::getline(cells, c, ',');  // option, measure, group, year, base, option
        for (int i = 0; i < 6 && std::getline(cells, c, ','); ++i) f.push_back(std::stod(c));
        REQUIRE(f.size() == 6u);  // mean, then the 5th, 10th, 50th, 90th and 95th percentiles
        CHECK(std::getline(cells, c, ','));
        CHECK(c == "2040-41");  // and last, the financial year of the 2041 census
        return f;
    };
    for (const char* measure : {"plans,all,2041,", "demand_for_places,state_special,2041,"})
        for (const double v : difference(measure)) CHECK(v == 0.0);
    // The school's 90 places take 90 children off the list of those placed elsewhere by 2041. Not
    // always exactly: who keeps a place when some leave is drawn, and places elsewhere that only some
    // needs or ages may take can be left empty or filled in one scenario and not the other.
    // In the draws where demand for state special places stays below the places there are, the
    // school's places are not all needed, so the difference is smaller there, never larger.
    const std::vector<double> unmet = difference("unmet_local_demand,state_special,2041,");
    CHECK(unmet[0] <= -75.0);
    CHECK(unmet[0] >= -91.0);
    CHECK(unmet[3] == Approx(-90.0).margin(3.0));
    CHECK(unmet[1] >= -93.0);
    CHECK(unmet[4] <= -40.0);
    CHECK(unmet[5] < 0.0);

    // The appraisal: capital as the scenario gives it (5.0m + 6.7m), 90 places, 130,000 a place,
    // and the workbook (a zip file, as .xlsx files are) with its sheets.
    const std::string appraisal = read_text(out + "/appraisal.csv");
    // Each row carries its measure's code and place group beside the words, for programs to read.
    CHECK(appraisal.rfind("option,measure,measure_code,place_group,unit,mean,p05,p50,p95\n", 0) == 0);
    CHECK(appraisal.find("\nnew_autism_special_free_school,Capital cost over the base (cash),capital_cost_cash_gbp,all,GBP,11700000,") != std::string::npos);
    CHECK(appraisal.find("\nnew_autism_special_free_school,Additional local places by 2041 (state_special),places_added,state_special,places,90,") !=
          std::string::npos);
    CHECK(appraisal.find("\nnew_autism_special_free_school,Additional local places by 2041 (resourced),places_added,resourced,places,0,") != std::string::npos);
    CHECK(appraisal.find("\nnew_autism_special_free_school,Capital cost per additional local place,capital_cost_per_place_gbp,all,GBP,130000,") !=
          std::string::npos);
    CHECK(appraisal.find("\nnew_autism_special_free_school,Net present value against the base (positive: the option costs less),npv_gbp,all,GBP,") !=
          std::string::npos);
    const sendplan::CsvTable summary = sendplan::CsvTable::read(out + "/appraisal.csv");
    std::set<std::string> codes;
    for (std::size_t i = 0; i < summary.rows(); ++i) codes.insert(summary.text(i, summary.column("measure_code")));
    CHECK(codes == std::set<std::string>{"places_added", "discount_rate_percent", "general_inflation_percent", "capital_cost_cash_gbp",
                                         "capital_cost_present_value_gbp", "capital_cost_per_place_gbp", "net_present_cost_per_place_gbp",
                                         "present_value_costs_base_gbp", "present_value_costs_option_gbp", "revenue_cost_present_value_gbp", "npv_gbp",
                                         "out_of_borough_placements_avoided"});
    CHECK(read_text(out + "/appraisal_by_year.csv").find("\nnew_autism_special_free_school,2031,state_special,813,903,") != std::string::npos);
    const std::string workbook = read_text(out + "/appraisal.xlsx");
    REQUIRE(workbook.size() > 1000);
    CHECK(workbook.rfind("PK", 0) == 0);
    for (const char* part : {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet4.xml", "xl/charts/chart1.xml"}) CHECK(workbook.find(part) != std::string::npos);
    CHECK(read_text(out + "/spend_by_scenario.csv").rfind("year,baseline_high_needs_spend_mean,", 0) == 0);
    CHECK(fs::exists(out + "/baseline/high_needs_spend.csv"));
    // The record of forecasts made this way travels with every scenario's results.
    CHECK(read_text(out + "/baseline/notes.txt").find("The record of this method: Forecasts made this way for authorities with 4,000 plans or more") !=
          std::string::npos);
    CHECK(read_text(out + "/baseline/forecast_accuracy.csv").rfind("kind,horizon,forecasts,median_ape,ape_p90,mape,inside_80,inside_95\n", 0) == 0);

    // The board pack renders from the run: a PDF and a PNG per page.
    const std::string pack = "/usr/bin/python3 " + source("python-plots/board_pack.py") + " " + out + " > /dev/null 2>&1";
    REQUIRE(std::system(pack.c_str()) == 0);
    CHECK(read_text(out + "/board_pack/board_pack.pdf").rfind("%PDF", 0) == 0);
    for (const char* png : {"1_options.png", "1_option_chart.png", "2_places_state_special.png", "3_shortfall_baseline.png", "4_spend.png", "5_dsg_balance.png"})
        CHECK(fs::file_size(out + "/board_pack/" + png) > 10000);

    const CommandResult one = run_sendplan("compare " + source("scenarios/baseline.yaml") + " --out " + (dir / "x"));
    CHECK(one.status == 2);
    CHECK_FALSE(fs::exists(dir / "x"));
}

TEST_CASE("end to end: the board pack a board reads alone names its options, sources, date and pages", "[cli][compare][board-pack]") {
    TempDir dir;
    const std::string out = dir / "cmp";
    const CommandResult r = run_sendplan("compare " + source("scenarios/baseline.yaml") + " " + source("scenarios/new_autism_special_free_school.yaml") +
                                         " " + source("scenarios/arp_programme.yaml") + " --draws 40 --quiet --out " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const std::string pack = "/usr/bin/python3 " + source("python-plots/board_pack.py") + " " + out + " > /dev/null 2>&1";
    REQUIRE(std::system(pack.c_str()) == 0);
    // A difference map for every place group an option changes: the school's special places, the
    // programme's resourced ones.
    for (const char* png : {"0_key_messages.png", "3_shortfall_baseline.png", "3_difference_new_autism_special_free_school_state_special.png",
                            "3_difference_arp_programme_resourced.png"})
        CHECK(fs::file_size(out + "/board_pack/" + png) > 10000);
    CHECK_FALSE(fs::exists(out + "/board_pack/3_difference_new_autism_special_free_school_resourced.png"));

    // The words a reader sees, read back from the PDF as text (pdftotext keeps each page's lines).
    const std::string text_file = dir / "pack.txt";
    const std::string to_text = "pdftotext -layout " + out + "/board_pack/board_pack.pdf " + text_file + " 2>&1";
    REQUIRE(std::system(to_text.c_str()) == 0);
    std::string text = read_text(text_file);
    std::replace(text.begin(), text.end(), '\n', ' ');
    text = std::regex_replace(text, std::regex(" +"), " ");
    INFO(text.substr(0, 3000));
    const auto pages = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\f'));
    REQUIRE(pages >= 8);
    for (std::size_t page = 1; page <= pages; ++page) CHECK(text.find("Page " + std::to_string(page) + " of " + std::to_string(pages)) != std::string::npos);
    // Sources and the date of the data on every page, not once.
    std::size_t sourced = 0;
    for (auto at = text.find("Sources: DfE, Education, health and care plans"); at != std::string::npos; at = text.find("Sources: DfE", at + 1)) ++sourced;
    CHECK(sourced == pages);
    CHECK(text.find("ONS 2022-based subnational population projections") != std::string::npos);
    CHECK(text.find("figures assumed") != std::string::npos);
    CHECK(text.find("Data to the January 2026 census") != std::string::npos);
    // The first page: the options by their titles, with their descriptions, and what each buys.
    const std::string first = text.substr(0, text.find('\f'));
    CHECK(first.find("key messages") != std::string::npos);
    CHECK(first.find("New autism special free school") != std::string::npos);
    CHECK(first.find("Baseline demand, with a new 90-place autism special free school from 2029") != std::string::npos);
    CHECK(first.find("Programme of resourced provision (ARPs)") != std::string::npos);
    CHECK(first.find("Adds 90 local state special places by 2041") != std::string::npos);
    CHECK(first.find("How sure we are: Forecasts made this way") != std::string::npos);
    CHECK(first.find("Figures far ahead are a warning, not a forecast") != std::string::npos);
    // A chance of nothing against nothing is said in words.
    CHECK(text.find("0% to 0%") == std::string::npos);
    // Options by title everywhere, never by the file's name.
    CHECK(text.find("arp programme") == std::string::npos);
    CHECK(text.find("new autism special free school:") == std::string::npos);
}

TEST_CASE("CLI results are identical with 1 and 2 threads", "[slow][cli]") {
    TempDir dir;
    const std::string args = "run " + source("scenarios/baseline.yaml") + " --draws 120 --seed 9 --quiet --out ";
    REQUIRE(run_sendplan(args + (dir / "one") + " --threads 1").status == 0);
    REQUIRE(run_sendplan(args + (dir / "two") + " --threads 2").status == 0);
    for (const char* f : {"projection_totals.csv", "projection_detail.csv", "flows.csv", "special_places_plan.csv", "provision_pupils.csv",
                          "placements.csv", "strategy_measures.csv"})
        CHECK(read_text(dir / (std::string("one/") + f)) == read_text(dir / (std::string("two/") + f)));
}

TEST_CASE("help and version", "[cli]") {
    CHECK(run_sendplan("--help").status == 0);
    const CommandResult v = run_sendplan("--version");
    CHECK(v.status == 0);
    CHECK(v.output.find("sendplan") != std::string::npos);
    CHECK(run_sendplan("run --help").output.find("--draws") != std::string::npos);
}

TEST_CASE("bad input is refused with file, line and field, exit status 2, and no results", "[cli]") {
    TempDir dir;
    SECTION("missing scenario file") { expect_refused("run " + (dir / "nope.yaml"), {"nope.yaml", "cannot open"}); }
    SECTION("unknown YAML key") {
        const std::string sc = write_scenario(dir, "horizn: 3\n");
        expect_refused("run " + sc + " --out " + (dir / "out"), {"scenario.yaml:10", "field 'horizn'", "unknown key"});
    }
    SECTION("unknown key in assumptions") {
        const std::string sc = write_scenario(dir, "assumptions:\n  joiner_trend:\n    dampng: 0.5\n");
        expect_refused("run " + sc, {"scenario.yaml:12", "assumptions.joiner_trend.dampng"});
    }
    SECTION("a letter where a number belongs in the scenario") {
        const std::string sc = write_scenario(dir, "assumptions:\n  joiner_trend:\n    damping: high\n");
        expect_refused("run " + sc, {"scenario.yaml:12", "damping", "expected a number"});
    }
    SECTION("YAML syntax error") {
        const std::string sc = write_scenario(dir, "assumptions: [unclosed\n");
        expect_refused("run " + sc, {"scenario.yaml", "YAML syntax error"});
    }
    SECTION("zero or negative draws") {
        const std::string sc = write_scenario(dir, "");
        expect_refused("run " + sc + " --draws 0", {"draws", "from 1 to 1,000,000"});
        expect_refused("run " + sc + " --draws -5", {"draws", "from 1 to 1,000,000"});
        expect_refused("run " + sc + " --draws many", {"draws"});
        write_text(sc, read_text(sc).replace(read_text(sc).find("draws: 50"), 9, "draws: 0"));
        expect_refused("run " + sc, {"scenario.yaml:8:8", "field 'draws'", "from 1 to 1000000"});
    }
    SECTION("missing data directory") {
        const std::string sc = write_scenario(dir, "", "[" + (dir / "no-such-release") + "]");
        expect_refused("run " + sc, {"scenario.yaml:4:", "field 'data.dfe_releases'", "no such file or folder", "no-such-release"});
    }
    SECTION("another authority's register or costs are refused, naming both areas") {
        // Barnsley's own history and no population file, but Barnet's register and costs.
        write_text(dir / "option.yaml", "scenario: option\narea: Barnsley\nmodel: " + source("model") + "\ndraws: 5\nhorizon: 3\nseed: 1\nbase_year: latest\ndata:\n  dfe_releases: [" +
                                            source("data/dfe-national/education-health-and-care-plans_2025.zip") + "]\n  provisions: " +
                                            source("data/local/barnet_provisions.csv") + "\n  provision_places: " + source("data/local/barnet_provision_places.csv") +
                                            "\n  costs: " + source("data/local/barnet_costs.csv") + "\n");
        const CommandResult r = run_sendplan("run " + (dir / "option.yaml") + " --draws 5 --quiet --out " + (dir / "out"), 300);
        CHECK(r.status == 2);
        CHECK(r.output.find("barnet_provisions.csv") != std::string::npos);
        CHECK(r.output.find("is for area 'E09000003', but the scenario's area is Barnsley (E08000016)") != std::string::npos);
        CHECK_FALSE(fs::exists(dir / "out"));
    }
    SECTION("a misspelt data file is named where the scenario gives it, with the closest name") {
        write_text(dir / "option.yaml", "scenario: option\nextends: " + source("scenarios/baseline.yaml") + "\ndata:\n  costs: " +
                                            source("data/local/barnet_cost.csv") + "\n");
        expect_refused("run " + (dir / "option.yaml"), {"option.yaml:4:10", "field 'data.costs'", "barnet_cost.csv", "did you mean 'barnet_costs.csv'?"});
    }
    SECTION("a letter where a number belongs in a data file, and a missing column") {
        fs::copy(source("data/dfe-ehcp-2026"), dir / "release");
        std::string csv = read_text(dir / "release/caseload.csv");
        const auto at = csv.find(",4840,");
        REQUIRE(at != std::string::npos);
        write_text(dir / "release/caseload.csv", csv.substr(0, at) + ",48A0," + csv.substr(at + 6));
        const std::string sc = write_scenario(dir, "", "[" + (dir / "release") + "]");
        expect_refused("run " + sc, {"caseload.csv:3", "field 'ehcplans'", "'48A0'"});
        write_text(dir / "release/caseload.csv", std::regex_replace(csv, std::regex(",ehcplans,"), ",plans,"));
        expect_refused("run " + sc, {"caseload.csv:1", "field 'ehcplans'", "missing"});
    }
    SECTION("unknown need code in the model definition") {
        fs::copy(source("model"), dir / "model");
        std::string needs = read_text(dir / "model/needs.yaml");
        needs.replace(needs.find("broad_area: SEMH, column: semh"), 16, "broad_area: SEMX");
        write_text(dir / "model/needs.yaml", needs);
        std::string sc = read_text(write_scenario(dir, ""));
        sc.replace(sc.find("model: "), std::string("model: " + source("model")).size(), "model: " + (dir / "model"));
        write_text(dir / "scenario.yaml", sc);
        expect_refused("run " + (dir / "scenario.yaml"), {"needs.yaml:", "needs.broad_area", "SEMX"});
    }
    SECTION("an area in none of the files") {
        std::string sc = read_text(write_scenario(dir, ""));
        sc.replace(sc.find("E09000003"), 9, "E09999999");
        write_text(dir / "scenario.yaml", sc);
        expect_refused("run " + (dir / "scenario.yaml"), {"E09999999", "area"});
    }
    CHECK_FALSE(fs::exists(dir / "out"));
    CHECK_FALSE(fs::exists("results/test"));
}

TEST_CASE("a run killed part way leaves no result that looks whole, and long runs show progress", "[cli]") {
    TempDir dir;
    const std::string out = dir / "killed";
    const std::string err = dir / "stderr.txt";
    // 200,000 draws take minutes; the run is killed once it reports progress, in the middle of the
    // draws (waiting for the report, not a fixed time, holds on a slow or loaded machine too).
    const std::string status = dir / "status.txt";
    const std::string cmd = "sh -c '" + std::string(SENDPLAN_BINARY) + " run " + source("scenarios/baseline.yaml") + " --draws 200000 --threads 1 --out " +
                            out + " 2> " + err + " & pid=$!; i=0; while [ $i -lt 1200 ] && ! grep -q \"of 200000\" " + err +
                            "; do sleep 0.25; i=$((i+1)); done; kill -KILL $pid; wait $pid; echo $? > " + status + "'";
    REQUIRE(std::system(cmd.c_str()) == 0);
    CHECK(read_text(status).rfind("137", 0) == 0);
    CHECK_FALSE(fs::exists(out));
    const std::string progress = read_text(err);
    INFO(progress);
    CHECK(progress.find("draw ") != std::string::npos);
    CHECK(progress.find("of 200000") != std::string::npos);
}
