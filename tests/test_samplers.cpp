// The random number generators against their authors' reference output, the model's keyed streams
// against stored values, and every sampler against its distribution by Pearson's chi-square test.
// Each chi-square test case fails by chance with probability about 1e-6 (its checks share that
// between them), so a failure means a fault, not bad luck; the seeds are fixed, so it is also
// repeatable.
#include <catch2/catch.hpp>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "core/rng.h"
#include "model/alias_table.h"
#include "model/samplers.h"
#include "simulate/binomial_table.h"

using namespace sendplan;

namespace {

constexpr double kFalseFailure = 1e-6;  // per test case

// Counts of outcomes 0..K-1 against their probabilities, with everything at K or above as one last
// cell (its probability what the others leave). Neighbouring cells are merged until each expects at
// least five, as Pearson's approximation needs. Returns the statistic's upper-tail probability.
double chi_square_p_value(const std::vector<double>& counts, std::vector<double> probabilities) {
    double listed = 0;
    for (double p : probabilities) listed += p;
    probabilities.push_back(std::max(0.0, 1.0 - listed));
    std::vector<double> tail_counts = counts;
    tail_counts.resize(probabilities.size(), 0.0);
    double n = 0;
    for (double c : tail_counts) n += c;
    std::vector<double> observed, expected;
    double o = 0, e = 0;
    for (std::size_t k = 0; k < probabilities.size(); ++k) {
        o += tail_counts[k];
        e += n * probabilities[k];
        if (e >= 5.0) {
            observed.push_back(o);
            expected.push_back(e);
            o = e = 0;
        }
    }
    if (!expected.empty()) {
        observed.back() += o;
        expected.back() += e;
    }
    REQUIRE(expected.size() >= 2);
    double statistic = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) statistic += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
    const boost::math::chi_squared dist(static_cast<double>(expected.size() - 1));
    return boost::math::cdf(boost::math::complement(dist, statistic));
}

// A discrete sampler's outcomes 0..K-1 (and a last cell for K or more) from `draws` draws.
std::vector<double> tally(int draws, std::size_t cells, const std::function<std::int64_t()>& sample) {
    std::vector<double> counts(cells + 1, 0.0);
    std::int64_t negative = 0;
    for (int i = 0; i < draws; ++i) {
        const std::int64_t k = sample();
        if (k < 0) ++negative;
        else ++counts[std::min<std::size_t>(static_cast<std::size_t>(k), cells)];
    }
    CHECK(negative == 0);
    return counts;
}

// A continuous sampler against its distribution: draws binned into `bins` cells of equal
// probability, their edges the distribution's quantiles.
template <class Distribution>
double continuous_p_value(const Distribution& dist, int draws, int bins, const std::function<double()>& sample) {
    std::vector<double> edges;
    for (int b = 1; b < bins; ++b) edges.push_back(boost::math::quantile(dist, static_cast<double>(b) / bins));
    std::vector<double> counts(static_cast<std::size_t>(bins), 0.0);
    for (int i = 0; i < draws; ++i) {
        const double x = sample();
        ++counts[static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin())];
    }
    std::vector<double> probabilities(static_cast<std::size_t>(bins) - 1, 1.0 / bins);
    return chi_square_p_value(counts, probabilities);
}

}  // namespace

TEST_CASE("splitmix64 and xoshiro256++ give their authors' reference output") {
    // splitmix64 from state 0 (Vigna's splitmix64.c).
    std::uint64_t x = 0;
    CHECK(splitmix64(x) == 0xE220A8397B1DCDAFULL);
    CHECK(splitmix64(x) == 0x6E789E6AA1B965F4ULL);
    CHECK(splitmix64(x) == 0x06C45D188009454FULL);
    CHECK(splitmix64(x) == 0xF88BB8A8724C81ECULL);
    // xoshiro256++ from state {1, 2, 3, 4} (xoshiro256plusplus.c).
    Stream s = Stream::from_state(1, 2, 3, 4);
    const std::uint64_t expected[] = {41943041ULL,
                                      58720359ULL,
                                      3588806011781223ULL,
                                      3591011842654386ULL,
                                      9228616714210784205ULL,
                                      9973669472204895162ULL,
                                      14011001112246962877ULL,
                                      12406186145184390807ULL,
                                      15849039046786891736ULL,
                                      10450023813501588000ULL};
    for (const std::uint64_t e : expected) CHECK(s() == e);
}

