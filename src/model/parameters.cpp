#include "model/parameters.h"

#include <boost/random/normal_distribution.hpp>
#include <algorithm>
#include <cmath>

#include "model/samplers.h"

namespace sendplan {

DrawParameters::DrawParameters(const Posterior& posterior)
    : joiner_age_weight(as_extent(posterior.dims.ages)),
      joiner_cell(as_extent(posterior.dims.ages), as_extent(posterior.dims.needs * posterior.dims.settings)),
      cease_probability(as_extent(posterior.dims.ages)),
      stay_probability(shape_of(posterior.dims.ages, posterior.dims.settings), 0.0),
      cease_share_of_leavers(stay_probability.shape(), 0.0),
      stay_below(stay_probability.shape(), 0),
      cease_from(stay_probability.shape(), 0),
      stay_if_continuing_below(stay_probability.shape(), 0),
      next_if_moving(stay_probability.size(), as_extent(posterior.dims.settings)),
      need_change_threshold(shape_of(posterior.dims.ages, posterior.dims.needs), 0),
      new_need(need_change_threshold.shape(), AliasTable(as_extent(posterior.dims.needs))) {
    // Where a changed need goes: the posterior mean split over the other needs, fixed for all draws.
    const std::size_t A = as_extent(posterior.dims.ages), K = as_extent(posterior.dims.needs);
    std::vector<double> row(K);
    for (std::size_t a = 0; a < A && !posterior.need_move_alpha.empty(); ++a)
        for (std::size_t k = 0; k < K; ++k) {
            for (std::size_t j = 0; j < K; ++j) row[j] = j == k ? 0.0 : posterior.need_move_alpha(a, k, j);
            new_need(a, k).build(row.data(), K);
        }
}

double damped_time(double damping, int steps) {
    double x = 0, f = 1;
    for (int j = 1; j <= steps; ++j) {
        f *= damping;
        x += f;
    }
    return x;
}

namespace {

// Trend: sigma^2 | data ~ dof s^2 / chi^2_dof; (intercept, slope) | sigma ~ N(b, sigma^2 (X'X)^-1).
void draw_trend(const JoinerTrendPosterior& t, bool mean_only, Stream& s, DrawParameters& out) {
    double sigma2 = t.residual_variance;
    if (!mean_only && t.degrees_of_freedom > 0) {
        const double chi2 = 2.0 * sample_gamma(s, 0.5 * t.degrees_of_freedom);
        sigma2 = t.degrees_of_freedom * t.residual_variance / std::max(chi2, 1e-12);
    }
    out.trend_sigma = mean_only ? 0.0 : std::sqrt(sigma2);
    out.trend_intercept = t.coefficients(0);
    out.trend_slope = t.coefficients(1);
    if (mean_only) return;
    Eigen::Matrix2d cov = sigma2 * t.unscaled_covariance;
    Eigen::LLT<Eigen::Matrix2d> llt(cov);
    boost::random::normal_distribution<double> normal;
    // Two draws in a fixed order: as constructor arguments their order would be the compiler's
    // to choose (GCC and clang differ). The first drawn goes second, as GCC always did.
    const double first = normal(s), second = normal(s);
    const Eigen::Vector2d z(second, first);
    Eigen::Vector2d b = t.coefficients + llt.matrixL() * z;
    out.trend_intercept = b(0);
    out.trend_slope = b(1);
}

// Joiners: age shares turned into per-head weights; need and setting given age; need tilts setting.
void draw_joiner_mix(const Posterior& p, bool mean_only, Stream& s, DrawParameters& out, std::vector<double>& scratch) {
    const Dimensions& d = p.dims;
    const std::size_t A = static_cast<std::size_t>(d.ages), K = static_cast<std::size_t>(d.needs), S = static_cast<std::size_t>(d.settings);
    double* age_share = scratch.data();
    sample_dirichlet(s, p.joiner_age_alpha.data(), A, age_share, mean_only);
    for (std::size_t a = 0; a < A; ++a) {
        const double ref = p.reference_population[a];
        out.joiner_age_weight[a] = ref > 0 ? age_share[a] * p.reference_population_total / ref : 0.0;
    }
    double* need_share = scratch.data() + A;
    double* setting_share = need_share + K;
    for (std::size_t a = 0; a < A; ++a) {
        double* cell = out.joiner_cell.weights(a);
        sample_dirichlet(s, p.joiner_need_alpha.row(a).data(), K, need_share, mean_only);
        sample_dirichlet(s, p.joiner_setting_alpha.row(a).data(), S, setting_share, mean_only);
        for (std::size_t k = 0; k < K; ++k) {
            double norm = 0;
            for (std::size_t st = 0; st < S; ++st) norm += setting_share[st] * p.joiner_need_setting_tilt(k, st);
            for (std::size_t st = 0; st < S; ++st)
                cell[k * S + st] = norm > 0 ? need_share[k] * setting_share[st] * p.joiner_need_setting_tilt(k, st) / norm : 0.0;
        }
    }
}

double draw_transfer_rate(const Posterior& p, bool mean_only, Stream& s) {
    if (mean_only || !(p.transfer_sd > 0)) return p.transfer_mean;
    boost::random::normal_distribution<double> normal(0.0, 1.0);
    double z = normal(s);
    // Estimated from a handful of years, the spread is itself uncertain: a t, not a normal.
    if (p.transfer_dof > 0) z /= std::sqrt(2.0 * sample_gamma(s, 0.5 * p.transfer_dof) / p.transfer_dof);
    // A t with few degrees of freedom now and then draws a rate of arrivals that doubles the
    // stock every year; compounded over a long projection that is no forecast. Its tails are
    // kept out to six scale units (about one draw in 4,000 with four degrees of freedom).
    constexpr double kTail = 6.0;
    z = std::clamp(z, -kTail, kTail);
    return p.transfer_mean + p.transfer_sd * z;
}

// Each age and setting: stay, cease, or move (where to, for movers). Net departures to other
// authorities (a negative transfer rate) add to ceasing.
void draw_setting_moves(const Posterior& p, bool mean_only, Stream& s, DrawParameters& out) {
    const std::size_t A = static_cast<std::size_t>(p.dims.ages), S = static_cast<std::size_t>(p.dims.settings);
    const double extra_ceasing = out.transfer_rate < 0 ? -out.transfer_rate : 0.0;
    for (std::size_t a = 0; a + 1 < A; ++a) {
        const double cease = std::min(1.0, out.cease_probability[a] + extra_ceasing);
        for (std::size_t from = 0; from < S; ++from) {
            const std::size_t i = out.stay_probability.offset(a, from);
            double* row = out.next_if_moving.weights(i);
            sample_dirichlet(s, p.move_alpha.row(a, from).data(), S, row, mean_only);
            const double stay_if_continuing = row[from];
            const double stay = stay_if_continuing * (1.0 - cease);
            out.stay_probability[i] = stay;
            out.stay_below[i] = threshold_of_32_bits(stay);
            out.cease_from[i] = std::max(out.stay_below[i], threshold_of_32_bits(1.0 - cease));
            out.stay_if_continuing_below[i] = threshold_of_32_bits(stay_if_continuing);
            out.cease_share_of_leavers[i] = stay < 1.0 ? std::min(1.0, cease / (1.0 - stay)) : 0.0;
            row[from] = 0.0;  // the table is of where movers go
        }
    }
}

// Need changes: how many change is uncertain (a Beta draw per age and need); where they go is
// the posterior mean split, built once (see the constructor).
void draw_need_changes(const Posterior& p, bool mean_only, Stream& s, DrawParameters& out) {
    const std::size_t A = static_cast<std::size_t>(p.dims.ages), K = static_cast<std::size_t>(p.dims.needs);
    for (std::size_t a = 0; a + 1 < A && !p.need_move_alpha.empty(); ++a)
        for (std::size_t k = 0; k < K; ++k) {
            const double stay_alpha = p.need_move_alpha(a, k, k);
            double change_alpha = 0;
            for (std::size_t j = 0; j < K; ++j)
                if (j != k) change_alpha += p.need_move_alpha(a, k, j);
            const double change = sample_beta(s, change_alpha, stay_alpha, mean_only);
            out.need_change_threshold(a, k) = static_cast<std::uint32_t>(std::lround(std::clamp(change, 0.0, 1.0) * 65536.0));
        }
}

}  // namespace

void sample_parameters(const Posterior& p, Stream& s, DrawParameters& out, std::vector<double>& scratch) {
    const Dimensions& d = p.dims;
    const bool mean_only = p.without_parameter_uncertainty;
    const std::size_t A = static_cast<std::size_t>(d.ages), K = static_cast<std::size_t>(d.needs), S = static_cast<std::size_t>(d.settings);
    scratch.resize(A + K + S);
    draw_trend(p.trend, mean_only, s, out);
    draw_joiner_mix(p, mean_only, s, out, scratch);
    for (std::size_t a = 0; a < A; ++a) out.cease_probability[a] = sample_beta(s, p.cease_alpha[a], p.cease_beta[a], mean_only);
    out.transfer_rate = draw_transfer_rate(p, mean_only, s);
    draw_setting_moves(p, mean_only, s, out);
    draw_need_changes(p, mean_only, s, out);
}

}  // namespace sendplan
