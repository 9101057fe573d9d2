#include "finance/appraisal.h"

#include <cmath>

#include "finance/money_summary.h"

namespace sendplan {

double present_value(const std::vector<double>& cash, double inflation_percent, double discount_percent) {
    double pv = 0;
    for (std::size_t t = 0; t < cash.size(); ++t)
        pv += cash[t] / std::pow(1.0 + inflation_percent / 100.0, static_cast<double>(t)) / std::pow(1.0 + discount_percent / 100.0, static_cast<double>(t));
    return pv;
}

namespace {

// A scenario's costs in one draw and year: high-needs spend, transport and capital.
double cash_cost(const SpendResult& s, long draw, int y) { return s.high_needs(draw, y) + s.transport(draw, y) + s.capital[static_cast<std::size_t>(y)]; }
std::vector<double> cash_costs(const SpendResult& s, long draw) {
    std::vector<double> out(static_cast<std::size_t>(s.years()));
    for (int y = 0; y < s.years(); ++y) out[static_cast<std::size_t>(y)] = cash_cost(s, draw, y);
    return out;
}

double total_places(const SufficiencyResult& r, int y, int g) {
    return r.places(y, g, r.phases, r.need_rows - 1);  // all phases, all needs
}

// Share of draws in which a place group's demand (all phases, needs) is within its local places.
double chance_places_suffice(const SufficiencyResult& r, int y, int g) {
    const double places = total_places(r, y, g);
    long enough = 0;
    for (long d = 0; d < r.draws; ++d) enough += r.by_draw(d, y, g, table_demand) <= places;
    return static_cast<double>(enough) / static_cast<double>(r.draws);
}

// One option against the base: its rows of both tables.
struct OptionAppraisal {
    const AppraisedScenario& base;
    const AppraisedScenario& o;
    AppraisalTables& t;
    double inflation, discount;
    long D;  // draws
    int Y;   // years

    // A row's text: the option, the measure for a reader, its code for a program (appraisal.h),
    // the place group it is about ("all" where it is not about one) and its unit.
    void summary_row(const char* code, const std::string& measure, const std::string& unit, std::vector<double> draws) const {
        const MoneySummary s = summarise_money(draws);
        t.summary.push_back({{o.name, measure, code, "all", unit}, {s.mean, s.p5, s.p50, s.p95}});
    }
    void fixed_row(const char* code, const std::string& measure, const std::string& unit, double v, const std::string& place_group = "all") const {
        t.summary.push_back({{o.name, measure, code, place_group, unit}, {v, v, v, v}, unit == "per cent a year" ? 2 : -1});
    }

    // Places the option adds over the base by the last year, all place groups together.
    double added_places() const {
        double added = 0;
        for (int g = 0; g < base.sufficiency->groups; ++g) {
            const double more = total_places(*o.sufficiency, Y - 1, g) - total_places(*base.sufficiency, Y - 1, g);
            const std::string& group = base.place_groups[static_cast<std::size_t>(g)];
            fixed_row("places_added", "Additional local places by " + std::to_string(base.sufficiency->base_year + Y - 1) + " (" + group + ")", "places",
                      more, group);
            added += more;
        }
        return added;
    }

    // Capital, in cash and present value, and the draws' present values of all costs.
    void cost_rows(double added) const {
        const SpendResult& b = *base.spend;
        const SpendResult& s = *o.spend;
        double capital = 0, capital_base = 0;
        for (int y = 0; y < Y; ++y) {
            capital += s.capital[static_cast<std::size_t>(y)];
            capital_base += b.capital[static_cast<std::size_t>(y)];
        }
        fixed_row("discount_rate_percent", "Discount rate", "per cent a year", discount);
        fixed_row("general_inflation_percent", "General inflation, to base-year prices", "per cent a year", inflation);
        fixed_row("capital_cost_cash_gbp", "Capital cost over the base (cash)", "GBP", capital - capital_base);
        fixed_row("capital_cost_present_value_gbp", "Capital cost over the base (present value)", "GBP",
                  present_value(s.capital, inflation, discount) - present_value(b.capital, inflation, discount));
        const std::vector<double> per_place = present_value_rows(added);
        if (added > 0) {
            fixed_row("capital_cost_per_place_gbp", "Capital cost per additional local place", "GBP", (capital - capital_base) / added);
            summary_row("net_present_cost_per_place_gbp", "Net present cost per additional local place (negative: a saving)", "GBP", per_place);
        }
    }
    // Present values of costs by draw, on common random numbers; returns each draw's net present
    // cost per place added.
    std::vector<double> present_value_rows(double added) const {
        const SpendResult& b = *base.spend;
        const SpendResult& s = *o.spend;
        std::vector<double> pv_base(static_cast<std::size_t>(D)), pv_option(static_cast<std::size_t>(D)), npv(static_cast<std::size_t>(D)),
            revenue(static_cast<std::size_t>(D)), per_place(static_cast<std::size_t>(D));
        std::vector<double> revenue_base(static_cast<std::size_t>(Y)), revenue_option(static_cast<std::size_t>(Y));
        for (long d = 0; d < D; ++d) {
            const double pb = present_value(cash_costs(b, d), inflation, discount);
            const double po = present_value(cash_costs(s, d), inflation, discount);
            pv_base[static_cast<std::size_t>(d)] = pb;
            pv_option[static_cast<std::size_t>(d)] = po;
            npv[static_cast<std::size_t>(d)] = pb - po;
            for (int y = 0; y < Y; ++y) {
                revenue_base[static_cast<std::size_t>(y)] = b.high_needs(d, y) + b.transport(d, y);
                revenue_option[static_cast<std::size_t>(y)] = s.high_needs(d, y) + s.transport(d, y);
            }
            revenue[static_cast<std::size_t>(d)] = present_value(revenue_option, inflation, discount) - present_value(revenue_base, inflation, discount);
            per_place[static_cast<std::size_t>(d)] = added > 0 ? (po - pb) / added : NAN;
        }
        summary_row("present_value_costs_base_gbp", "Present value of costs, base", "GBP", pv_base);
        summary_row("present_value_costs_option_gbp", "Present value of costs, option", "GBP", pv_option);
        summary_row("revenue_cost_present_value_gbp", "Revenue cost over the base (present value; negative is a saving)", "GBP", revenue);
        summary_row("npv_gbp", "Net present value against the base (positive: the option costs less)", "GBP", npv);
        return per_place;
    }

