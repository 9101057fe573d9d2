#include "cli/compare_command.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>

#include <fmt/format.h>

#include "cli/run_command.h"
#include "evaluate/comparison.h"
#include "core/error.h"
#include "core/numbers.h"
#include "finance/appraisal.h"
#include "finance/money_summary.h"
#include "output/csv_text.h"
#include "output/table.h"
#include "output/atomic_output.h"
#include "output/workbook_writer.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

Table comparison_table(const std::vector<Difference>& diffs) {
    Table t;
    t.name = "Differences";
    t.header = {"Option", "Measure", "Place group", "Year", "Base (mean)", "Option (mean)", "Difference (mean)", "Difference (5th percentile)",
                "Difference (10th percentile)", "Difference (median)", "Difference (90th percentile)", "Difference (95th percentile)"};
    std::vector<double> diff;
    for (const Difference& d : diffs)
        for (int y = 0; y < d.years(); ++y) {
            // Percentiles read exactly from the sorted draws, as the count histograms read them.
            diff.clear();
            double base = 0, option = 0;
            for (long draw = 0; draw < d.draws; ++draw) {
                const std::size_t i = static_cast<std::size_t>(draw * d.years() + y);
                base += d.base[i];
                option += d.option_values[i];
                diff.push_back(d.option_values[i] - d.base[i]);
            }
            const double n = static_cast<double>(d.draws);
            const MoneySummary s = summarise_money(diff);
            const int dp = d.measure.ends_with("_gbp") ? 0 : 1;
            t.rows.push_back({TableCell::of(d.option), TableCell::of(d.measure), TableCell::of(d.place_group.empty() ? "all" : d.place_group),
                              TableCell::of(static_cast<double>(d.base_year + y), 0), TableCell::of(base / n, dp), TableCell::of(option / n, dp),
                              TableCell::of((option - base) / n, dp), TableCell::of(s.p5, dp), TableCell::of(s.p10, dp), TableCell::of(s.p50, dp),
                              TableCell::of(s.p90, dp), TableCell::of(s.p95, dp)});
        }
    return t;
}

AppraisedScenario appraised(const Run& p) {
    AppraisedScenario a;
    a.name = p.scenario().name;
    if (p.spend()) a.spend = &p.spend()->result();
    if (p.sufficiency()) {
        a.sufficiency = &p.sufficiency()->result();
        a.place_groups = p.plan()->place_groups;
    }
    return a;
}

Table appraisal_table(const std::string& name, const std::vector<std::string>& header, const std::vector<AppraisalTables::Row>& rows,
                      const std::vector<int>& decimals) {
    Table t;
    t.name = name;
    t.header = header;
    for (const auto& r : rows) {
        std::vector<TableCell> row;
        for (const auto& s : r.text) row.push_back(TableCell::of(s));
        for (std::size_t i = 0; i < r.numbers.size(); ++i)
            row.push_back(TableCell::of(r.numbers[i], r.decimals >= 0 ? r.decimals : decimals[std::min(i, decimals.size() - 1)]));
        t.rows.push_back(std::move(row));
    }
    return t;
}

constexpr const char* kSpendColumns[] = {"high-needs spend (mean)", "high-needs spend (5th percentile)", "high-needs spend (95th percentile)",
                                         "transport (mean)", "capital", "DSG balance at year end (mean)", "chance of a DSG deficit"};

// One scenario's spend in year y, as the columns of kSpendColumns.
void add_spend_cells(const SpendResult& s, int y, std::vector<TableCell>& row) {
    std::vector<double> hn, transport, balance;
    for (long d = 0; d < s.draws; ++d) {
        hn.push_back(s.high_needs(d, y));
        transport.push_back(s.transport(d, y));
        if (s.has_income && y > 0) balance.push_back(s.balance(d, y));
    }
    const MoneySummary h = summarise_money(hn), tr = summarise_money(transport), b = summarise_money(balance);
    const bool dsg = s.has_income && y > 0;
    for (const TableCell& c : {TableCell::of(h.mean, 0), TableCell::of(h.p5, 0), TableCell::of(h.p95, 0), TableCell::of(tr.mean, 0),
                               TableCell::of(s.capital[static_cast<std::size_t>(y)], 0), TableCell::of(dsg ? b.mean : NAN, 0),
                               TableCell::of(dsg ? b.share_below_zero : NAN, 3)})
        row.push_back(c);
}

// Each scenario's spend by year, side by side, for the workbook's chart.
Table spend_table(const std::vector<std::unique_ptr<Run>>& runs) {
    Table t;
    t.name = "Spend";
    t.header = {"Year"};
    for (const auto& r : runs)
        if (r->spend())
            for (const char* what : kSpendColumns) t.header.push_back(r->scenario().name + ": " + what);
    const ProjectionResult& base = runs.front()->result();
    for (int y = 0; y < base.years(); ++y) {
        std::vector<TableCell> row = {TableCell::of(static_cast<double>(base.base_year + y), 0)};
        for (const auto& r : runs)
            if (r->spend()) add_spend_cells(r->spend()->result(), y, row);
        t.rows.push_back(std::move(row));
    }
    return t;
}

