#pragma once
// What calibration knows about the model's parameters: posterior distributions, not point values.
// Every Monte Carlo draw samples one parameter set from here (see parameters.h), so percentiles of the
// draws carry parameter uncertainty as well as the randomness of the process.
#include <Eigen/Dense>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "model/dimensions.h"

namespace sendplan {

struct JoinerTrendPosterior {
    // log(new plans per head aged 0..25 in calendar year t) = intercept + slope * x_t + noise_t,
    // x_t = t - last_year in the history; damped in the projection (x = sum of damping^j).
    int last_year = 0;             // last calendar year of new-plan data used
    Eigen::Vector2d coefficients;  // (intercept, slope), least squares
    Eigen::Matrix2d unscaled_covariance;  // (X'X)^-1
    double residual_variance = 0;  // s^2
    int degrees_of_freedom = 0;    // n - 2; sigma^2 ~ dof s^2 / chi^2_dof
    double damping = 1;
    std::vector<int> years_used, years_flagged;
};

struct Posterior {
    Dimensions dims;
    int base_year = 0;   // January census the projection starts from
    int horizon = 0;     // years projected
    Stock base_stock;    // [age, need, setting] at the base census

    JoinerTrendPosterior trend;
    // Joiners by census age per head: relative propensity by age, scaled by the population.
    IndexArray<double, dim::Step, dim::Age> population_by_year_age;  // step h: calendar year base_year + h
    std::vector<double> reference_population;     // [age] in the trend's last year
    double reference_population_total = 0;
    std::vector<double> joiner_age_alpha;         // Dirichlet over ages
    IndexArray<double, dim::Age, dim::Need> joiner_need_alpha;        // Dirichlet per age
    IndexArray<double, dim::Age, dim::Setting> joiner_setting_alpha;  // Dirichlet per age
    IndexArray<double, dim::Need, dim::Setting> joiner_need_setting_tilt;  // fixed relative odds of a setting by need

    std::vector<double> cease_alpha, cease_beta;  // Beta per age (age at the earlier census)
    double transfer_mean = 0, transfer_sd = 0;    // net plans arriving from elsewhere per plan held, per year
    int transfer_dof = 0;                         // > 0: Student t with these degrees of freedom, not normal
    // England-wide shocks to the growth of plans, which every area shares (a change of law, of the
    // conversion of statements, of demand across the country): the yearly net growth per plan held
    // moves each year by a normal step of this sd and keeps its earlier steps (a random walk). They
    // are carried by new plans, whose number moves by the step times the plans held.
    double england_shock_sd = 0;
    // The area's own departure from its pooled net growth, fresh each year (departures in net leaving
    // do not persist from one year to the next): sd per plan held, carried by new plans as above.
    double yearly_departure_sd = 0;
    IndexArray<double, dim::Age, dim::Setting, dim::ToSetting> move_alpha;  // Dirichlet per (age, from)
    IndexArray<double, dim::Age, dim::Need, dim::ToNeed> need_move_alpha;   // Dirichlet per (age, from need)

    bool without_parameter_uncertainty = false;   // draws use posterior means (for tests and diagnostics)
};

}  // namespace sendplan
