#include "output/sufficiency_writer.h"

#include "core/percentiles.h"
#include "output/csv_text.h"
#include "output/places_summary_writer.h"

#include <cmath>

#include <fmt/format.h>

namespace sendplan {
namespace {

// One row of the places plan: a place group's places in one phase and need group against the
// draws' demand, and the children placed out of the borough or independent because it was full.
struct PlacesPlanRow {
    const Taxonomy& tax;
    const PlacementPlan& plan;
    const SufficiencyResult& r;

    void write(std::ostream& out, int y, int g, int pr, int nr) const {
        const int P = r.phases;
        const Histogram& demand = r.table(y, g, pr, nr, table_demand);
        const Histogram& unmet = r.table(y, g, pr, nr, table_unmet_local);
        const Histogram& full = r.table(y, g, pr, nr, table_placed_out_because_full);
        const double places = r.places(y, g, pr, nr);
        // A row with neither places nor children in any draw says nothing.
        if (places == 0 && demand.quantile(1.0) == 0) return;
        out << r.base_year + y << ',' << plan.place_groups[static_cast<std::size_t>(g)] << ','
            << (pr == P ? std::string("all") : tax.phases[static_cast<std::size_t>(pr)].code) << ',' << r.need_row_code[static_cast<std::size_t>(nr)] << ','
            << r.need_row_kind[static_cast<std::size_t>(nr)] << ',' << csv_number(places) << ',' << csv_number(demand.mean());
        for (double q : reported_percentiles()) out << ',' << csv_number(demand.quantile(q));
        for (double q : {0.90, 0.50, 0.10}) out << ',' << csv_number(places - demand.quantile(q));
        // The base census is observed: there is no chance about it.
        out << ',' << csv_number(y == 0 ? NAN : demand.fraction_above(places + 1e-9), 3);
        for (double q : {0.50, 0.80, 0.90}) out << ',' << csv_number(demand.covering(q), 0);
        out << ',' << csv_number(unmet.mean()) << ',' << csv_number(unmet.quantile(0.5)) << ',' << csv_number(unmet.quantile(0.9));
        out << ',' << csv_number(full.mean()) << ',' << csv_number(full.quantile(0.5)) << ',' << csv_number(full.quantile(0.9)) << '\n';
    }
};

void write_places_plan_csv(const ResultsFolder& folder, const Taxonomy& tax, const PlacementPlan& plan, const SufficiencyResult& r) {
    folder.text("special_places_plan.csv", [&](std::ostream& out) {
        // Percentiles of the surplus: the 10th is the places less the 90th percentile of demand.
        out << "year,place_group,phase,need_group,need_group_kind,places,demand_mean," << percentile_columns("demand") << ","
               "surplus_p10,surplus_p50,surplus_p90,probability_shortfall,places_needed_50,places_needed_80,places_needed_90,"
               "unmet_local_demand_mean,unmet_local_demand_p50,unmet_local_demand_p90,"
               "placed_out_because_full_mean,placed_out_because_full_p50,placed_out_because_full_p90\n";
        const PlacesPlanRow row{tax, plan, r};
        for (int y = 0; y < r.years(); ++y)
            for (int g = 0; g < r.groups; ++g)
                for (int pr = 0; pr <= r.phases; ++pr)
                    for (int nr = 0; nr < r.need_rows; ++nr) row.write(out, y, g, pr, nr);
    });
}

void write_provision_pupils_csv(const ResultsFolder& folder, const ProvisionRegister& reg, const SufficiencyResult& r) {
    folder.text("provision_pupils.csv", [&](std::ostream& out) {
        out << "year,provision,name,type,in_borough,places,pupils_mean,pupils_p10,pupils_p50,pupils_p90,probability_full\n";
        const std::size_t R = reg.provisions.size();
        for (int y = 0; y < r.years(); ++y)
            for (std::size_t p = 0; p < R; ++p) {
                const Provision& pr = reg.provisions[p];
                const Histogram& h = r.provision_pupils(y, p);
                const int places = pr.places_in(r.base_year + y);
                out << r.base_year + y << ',' << csv_field(pr.id) << ',' << csv_field(pr.name) << ',' << pr.type << ',' << (pr.in_borough ? "yes" : "no") << ','
                    << places << ',' << csv_number(h.mean()) << ',' << csv_number(h.quantile(0.1)) << ',' << csv_number(h.quantile(0.5)) << ',' << csv_number(h.quantile(0.9))
                    << ',' << csv_number(places > 0 ? h.fraction_above(places - 0.5) : NAN, 3) << '\n';
            }
    });
}

void write_placements_csv(const ResultsFolder& folder, const PlacementPlan& plan, const SufficiencyResult& r) {
    folder.text("placements.csv", [&](std::ostream& out) {
        out << "year,place_group,placement,pupils_mean," << percentile_columns("pupils") << "\n";
        const int G = r.groups;
        for (int y = 0; y < r.years(); ++y)
            for (int g = 0; g < G; ++g)
                for (int k = 0; k < place_kinds; ++k) {
                    const Histogram& h = r.placements(y, g, k);
                    out << r.base_year + y << ',' << plan.place_groups[static_cast<std::size_t>(g)] << ',' << place_kind_name(k) << ',' << csv_number(h.mean());
                    for (double q : reported_percentiles()) out << ',' << csv_number(h.quantile(q));
                    out << '\n';
                }
    });
}

void write_strategy_csv(const ResultsFolder& folder, const SufficiencyResult& r) {
    folder.text("strategy_measures.csv", [&](std::ostream& out) {
        out << "year,measure,mean," << percentile_columns("") << "\n";
        for (int y = 0; y < r.years(); ++y)
            for (int m = 0; m < strategy_measures; ++m) {
                const Histogram& h = r.strategy(y, m);
                const bool share = m == strategy_share_mainstream || m == strategy_share_independent_or_out;
                const double scale = share ? 0.01 : 1.0;  // shares are held in hundredths of a per cent
                out << r.base_year + y << ',' << strategy_measure_name(m) << ',' << csv_number(h.mean() * scale, share ? 2 : 1);
                for (double q : reported_percentiles()) out << ',' << csv_number(h.quantile(q) * scale, share ? 2 : 1);
                out << '\n';
            }
    });
}

}  // namespace

void write_sufficiency_csvs(const ResultsFolder& folder, const Taxonomy& tax, const ProvisionRegister& reg, const PlacementPlan& plan,
                            const SufficiencyResult& r) {
    write_places_plan_csv(folder, tax, plan, r);
    write_provision_pupils_csv(folder, reg, r);
    write_placements_csv(folder, plan, r);
    write_strategy_csv(folder, r);
    write_places_summary(folder, tax, plan, r);
}

}  // namespace sendplan