TEST_CASE("a keyed stream gives the stored reference values") {
    // Every result rests on how (seed, draw, purpose, year) becomes a generator state: a change to
    // it changes every stored output, and is caught here first, where it is plain.
    Stream s(20260123, 0, StreamPurpose::parameters, 0);
    CHECK(s() == 0xD43A05A919B27605ULL);
    CHECK(s() == 0xFF02F1A2C7121877ULL);
    Stream t(7, 1999, StreamPurpose::england_shock, 2031);
    CHECK(t() == 0x062C742B30ED2882ULL);
    Stream u(1, 2, StreamPurpose::joiners, 3);
    CHECK(u.uniform() == 0.37484174868902531);
}

TEST_CASE("Poisson draws follow the Poisson distribution, by inversion and by rejection") {
    const std::vector<double> means = {0.3, 3.0, 11.5, 12.5, 40.0, 500.0};
    for (std::size_t m = 0; m < means.size(); ++m) {
        const double mean = means[m];
        INFO("mean " << mean);
        Stream s(11, m, StreamPurpose::joiners);
        const std::size_t cells = static_cast<std::size_t>(mean + 8 * std::sqrt(mean) + 10);
        const auto counts = tally(200000, cells, [&] { return sample_poisson(s, mean); });
        const boost::math::poisson_distribution<double> dist(mean);
        std::vector<double> p;
        for (std::size_t k = 0; k < cells; ++k) p.push_back(boost::math::pdf(dist, static_cast<double>(k)));
        CHECK(chi_square_p_value(counts, p) > kFalseFailure / static_cast<double>(means.size()));
    }
    Stream s(1, 1, StreamPurpose::joiners);
    CHECK(sample_poisson(s, 0.0) == 0);
    CHECK(sample_poisson(s, -1.0) == 0);
}

TEST_CASE("binomial draws follow the binomial distribution, by gaps, by rejection and flipped") {
    struct Case {
        std::int32_t n;
        double p;
    };
    // n p below 16 counts gaps; above, Boost's BTRD; p above one half draws the failures.
    const std::vector<Case> cases = {{10, 0.3}, {1000, 0.005}, {200, 0.3}, {50, 0.9}, {100000, 0.4}, {7, 0.999}, {1, 0.5}};
    for (std::size_t c = 0; c < cases.size(); ++c) {
        const std::int32_t n = cases[c].n;
        const double p = cases[c].p;
        INFO("n " << n << " p " << p);
        Stream s(12, c, StreamPurpose::ceasing_and_moves);
        const boost::math::binomial_distribution<double> dist(n, p);
        // Cells over the body of the distribution; the tails beyond are one cell each side.
        const double sd = std::sqrt(n * p * (1 - p));
        const std::int64_t low = std::max<std::int64_t>(0, static_cast<std::int64_t>(n * p - 8 * sd - 2));
        const std::size_t cells = static_cast<std::size_t>(std::min<double>(n + 1, n * p + 8 * sd + 3) - static_cast<double>(low));
        const auto counts = tally(200000, cells, [&] { return std::max<std::int64_t>(0, sample_binomial(s, n, p) - low); });
        std::vector<double> prob;
        for (std::size_t k = 0; k < cells; ++k)
            prob.push_back(k == 0 ? boost::math::cdf(dist, static_cast<double>(low)) : boost::math::pdf(dist, static_cast<double>(low) + static_cast<double>(k)));
        CHECK(chi_square_p_value(counts, prob) > kFalseFailure / static_cast<double>(cases.size()));
    }
}

