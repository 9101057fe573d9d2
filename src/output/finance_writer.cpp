#include "output/finance_writer.h"

#include <cmath>
#include <functional>

#include "finance/financial_year.h"
#include "finance/money_summary.h"
#include "output/dsg_plan.h"
#include "output/finance_cover.h"
#include "output/table.h"
#include "output/workbook_writer.h"

namespace sendplan {
namespace {

using DrawValue = std::function<double(long)>;

MoneySummary over_draws(long draws, const DrawValue& value) {
    std::vector<double> values(static_cast<std::size_t>(draws));
    for (long d = 0; d < draws; ++d) values[static_cast<std::size_t>(d)] = value(d);
    return summarise_money(values);
}

// high_needs_spend.csv's rows: every line of spend, income and balance, by year.
class SpendDetail {
public:
    explicit SpendDetail(const SpendResult& r) : r_(r) {
        t_.name = "Spend detail";
        t_.add_column("Year", CellStyle::year);
        for (const char* text : {"Kind", "Series", "Label"}) t_.add_column(text, CellStyle::plain);
        for (const char* money : {"Mean (GBP)", "5th percentile (GBP)", "10th percentile (GBP)", "Median (GBP)", "90th percentile (GBP)",
                                  "95th percentile (GBP)"})
            t_.add_column(money, CellStyle::currency);
        t_.add_column("Probability below zero", CellStyle::percent);
    }

    Table build() {
        for (int y = 0; y < r_.years(); ++y) {
            totals(y);
            if (r_.has_income && y > 0) dsg(y);
        }
        return t_;
    }

private:
    void row(int y, const char* kind, const std::string& series, const std::string& label, const DrawValue& value, bool below_zero) {
        const MoneySummary s = over_draws(r_.draws, value);
        std::vector<TableCell> cells{TableCell::of(static_cast<double>(r_.base_year + y), 0), TableCell::of(kind), TableCell::of(series),
                                     TableCell::of(label)};
        for (double v : {s.mean, s.p5, s.p10, s.p50, s.p90, s.p95}) cells.push_back(TableCell::of(v, 0));
        cells.push_back(TableCell::of(below_zero ? s.share_below_zero : NAN, 3));
        t_.rows.push_back(std::move(cells));
    }

    void totals(int y) {
        static const char* element_labels[cost_elements] = {"Place funding", "Top-up", "Independent and non-maintained fees",
                                                            "Home-to-school transport (general fund, not high needs)"};
        row(y, "total", "high_needs_spend", "High-needs spend: place funding, top-ups and fees", [&](long d) { return r_.high_needs(d, y); }, false);
        row(y, "total", "total_with_transport", "High-needs spend and transport", [&](long d) { return r_.high_needs(d, y) + r_.transport(d, y); }, false);
        for (int e = 0; e < cost_elements; ++e) row(y, "element", cost_element_name(e), element_labels[e], [&](long d) { return r_.at(d, y, e); }, false);
        for (int pl = 0; pl < r_.placements; ++pl)
            row(y, "placement", r_.placement_codes[static_cast<std::size_t>(pl)], r_.placement_labels[static_cast<std::size_t>(pl)],
                [&](long d) { return r_.at(d, y, cost_elements + pl); }, false);
        row(y, "capital", "capital", "Capital for new and expanded provision", [&](long) { return r_.capital[static_cast<std::size_t>(y)]; }, false);
    }

    void dsg(int y) {
        const double income = r_.income[static_cast<std::size_t>(y)];
        row(y, "dsg", "high_needs_income", "High-needs block income", [&](long) { return income; }, false);
        row(y, "dsg", "in_year_balance", "In-year surplus (+) or deficit (-) of the high-needs block", [&](long d) { return income - r_.high_needs(d, y); },
            true);
        row(y, "dsg", "cumulative_balance", "Cumulative DSG balance at the year's end (a deficit is negative)", [&](long d) { return r_.balance(d, y); }, true);
    }

