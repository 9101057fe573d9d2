#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/percentiles.h"
#include "core/rng.h"
#include "model/alias_table.h"
#include "model/parameters.h"
#include "simulate/binomial_table.h"
#include "simulate/histogram.h"
#include "model/samplers.h"

using namespace sendplan;

TEST_CASE("random streams depend on seed, draw and purpose only") {
    Stream a(42, 7, StreamPurpose::joiners, 3), b(42, 7, StreamPurpose::joiners, 3);
    for (int i = 0; i < 100; ++i) REQUIRE(a() == b());
    Stream other_draw(42, 8, StreamPurpose::joiners, 3), other_purpose(42, 7, StreamPurpose::ceasing_and_moves, 3),
        other_year(42, 7, StreamPurpose::joiners, 4), other_seed(43, 7, StreamPurpose::joiners, 3);
    Stream ref(42, 7, StreamPurpose::joiners, 3);
    const auto first = ref();
    CHECK(other_draw() != first);
    CHECK(other_purpose() != first);
    CHECK(other_year() != first);
    CHECK(other_seed() != first);
    // Uniforms lie in [0, 1) with mean 1/2.
    Stream u(1, 2, StreamPurpose::parameters);
    double sum = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double x = u.uniform();
        REQUIRE((x >= 0.0 && x < 1.0));
        sum += x;
    }
    CHECK(sum / n == Approx(0.5).margin(5 * std::sqrt(1.0 / 12 / n)));
}

TEST_CASE("the alias table draws each category with its probability") {
    const std::vector<double> w = {5, 0, 1, 3, 0.5, 10};
    const double total = 19.5;
    AliasTable table(w.size());
    table.build(w.data(), w.size());
    Stream s(3, 0, StreamPurpose::parameters);
    const int n = 400000;
    // The same distribution from a lazily built row of a table set.
    LazyAliasTables rows(2, w.size());
    std::copy(w.begin(), w.end(), rows.weights(1));
    const AliasView lazy = rows[1];
    std::vector<int> counts(w.size(), 0), lazy_counts(w.size(), 0);
    for (int i = 0; i < n; ++i) {
        ++counts[table.sample32(static_cast<std::uint32_t>(s() >> 32))];
        ++lazy_counts[lazy.sample32(static_cast<std::uint32_t>(s() >> 32))];
    }
    for (std::size_t i = 0; i < w.size(); ++i) {
        const double p = w[i] / total, se = std::sqrt(p * (1 - p) / n);
        CHECK(counts[i] / double(n) == Approx(p).margin(5 * se + 1e-12));
        CHECK(lazy_counts[i] / double(n) == Approx(p).margin(5 * se + 1e-12));
    }
    CHECK(lazy_counts[1] == 0);
    CHECK(counts[1] == 0);
    CHECK(counts[4] > 0);
}

TEST_CASE("histogram percentiles equal the order statistics of the draws") {
    std::mt19937 rng(5);
    std::poisson_distribution<int> pois(300);
    std::vector<std::int64_t> values;
    Histogram all, first, second;
    for (int i = 0; i < 1001; ++i) {
        const std::int64_t v = pois(rng) - 250;  // some negative values too
        values.push_back(v);
        all.add(v);
        (i % 3 ? first : second).add(v);
    }
    first.merge(second);
    std::sort(values.begin(), values.end());
    const std::vector<double> sorted(values.begin(), values.end());  // exact: the draws are small integers
    auto type7 = [&](double q) {
        const double h = q * static_cast<double>(sorted.size() - 1);
        const double below = std::floor(h);
        const auto k = static_cast<std::size_t>(below);
        return sorted[k] + (h - below) * (sorted[std::min(k + 1, sorted.size() - 1)] - sorted[k]);
    };
    for (double q : {0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0}) {
        CHECK(all.quantile(q) == Approx(type7(q)));
        CHECK(first.quantile(q) == all.quantile(q));
    }
    CHECK(first.mean() == all.mean());
    // Coarse bins (large counts) stay within one bin width.
    Histogram coarse(Histogram::width_for(700000));
    CHECK(coarse.width() > 1);
    std::vector<std::int64_t> big;
    std::normal_distribution<double> normal(700000, 20000);
    for (int i = 0; i < 999; ++i) {
        big.push_back(static_cast<std::int64_t>(normal(rng)));
        coarse.add(big.back());
    }
    std::sort(big.begin(), big.end());
    CHECK(std::abs(coarse.quantile(0.5) - static_cast<double>(big[499])) <= static_cast<double>(coarse.width()));
}

