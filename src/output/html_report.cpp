#include "output/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/numbers.h"
#include "output/places_summary_writer.h"
#include "output/svg_chart.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStyle = R"(body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1a1a1a;max-width:1280px;margin:24px auto;padding:0 16px;line-height:1.4}
h1{font-size:1.6em;margin-bottom:0.2em}h2{font-size:1.25em;border-bottom:2px solid #08519c;padding-bottom:2px;margin-top:1.6em}
h3{font-size:1.05em}p.description{font-size:1.05em;color:#333}
table{border-collapse:collapse;margin:0.6em 0;font-size:0.86em}th,td{border:1px solid #c8c8c8;padding:3px 7px;vertical-align:top}
th{background:#eef3f8;text-align:left}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
table.key td:first-child{font-weight:bold}tr.block td{border-top:2px solid #777}
.scroll{overflow-x:auto}table.places td,table.places th{white-space:nowrap;padding:2px 5px}svg{max-width:100%;height:auto;display:block;margin:0.6em 0}
details{margin:0.6em 0}summary{cursor:pointer;font-weight:bold}.small{font-size:0.85em;color:#555}
)";

// The band colours, widest band first, and the lines'.
constexpr const char* kBand90 = "#deebf7";
constexpr const char* kBand80 = "#9ecae1";
constexpr const char* kBand50 = "#6baed6";
constexpr const char* kMedian = "#08306b";
constexpr const char* kHistory = "#222222";
constexpr const char* kOptionColours[] = {"#d94801", "#238b45", "#6a51a3", "#cb181d", "#8c6d31", "#e7298a"};

std::string esc(std::string_view s) { return xml_escaped(s); }

// The years a planner reads first: the base census, five and ten years on, and the last.
std::vector<int> key_years(const YearFan& fan) {
    std::vector<int> years;
    if (fan.years.empty()) return years;
    const int first = fan.years.front(), last = fan.years.back();
    for (int y : {first, first + 5, first + 10, last})
        if (y <= last && std::find(years.begin(), years.end(), y) == years.end()) years.push_back(y);
    return years;
}

std::optional<std::size_t> index_of(const YearFan& fan, int year) {
    const auto at = std::find(fan.years.begin(), fan.years.end(), year);
    if (at == fan.years.end()) return std::nullopt;
    return static_cast<std::size_t>(at - fan.years.begin());
}

// Whether `row` differs from `above` in its first `keys` cells.
bool starts_block(const std::vector<std::string>& above, const std::vector<std::string>& row, std::size_t keys) {
    for (std::size_t c = 0; c < keys && c < row.size() && c < above.size(); ++c)
        if (row[c] != above[c]) return true;
    return false;
}

std::string interval(const std::string& lo, const std::string& hi) { return lo + " to " + hi; }

// A table: `header` and `rows` as text, escaped here; the first `text_columns` columns are words,
// the others figures, set to the right. In a table whose class is "places", a row whose words
// before the last (place group, phase, need) differ from the row above's begins a block, ruled off.
std::string html_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, std::size_t text_columns,
                       const std::string& css_class = "") {
    std::string out = "<div class=\"scroll\"><table" + (css_class.empty() ? std::string() : " class=\"" + css_class + "\"") + ">\n";
    if (!header.empty()) {
        out += "<thead><tr>";
        for (const auto& h : header) out += "<th>" + esc(h) + "</th>";
        out += "</tr></thead>\n";
    }
    out += "<tbody>\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        out += r > 0 && css_class == "places" && starts_block(rows[r - 1], row, text_columns - 1) ? "<tr class=\"block\">" : "<tr>";
        for (std::size_t c = 0; c < row.size(); ++c) out += (c < text_columns ? "<td>" : "<td class=\"n\">") + esc(row[c]) + "</td>";
        out += "</tr>\n";
    }
    return out + "</tbody></table></div>\n";
}

// ---- The run as recorded ----

std::string area_of(const ScenarioResults& r) {
    if (r.area_name.empty()) return r.area_code;
    return r.area_code.empty() ? r.area_name : r.area_name + " (" + r.area_code + ")";
}

std::string record_table(const ScenarioResults& r) {
    const std::vector<std::vector<std::string>> rows = {
        {"Area", area_of(r)},
        {"Scenario file", r.scenario_file},
        {"Base census", "January " + std::to_string(r.base_year)},
        {"Years projected", std::to_string(r.horizon) + " (to January " + std::to_string(r.base_year + r.horizon) + ")"},
        {"Monte Carlo draws", written(static_cast<double>(r.draws))},
        {"Seed", std::to_string(r.seed)},
        {"Engine version", "sendplan " + r.engine_version},
    };
    return html_table({}, rows, 2, "record");
}

std::string inputs_list(const ScenarioResults& r) {
    if (r.input_paths.empty()) return "";
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < r.input_paths.size(); ++i) rows.push_back({r.input_paths[i], r.input_sha256[i]});
    return "<details><summary>Inputs read (" + std::to_string(rows.size()) + "), with their SHA-256</summary>\n" +
           html_table({"File", "SHA-256"}, rows, 2) + "</details>\n";
}

// ---- Key numbers ----

void plans_key_rows(const ScenarioResults& r, std::vector<std::vector<std::string>>& rows) {
    for (int y : key_years(r.plans)) {
        const std::size_t i = *index_of(r.plans, y);
        if (y == r.base_year) {
            rows.push_back({"EHC plans, January " + std::to_string(y), whole_figure(r.plans.p50[i]), "counted"});
            continue;
        }
        rows.push_back({"EHC plans, January " + std::to_string(y), whole_figure(r.plans.p50[i]),
                        interval(whole_figure(r.plans.p10[i]), whole_figure(r.plans.p90[i]))});
    }
}

// One measure of the places summary, for one place group, all phases and needs: year column -> text.
std::map<int, std::string> places_measure(const TextTable& t, const std::string& group, const std::string& measure) {
    std::map<int, std::string> out;
    if (t.header.size() < 5) return out;
    for (const auto& row : t.rows) {
        if (row.size() != t.header.size() || row[0] != group || row[1] != "all" || row[2] != "all" || row[3] != measure) continue;
        for (std::size_t c = 4; c < row.size(); ++c)
            if (const auto year = t.header[c].starts_with("y") ? census_year_of(t.header[c].substr(1)) : std::nullopt) out[*year] = row[c];
    }
    return out;
}

void places_key_rows(const ScenarioResults& r, std::vector<std::vector<std::string>>& rows) {
    if (!r.places) return;
    for (std::size_t g = 0; g < r.place_groups.size(); ++g) {
        const std::string& group = r.place_groups[g];
        const auto p50 = places_measure(*r.places, group, "extra_places_needed_50"), p80 = places_measure(*r.places, group, "extra_places_needed_80"),
                   p90 = places_measure(*r.places, group, "extra_places_needed_90");
        for (int y : key_years(r.plans)) {
            if (y == r.base_year || !p80.count(y) || !p50.count(y) || !p90.count(y)) continue;
            rows.push_back({"Extra places needed, " + r.place_group_labels[g] + ", January " + std::to_string(y), p50.at(y) + " (50% confidence)",
                            p80.at(y) + " with 80% confidence, " + p90.at(y) + " with 90%"});
        }
    }
}

void spend_key_rows(const ScenarioResults& r, std::vector<std::vector<std::string>>& rows) {
    if (!r.spend || r.spend->years.empty()) return;
    for (int y : key_years(*r.spend)) {
        const std::size_t i = *index_of(*r.spend, y);
        rows.push_back({"High-needs spend, " + std::to_string(y) + " (cash)", money_figure(r.spend->p50[i]),
                        interval(money_figure(r.spend->p10[i]), money_figure(r.spend->p90[i]))});
    }
}

std::string key_numbers(const ScenarioResults& r) {
    std::vector<std::vector<std::string>> rows;
    plans_key_rows(r, rows);
    places_key_rows(r, rows);
    spend_key_rows(r, rows);
    return "<h2>Key numbers</h2>\n<p class=\"small\">Medians over the draws; the interval holds 80% of them (10th to 90th percentile). "
           "Extra places are those needed over each year's places, in whole places.</p>\n" +
           html_table({"", "Central", "80% interval"}, rows, 1, "key");
}

// ---- Charts ----

FanChart fan_chart(const std::string& title, const std::string& unit, const YearFan& fan, double scale) {
    const auto scaled = [scale](const std::vector<double>& v) {
        std::vector<double> out;
        for (double x : v) out.push_back(x / scale);
        return out;
    };
    FanChart chart{title, unit, fan.years, {}, {}};
    chart.bands.push_back({"90% interval", scaled(fan.p05), scaled(fan.p95), kBand90});
    chart.bands.push_back({"80% interval", scaled(fan.p10), scaled(fan.p90), kBand80});
    if (fan.p25.size() == fan.years.size() && fan.p75.size() == fan.years.size())
        chart.bands.push_back({"50% interval", scaled(fan.p25), scaled(fan.p75), kBand50});
    chart.lines.push_back({"Median", fan.years, scaled(fan.p50), kMedian, false});
    return chart;
}

FanChart plans_chart(const ScenarioResults& r) {
    FanChart chart = fan_chart("EHC plans, January census: " + r.title, "plans", r.plans, 1);
    if (!r.history_years.empty())
        chart.lines.insert(chart.lines.begin(), ChartLine{"Published (DfE)", r.history_years, r.history_totals, kHistory, false});
    return chart;
}

FanChart spend_chart(const ScenarioResults& r) {
    return fan_chart("High-needs spend (cash): " + r.title, "\u00a3 million a year", *r.spend, 1e6);
}

// Each option's median, dashed over the base's fan.
void add_option_lines(FanChart& chart, const std::vector<ScenarioResults>& scenarios, bool spend) {
    for (std::size_t i = 1; i < scenarios.size(); ++i) {
        const ScenarioResults& o = scenarios[i];
        const YearFan* fan = spend ? (o.spend ? &*o.spend : nullptr) : &o.plans;
        if (!fan) continue;
        std::vector<double> values;
        for (double v : fan->p50) values.push_back(spend ? v / 1e6 : v);
        chart.lines.push_back({o.title + " (median)", fan->years, values, kOptionColours[(i - 1) % std::size(kOptionColours)], true});
    }
}

// ---- The Special Places Plan ----

std::string place_group_words(const ScenarioResults& r, const std::string& code) {
    for (std::size_t g = 0; g < r.place_groups.size(); ++g)
        if (r.place_groups[g] == code && !r.place_group_labels[g].empty()) return r.place_group_labels[g];
    return code;
}

// A chance (0.917) as a percentage (92%); anything else as written.
std::string places_cell(const std::string& measure, const std::string& text) {
    if (measure != "chance_places_suffice" || text.empty()) return text;
    try {
        return fmt::format("{:.0f}%", std::stod(text) * 100);
    } catch (const std::exception&) {
        return text;
    }
}

std::string places_table(const ScenarioResults& r, bool all_needs_only) {
    const TextTable& t = *r.places;
    // The table of all needs leaves out the need, which is "all" throughout.
    std::vector<std::string> header = {"Place group", "Phase", "Need", "Measure"};
    if (all_needs_only) header.erase(header.begin() + 2);
    for (std::size_t c = 4; c < t.header.size(); ++c) header.push_back(t.header[c].starts_with("y") ? t.header[c].substr(1) : t.header[c]);
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : t.rows) {
        if (row.size() != t.header.size() || row.size() < 4 || (all_needs_only && row[2] != "all")) continue;
        std::vector<std::string> shown = {place_group_words(r, row[0]), row[1], row[2], places_summary_measure_title(row[3])};
        if (all_needs_only) shown.erase(shown.begin() + 2);
        for (std::size_t c = 4; c < row.size(); ++c) shown.push_back(places_cell(row[3], row[c]));
        rows.push_back(std::move(shown));
    }
    return html_table(header, rows, all_needs_only ? 3 : 4, "places");
}

std::string places_section(const ScenarioResults& r, const std::string& heading) {
    if (!r.places) return "";
    return heading +
           "<p class=\"small\">Places in the borough and the places needed to meet demand in 50%, 80% and 90% of the draws, by place group "
           "and phase, all needs (places_summary.csv). Extra places are those needed over each year's places.</p>\n" +
           places_table(r, true) + "<details><summary>Every broad area of need</summary>\n" + places_table(r, false) + "</details>\n";
}

// ---- The page ----

std::string page_start(const std::string& title) {
    return fmt::format("{}\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n",
                       report_first_line, esc(title), kStyle);
}

std::string page_end(const ScenarioResults& r) {
    std::string out = "<h2>About these figures</h2>\n<p class=\"small\">";
    if (!r.accuracy_sentence.empty()) out += esc(r.accuracy_sentence) + " ";
    out += "Years are January censuses. Made by sendplan " + esc(r.engine_version) + " from the files of this results folder.</p>\n";
    return out + "</body>\n</html>\n";
}

std::string description_paragraph(const ScenarioResults& r) {
    return r.description.empty() ? "" : "<p class=\"description\">" + esc(r.description) + "</p>\n";
}

// ---- A comparison ----

std::string scenarios_table(const CompareResults& c) {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < c.scenarios.size(); ++i)
        rows.push_back({i == 0 ? "Base" : "Option " + std::to_string(i), c.scenarios[i].title + " (" + c.scenarios[i].name + ")", c.scenarios[i].description});
    return html_table({"", "Scenario", "What it is"}, rows, 3);
}

