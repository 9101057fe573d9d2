#include <catch2/catch.hpp>

#include <numeric>

#include "shipped_data.h"

using namespace sendplan;
using Barnet = sendplan::test::ShippedData;

TEST_CASE("the base stock is Barnet's January 2026 census, by age and setting exactly") {
    Barnet b;
    Calibration c = calibrate(b.history, b.pop, b.tax, b.as, 0, 15);
    const Posterior& p = c.posterior;
    CHECK(p.base_year == 2026);
    CHECK(std::accumulate(p.base_stock.begin(), p.base_stock.end(), 0L) == 4840);
    // Age x setting margin equals the published single-age rows.
    const auto& d = p.dims;
    for (const auto& row : b.history.stock_by_age.at(2026)) {
        if (row.ages.first != row.ages.last) continue;
        const int a = row.ages.first;
        for (int s = 0; s < d.settings; ++s) {
            long n = 0;
            for (int k = 0; k < d.needs; ++k) n += p.base_stock[static_cast<std::size_t>(d.cell(a, k, s))];
            CHECK(n == std::lround(row.split[static_cast<std::size_t>(s)]));
        }
    }
    // Need shares follow the January 2025 need table to within a percentage point.
    const auto& need2025 = b.history.stock_by_need.at(2025);
    const double total2025 = std::accumulate(need2025.begin(), need2025.end(), 0.0);
    for (int k = 0; k < d.needs; ++k) {
        long n = 0;
        for (int a = 0; a < d.ages; ++a)
            for (int s = 0; s < d.settings; ++s) n += p.base_stock[static_cast<std::size_t>(d.cell(a, k, s))];
        CHECK(static_cast<double>(n) / 4840.0 == Approx(need2025[static_cast<std::size_t>(k)] / total2025).margin(0.01));
    }
}

TEST_CASE("only data up to the base year is used") {
    Barnet b;
    Calibration c = calibrate(b.history, b.pop, b.tax, b.as, 2025, 5);
    CHECK(std::accumulate(c.posterior.base_stock.begin(), c.posterior.base_stock.end(), 0L) == 4320);
    CHECK(c.posterior.trend.last_year == 2024);
}

TEST_CASE("an anomalous year of new plans is flagged and left out of the trend") {
    test::ShippedData b("E08000016");  // Barnsley: 6,078 new plans in 2022 against 294 and 400 either side
    Calibration c = calibrate(b.history, constant_population(b.tax), b.tax, b.as, 0, 5);
    const auto& flagged = c.posterior.trend.years_flagged;
    CHECK(std::find(flagged.begin(), flagged.end(), 2022) != flagged.end());
    // Its honest neighbours are not flagged with it.
    CHECK(std::find(flagged.begin(), flagged.end(), 2021) == flagged.end());
    CHECK(std::find(flagged.begin(), flagged.end(), 2023) == flagged.end());
    CHECK(std::exp(c.posterior.trend.coefficients(0)) * 26 < 1500);  // the fitted level is not dragged up
    bool noted = false;
    for (const auto& n : c.notes) noted |= n.find("2022") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("parameters carry their uncertainty") {
    Barnet b;
    Calibration c = calibrate(b.history, b.pop, b.tax, b.as, 0, 15);
    const Posterior& p = c.posterior;
    CHECK(p.trend.degrees_of_freedom >= 1);
    CHECK(p.trend.residual_variance > 0);
    CHECK(p.transfer_sd > 0);
    for (std::size_t a = 0; a + 1 < p.cease_alpha.size(); ++a) CHECK((p.cease_alpha[a] > 0 && p.cease_beta[a] > 0));
    // Rows of the move matrix are Dirichlet with finite pseudo-counts, not fixed probabilities.
    const auto alphas = p.move_alpha.row(10, 0);
    const double row = std::accumulate(alphas.begin(), alphas.end(), 0.0);
    CHECK(row > 0);
    CHECK(std::isfinite(row));
}
