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

namespace {

// A three-way table x[i][j][k], flattened i-major, with the scratch sums of its two-way margins.
class Cube {
public:
    Cube(std::vector<double>& x, int ni, int nj, int nk) : x_(x), ni_(ni), nj_(nj), nk_(nk) {}

    // Each (i,j) line over k rescaled to its margin.
    void fit_ij(const std::vector<double>& m_ij) {
        for (int i = 0; i < ni_; ++i)
            for (int j = 0; j < nj_; ++j) {
                const double s = line_sum(i, j);
                if (s > 0)
                    for (int k = 0; k < nk_; ++k) at(i, j, k) *= m_ij[static_cast<std::size_t>(i * nj_ + j)] / s;
            }
    }
    void fit_jk(const std::vector<double>& m_jk) {
        sum_jk();
        for (int i = 0; i < ni_; ++i)
            for (int j = 0; j < nj_; ++j)
                for (int k = 0; k < nk_; ++k) {
                    const double s = sum_[static_cast<std::size_t>(j * nk_ + k)];
                    if (s > 0) at(i, j, k) *= m_jk[static_cast<std::size_t>(j * nk_ + k)] / s;
                }
    }
    void fit_ik(const std::vector<double>& m_ik) {
        sum_.assign(static_cast<std::size_t>(ni_ * nk_), 0.0);
        for (int i = 0; i < ni_; ++i)
            for (int j = 0; j < nj_; ++j)
                for (int k = 0; k < nk_; ++k) sum_[static_cast<std::size_t>(i * nk_ + k)] += at(i, j, k);
        for (int i = 0; i < ni_; ++i)
            for (int j = 0; j < nj_; ++j)
                for (int k = 0; k < nk_; ++k) {
                    const double s = sum_[static_cast<std::size_t>(i * nk_ + k)];
                    if (s > 0) at(i, j, k) *= m_ik[static_cast<std::size_t>(i * nk_ + k)] / s;
                }
    }

    // The largest relative error on the (i,j) and (j,k) margins: the two not fitted last.
    double error(const std::vector<double>& m_ij, const std::vector<double>& m_jk) {
        double worst = 0;
        for (int i = 0; i < ni_; ++i)
            for (int j = 0; j < nj_; ++j) worst = std::max(worst, rel_error(line_sum(i, j), m_ij[static_cast<std::size_t>(i * nj_ + j)]));
        sum_jk();
        for (int j = 0; j < nj_; ++j)
            for (int k = 0; k < nk_; ++k)
                worst = std::max(worst, rel_error(sum_[static_cast<std::size_t>(j * nk_ + k)], m_jk[static_cast<std::size_t>(j * nk_ + k)]));
        return worst;
    }

private:
    double& at(int i, int j, int k) { return x_[static_cast<std::size_t>((i * nj_ + j) * nk_ + k)]; }
    double line_sum(int i, int j) {
        double s = 0;
        for (int k = 0; k < nk_; ++k) s += at(i, j, k);
        return s;
    }
    void sum_jk() {
        sum_.assign(static_cast<std::size_t>(nj_ * nk_), 0.0);
        for (int i = 0; i < ni_; ++i)
            for (int j = 0; j < nj_; ++j)
                for (int k = 0; k < nk_; ++k) sum_[static_cast<std::size_t>(j * nk_ + k)] += at(i, j, k);
    }

    std::vector<double>& x_;
    int ni_, nj_, nk_;
    std::vector<double> sum_;
};

}  // namespace

IpfResult ipf_3d(std::vector<double>& x, int ni, int nj, int nk, const std::vector<double>& m_ij,
                 const std::vector<double>& m_jk, const std::vector<double>& m_ik, double tolerance, int max_iterations) {
    Cube cube(x, ni, nj, nk);
    IpfResult r;
    double previous_error = INFINITY;
    for (r.iterations = 1; r.iterations <= max_iterations; ++r.iterations) {
        cube.fit_ij(m_ij);
        cube.fit_jk(m_jk);
        cube.fit_ik(m_ik);  // last, so that it holds exactly
        r.max_relative_error = cube.error(m_ij, m_jk);
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