    const SpendResult& r_;
    Table t_;
};

// A sheet by year: the census year, then its financial year, then the columns given.
Table year_table(const char* name, const std::vector<const char*>& columns, CellStyle kind) {
    Table t;
    t.name = name;
    t.add_column("Year (January census)", CellStyle::year);
    t.add_column("Financial year", CellStyle::plain);
    for (const char* c : columns) t.add_column(c, kind);
    return t;
}

std::vector<TableCell> year_cells(int year) { return {TableCell::of(static_cast<double>(year), 0), TableCell::of(financial_year(year))}; }

// The headline spend by year, with its percentiles, for the fan chart.
Table spend_by_year(const SpendResult& r) {
    Table t = year_table("Spend by year",
                         {"High-needs spend (mean)", "5th percentile", "10th percentile", "Median", "90th percentile", "95th percentile",
                          "Transport (mean, general fund)", "Capital"},
                         CellStyle::currency);
    for (int y = 0; y < r.years(); ++y) {
        const MoneySummary s = over_draws(r.draws, [&](long d) { return r.high_needs(d, y); });
        const MoneySummary tr = over_draws(r.draws, [&](long d) { return r.transport(d, y); });
        std::vector<TableCell> row = year_cells(r.base_year + y);
        for (double v : {s.mean, s.p5, s.p10, s.p50, s.p90, s.p95, tr.mean, r.capital[static_cast<std::size_t>(y)]}) row.push_back(TableCell::of(v, 0));
        t.rows.push_back(std::move(row));
    }
    return t;
}

// The DSG balance by projected year, where the scenario gives the high-needs block's income.
Table dsg_balance(const SpendResult& r) {
    Table t = year_table("DSG balance",
                         {"High-needs block income", "In-year balance (mean)", "Cumulative balance (mean)", "Cumulative balance (5th percentile)",
                          "Cumulative balance (median)", "Cumulative balance (95th percentile)"},
                         CellStyle::currency);
    t.add_column("Chance of a cumulative deficit", CellStyle::percent);
    for (int y = 1; y < r.years(); ++y) {
        const double income = r.income[static_cast<std::size_t>(y)];
        const MoneySummary in_year = over_draws(r.draws, [&](long d) { return income - r.high_needs(d, y); });
        const MoneySummary b = over_draws(r.draws, [&](long d) { return r.balance(d, y); });
        std::vector<TableCell> row = year_cells(r.base_year + y);
        for (double v : {income, in_year.mean, b.mean, b.p5, b.p50, b.p95}) row.push_back(TableCell::of(v, 0));
        row.push_back(TableCell::of(b.share_below_zero, 3));
        t.rows.push_back(std::move(row));
    }
    return t;
}

// A fan of the spend's percentiles: the 90% interval's bounds dashed, the 80%'s and the median solid.
WorkbookChart spend_fan_chart(std::size_t table) {
    return {"Spend fan chart", "High-needs spend by year: median, 80% and 90% intervals over draws (cash)", "Pounds a year", table,
            {3, 4, 5, 6, 7}, {3, 7}, "£#,##0"};
}

void write_workbook_for_finance(const ResultsFolder& folder, const Run& run, const Table& detail, const Table& dsg_plan) {
    const SpendResult& r = run.spend()->result();
    Workbook book;
    book.as_of_year = r.base_year;
    book.cover.push_back(finance_cover("High-needs finance: " + run.scenario().name, {&run}));
    book.tables = {cost_assumptions(run), spend_by_year(r)};
    book.charts.push_back(spend_fan_chart(1));
    if (r.has_income) book.tables.push_back(dsg_balance(r));
    book.tables.push_back(dsg_plan);
    book.tables.push_back(with_financial_year(detail, 0, 1, "Financial year"));
    write_workbook(folder, "high_needs_finance.xlsx", book);
}

}  // namespace

void write_finance_outputs(const ResultsFolder& folder, const Run& run) {
    const Table detail = SpendDetail(run.spend()->result()).build();
    const Table csv = with_financial_year(detail, 0, detail.header.size(), "financial_year");
    folder.text("high_needs_spend.csv", [&](std::ostream& out) { out << table_csv(csv); });
    const DsgPlanTables plan = dsg_plan_tables(run);
    folder.text("dsg_management_plan.csv", [&](std::ostream& out) { out << table_csv(plan.codes); });
    write_workbook_for_finance(folder, run, detail, plan.titles);
}

}  // namespace sendplan
