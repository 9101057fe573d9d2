#include <catch2/catch.hpp>

#include <random>

#include "calibrate/ipf.h"

using namespace sendplan;

TEST_CASE("two-way IPF reproduces its margins") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0.5, 20.0);
    Eigen::MatrixXd truth(6, 4);
    for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 4; ++j) truth(i, j) = u(rng);
    Eigen::VectorXd rows = truth.rowwise().sum(), cols = truth.colwise().sum().transpose();
    Eigen::MatrixXd fit = Eigen::MatrixXd::Ones(6, 4);
    IpfResult r = ipf_2d(fit, rows, cols, 1e-10, 1000);
    CHECK(r.converged);
    for (int i = 0; i < 6; ++i) CHECK(fit.row(i).sum() == Approx(rows(i)).epsilon(1e-9));
    for (int j = 0; j < 4; ++j) CHECK(fit.col(j).sum() == Approx(cols(j)).epsilon(1e-9));
}

TEST_CASE("three-way IPF reproduces all three two-way margins when they agree") {
    constexpr std::size_t I = 5, J = 4, K = 3;
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> u(0.1, 10.0);
    std::vector<double> truth(I * J * K);
    for (auto& x : truth) x = u(rng);
    std::vector<double> ij(I * J, 0), jk(J * K, 0), ik(I * K, 0);
    for (std::size_t i = 0; i < I; ++i)
        for (std::size_t j = 0; j < J; ++j)
            for (std::size_t k = 0; k < K; ++k) {
                const double x = truth[(i * J + j) * K + k];
                ij[i * J + j] += x;
                jk[j * K + k] += x;
                ik[i * K + k] += x;
            }
    std::vector<double> fit(I * J * K, 1.0);
    IpfResult r = ipf_3d(fit, I, J, K, ij, jk, ik, 1e-9, 5000);
    CHECK(r.converged);
    std::vector<double> fij(I * J, 0), fjk(J * K, 0), fik(I * K, 0);
    for (std::size_t i = 0; i < I; ++i)
        for (std::size_t j = 0; j < J; ++j)
            for (std::size_t k = 0; k < K; ++k) {
                const double x = fit[(i * J + j) * K + k];
                fij[i * J + j] += x;
                fjk[j * K + k] += x;
                fik[i * K + k] += x;
            }
    for (std::size_t n = 0; n < I * J; ++n) CHECK(fij[n] == Approx(ij[n]).epsilon(1e-7));
    for (std::size_t n = 0; n < J * K; ++n) CHECK(fjk[n] == Approx(jk[n]).epsilon(1e-7));
    for (std::size_t n = 0; n < I * K; ++n) CHECK(fik[n] == Approx(ik[n]).epsilon(1e-12));
}

TEST_CASE("three-way IPF keeps the last margin exact when the margins disagree") {
    constexpr std::size_t I = 2, J = 2, K = 2;
    std::vector<double> ij = {10, 10, 10, 10}, jk = {15, 5, 5, 15}, ik = {12, 8, 9, 11};
    jk[0] += 3;  // inconsistent with the others
    std::vector<double> fit(8, 1.0);
    ipf_3d(fit, I, J, K, ij, jk, ik, 1e-12, 200);
    for (std::size_t i = 0; i < I; ++i)
        for (std::size_t k = 0; k < K; ++k) CHECK(fit[(i * J + 0) * K + k] + fit[(i * J + 1) * K + k] == Approx(ik[i * K + k]));
}
