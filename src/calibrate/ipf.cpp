#include "calibrate/ipf.h"

#include <algorithm>
#include <cmath>

namespace sendplan {
namespace {
double rel_error(double fitted, double target) { return std::abs(fitted - target) / std::max(target, 1.0); }
}  // namespace

IpfResult ipf_2d(Eigen::MatrixXd& table, const Eigen::VectorXd& row_targets, const Eigen::VectorXd& col_targets,
                 double tolerance, int max_iterations) {
    IpfResult r;
    for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
        for (Eigen::Index i = 0; i < table.rows(); ++i) {
            const double sum = table.row(i).sum();
            if (sum > 0) table.row(i) *= row_targets(i) / sum;
        }
        for (Eigen::Index j = 0; j < table.cols(); ++j) {
            const double sum = table.col(j).sum();
            if (sum > 0) table.col(j) *= col_targets(j) / sum;
        }
        r.max_relative_error = 0;
        for (Eigen::Index i = 0; i < table.rows(); ++i)
            r.max_relative_error = std::max(r.max_relative_error, rel_error(table.row(i).sum(), row_targets(i)));
        if (r.max_relative_error < tolerance) {
            r.converged = true;
            break;
        }
    }
    return r;
}

IpfResult ipf_3d(std::vector<double>& x, int ni, int nj, int nk, const std::vector<double>& m_ij,
                 const std::vector<double>& m_jk, const std::vector<double>& m_ik, double tolerance, int max_iterations) {
    auto at = [&](int i, int j, int k) -> double& { return x[static_cast<std::size_t>((i * nj + j) * nk + k)]; };
    IpfResult r;
    double previous_error = INFINITY;
    std::vector<double> sum;
    for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
        // (i,j)
        for (int i = 0; i < ni; ++i)
            for (int j = 0; j < nj; ++j) {
                double s = 0;
                for (int k = 0; k < nk; ++k) s += at(i, j, k);
                if (s > 0)
                    for (int k = 0; k < nk; ++k) at(i, j, k) *= m_ij[static_cast<std::size_t>(i * nj + j)] / s;
            }
        // (j,k)
        sum.assign(static_cast<std::size_t>(nj * nk), 0.0);
        for (int i = 0; i < ni; ++i)
            for (int j = 0; j < nj; ++j)
                for (int k = 0; k < nk; ++k) sum[static_cast<std::size_t>(j * nk + k)] += at(i, j, k);
        for (int i = 0; i < ni; ++i)
            for (int j = 0; j < nj; ++j)
                for (int k = 0; k < nk; ++k) {
                    const double s = sum[static_cast<std::size_t>(j * nk + k)];
                    if (s > 0) at(i, j, k) *= m_jk[static_cast<std::size_t>(j * nk + k)] / s;
                }
        // (i,k) last
        sum.assign(static_cast<std::size_t>(ni * nk), 0.0);
        for (int i = 0; i < ni; ++i)
            for (int j = 0; j < nj; ++j)
                for (int k = 0; k < nk; ++k) sum[static_cast<std::size_t>(i * nk + k)] += at(i, j, k);
        for (int i = 0; i < ni; ++i)
            for (int j = 0; j < nj; ++j)
                for (int k = 0; k < nk; ++k) {
                    const double s = sum[static_cast<std::size_t>(i * nk + k)];
                    if (s > 0) at(i, j, k) *= m_ik[static_cast<std::size_t>(i * nk + k)] / s;
                }
        // Convergence on the two margins not fitted last.
        r.max_relative_error = 0;
        for (int i = 0; i < ni; ++i)
            for (int j = 0; j < nj; ++j) {
                double s = 0;
                for (int k = 0; k < nk; ++k) s += at(i, j, k);
                r.max_relative_error = std::max(r.max_relative_error, rel_error(s, m_ij[static_cast<std::size_t>(i * nj + j)]));
            }
        sum.assign(static_cast<std::size_t>(nj * nk), 0.0);
        for (int i = 0; i < ni; ++i)
            for (int j = 0; j < nj; ++j)
                for (int k = 0; k < nk; ++k) sum[static_cast<std::size_t>(j * nk + k)] += at(i, j, k);
        for (int j = 0; j < nj; ++j)
            for (int k = 0; k < nk; ++k)
                r.max_relative_error = std::max(r.max_relative_error, rel_error(sum[static_cast<std::size_t>(j * nk + k)], m_jk[static_cast<std::size_t>(j * nk + k)]));
        if (r.max_relative_error < tolerance) {
            r.converged = true;
            break;
        }
        // Margins that disagree leave an error IPF cannot remove: stop once it no longer shrinks.
        if (std::abs(previous_error - r.max_relative_error) < tolerance * 1e-3) break;
        previous_error = r.max_relative_error;
    }
    if (r.iterations > max_iterations) r.iterations = max_iterations;
    return r;
}

}  // namespace sendplan
