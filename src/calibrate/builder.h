#pragma once
// The calibration's working state and steps, shared by the files of src/calibrate/ that each
// estimate one part of the posterior: base_stock.cpp, joiners.cpp, leavers.cpp, transitions.cpp.
#include <Eigen/Dense>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/calibrate.h"

namespace sendplan::calibration {

using Vec = std::vector<double>;

template <class Map>
std::optional<int> latest_year_up_to(const Map& m, int limit) {
    std::optional<int> best;
    for (const auto& [year, value] : m)
        if (year <= limit && !value.empty()) best = year;
    return best;
}

bool rows_have_split(const std::vector<AgeRow>& rows);
// Integers that add up to `target` (default round(sum(x))) and differ from x by less than one where
// the target allows (largest remainder).
std::vector<std::int32_t> round_preserving_total(const double* x, std::size_t n, std::optional<long> target = std::nullopt);
Vec normalised(Vec v);
std::string year_text(int y);

struct Builder {
    const AreaHistory& h;
    const Population& pop;
    const Taxonomy& tax;
    const Assumptions& as;
    Calibration& out;
    std::size_t A, K, S;
    int B = 0;

    Builder(const AreaHistory& history, const Population& population, const Taxonomy& taxonomy, const Assumptions& assumptions,
            Calibration& calibration, int base_year)
        : h(history), pop(population), tax(taxonomy), as(assumptions), out(calibration), A(static_cast<std::size_t>(taxonomy.ages())),
          K(taxonomy.needs.size()), S(taxonomy.settings.size()), B(base_year) {}
    Vec population_weights(int year) const;
    // Stock at a census by age x setting, spread from the published rows.
    bool stock_age_setting(int year, Vec& by_age, Vec& by_age_setting) const;
    void note(const std::string& s);
    // Whether the trend step left this calendar year's new plans out as an outlier.
    bool flagged(int year) const;

    void base_stock();      // base_stock.cpp
    void joiner_trend();    // joiners.cpp
    void joiner_mix();      // joiners.cpp
    void ceasing();         // leavers.cpp
    int net_leaving_from_censuses(Vec& ceased, Vec& exposure);  // leavers.cpp
    void transfers();       // leavers.cpp
    void setting_moves();   // transitions.cpp
    void need_moves();      // transitions.cpp

    Eigen::MatrixXd rebuild_flows(const Eigen::VectorXd& origin, Eigen::VectorXd dest, const Eigen::MatrixXd& prior) const;
    Eigen::MatrixXd prior_moves(std::size_t a, const Eigen::VectorXd& dest_share) const;
    static Eigen::MatrixXd prior_transitions(double w, const Eigen::VectorXd& dest_share, bool always_stay);

    std::vector<double> net_leaving_rates_;
    double net_arrival_rate_ = 0;  // where more plans arrived than left over the census pairs  // one per census pair, where ceasing was inferred from censuses
    std::optional<int> need_year_;
};

}  // namespace sendplan::calibration