// Each scenario's results in its own folder, and the appraisal, the differences and the spend
// side by side, as CSV files and one workbook.
// The appraisal's measures a board reads first, with the 90% interval of the draws: the local
// places each option adds, the placements out of the borough it avoids, its revenue cost and its
// net present value against the base.
// Each option's plans in the last year against the base's, draw by draw: options that change only
// places leave plans as they are, and saying so answers the first question a board asks.
std::vector<std::string> plans_headline(const std::vector<Difference>& diffs) {
    std::vector<std::string> lines;
    for (const Difference& d : diffs) {
        if (d.measure != "plans") continue;
        const int y = d.years() - 1;
        std::vector<double> diff;
        for (long draw = 0; draw < d.draws; ++draw) {
            const std::size_t i = static_cast<std::size_t>(draw * d.years() + y);
            diff.push_back(d.option_values[i] - d.base[i]);
        }
        const MoneySummary s = summarise_money(diff);
        if (s.p5 == 0 && s.p95 == 0)
            lines.push_back(fmt::format("{}: EHC plans in {}: no change from the base (demand does not depend on places)", d.option, d.base_year + y));
        else
            lines.push_back(fmt::format("{}: EHC plans in {}: {:+} against the base (90% interval {:+} to {:+})", d.option, d.base_year + y,
                                        std::lround(s.mean), std::lround(s.p5), std::lround(s.p95)));
    }
    return lines;
}

std::vector<std::string> headline_of(const AppraisalTables& a) {
    const std::vector<std::string> codes = {"places_added", "out_of_borough_placements_avoided", "revenue_cost_present_value_gbp", "npv_gbp"};
    std::vector<std::string> lines;
    for (const AppraisalTables::Row& row : a.summary) {
        if (row.text.size() < 3 || row.numbers.size() < 4 || std::find(codes.begin(), codes.end(), row.text[2]) == codes.end()) continue;
        if (row.text[2] == "places_added" && row.numbers[0] == 0) continue;  // a place group the option leaves alone
        const bool money = row.text[2].ends_with("_gbp");
        const auto shown_value = [&](double v) { return (money ? "GBP " : "") + written(std::round(v)); };
        lines.push_back(fmt::format("{}: {}: {} (90% interval {} to {})", row.text[0], row.text[1], shown_value(row.numbers[0]), shown_value(row.numbers[1]),
                                    shown_value(row.numbers[3])));
    }
    return lines;
}

std::vector<std::string> write_comparison(const ResultsFolder& folder, const std::vector<std::unique_ptr<Run>>& runs) {
    for (const auto& p : runs) write_scenario_results(folder.folder(p->scenario().name), *p);
    std::vector<Table> tables;
    std::vector<AppraisedScenario> options;
    for (std::size_t i = 1; i < runs.size(); ++i) options.push_back(appraised(*runs[i]));
    const Assumptions::Finance& terms = runs.front()->scenario().assumptions.finance;
    const AppraisalTables a = appraise(appraised(*runs.front()), options, terms.general_inflation_percent, terms.discount_rate_percent);
    tables.push_back(appraisal_table("Appraisal", a.summary_header, a.summary, {0}));
    tables.push_back(appraisal_table("By year", a.by_year_header, a.by_year, {0, 0, 3, 3, 1, 1, 1, 0}));
    const std::vector<Difference> diffs = differences(runs);
    tables.push_back(comparison_table(diffs));
    tables.push_back(spend_table(runs));
    const char* files[] = {"appraisal.csv", "appraisal_by_year.csv", "comparison.csv", "spend_by_scenario.csv"};
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const std::string text = table_csv(tables[i]);
        folder.text(files[i], [&](std::ostream& file) { file << text; });
    }
    std::vector<WorkbookChart> charts;
    if (tables[3].header.size() > 1) {
        WorkbookChart spend{"Spend chart", "High-needs spend by scenario (mean over draws, cash)", "GBP a year", 3, {}};
        for (std::size_t c = 1; c < tables[3].header.size(); c += std::size(kSpendColumns)) spend.columns.push_back(c);
        charts.push_back(spend);
    }
    write_workbook(folder, "appraisal.xlsx", runs.front()->result().base_year, tables, charts);
    std::vector<std::string> headline = plans_headline(diffs);
    for (auto& line : headline_of(a)) headline.push_back(std::move(line));
    // Option by option, in the order given.
    const auto option_of = [&](const std::string& line) {
        for (std::size_t i = 1; i < runs.size(); ++i)
            if (line.starts_with(runs[i]->scenario().name + ": ")) return i;
        return runs.size();
    };
    std::stable_sort(headline.begin(), headline.end(), [&](const std::string& x, const std::string& y) { return option_of(x) < option_of(y); });
    return headline;
}

}  // namespace

CompareResult run_compare(const CompareOptions& o) {
    // Without --out, the folder is named after the base scenario, so a refusal names its `scenario:` key.
    const std::string option = o.out.empty() ? "scenario" : "--out";
    std::string out = o.out;
    std::vector<std::string> named;
    RunOptions settings;
    settings.draws = o.draws;
    settings.seed = o.seed;
    settings.threads = o.threads;
    settings.quiet = o.quiet;
    const auto runs = run_on_common_random_numbers(o.scenarios, command_line_settings(settings), [&](const Scenario& sc) {
        if (out.empty()) out = (fs::path("results") / ("compare-" + sc.name)).string();
        const auto read = scenario_inputs(sc);
        named.insert(named.end(), read.begin(), read.end());
        check_results_folder(out, option, named);
    });
    std::vector<std::string> inputs;
    for (const auto& p : runs) {
        const auto read = p->inputs();
        inputs.insert(inputs.end(), read.begin(), read.end());
    }
    CompareResult result;
    result.folder = write_results_folder(out, option, inputs, [&](const ResultsFolder& folder) { result.headline = write_comparison(folder, runs); });
    return result;
}

}  // namespace sendplan
