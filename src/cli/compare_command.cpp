#include "cli/compare_command.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "cli/run_command.h"
#include "evaluate/comparison.h"
#include "core/error.h"
#include "core/numbers.h"
#include "finance/appraisal.h"
#include "finance/financial_year.h"
#include "finance/money_summary.h"
#include "output/csv_text.h"
#include "output/html_report.h"
#include "output/table.h"
#include "output/atomic_output.h"
#include "output/finance_cover.h"
#include "output/workbook_writer.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

Table comparison_table(const std::vector<Difference>& diffs) {
    Table t;
    t.name = "Differences";
    t.header = {"Option", "Measure", "Place group", "Year", "Base (mean)", "Option (mean)", "Difference (mean)", "Difference (5th percentile)",
                "Difference (10th percentile)", "Difference (median)", "Difference (90th percentile)", "Difference (95th percentile)"};
    t.kinds = {CellStyle::plain, CellStyle::plain, CellStyle::plain, CellStyle::year};
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
            const bool money = d.measure.ends_with("_gbp");
            const int dp = money ? 0 : 1;
            const CellStyle style = money ? CellStyle::currency : CellStyle::decimal;
            std::vector<TableCell> row{TableCell::of(d.option), TableCell::of(d.measure), TableCell::of(d.place_group.empty() ? "all" : d.place_group),
                                       TableCell::of(static_cast<double>(d.base_year + y), 0)};
            for (const double v : {base / n, option / n, (option - base) / n, s.p5, s.p10, s.p50, s.p90, s.p95}) row.push_back(TableCell::of(v, dp, style));
            t.rows.push_back(std::move(row));
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

// A summary row's numbers read as its unit says: pounds, per cent, or a count.
CellStyle style_of_unit(const std::vector<std::string>& text) {
    const std::string unit = text.size() >= 5 ? text[4] : std::string();
    if (unit == "GBP") return CellStyle::currency;
    if (unit.starts_with("per cent")) return CellStyle::per_cent;
    return CellStyle::whole;
}

// A text cell in a column of years becomes the number it holds, so every sheet's years are numbers.
TableCell cell_of_text(const std::string& s, CellStyle kind) {
    if (kind != CellStyle::year || s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return TableCell::of(s);
    return TableCell::of(std::stod(s), 0);
}

// `kinds`: each column's, text columns first; a summary table (one with a Unit column) styles each
// row's numbers by its unit instead.
Table appraisal_table(const std::string& name, const std::vector<std::string>& header, const std::vector<AppraisalTables::Row>& rows,
                      const std::vector<int>& decimals, const std::vector<CellStyle>& kinds) {
    Table t;
    t.name = name;
    t.header = header;
    t.kinds = kinds;
    const bool by_unit = kinds.empty();
    for (const auto& r : rows) {
        std::vector<TableCell> row;
        for (const auto& s : r.text) row.push_back(cell_of_text(s, t.kind(row.size())));
        const CellStyle unit_style = by_unit ? style_of_unit(r.text) : CellStyle::plain;
        for (std::size_t i = 0; i < r.numbers.size(); ++i)
            row.push_back(TableCell::of(r.numbers[i], r.decimals >= 0 ? r.decimals : decimals[std::min(i, decimals.size() - 1)], unit_style));
        t.rows.push_back(std::move(row));
    }
    return t;
}

const std::vector<CellStyle> kByYearKinds = {CellStyle::plain,    CellStyle::year,     CellStyle::plain,    CellStyle::whole,   CellStyle::whole,
                                             CellStyle::percent,  CellStyle::percent,  CellStyle::decimal,  CellStyle::decimal, CellStyle::decimal,
                                             CellStyle::currency, CellStyle::currency, CellStyle::currency};

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
    t.add_column("Year", CellStyle::year);
    for (const auto& r : runs)
        if (r->spend())
            for (const char* what : kSpendColumns)
                t.add_column(r->scenario().name + ": " + what, std::string_view(what).starts_with("chance") ? CellStyle::percent : CellStyle::currency);
    const ProjectionResult& base = runs.front()->result();
    for (int y = 0; y < base.years(); ++y) {
        std::vector<TableCell> row = {TableCell::of(static_cast<double>(base.base_year + y), 0)};
        for (const auto& r : runs)
            if (r->spend()) add_spend_cells(r->spend()->result(), y, row);
        t.rows.push_back(std::move(row));
    }
    return t;
}

// Each option's plans in the last year against the base's, draw by draw: options that change only
// places leave plans as they are, and saying so answers the first question a board asks.
std::vector<std::string> plans_headline(const std::vector<Difference>& diffs) {
    std::vector<std::string> lines;
    for (const Difference& d : diffs) {
        if (d.measure != "plans") continue;
        const int y = d.years() - 1;
        std::vector<double> diff = d.in_year(y);
        const MoneySummary s = summarise_money(diff);
        if (s.p5 == 0 && s.p95 == 0)
            lines.push_back(fmt::format("{}: EHC plans in {}: no change from the base (demand does not depend on places)", d.option, d.base_year + y));
        else
            lines.push_back(fmt::format("{}: EHC plans in {}: {:+} against the base (90% interval {:+} to {:+})", d.option, d.base_year + y,
                                        std::lround(s.mean), std::lround(s.p5), std::lround(s.p95)));
    }
    return lines;
}

// Option by option, in the order given: each option's plans, then its appraisal.
std::vector<std::string> headline_in_option_order(std::vector<std::string> plans, const std::vector<std::string>& appraisal,
                                                  const std::vector<std::unique_ptr<Run>>& runs) {
    plans.insert(plans.end(), appraisal.begin(), appraisal.end());
    const auto option_of = [&](const std::string& line) {
        for (std::size_t i = 1; i < runs.size(); ++i)
            if (line.starts_with(runs[i]->scenario().name + ": ")) return i;
        return runs.size();
    };
    std::stable_sort(plans.begin(), plans.end(), [&](const std::string& x, const std::string& y) { return option_of(x) < option_of(y); });
    return plans;
}

// The appraisal's measures a board reads first, with the 90% interval of the draws: the local
// places each option adds, the placements out of the borough it avoids, its revenue cost and its
// net present value against the base.
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

// Each option's high-needs spend less the base's, by year (and financial year): the mean and the
// 90% interval of the draws, three columns an option, for a chart of each.
Table spend_difference_table(const std::vector<Difference>& diffs) {
    Table t;
    t.name = "Spend difference";
    t.add_column("Year", CellStyle::year);
    t.add_column("Financial year", CellStyle::plain);
    std::vector<const Difference*> spend;
    for (const Difference& d : diffs)
        if (d.measure == "high_needs_spend_gbp") spend.push_back(&d);
    for (const Difference* d : spend)
        for (const char* what : {"difference (mean)", "difference (5th percentile)", "difference (95th percentile)"})
            t.add_column(d->option + ": " + what, CellStyle::currency);
    for (int y = 0; !spend.empty() && y < spend.front()->years(); ++y) {
        const int year = spend.front()->base_year + y;
        std::vector<TableCell> row{TableCell::of(static_cast<double>(year), 0), TableCell::of(financial_year(year))};
        for (const Difference* d : spend) {
            std::vector<double> diff = d->in_year(y);
            const MoneySummary s = summarise_money(diff);
            for (const double v : {s.mean, s.p5, s.p95}) row.push_back(TableCell::of(v, 0));
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

// One chart an option: its spend less the base's, the mean solid and the 90% interval dashed.
std::vector<WorkbookChart> difference_charts(const Table& t, std::size_t table) {
    std::vector<WorkbookChart> charts;
    for (std::size_t c = 2; c + 2 < t.header.size(); c += 3) {
        const std::string option = t.header[c].substr(0, t.header[c].find(": "));
        const std::string sheet = fmt::format("{}. {}", charts.size() + 1, option).substr(0, 31);
        charts.push_back({sheet, "High-needs spend of " + option + " less the base's, by year, with its 90% interval (cash)", "Pounds a year", table,
                          {c, c + 1, c + 2}, {c + 1, c + 2}, "£#,##0"});
    }
    return charts;
}

// The CSV files, each with the financial year of its census year as its last column.
void write_comparison_csvs(const ResultsFolder& folder, const std::vector<Table>& tables) {
    const char* files[] = {"appraisal.csv", "appraisal_by_year.csv", "comparison.csv", "spend_by_scenario.csv"};
    const std::size_t year_column[] = {0, 1, 3, 0};
    for (std::size_t i = 0; i < std::size(files); ++i) {
        const Table& t = tables[i];
        const std::string text = table_csv(i == 0 ? t : with_financial_year(t, year_column[i], t.header.size(), "financial_year"));
        folder.text(files[i], [&](std::ostream& file) { file << text; });
    }
}

// appraisal.xlsx: a cover and the cost assumptions, the tables with each financial year beside its
// census year, and a chart of each option's spend against the base.
void write_appraisal_workbook(const ResultsFolder& folder, const std::vector<std::unique_ptr<Run>>& runs, const std::vector<Table>& tables,
                              const Table& spend_difference) {
    std::vector<const Run*> all;
    for (const auto& r : runs) all.push_back(r.get());
    Workbook book;
    book.as_of_year = runs.front()->result().base_year;
    book.cover.push_back(finance_cover("Option appraisal against " + runs.front()->scenario().name, all));
    book.tables = {cost_assumptions(*runs.front()), tables[0], with_financial_year(tables[1], 1, 2, "Financial year"),
                   with_financial_year(tables[2], 3, 4, "Financial year"), with_financial_year(tables[3], 0, 1, "Financial year"), spend_difference};
    book.charts = difference_charts(spend_difference, book.tables.size() - 1);
    write_workbook(folder, "appraisal.xlsx", book);
}

// Each scenario's results in its own folder, and the appraisal, the differences and the spend
// side by side, as CSV files and one workbook.
std::vector<std::string> write_comparison(const ResultsFolder& folder, const std::vector<std::unique_ptr<Run>>& runs) {
    for (const auto& p : runs) write_scenario_results(folder.folder(p->scenario().name), *p);
    std::vector<AppraisedScenario> options;
    for (std::size_t i = 1; i < runs.size(); ++i) options.push_back(appraised(*runs[i]));
    const Assumptions::Finance& terms = runs.front()->scenario().assumptions.finance;
    const AppraisalTables a = appraise(appraised(*runs.front()), options, terms.general_inflation_percent, terms.discount_rate_percent);
    const std::vector<Difference> diffs = differences(runs);
    const std::vector<Table> tables = {appraisal_table("Appraisal", a.summary_header, a.summary, {0}, {}),
                                       appraisal_table("By year", a.by_year_header, a.by_year, {0, 0, 3, 3, 1, 1, 1, 0}, kByYearKinds),
                                       comparison_table(diffs), spend_table(runs)};
    write_comparison_csvs(folder, tables);
    write_appraisal_workbook(folder, runs, tables, spend_difference_table(diffs));
    return headline_in_option_order(plans_headline(diffs), headline_of(a), runs);
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
    result.folder = write_results_folder(out, option, inputs, [&](const ResultsFolder& folder) {
        result.headline = write_comparison(folder, runs);
        write_report(folder);  // from the files just written
    });
    return result;
}

}  // namespace sendplan