TEST_CASE("Poisson sampler has the right mean and variance, small and large") {
    for (double mean : {0.3, 3.0, 40.0, 500.0}) {
        Stream s(9, static_cast<std::uint64_t>(mean * 10), StreamPurpose::joiners);
        const int n = 100000;
        double sum = 0, sum2 = 0;
        for (int i = 0; i < n; ++i) {
            const double x = static_cast<double>(sample_poisson(s, mean));
            sum += x;
            sum2 += x * x;
        }
        const double m = sum / n, var = sum2 / n - m * m;
        CHECK(m == Approx(mean).margin(5 * std::sqrt(mean / n)));
        CHECK(var == Approx(mean).epsilon(0.05));
    }
}

TEST_CASE("the binomial table inverts the exact distribution function, to 32 bits") {
    BinomialTable table(128);
    for (const double p : {0.0, 0.02, 0.3, 0.5, 0.97, 1.0}) {
        table.build(p);
        for (const std::int32_t n : {0, 1, 5, 40, 127}) {
            INFO("p " << p << " n " << n);
            // The draw is monotone in its 32 bits, so the first bits giving more than k mark
            // P(K <= k) x 2^32; compare it with the distribution function summed in long double.
            long double mass = std::pow(1.0L - p, n), cumulative = 0;
            for (std::int32_t k = 0; k <= n; ++k) {
                cumulative += mass;
                mass *= k < n ? (p / (1.0L - p)) * (n - k) / (k + 1) : 0;
                std::uint64_t low = 0, high = std::uint64_t{1} << 32;  // the first bits drawing more than k
                while (low < high) {
                    const std::uint64_t mid = (low + high) / 2;
                    if (table.sample(n, static_cast<std::uint32_t>(mid)) > k) high = mid;
                    else low = mid + 1;
                }
                const double expected = p >= 1.0 ? (k < n ? 0.0 : 1.0) : static_cast<double>(std::min(cumulative, 1.0L));
                // Tails beyond what 32 bits resolve (2^-34) go to the last outcome tabulated.
                CHECK(std::abs(static_cast<double>(low) / 4294967296.0 - expected) <= 0x1.0p-33);
            }
            CHECK(table.sample(n, 0xFFFFFFFFu) <= n);
        }
    }
    // Drawn from a stream: the mean and variance of Binomial(40, 0.3).
    table.build(0.3);
    Stream s(5, 0, StreamPurpose::transfers_in);
    const int draws = 200000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < draws; ++i) {
        const double x = table.sample(40, static_cast<std::uint32_t>(s() >> 32));
        sum += x;
        sum2 += x * x;
    }
    const double m = sum / draws, var = sum2 / draws - m * m;
    CHECK(m == Approx(12.0).margin(5 * std::sqrt(8.4 / draws)));
    CHECK(var == Approx(8.4).epsilon(0.03));
}

TEST_CASE("damped trend time") {
    CHECK(damped_time(1.0, 3) == Approx(3.0));
    CHECK(damped_time(0.5, 2) == Approx(0.5 + 0.25));
    CHECK(damped_time(0.8, 0) == 0.0);
}

TEST_CASE("the reported percentiles are named alike in every file") {
    CHECK(percentile_column(0.05) == "p05");
    CHECK(percentile_column(0.5) == "p50");
    CHECK(percentile_words(0.05) == "5th percentile");
    CHECK(percentile_words(0.5) == "median");
    CHECK(percentile_words(0.01) == "1st percentile");
    CHECK(percentile_words(0.12) == "12th percentile");
    CHECK(percentile_words(0.22) == "22nd percentile");
    CHECK(percentile_headers("") == "5th percentile,10th percentile,Median,90th percentile,95th percentile");
    CHECK(percentile_columns("") == "p05,p10,p50,p90,p95");
    CHECK(percentile_columns("demand") == "demand_p05,demand_p10,demand_p50,demand_p90,demand_p95");
    CHECK(percentile_headers("Pupils") ==
          "Pupils (5th percentile),Pupils (10th percentile),Pupils (median),Pupils (90th percentile),Pupils (95th percentile)");
}