    // Each year, by place group and for all of them: places, the chance they suffice, the
    // placements out of the borough avoided and, for all, the difference in cost.
    void by_year_rows() const {
        std::vector<double> avoided_total(static_cast<std::size_t>(D), 0.0);
        for (int y = 0; y < Y; ++y) year_rows(y, avoided_total);
        summary_row("out_of_borough_placements_avoided", "Placements out of borough or independent because full, avoided (pupil-years over the projection)", "pupil-years", avoided_total);
    }
    void year_rows(int y, std::vector<double>& avoided_total) const {
        const SufficiencyResult& b = *base.sufficiency;
        const SufficiencyResult& s = *o.sufficiency;
        std::vector<double> avoided_all(static_cast<std::size_t>(D), 0.0);
        double places_base = 0, places_option = 0;
        for (int g = 0; g < b.groups; ++g) {
            const MoneySummary a = avoided_in_group(y, g, avoided_all, avoided_total);
            places_base += total_places(b, y, g);
            places_option += total_places(s, y, g);
            t.by_year.push_back({{o.name, std::to_string(b.base_year + y), base.place_groups[static_cast<std::size_t>(g)]},
                                 {total_places(b, y, g), total_places(s, y, g), chance_places_suffice(b, y, g), chance_places_suffice(s, y, g), a.mean, a.p5,
                                  a.p95, NAN, NAN, NAN}});
        }
        // The year's costs are the authority's, not a place group's: on a row for all of them.
        const MoneySummary a = summarise_money(avoided_all);
        const MoneySummary c = cost_difference(y);
        t.by_year.push_back(
            {{o.name, std::to_string(b.base_year + y), "all"}, {places_base, places_option, NAN, NAN, a.mean, a.p5, a.p95, c.mean, c.p5, c.p95}});
    }
    // Placements out of the borough or independent because full that the option avoids in place
    // group g and year y, by draw, added to those of all groups (and, after the base year, of all years).
    MoneySummary avoided_in_group(int y, int g, std::vector<double>& avoided_all, std::vector<double>& avoided_total) const {
        const SufficiencyResult& b = *base.sufficiency;
        const SufficiencyResult& s = *o.sufficiency;
        std::vector<double> avoided(static_cast<std::size_t>(D));
        for (long d = 0; d < D; ++d) {
            const double v =
                b.by_draw(d, y, g, table_placed_out_because_full) - s.by_draw(d, y, g, table_placed_out_because_full);
            avoided[static_cast<std::size_t>(d)] = v;
            avoided_all[static_cast<std::size_t>(d)] += v;
            if (y > 0) avoided_total[static_cast<std::size_t>(d)] += v;
        }
        return summarise_money(avoided);
    }
    MoneySummary cost_difference(int y) const {
        MoneySummary c;
        c.mean = c.p5 = c.p95 = NAN;
        if (base.spend && o.spend) {
            std::vector<double> cost(static_cast<std::size_t>(D));
            for (long d = 0; d < D; ++d) cost[static_cast<std::size_t>(d)] = cash_cost(*o.spend, d, y) - cash_cost(*base.spend, d, y);
            c = summarise_money(cost);
        }
        return c;
    }
};

}  // namespace

AppraisalTables appraise(const AppraisedScenario& base, const std::vector<AppraisedScenario>& options, double inflation, double discount) {
    AppraisalTables t;
    t.summary_header = {"Option", "Measure", "Measure code", "Place group", "Unit", "Mean", "5th percentile", "Median", "95th percentile"};
    t.by_year_header = {"Option", "Year", "Place group", "Local places (base)", "Local places (option)", "Chance places suffice (base)",
                        "Chance places suffice (option)", "Placed out of borough or independent because full, avoided (mean)",
                        "Avoided (5th percentile)", "Avoided (95th percentile)", "Cost difference, option minus base (mean, GBP cash)",
                        "Cost difference (5th percentile)", "Cost difference (95th percentile)"};
    const long D = base.spend ? base.spend->draws : (base.sufficiency ? base.sufficiency->draws : 0);
    const int Y = base.spend ? base.spend->years() : (base.sufficiency ? base.sufficiency->years() : 0);
    for (const AppraisedScenario& o : options) {
        const OptionAppraisal a{base, o, t, inflation, discount, D, Y};
        const bool places = base.sufficiency && o.sufficiency;
        const double added = places ? a.added_places() : NAN;
        if (base.spend && o.spend) a.cost_rows(added);
        if (places) a.by_year_rows();
    }
    return t;
}

}  // namespace sendplan
