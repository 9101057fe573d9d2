#include "calibrate/pooled.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "core/error.h"

namespace sendplan {
namespace {

std::optional<double> at(const std::map<int, double>& m, int year) {
    auto it = m.find(year);
    if (it == m.end() || !std::isfinite(it->second)) return std::nullopt;
    return it->second;
}

// Net leaving over calendar year t: the plans held at January t, plus those started in the year,
// that the January t+1 census no longer finds, per plan held.
std::optional<double> net_leaving(const AreaTotals& a, int t) {
    auto s0 = at(a.stock, t), s1 = at(a.stock, t + 1), j = at(a.joined, t);
    if (!s0 || !s1 || !j || *s0 <= 0) return std::nullopt;
    return (*s0 + *j - *s1) / *s0;
}

// New plans started in calendar year t per plan held at January t.
std::optional<double> joiner_ratio(const AreaTotals& a, int t) {
    auto s = at(a.stock, t), j = at(a.joined, t);
    if (!s || !j || *s <= 0 || *j <= 0) return std::nullopt;
    return *j / *s;
}

double median(std::vector<double> v) {
    const std::size_t n = v.size();
    std::nth_element(v.begin(), v.begin() + static_cast<long>(n / 2), v.end());
    const double upper = v[n / 2];
    if (n % 2) return upper;
    return 0.5 * (upper + *std::max_element(v.begin(), v.begin() + static_cast<long>(n / 2)));
}

// An area's departures from England in calendar years first..last (those it has).
template <class F>
std::vector<double> departures(F departure, int first, int last) {
    std::vector<double> out;
    for (int t = first; t <= last; ++t)
        if (auto d = departure(t)) out.push_back(*d);
    return out;
}

// An area's departure from England in net leaving (a difference of rates) and in new plans per
// plan held (a log ratio), in calendar year t, where both are known.
std::optional<double> leaving_departure(const AreaTotals& a, const AreaTotals& england, int t) {
    auto own = net_leaving(a, t), eng = net_leaving(england, t);
    if (!own || !eng) return std::nullopt;
    return *own - *eng;
}
std::optional<double> joiner_departure(const AreaTotals& a, const AreaTotals& england, int t) {
    auto own = joiner_ratio(a, t), eng = joiner_ratio(england, t);
    if (!own || !eng) return std::nullopt;
    return std::log(*own / *eng);
}

AreaTotals known_at(const AreaTotals& a, int origin) {
    AreaTotals c = a;
    std::erase_if(c.stock, [origin](const auto& kv) { return kv.first > origin; });
    std::erase_if(c.joined, [origin](const auto& kv) { return kv.first >= origin; });
    return c;
}

double plain_sd(const std::vector<double>& v) {
    if (v.size() < 2) return 0.0;
    const double m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// England-wide shocks: the root mean square of the year-to-year changes in England's yearly growth
// of plans held, g_t = S_{t+1} / S_t - 1, over the last `years` changes known at the origin (not an
// sd about their mean: a run of steady changes is itself a shift the record shows).
double growth_change_sd(const AreaTotals& england, int origin, int years, double decay) {
    double squares = 0, weights = 0, weight = 1;
    for (int t = origin - 1; t > origin - 1 - years; --t, weight *= decay) {
        const auto later = at(england.stock, t + 1), now = at(england.stock, t), earlier = at(england.stock, t - 1);
        if (!later || !now || !earlier || !(*now > 0) || !(*earlier > 0)) continue;
        const double change = *later / *now - *now / *earlier;
        squares += weight * change * change;
        weights += weight;
    }
    return weights > 0 ? std::sqrt(squares / weights) : 0.0;
}

// A robust centre and standard deviation (median, 1.4826 x MAD). Where more than half the values
// are alike the MAD is (near) zero and would single out every value that differs: `alike` says
// so, and the plain standard deviation stands in.
struct RobustSpread {
    double centre = 0, sd = 0;
    bool alike = false;
};
RobustSpread robust_spread(const std::vector<double>& v) {
    RobustSpread r;
    r.centre = median(v);
    std::vector<double> deviation;
    for (double x : v) deviation.push_back(std::abs(x - r.centre));
    r.sd = 1.4826 * median(deviation);
    const double plain = plain_sd(v);
    r.alike = r.sd <= 0.05 * plain;
    if (r.alike) r.sd = plain;
    return r;
}

// How much an area's departures scatter from year to year: their sample variance over the
// `kNoiseYears` years to `last`, shrunk toward `pooled` (the median area's) with the weight of
// `kNoisePriorYears` years, as a handful of years alone say little about it.
constexpr int kNoiseYears = 6;
constexpr double kNoisePriorYears = 4;
struct Scatter {
    double variance = 0;  // sample variance of the departures
    std::size_t years = 0;
};
template <class F>
Scatter own_scatter(F departure, int last) {
    const auto d = departures(departure, last - kNoiseYears + 1, last);
    const double sd = plain_sd(d);
    return {sd * sd, d.size()};
}
double shrunk_variance(const Scatter& own, double pooled) {
    const double dof = own.years >= 2 ? static_cast<double>(own.years - 1) : 0.0;
    return (kNoisePriorYears * pooled + dof * own.variance) / (kNoisePriorYears + dof);
}

// The variance of the median of n departures with yearly variance s2 (normal: pi/2 s2 / n).
double median_variance(double s2, std::size_t n) { return n > 0 ? 1.5707963267948966 * s2 / static_cast<double>(n) : INFINITY; }

struct Persistence {
    double slope = 0, offset = 0, residual_sd = 0;
    int areas = 0;
};

// How much of the median departure over the `window` years before a year carries into that year,
// across all areas: a least-squares slope, refitted without areas whose residual is beyond five
// robust standard deviations (a one-off correction must not set the rule for everyone), and kept
// within 0..1.
Persistence persistence(const std::vector<std::pair<double, double>>& xy) {
    Persistence p;
    auto fit = [](const std::vector<std::pair<double, double>>& pts, double& slope, double& intercept) {
        double mx = 0, my = 0;
        for (auto [x, y] : pts) mx += x, my += y;
        mx /= static_cast<double>(pts.size());
        my /= static_cast<double>(pts.size());
        double sxy = 0, sxx = 0;
        for (auto [x, y] : pts) sxy += (x - mx) * (y - my), sxx += (x - mx) * (x - mx);
        slope = sxx > 0 ? sxy / sxx : 0.0;
        intercept = my - slope * mx;
    };
    double slope = 0, intercept = 0;
    fit(xy, slope, intercept);
    std::vector<double> residuals;
    for (auto [x, y] : xy) residuals.push_back(y - intercept - slope * x);
    // With more than half the residuals alike nothing is trimmed.
    const RobustSpread spread = robust_spread(residuals);
    std::vector<std::pair<double, double>> kept;
    for (std::size_t i = 0; i < xy.size(); ++i)
        if (spread.alike || std::abs(residuals[i] - spread.centre) <= 5 * spread.sd) kept.push_back(xy[i]);
    if (kept.size() >= 3) fit(kept, slope, intercept);
    // The rule as used: the slope kept within 0..1 and the offset refitted for it, so that the
    // spread recorded is that of the rule's own errors.
    p.slope = std::clamp(slope, 0.0, 1.0);
    double offset = 0;
    for (auto [x, y] : kept) offset += y - p.slope * x;
    p.offset = offset / static_cast<double>(kept.size());
    double ss = 0;
    for (auto [x, y] : kept) ss += (y - p.offset - p.slope * x) * (y - p.offset - p.slope * x);
    p.residual_sd = kept.size() > 2 ? std::sqrt(ss / static_cast<double>(kept.size() - 2)) : 0.0;
    p.areas = static_cast<int>(kept.size());
    return p;
}

}  // namespace

AreaTotals totals_of(const AreaHistory& h) {
    AreaTotals t;
    t.code = h.area_code;
    for (const auto& [year, n] : h.stock_total)
        if (std::isfinite(n)) t.stock[year] = n;
    for (const auto& [year, n] : h.new_total)
        if (std::isfinite(n)) t.joined[year] = n;
    return t;
}

PoolingRecord pooling_record(const DfeReleases& releases, const Taxonomy& tax) {
    PoolingRecord record;
    for (const auto& la : releases.local_authorities()) record.authorities.push_back(totals_of(releases.history(la.code, tax, true)));
    try {
        record.england = totals_of(releases.history("E92000001", tax));
    } catch (const InputError&) {
        // A folder of a few authorities' rows: nothing to pool toward.
    }
    return record;
}

namespace {

// England's own rates at the origin: net leaving and new plans per plan held in the last calendar
// year, the growth of new plans and how much it has moved. False where the record lacks them.
bool england_rates(const AreaTotals& england, int origin, const Assumptions::Pooling& pooling, PooledEstimates& e) {
    const int last = origin - 1;  // the last calendar year of flows
    auto leaving = net_leaving(england, last);
    auto ratio = joiner_ratio(england, last);
    if (!leaving || !ratio) return false;
    e.england_net_leaving = *leaving;
    e.england_joiner_ratio = *ratio;
    const int G = pooling.joiner_growth_years;
    if (G < 1 || pooling.window_years < 1) return false;
    auto j_last = at(england.joined, last), j_first = at(england.joined, last - G);
    if (!j_last || !j_first || *j_first <= 0) return false;
    e.england_joiner_growth = std::log(*j_last / *j_first) / G;
    // How much England's growth of new plans has itself moved from year to year.
    std::vector<double> growths;
    for (int t = last - 4; t <= last; ++t)
        if (auto a = at(england.joined, t), b = at(england.joined, t - 1); a && b && *a > 0 && *b > 0) growths.push_back(std::log(*a / *b));
    e.england_joiner_growth_sd = plain_sd(growths);
    e.england_growth_change_sd = growth_change_sd(england, origin, pooling.england_shock_years, pooling.england_shock_decay);
    return true;
}

// Each area's departure in a year against the median of its departures over the years before it,
// in net leaving and in new plans; for each area in the fit, the scatter of its departures and how
// many years its median rests on.
struct DepartureRecord {
    std::vector<std::pair<double, double>> leaving_xy, joiner_xy;
    std::vector<std::pair<Scatter, std::size_t>> leaving_noise, joiner_noise;