const DifferenceLine* difference_at(const CompareResults& c, const std::string& option, const std::string& measure, int year) {
    for (const DifferenceLine& d : c.differences)
        if (d.option == option && d.measure == measure && d.place_group == "all" && d.year == year) return &d;
    return nullptr;
}

void option_difference_rows(const CompareResults& c, const ScenarioResults& s, std::vector<std::vector<std::string>>& rows) {
    const std::string& option = s.name;
    const int last = c.scenarios.front().base_year + c.scenarios.front().horizon;
    // Plans differ only where an option changes demand itself; a row of noughts says nothing.
    if (const DifferenceLine* d = difference_at(c, option, "plans", last); d && (d->mean != 0 || d->p05 != 0 || d->p95 != 0))
        rows.push_back({s.title, "EHC plans, January " + std::to_string(last) + ", against the base", whole_figure(d->mean),
                        interval(whole_figure(d->p05), whole_figure(d->p95))});
    if (const DifferenceLine* d = difference_at(c, option, "high_needs_spend_gbp", last))
        rows.push_back({s.title, "High-needs spend, " + std::to_string(last) + " (cash), against the base", money_figure(d->mean),
                        interval(money_figure(d->p05), money_figure(d->p95))});
}

void option_appraisal_rows(const CompareResults& c, const ScenarioResults& s, std::vector<std::vector<std::string>>& rows) {
    const std::string& option = s.name;
    static const std::vector<std::string> codes = {"places_added", "out_of_borough_placements_avoided", "revenue_cost_present_value_gbp", "npv_gbp"};
    for (const std::string& code : codes)
        for (const AppraisalLine& a : c.appraisal) {
            if (a.option != option || a.code != code || (code == "places_added" && a.mean == 0)) continue;
            const bool money = code.ends_with("_gbp");
            const auto shown = [money](double v) { return money ? money_figure(v) : whole_figure(v); };
            rows.push_back({s.title, a.measure, shown(a.mean), interval(shown(a.p05), shown(a.p95))});
        }
}

