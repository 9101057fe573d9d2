#include "output/finance_writer.h"

#include <functional>

#include "finance/money_summary.h"
#include "output/csv_text.h"

namespace sendplan {

void write_finance_csv(const ResultsFolder& folder, const SpendResult& r) {
    folder.text("high_needs_spend.csv", [&](std::ostream& out) {
        out << "Year,Kind,Series,Label,Mean (GBP),5th percentile (GBP),10th percentile (GBP),Median (GBP),90th percentile (GBP),"
               "95th percentile (GBP),Probability below zero\n";
        static const char* element_labels[cost_elements] = {"Place funding", "Top-up", "Independent and non-maintained fees",
                                                             "Home-to-school transport (general fund, not high needs)"};
        std::vector<double> values(static_cast<std::size_t>(r.draws));
        auto row = [&](int y, const char* kind, const std::string& series, const std::string& label, const std::function<double(long)>& value,
                       bool below_zero) {
            for (long d = 0; d < r.draws; ++d) values[static_cast<std::size_t>(d)] = value(d);
            const MoneySummary s = summarise_money(values);
            out << r.base_year + y << ',' << kind << ',' << series << ',' << csv_field(label) << ',' << csv_number(s.mean, 0);
            for (double v : {s.p5, s.p10, s.p50, s.p90, s.p95}) out << ',' << csv_number(v, 0);
            out << ',' << (below_zero ? csv_number(s.share_below_zero, 3) : std::string()) << '\n';
        };
        for (int y = 0; y < r.years(); ++y) {
            row(y, "total", "high_needs_spend", "High-needs spend: place funding, top-ups and fees", [&](long d) { return r.high_needs(d, y); }, false);
            row(y, "total", "total_with_transport", "High-needs spend and transport", [&](long d) { return r.high_needs(d, y) + r.transport(d, y); }, false);
            for (int e = 0; e < cost_elements; ++e)
                row(y, "element", cost_element_name(e), element_labels[e], [&](long d) { return r.at(d, y, e); }, false);
            for (int pl = 0; pl < r.placements; ++pl)
                row(y, "placement", r.placement_codes[static_cast<std::size_t>(pl)], r.placement_labels[static_cast<std::size_t>(pl)],
                    [&](long d) { return r.at(d, y, cost_elements + pl); }, false);
            row(y, "capital", "capital", "Capital for new and expanded provision", [&](long) { return r.capital[static_cast<std::size_t>(y)]; }, false);
            if (r.has_income && y > 0) {
                row(y, "dsg", "high_needs_income", "High-needs block income", [&](long) { return r.income[static_cast<std::size_t>(y)]; }, false);
                row(y, "dsg", "in_year_balance", "In-year surplus (+) or deficit (-) of the high-needs block",
                    [&](long d) { return r.income[static_cast<std::size_t>(y)] - r.high_needs(d, y); }, true);
                row(y, "dsg", "cumulative_balance", "Cumulative DSG balance at the year's end (a deficit is negative)", [&](long d) { return r.balance(d, y); },
                    true);
            }
        }
    });
}

}  // namespace sendplan
