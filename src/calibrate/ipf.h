#pragma once
// Iterative proportional fitting (raking): rescale a seed table until it has the given margins.
// Used to rebuild joint tables (age x need x setting) from the published two-way margins, and to
// rebuild setting-to-setting flows from the settings of one cohort at two censuses.
#include <Eigen/Dense>
#include <vector>

namespace sendplan {

struct IpfResult {
    int iterations = 0;
    double max_relative_error = 0;  // largest |fitted - target| / max(target, 1) over every margin
    bool converged = false;
};

// Two-way: rows of `table` to `row_targets`, columns to `col_targets` (both must have the same total).
IpfResult ipf_2d(Eigen::MatrixXd& table, const Eigen::VectorXd& row_targets, const Eigen::VectorXd& col_targets,
                 double tolerance, int max_iterations);

// Three-way table x[i][j][k] (flattened i-major) fitted to its (i,j), (i,k) and (j,k) margins, in
// that order each sweep; the (i,k) margin is fitted last, so it holds exactly even when the three
// margins (from different sources) disagree slightly.
IpfResult ipf_3d(std::vector<double>& x, int ni, int nj, int nk, const std::vector<double>& margin_ij,
                 const std::vector<double>& margin_jk, const std::vector<double>& margin_ik, double tolerance,
                 int max_iterations);

}  // namespace sendplan