std::string compare_key_numbers(const CompareResults& c) {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 1; i < c.scenarios.size(); ++i) {
        option_appraisal_rows(c, c.scenarios[i], rows);
        option_difference_rows(c, c.scenarios[i], rows);
    }
    return "<h2>Each option against the base</h2>\n<p class=\"small\">Option minus base, draw by draw on the same random numbers: the mean, "
           "and the interval holding 90% of the draws (5th to 95th percentile). Net present value at the appraisal's discount rate; "
           "positive means the option costs less.</p>\n" +
           html_table({"Option", "Measure", "Mean", "90% interval"}, rows, 2, "key");
}

std::string appraisal_section(const CompareResults& c) {
    if (c.appraisal.empty()) return "";
    std::vector<std::vector<std::string>> rows;
    for (const AppraisalLine& a : c.appraisal) {
        const bool money = a.unit == "GBP";
        const auto shown = [&](double v) { return std::isnan(v) ? std::string() : money ? money_figure(v) : axis_number(std::round(v * 10) / 10); };
        rows.push_back({a.option, a.measure, a.place_group, a.unit, shown(a.mean), shown(a.p05), shown(a.p50), shown(a.p95)});
    }
    return "<h2>Appraisal</h2>\n<p class=\"small\">Every measure of appraisal.csv (HM Treasury Green Book).</p>\n" +
           html_table({"Option", "Measure", "Place group", "Unit", "Mean", "5th percentile", "Median", "95th percentile"}, rows, 4);
}

}  // namespace