    int areas() const { return static_cast<int>(std::min(leaving_xy.size(), joiner_xy.size())); }
};

template <class F>
void add_departure(F departure, int year, int window, std::vector<std::pair<double, double>>& xy, std::vector<std::pair<Scatter, std::size_t>>& noise) {
    const auto y = departure(year);
    if (!y) return;
    auto past = departures(departure, year - window, year - 1);
    if (past.empty()) return;
    xy.emplace_back(median(past), *y);
    noise.emplace_back(own_scatter(departure, year - 1), past.size());
}

DepartureRecord departures_in(const std::vector<AreaTotals>& known, const AreaTotals& england, int year, int window) {
    DepartureRecord d;
    for (const AreaTotals& a : known) {
        auto leaving_dep = [&](int t) { return leaving_departure(a, england, t); };
        auto joiner_dep = [&](int t) { return joiner_departure(a, england, t); };
        add_departure(leaving_dep, year, window, d.leaving_xy, d.leaving_noise);
        add_departure(joiner_dep, year, window, d.joiner_xy, d.joiner_noise);
    }
    return d;
}

// The widest departure an area is credited with: five robust standard deviations of the
// departures all areas show. A tiny authority's ratios can swing wildly; carried forward
// unbounded over ten years they compound into nonsense.
double departure_limit(const std::vector<std::pair<double, double>>& xy) {
    std::vector<double> x;
    for (auto [past, y] : xy) x.push_back(past);
    const RobustSpread spread = robust_spread(x);
    return std::abs(spread.centre) + 5 * spread.sd;
}

// Empirical Bayes, area by area. The slope is the share of the spread of areas' medians that is
// lasting: phi = tau^2 / (tau^2 + mean v_i), v_i the sampling variance of area i's median. So
// tau^2 = phi / (1 - phi) x mean v_i, and each area's own weight is tau^2 / (tau^2 + v_i): a
// long, steady record keeps more of its departure, a short or erratic one borrows more.
// Each area's scatter is shrunk toward the median area's exactly as for a forecast (pooled_area).
double between_areas(double phi, const std::vector<std::pair<Scatter, std::size_t>>& noise, double& pooled_noise) {
    std::vector<double> known;
    for (const auto& [scatter, n] : noise)
        if (scatter.years >= 2) known.push_back(scatter.variance);
    pooled_noise = known.empty() ? 0.0 : median(known);
    double mean_v = 0;
    for (const auto& [scatter, n] : noise) mean_v += median_variance(shrunk_variance(scatter, pooled_noise), n);
    mean_v /= static_cast<double>(std::max<std::size_t>(noise.size(), 1));
    const double p = std::min(phi, 0.95);
    return p / (1 - p) * mean_v;
}

}  // namespace

std::optional<PooledEstimates> fit_pooled(const std::vector<AreaTotals>& authorities, const AreaTotals& england_all, int origin,
                                          const Assumptions::Pooling& pooling) {
    // Nothing dated after the origin: censuses up to it, new plans of the calendar years before it.
    const AreaTotals england = known_at(england_all, origin);
    const int last = origin - 1;  // the last calendar year of flows
    PooledEstimates e;
    e.origin = origin;
    e.england = england;
    if (!england_rates(england, origin, pooling, e)) return std::nullopt;
    // How departures carry is learnt from the last year that enough authorities have published:
    // a newest census released for a few areas only (the selected rows of a new release) still
    // gives England's rates, while the carrying comes from the year before.
    std::vector<AreaTotals> known;
    for (const auto& a : authorities) known.push_back(known_at(a, origin));
    constexpr int kYearsBack = 3;
    DepartureRecord d;
    for (int year = last; year >= last - kYearsBack; --year) {
        d = departures_in(known, england, year, pooling.window_years);
        e.persistence_year = year;
        if (d.areas() >= pooling.min_areas) break;
    }
    if (d.areas() < std::max(pooling.min_areas, 3)) return std::nullopt;
    const Persistence l = persistence(d.leaving_xy), j = persistence(d.joiner_xy);
    e.leaving_departure_limit = departure_limit(d.leaving_xy);
    e.joiner_departure_limit = departure_limit(d.joiner_xy);
    e.leaving_persistence = l.slope;
    e.leaving_offset = l.offset;
    e.joiner_offset = j.offset;
    e.leaving_residual_sd = l.residual_sd;
    e.joiner_persistence = j.slope;
    e.joiner_residual_sd = j.residual_sd;
    e.areas = d.areas();
    e.leaving_areas_left_out = static_cast<int>(d.leaving_xy.size()) - l.areas;
    e.leaving_between_variance = between_areas(l.slope, d.leaving_noise, e.leaving_noise_variance);
    e.joiner_between_variance = between_areas(j.slope, d.joiner_noise, e.joiner_noise_variance);
    e.joiner_areas_left_out = static_cast<int>(d.joiner_xy.size()) - j.areas;
    return e;
}

std::optional<PooledEstimates> fit_pooled(const PoolingRecord& record, int origin, const Assumptions::Pooling& pooling) {
    if (!record.england) return std::nullopt;
    return fit_pooled(record.authorities, *record.england, origin, pooling);
}

PooledArea pooled_area(const PooledEstimates& e, const AreaTotals& a_all, const Assumptions::Pooling& pooling) {
    const AreaTotals a = known_at(a_all, e.origin);
    const int last = e.origin - 1, W = pooling.window_years;
    PooledArea out;
    // The area's own recent departures from England, by their median (robust to one odd year),
    // carried forward as far as the record of every area says departures carry, plus the mean
    // departure of all areas (England's rates are weighted by plans held; a typical area's are not).
    const auto leaving = departures([&](int t) { return leaving_departure(a, e.england, t); }, last - W + 1, last);
    const auto joining = departures([&](int t) { return joiner_departure(a, e.england, t); }, last - W + 1, last);
    out.leaving_years = static_cast<int>(leaving.size());
    out.joiner_years = static_cast<int>(joining.size());
    if (!leaving.empty()) out.own_leaving_departure = std::clamp(median(leaving), -e.leaving_departure_limit, e.leaving_departure_limit);
    if (!joining.empty()) out.own_joiner_departure = std::clamp(median(joining), -e.joiner_departure_limit, e.joiner_departure_limit);
    // The mean departure is that of a local authority: England and its regions are sums of them.
    const bool authority = is_local_authority_code(a.code);
    const double leaving_offset = authority ? e.leaving_offset : 0.0, joiner_offset = authority ? e.joiner_offset : 0.0;
    auto weight = [last](double between, double pooled_noise, auto dep, std::size_t n) {
        if (between <= 0 || n == 0) return 0.0;
        const double v = median_variance(shrunk_variance(own_scatter(dep, last), pooled_noise), n);
        return between / (between + v);
    };
    out.leaving_weight = weight(e.leaving_between_variance, e.leaving_noise_variance, [&](int t) { return leaving_departure(a, e.england, t); },
                                leaving.size());
    out.joiner_weight = weight(e.joiner_between_variance, e.joiner_noise_variance, [&](int t) { return joiner_departure(a, e.england, t); },
                               joining.size());
    out.net_leaving = e.england_net_leaving + leaving_offset + out.leaving_weight * out.own_leaving_departure;
    // New plans per plan held: England's, tilted by the area's departure. An area new at the origin
    // (a successor authority) has no earlier census; its first stands in.
    const double held = at(a.stock, last).value_or(at(a.stock, e.origin).value_or(0.0));
    out.joiner_factor = std::exp(joiner_offset + out.joiner_weight * out.own_joiner_departure);
    out.joiners = held * e.england_joiner_ratio * out.joiner_factor;
    return out;
}

namespace {

// The trend's intercept is its log rate in its own last year; the pooled estimate is for the
// calendar year before the base census, so it is moved along England's growth if they differ.
// Yearly scatter of new plans about the trend: what the record of all areas shows one year ahead.
// The level is known to within that scatter over the window; the growth to within how much
// England's has moved.
void pooled_trend(const PooledEstimates& e, const PooledArea& a, const Assumptions::Pooling& pooling, double population_total, JoinerTrendPosterior& t) {
    const double scale = pooling.uncertainty_scale;
    const int gap = t.last_year - (e.origin - 1);
    const double growth = e.england_joiner_growth;
    t.coefficients = Eigen::Vector2d(std::log(a.joiners / population_total) + growth * gap, growth);
    t.damping = pooling.damping;
    const double yearly_sd = std::max(scale * e.joiner_residual_sd, 1e-6);
    const double level_sd = yearly_sd / std::sqrt(static_cast<double>(std::max(a.joiner_years, 1)));
    const double growth_sd = std::max(scale * e.england_joiner_growth_sd, 1e-6);
    constexpr int kYearlyNoiseDof = 30;  // spread estimated over a hundred and more areas: near-known
    t.degrees_of_freedom = kYearlyNoiseDof;
    t.residual_variance = yearly_sd * yearly_sd;
    t.unscaled_covariance << level_sd * level_sd / t.residual_variance, 0.0, 0.0, growth_sd * growth_sd / t.residual_variance;
}

// Plans held at the base census, and those the posterior's ceasing (and ageing out at the top age)
// takes out in a year.
struct PosteriorLeaving {
    double held = 0, leaving = 0;
};
PosteriorLeaving posterior_leaving(const Posterior& p) {
    const Dimensions& d = p.dims;
    PosteriorLeaving out;
    for (int age = 0; age < d.ages; ++age) {
        double at_age = 0;
        for (int k = 0; k < d.needs; ++k)
            for (int s = 0; s < d.settings; ++s) at_age += p.base_stock[static_cast<std::size_t>(d.cell(age, k, s))];
        const auto i = static_cast<std::size_t>(age);
        const double cease = age + 1 < d.ages ? p.cease_alpha[i] / (p.cease_alpha[i] + p.cease_beta[i]) : 1.0;
        out.held += at_age;
        out.leaving += at_age * cease;
    }
    return out;
}

// Years whose flows disagree with the censuses beyond what other authorities show: flagged, and
// kept out of the rate by the median (one year of three cannot set it).
void note_outlying_years(const PooledEstimates& e, const AreaTotals& area, const Assumptions::Pooling& pooling, std::vector<std::string>& notes) {
    const AreaTotals known = known_at(area, e.origin);
    for (int t = e.origin - pooling.window_years; t < e.origin; ++t) {
        const auto dl = leaving_departure(known, e.england, t);
        const auto dj = joiner_departure(known, e.england, t);
        if (dl && e.leaving_residual_sd > 0 && std::abs(*dl - e.leaving_offset) > 5 * e.leaving_residual_sd)
            notes.push_back(fmt::format("net leaving in {} ({:.1f}% of plans held; England {:.1f}%) is beyond what other authorities show "
                                        "(5 sd = {:.1f} points): a correction or reclassification of the census, not a rate to carry forward",
                                        t, 100 * (*dl + *net_leaving(e.england, t)), 100 * *net_leaving(e.england, t), 500 * e.leaving_residual_sd));
        if (dj && e.joiner_residual_sd > 0 && std::abs(*dj - e.joiner_offset) > 5 * e.joiner_residual_sd)
            notes.push_back(fmt::format("new plans in {} ({:.0f}) are beyond what other authorities show for their plans held: left out of "
                                        "the level by the median of {} years",
                                        t, known.joined.at(t), pooling.window_years));
    }
}

}  // namespace

void apply_pooling(const PooledEstimates& e, const AreaTotals& area, const Assumptions::Pooling& pooling, double population_total, Posterior& p,
                   std::vector<std::string>& notes) {
    const PooledArea a = pooled_area(e, area, pooling);
    if (!(a.joiners > 0) || !(population_total > 0)) {
        notes.push_back("pooling across authorities skipped: no plans held before the base census to scale new plans by");
        return;
    }
    const double scale = pooling.uncertainty_scale;
    pooled_trend(e, a, pooling, population_total, p.trend);

    // Net leaving: what the posterior's ceasing (and ageing out at the top age) implies at the base
    // census, made up to the pooled rate by net transfers.
    const PosteriorLeaving leaving = posterior_leaving(p);
    if (leaving.held <= 0) return;
    p.transfer_mean = leaving.leaving / leaving.held - a.net_leaving;
    // Departures in net leaving do not persist (the all-area record puts their persistence near
    // zero at every origin): the rule's one-year error is drawn afresh each year, not once for all
    // years, so an area's own uncertainty grows as a random walk of its plans, not in a straight line.
    p.transfer_sd = 0;
    p.transfer_dof = 0;
    // England and its regions, sums of authorities, have no departure of their own from England's
    // rates (as they take no mean departure): only England-wide shocks move them.
    p.yearly_departure_sd = is_local_authority_code(area.code) ? scale * e.leaving_residual_sd : 0.0;
    p.england_shock_sd = pooling.england_shock_scale * e.england_growth_change_sd;
    note_outlying_years(e, area, pooling, notes);
    notes.push_back(
        fmt::format("pooled with {} authorities (origin {}): net leaving {:.1f}% a year (England {:.1f}%, this area's recent departure {:+.1f} points x "
                    "{:.2f} carried), new plans {:.0f} in {} (England's rate per plan held x {:.2f}), growing {:.1f}% a year damped by {:g}; "
                    "England-wide shocks to the growth of plans, shared by every area, of {:.1f} points a year",
                    e.areas, e.origin, 100 * a.net_leaving, 100 * e.england_net_leaving, 100 * a.own_leaving_departure, a.leaving_weight, a.joiners,
                    e.origin - 1, a.joiner_factor, 100 * (std::exp(e.england_joiner_growth) - 1), pooling.damping, 100 * p.england_shock_sd));
}

}  // namespace sendplan
