// The HTML report: text escaped, charts drawn where their figures say, and, end to end, a run's and
// a comparison's report.html holding the figures of the CSV files beside it, made again the same
// by `sendplan report`, and rendered by a browser into a page that is not blank.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "io/csv.h"
#include "output/html_report.h"
#include "output/svg_chart.h"
#include "support.h"

using namespace sendplan;
using namespace sendplan::test;
namespace fs = std::filesystem;

namespace {

FanChart small_chart() {
    FanChart c;
    c.title = "Plans <all> & \"more\"";
    c.unit = "plans";
    c.years = {2026, 2027, 2028};
    c.bands.push_back({"90% interval", {100, 110, 120}, {100, 150, 190}, "#deebf7"});
    c.lines.push_back({"Median", {2026, 2027, 2028}, {100, 130, 150}, "#08306b", false});
    c.lines.push_back({"Published", {2024, 2025, 2026}, {80, 90, 100}, "#222222", false});
    return c;
}

// A column by any of its names, "Median (GBP)|p50_gbp": the finance files' headers may be renamed.
std::size_t column(const CsvTable& t, const std::string& names) {
    std::istringstream each(names);
    for (std::string name; std::getline(each, name, '|');)
        if (const auto c = t.find_column(name)) return *c;
    return t.column(names);
}

// A CSV column's figure in the row whose columns `keys` hold the values given.
double figure(const CsvTable& t, const std::map<std::string, std::string>& keys, const std::string& names) {
    for (std::size_t r = 0; r < t.rows(); ++r) {
        bool match = true;
        for (const auto& [k, v] : keys) match = match && t.text(r, column(t, k)) == v;
        if (match) return std::stod(t.text(r, column(t, names)));
    }
    FAIL("no row in " << t.path());
    return 0;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The CSV file with its header's names replaced, one by one, with those of `names` that is given as
// many (the first of them the name as written now), as a writer that renamed its columns would leave
// it; other columns keep their names.
void rename_columns(const std::string& path, const std::string& from, const std::string& to) {
    const auto split = [](const std::string& line) {
        std::vector<std::string> cells;
        std::istringstream each(line);
        for (std::string cell; std::getline(each, cell, ',');) cells.push_back(cell);
        return cells;
    };
    const std::string text = read_text(path);
    std::vector<std::string> header = split(text.substr(0, text.find('\n')));
    const std::vector<std::string> old_names = split(from), new_names = split(to);
    REQUIRE(old_names.size() == new_names.size());
    for (auto& name : header)
        for (std::size_t i = 0; i < old_names.size(); ++i)
            if (name == old_names[i]) name = new_names[i];
    std::string line;
    for (const auto& name : header) line += (line.empty() ? "" : ",") + name;
    write_text(path, line + text.substr(text.find('\n')));
}

// Nothing a page could fetch: no script, no link, no image or style from elsewhere.
void check_self_contained(const std::string& html) {
    CHECK(html.rfind("<!DOCTYPE html>\n", 0) == 0);
    for (const char* outside : {"<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "https:"}) {
        INFO(outside);
        CHECK_FALSE(has(html, outside));
    }
    // The one address is the SVG namespace, which names and fetches nothing.
    std::string rest = html;
    for (std::size_t at; (at = rest.find("http://www.w3.org/2000/svg")) != std::string::npos;) rest.erase(at, 26);
    CHECK_FALSE(has(rest, "http:"));
}

bool chromium_present() { return std::system("command -v chromium > /dev/null 2>&1") == 0; }

std::string chromium(const TempDir& dir, const std::string& what, const std::string& page) {
    return "HOME='" + dir.path().string() + "' timeout 90 chromium --headless --no-sandbox --disable-gpu --user-data-dir='" + (dir / "profile") +
           "' " + what + " 'file://" + page + "' 2>/dev/null";
}

std::string command_output(const std::string& cmd) {
    std::string out;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    ::pclose(pipe);
    return out;
}

// The page as Chromium draws it: the share of pixels that are not white, and of those that are the
// fan's blues (blue well above red), read with Debian's python3 and matplotlib.
std::pair<double, double> rendered_shares(const TempDir& dir, const std::string& page) {
    const std::string png = dir / "page.png";
    command_output(chromium(dir, "--screenshot='" + png + "' --window-size=1200,2000 --hide-scrollbars", page));
    REQUIRE(fs::exists(png));
    const std::string out = command_output("/usr/bin/python3 -c \"import sys, matplotlib.image as m; a = m.imread(sys.argv[1])[..., :3]; "
                                           "print((a.min(axis=2) < 0.9).mean(), ((a[..., 2] - a[..., 0]) > 0.25).mean())\" '" + png + "'");
    double ink = -1, blue = -1;
    std::istringstream(out) >> ink >> blue;
    return {ink, blue};
}

void check_rendered(const TempDir& dir, const std::string& page, const std::vector<std::string>& figures) {
    if (!chromium_present()) {
        WARN("chromium is not installed: the report's rendering is not checked (apt-get install chromium)");
        return;
    }
    const auto [ink, blue] = rendered_shares(dir, page);
    INFO("share of pixels not white " << ink << ", blue " << blue);
    CHECK(ink > 0.03);
    CHECK(blue > 0.001);  // the fans' bands: a few thousand pixels at the least
    const std::string dom = command_output(chromium(dir, "--dump-dom", page));
    REQUIRE(has(dom, "</svg>"));
    for (const std::string& f : figures) {
        INFO(f);
        CHECK(has(dom, f));
    }
}

}  // namespace

TEST_CASE("report: text is escaped for HTML and SVG", "[report]") {
    CHECK(xml_escaped("a < b & c > \"d\" 'e'") == "a &lt; b &amp; c &gt; &quot;d&quot; &#39;e&#39;");
    CHECK(xml_escaped("plain") == "plain");
    CHECK(xml_escaped("\u00a3 3m") == "\u00a3 3m");  // UTF-8 passes untouched
    const std::string svg = svg_fan_chart(small_chart());
    CHECK(has(svg, "<title>Plans &lt;all&gt; &amp; &quot;more&quot;</title>"));
    CHECK_FALSE(has(svg, "<all>"));
}

TEST_CASE("report: figures are written as planners read them", "[report]") {
    CHECK(whole_figure(5430.5) == "5431");
    CHECK(whole_figure(12345.4) == "12,345");
    CHECK(whole_figure(-0.2) == "0");
    CHECK(money_figure(66258171) == "\u00a366.3m");
    CHECK(money_figure(-1250000) == "-\u00a31.3m");
    CHECK(money_figure(129600) == "\u00a3130k");
    CHECK(money_figure(-400) == "\u00a30k");
    CHECK(axis_number(2000) == "2000");
    CHECK(axis_number(12.5) == "12.5");
}

TEST_CASE("report: axes fall on round steps that cover the figures", "[report]") {
    CHECK(axis_ticks(0, 97, 5) == std::vector<double>{0, 20, 40, 60, 80, 100});
    CHECK(axis_ticks(4840, 8196, 6) == std::vector<double>{4000, 5000, 6000, 7000, 8000, 9000});
    CHECK(axis_ticks(4840, 7100, 6) == std::vector<double>{4500, 5000, 5500, 6000, 6500, 7000, 7500});
    CHECK(axis_ticks(-3, 3, 6) == std::vector<double>{-3, -2, -1, 0, 1, 2, 3});
}

TEST_CASE("report: a fan chart puts years and values where its scale says", "[report]") {
    const FanChart chart = small_chart();
    const ChartScale s = chart_scale(chart);
    // The years run from the history's first to the projection's last; values from 80 to 190 on
    // steps of 20.
    CHECK(s.first_year == 2024);
    CHECK(s.last_year == 2028);
    CHECK(s.lowest == 80);
    CHECK(s.highest == 200);
    CHECK(s.x(2024) == Approx(s.left));
    CHECK(s.x(2028) == Approx(s.right));
    CHECK(s.x(2026) == Approx((s.left + s.right) / 2));
    CHECK(s.y(80) == Approx(s.bottom));
    CHECK(s.y(200) == Approx(s.top));
    CHECK(s.y(140) == Approx((s.top + s.bottom) / 2));
    const std::string svg = svg_fan_chart(chart);
    // The band: along its high side, back along its low side.
    const auto point = [&](int year, double value) { return fmt::format("{:.1f},{:.1f}", s.x(year), s.y(value)); };
    CHECK(has(svg, "<polygon points=\"" + point(2026, 100) + " " + point(2027, 150) + " " + point(2028, 190) + " " + point(2028, 120) + " " +
                       point(2027, 110) + " " + point(2026, 100) + "\""));
    CHECK(has(svg, "<polyline points=\"" + point(2024, 80) + " " + point(2025, 90) + " " + point(2026, 100) + "\""));
    CHECK(has(svg, ">2024</text>"));
    CHECK(has(svg, ">200</text>"));
    CHECK(svg_fan_chart(chart) == svg);
}

TEST_CASE("end to end: a run writes report.html with its key figures, and sendplan report makes it again the same", "[report][cli]") {
    TempDir dir;
    const std::string out = dir / "run";
    const CommandResult r = run_sendplan("run " + source("tests/golden/places_and_costs.yaml") + " --quiet --out " + out, 600);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const std::string page = out + "/report.html";
    REQUIRE(fs::exists(page));
    const std::string html = read_text(page);
    check_self_contained(html);
    CHECK(has(html, "<h1>EHC plans and special places: Places and costs</h1>"));
    CHECK(has(html, "<td>Seed</td><td>777</td>"));
    CHECK(has(html, "<td>Monte Carlo draws</td><td>24</td>"));

    // The key figures, as the CSV files beside it give them.
    const CsvTable totals = CsvTable::read(out + "/projection_totals.csv");
    const std::map<std::string, std::string> last = {{"breakdown", "total"}, {"year", "2030"}};
    const std::string median = whole_figure(figure(totals, last, "p50"));
    const std::string range = whole_figure(figure(totals, last, "p10")) + " to " + whole_figure(figure(totals, last, "p90"));
    CHECK(has(html, "<td>EHC plans, January 2030</td><td class=\"n\">" + median + "</td><td class=\"n\">" + range + "</td>"));
    const CsvTable places = CsvTable::read(out + "/places_summary.csv");
    const auto extra = [&](const char* measure) {
        return whole_figure(figure(places, {{"place_group", "state_special"}, {"phase", "all"}, {"need_group", "all"}, {"measure", measure}}, "y2030"));
    };
    const std::string places_row = extra("extra_places_needed_80") + " with 80% confidence, " + extra("extra_places_needed_90") + " with 90%";
    CHECK(has(html, places_row));
    const CsvTable spend = CsvTable::read(out + "/high_needs_spend.csv");
    const std::string spend_median = money_figure(figure(spend, {{"Year|year", "2030"}, {"Series|series", "high_needs_spend"}}, "Median (GBP)|p50_gbp|median_gbp|p50"));
    CHECK(has(html, "<td>High-needs spend, 2030 (cash)</td><td class=\"n\">" + spend_median + "</td>"));
    // Two fan charts, the plans' with its 50% band from every draw, and the plan's table.
    CHECK(has(html, "<title>EHC plans, January census: Places and costs</title>"));
    CHECK(has(html, "<title>High-needs spend (cash): Places and costs</title>"));
    CHECK(has(html, "50% interval"));
    CHECK(has(html, "<td>Extra places needed (80% confidence)</td>"));
    CHECK(has(html, "<tr class=\"block\"><td>Resourced provision / SEN unit (ARP)</td><td>secondary</td><td>Places in the borough</td>"));

    // Made again from the folder alone: the same bytes.
    fs::remove(page);
    const CommandResult again = run_sendplan("report " + out);
    INFO(again.output);
    REQUIRE(again.status == 0);
    CHECK(read_text(page) == html);
    // The finance file's columns renamed as codes, or otherwise spelt: read alike, the same page.
    const std::string spend_names = "Year,Kind,Series,Label,Mean (GBP),5th percentile (GBP),10th percentile (GBP),Median (GBP),90th percentile (GBP),95th percentile (GBP)";
    const std::string spend_codes = "year,kind,series,label,mean_gbp,p05_gbp,p10_gbp,p50_gbp,p90_gbp,p95_gbp";
    const std::string spend_spelt = "YEAR,Kind,SERIES,Label,Mean_GBP,5th_percentile_GBP,P10 (GBP),Median GBP,90th percentile GBP,p95-gbp";
    rename_columns(out + "/high_needs_spend.csv", spend_names, spend_codes);
    REQUIRE(run_sendplan("report " + out).status == 0);
    CHECK(read_text(page) == html);
    rename_columns(out + "/high_needs_spend.csv", spend_codes, spend_spelt);
    REQUIRE(run_sendplan("report " + out).status == 0);
    CHECK(read_text(page) == html);
    rename_columns(out + "/high_needs_spend.csv", "Mean_GBP", "average");
    const CommandResult renamed = run_sendplan("report " + out);
    CHECK(renamed.status == 2);
    CHECK(has(renamed.output, "high_needs_spend.csv"));
    CHECK(has(renamed.output, "Mean (GBP)"));
    rename_columns(out + "/high_needs_spend.csv", "average", "mean_gbp");
    // And as the titles an older folder has: the same page again.
    rename_columns(out + "/high_needs_spend.csv", spend_spelt, spend_names);
    rename_columns(out + "/high_needs_spend.csv", spend_codes, spend_names);
    REQUIRE(run_sendplan("report " + out).status == 0);
    CHECK(read_text(page) == html);
    CHECK(read_text(out + "/high_needs_spend.csv").rfind(spend_names, 0) == 0);
    // A report.html of someone else's is not overwritten.
    write_text(page, "my notes\n");
    const CommandResult mine = run_sendplan("report " + out);
    CHECK(mine.status == 2);
    CHECK(has(mine.output, "report.html"));
    CHECK(read_text(page) == "my notes\n");
    fs::remove(page);
    REQUIRE(run_sendplan("report " + out).status == 0);
    check_rendered(dir, page, {median, range, places_row, spend_median});
    // A file of the folder not as sendplan writes it, or missing: refused naming it, and the
    // earlier report left as it was.
    const std::string rendered = read_text(page);
    write_text(out + "/places_summary.csv", "measure,place_group\nplaces,resourced\n");
    const CommandResult odd = run_sendplan("report " + out);
    CHECK(odd.status == 2);
    CHECK(has(odd.output, "places_summary.csv"));
    CHECK(read_text(page) == rendered);
    fs::remove(out + "/projection_totals.csv");
    const CommandResult missing = run_sendplan("report " + out);
    CHECK(missing.status == 2);
    CHECK(has(missing.output, "projection_totals.csv"));
    CHECK(read_text(page) == rendered);
}

TEST_CASE("end to end: a comparison's report.html gives each option against the base", "[report][cli][slow]") {
    TempDir dir;
    const std::string out = dir / "cmp";
    const CommandResult r = run_sendplan("compare " + source("scenarios/baseline.yaml") + " " + source("scenarios/new_autism_special_free_school.yaml") +
                                             " --draws 24 --quiet --out " + out,
                                         900);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const std::string page = out + "/report.html";
    REQUIRE(fs::exists(page));
    CHECK(fs::exists(out + "/baseline/report.html"));  // each scenario's own too
    const std::string html = read_text(page);
    check_self_contained(html);
    CHECK(has(html, "<h1>Options compared with Baseline (no change)</h1>"));
    // Options by the title their file gives, beside the name their folders and CSV rows carry.
    CHECK(has(html, "New autism special free school (new_autism_special_free_school)"));
    CHECK(has(html, "New autism special free school (median)"));
    const CsvTable appraisal = CsvTable::read(out + "/appraisal.csv");
    const std::map<std::string, std::string> npv = {{"Option|option", "new_autism_special_free_school"}, {"Measure code|measure_code", "npv_gbp"}};
    const std::string npv_row = money_figure(figure(appraisal, npv, "Mean|mean")) + "</td><td class=\"n\">" + money_figure(figure(appraisal, npv, "5th percentile|p05")) +
                                " to " + money_figure(figure(appraisal, npv, "95th percentile|p95"));
    CHECK(has(html, npv_row));
    const std::map<std::string, std::string> added = {{"Option|option", "new_autism_special_free_school"}, {"Measure code|measure_code", "places_added"}, {"Place group|place_group", "state_special"}};
    CHECK(figure(appraisal, added, "Mean|mean") == 90);
    CHECK(has(html, "(state_special)</td><td class=\"n\">90</td><td class=\"n\">90 to 90</td>"));
    CHECK_FALSE(has(html, "(state_special) (state_special)"));
    CHECK(has(html, "<h2>Special Places Plan: New autism special free school</h2>"));
    fs::remove(page);
    REQUIRE(run_sendplan("report " + out).status == 0);
    CHECK(read_text(page) == html);
    check_rendered(dir, page, {money_figure(figure(appraisal, npv, "Mean|mean"))});
    // The comparison's columns as codes and as titles: read alike, the same page.
    const std::string appraisal_titles = "Option,Measure,Measure code,Place group,Unit,Mean,5th percentile,Median,95th percentile";
    const std::string appraisal_codes = "option,measure,measure_code,place_group,unit,mean,p05,p50,p95";
    const std::string comparison_titles =
        "Option,Measure,Place group,Year,Base (mean),Option (mean),Difference (mean),Difference (5th percentile),Difference (95th percentile)";
    const std::string comparison_codes = "option,measure,place_group,year,base_mean,option_mean,difference_mean,difference_p05,difference_p95";
    for (const bool as_codes : {true, false}) {
        rename_columns(out + "/appraisal.csv", as_codes ? appraisal_titles : appraisal_codes, as_codes ? appraisal_codes : appraisal_titles);
        rename_columns(out + "/comparison.csv", as_codes ? comparison_titles : comparison_codes, as_codes ? comparison_codes : comparison_titles);
        CHECK(read_text(out + "/appraisal.csv").rfind(as_codes ? appraisal_codes : appraisal_titles, 0) == 0);
        REQUIRE(run_sendplan("report " + out).status == 0);
        CHECK(read_text(page) == html);
    }
}

TEST_CASE("end to end: a scenario's own words are escaped in its report", "[report][cli]") {
    TempDir dir;
    write_text(dir / "odd.yaml", "extends: " + source("tests/golden/plans_only.yaml") +
                                     "\nscenario: odd\ndescription: \"<script>alert('x')</script> & <b>bold</b>\"\n");
    const std::string out = dir / "run";
    const CommandResult r = run_sendplan("run " + (dir / "odd.yaml") + " --quiet --out " + out, 600);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const std::string html = read_text(out + "/report.html");
    CHECK(has(html, "<p class=\"description\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>"));
    check_self_contained(html);
    CHECK_FALSE(has(html, "<b>"));
    // Without places or costs: plans only, and no section for what the run did not make.
    CHECK(has(html, "<h2>EHC plans</h2>"));
    CHECK_FALSE(has(html, "Special Places Plan"));
    CHECK_FALSE(has(html, "High-needs spend"));
}

TEST_CASE("sendplan report refuses what is not a results folder, and a file it did not write", "[report][cli]") {
    TempDir dir;
    const CommandResult none = run_sendplan("report " + (dir / "absent"));
    CHECK(none.status == 2);
    CHECK(has(none.output, "absent"));
    CHECK(has(none.output, "is not a folder"));
    fs::create_directories(dir / "other");
    write_text(dir / "other/notes.txt", "mine\n");
    const CommandResult other = run_sendplan("report " + (dir / "other"));
    CHECK(other.status == 2);
    CHECK(has(other.output, "is not a sendplan results folder"));
    // A folder that looks like a result but whose results.h5 is not one.
    fs::create_directories(dir / "fake");
    write_text(dir / "fake/results.h5", "not hdf5\n");
    const CommandResult fake = run_sendplan("report " + (dir / "fake"));
    CHECK(fake.status == 2);
    CHECK(has(fake.output, "results.h5"));
    CHECK_FALSE(fs::exists(dir / "fake/report.html"));
}