std::string whole_figure(double value) {
    if (!std::isfinite(value)) return "";
    const double r = std::round(value);
    return written(r == 0 ? 0.0 : r);
}

std::string money_figure(double gbp) {
    if (!std::isfinite(gbp)) return "";
    const double m = std::round(gbp / 1e5) / 10;
    if (std::abs(m) >= 1) return fmt::format("{}\u00a3{:.1f}m", m < 0 ? "-" : "", std::abs(m));
    // Under a million (a cost per place): to the thousand.
    const double k = std::round(std::abs(gbp) / 1e3);
    return fmt::format("{}\u00a3{}k", gbp < 0 && k > 0 ? "-" : "", written(k));
}

std::string run_report_html(const ScenarioResults& r) {
    const std::string title = "EHC plans and special places: " + r.title;
    std::string out = page_start(title);
    out += "<h1>" + esc(title) + "</h1>\n" + description_paragraph(r) + record_table(r) + inputs_list(r);
    out += key_numbers(r);
    out += "<h2>EHC plans</h2>\n" + svg_fan_chart(plans_chart(r));
    out += places_section(r, "<h2>Special Places Plan</h2>\n");
    if (r.spend && !r.spend->years.empty()) out += "<h2>High-needs spend</h2>\n" + svg_fan_chart(spend_chart(r));
    return out + page_end(r);
}