TEST_CASE("a binomial draw of a negative count or a probability outside 0..1 is refused, not clamped") {
    Stream s(1, 0, StreamPurpose::ceasing_and_moves);
    CHECK(sample_binomial(s, 0, 0.5) == 0);
    CHECK(sample_binomial(s, 9, 0.0) == 0);
    CHECK(sample_binomial(s, 9, 1.0) == 9);
    CHECK_THROWS_AS(sample_binomial(s, -1, 0.5), std::invalid_argument);
    CHECK_THROWS_AS(sample_binomial(s, 5, -0.01), std::invalid_argument);
    CHECK_THROWS_AS(sample_binomial(s, 5, 1.01), std::invalid_argument);
    CHECK_THROWS_AS(sample_binomial(s, 5, std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
}

TEST_CASE("the binomial table's draws follow the binomial distribution") {
    struct Case {
        std::int32_t n;
        double p;
    };
    const std::vector<Case> cases = {{40, 0.3}, {127, 0.02}, {5, 0.97}, {64, 0.5}};
    BinomialTable table(128);
    for (std::size_t c = 0; c < cases.size(); ++c) {
        const std::int32_t n = cases[c].n;
        const double p = cases[c].p;
        INFO("n " << n << " p " << p);
        table.build(p);
        Stream s(13, c, StreamPurpose::transfers_in);
        const auto counts = tally(200000, static_cast<std::size_t>(n) + 1, [&] { return table.sample(n, static_cast<std::uint32_t>(s() >> 32)); });
        const boost::math::binomial_distribution<double> dist(n, p);
        std::vector<double> prob;
        for (std::int32_t k = 0; k <= n; ++k) prob.push_back(boost::math::pdf(dist, k));
        CHECK(chi_square_p_value(counts, prob) > kFalseFailure / static_cast<double>(cases.size()));
    }
}

TEST_CASE("the alias table's draws follow its weights") {
    const std::vector<std::vector<double>> weight_sets = {{5, 0, 1, 3, 0.5, 10}, {1, 1, 1, 1}, {0.001, 1000, 2, 40, 0, 7, 7, 7, 0.3}};
    for (std::size_t w = 0; w < weight_sets.size(); ++w) {
        const auto& weights = weight_sets[w];
        AliasTable table(weights.size());
        table.build(weights.data(), weights.size());
        Stream s(14, w, StreamPurpose::allocation);
        const auto counts = tally(300000, weights.size(), [&] { return table.sample32(static_cast<std::uint32_t>(s() >> 32)); });
        double total = 0;
        for (double x : weights) total += x;
        std::vector<double> prob;
        for (double x : weights) prob.push_back(x / total);
        CHECK(chi_square_p_value(counts, prob) > kFalseFailure / static_cast<double>(weight_sets.size()));
        for (std::size_t k = 0; k < weights.size(); ++k)
            if (weights[k] == 0) CHECK(counts[k] == 0);
    }
}

TEST_CASE("gamma and beta draws follow their distributions, shapes below and above one") {
    const std::vector<double> shapes = {0.06, 0.3, 1.0, 2.5, 30.0};
    const std::vector<std::pair<double, double>> betas = {{0.5, 2.0}, {3.0, 7.0}, {40.0, 2.0}};
    const double per_check = kFalseFailure / static_cast<double>(shapes.size() + betas.size());
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        INFO("gamma shape " << shapes[i]);
        Stream s(15, i, StreamPurpose::parameters);
        const boost::math::gamma_distribution<double> dist(shapes[i], 1.0);
        CHECK(continuous_p_value(dist, 200000, 50, [&] { return sample_gamma(s, shapes[i]); }) > per_check);
    }
    for (std::size_t i = 0; i < betas.size(); ++i) {
        const double a = betas[i].first, b = betas[i].second;
        INFO("beta " << a << ", " << b);
        Stream s(16, i, StreamPurpose::parameters);
        const boost::math::beta_distribution<double> dist(a, b);
        CHECK(continuous_p_value(dist, 200000, 50, [&] { return sample_beta(s, a, b, false); }) > per_check);
    }
    Stream s(1, 0, StreamPurpose::parameters);
    CHECK(sample_gamma(s, 0.0) == 0.0);
    CHECK(sample_beta(s, 3.0, 7.0, true) == Approx(0.3));
}

TEST_CASE("Dirichlet draws have Beta marginals, and small pseudo-counts keep their total exact") {
    // Each component of Dirichlet(alpha) is Beta(alpha_i, sum - alpha_i).
    const std::vector<double> alpha = {0.3, 2.0, 5.0, 0.06};
    // Below kSmallDirichletAlpha components share one gamma: their total is Beta(sum of them, rest).
    const std::vector<double> crumbs = {0.01, 0.02, 0.015, 1.5};
    const double per_check = kFalseFailure / static_cast<double>(alpha.size() + 1);
    double sum = 0;
    for (double a : alpha) sum += a;
    std::vector<double> out(alpha.size());
    for (std::size_t i = 0; i < alpha.size(); ++i) {
        INFO("component " << i);
        Stream s(17, i, StreamPurpose::parameters);
        const boost::math::beta_distribution<double> dist(alpha[i], sum - alpha[i]);
        CHECK(continuous_p_value(dist, 100000, 40, [&] {
                  sample_dirichlet(s, alpha.data(), alpha.size(), out.data(), false);
                  return out[i];
              }) > per_check);
    }
    Stream s(18, 0, StreamPurpose::parameters);
    std::vector<double> crumb_out(crumbs.size());
    const boost::math::beta_distribution<double> small_total(0.045, 1.5);
    CHECK(continuous_p_value(small_total, 100000, 40, [&] {
              sample_dirichlet(s, crumbs.data(), crumbs.size(), crumb_out.data(), false);
              return crumb_out[0] + crumb_out[1] + crumb_out[2];
          }) > per_check);
    sample_dirichlet(s, alpha.data(), alpha.size(), out.data(), true);
    CHECK(out[1] == Approx(2.0 / sum));
}