std::string compare_report_html(const CompareResults& c) {
    const ScenarioResults& base = c.scenarios.front();
    const std::string title = "Options compared with " + base.title;
    std::string out = page_start(title);
    out += "<h1>" + esc(title) + "</h1>\n" + scenarios_table(c) + record_table(base) + inputs_list(base);
    out += compare_key_numbers(c);
    FanChart plans = plans_chart(base);
    add_option_lines(plans, c.scenarios, false);
    out += "<h2>EHC plans</h2>\n" + svg_fan_chart(plans);
    if (base.spend && !base.spend->years.empty()) {
        FanChart spend = spend_chart(base);
        add_option_lines(spend, c.scenarios, true);
        out += "<h2>High-needs spend</h2>\n" + svg_fan_chart(spend);
    }
    out += appraisal_section(c);
    for (std::size_t i = 0; i < c.scenarios.size(); ++i)
        out += places_section(c.scenarios[i], "<h2>Special Places Plan: " + esc(c.scenarios[i].title) + (i == 0 ? " (base)" : "") + "</h2>\n");
    return out + page_end(base);
}

std::string report_of_folder(const fs::path& dir, const std::string& shown) {
    if (is_compare_folder(dir)) return compare_report_html(read_compare_results(dir, shown));
    return run_report_html(read_scenario_results(dir, shown));
}

void write_report(const ResultsFolder& folder) {
    const fs::path dir = folder.path(report_file_name).parent_path();
    const std::string text = report_of_folder(dir, fs::path(folder.shown(report_file_name)).parent_path().string());
    folder.text(report_file_name, [&](std::ostream& file) { file << text; });
}

}  // namespace sendplan
