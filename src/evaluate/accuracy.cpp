#include "evaluate/accuracy.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/error.h"
#include "io/csv.h"
#include "io/input_file.h"

namespace sendplan {
namespace {

// Size bands by plans at the origin census: forecasts of small authorities miss by more in
// proportion (a few dozen plans are a large share of a few hundred).
struct Band {
    const char* kind;
    double min_plans, max_plans;
};
constexpr Band kBands[] = {
    {"all authorities", 0, 0},
    {"authorities with fewer than 1,500 plans", 0, 1500},
    {"authorities with 1,500 to 3,999 plans", 1500, 4000},
    {"authorities with 4,000 plans or more", 4000, 0},
};

bool in_band(double plans, double min_plans, double max_plans) { return plans >= min_plans && (max_plans <= 0 || plans < max_plans); }

double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double at = q * static_cast<double>(v.size() - 1);
    const auto i = static_cast<std::size_t>(std::floor(at));
    const double f = at - static_cast<double>(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

}  // namespace

std::vector<AccuracyRow> accuracy_by_kind(const std::vector<BacktestRow>& rows) {
    std::vector<AccuracyRow> out;
    int horizons = 0;
    for (const auto& r : rows) horizons = std::max(horizons, r.horizon);
    for (const Band& band : kBands)
        for (int h = 1; h <= horizons; ++h) {
            std::vector<double> apes;
            double inside_80 = 0, inside_95 = 0;
            for (const auto& r : rows) {
                if (r.horizon != h || !is_local_authority_code(r.area_code) || !in_band(r.last_value, band.min_plans, band.max_plans)) continue;
                const auto ape = engine_ape(r);
                if (!ape) continue;
                apes.push_back(*ape);
                inside_80 += *r.actual >= r.p10 && *r.actual <= r.p90;
                inside_95 += *r.actual >= r.p025 && *r.actual <= r.p975;
            }
            if (apes.empty()) continue;
            AccuracyRow a;
            a.kind = band.kind;
            a.min_plans = band.min_plans;
            a.max_plans = band.max_plans;
            a.horizon = h;
            a.forecasts = static_cast<int>(apes.size());
            a.median_ape = quantile(apes, 0.5);
            a.ape_p90 = quantile(apes, 0.9);
            double sum = 0;
            for (double e : apes) sum += e;
            a.mape = sum / static_cast<double>(apes.size());
            a.inside_80 = inside_80 / static_cast<double>(apes.size());
            a.inside_95 = inside_95 / static_cast<double>(apes.size());
            out.push_back(a);
        }
    return out;
}

std::string accuracy_table_text(const AccuracyTable& table) {
    std::ostringstream f;
    f << "# " << table.source << '\n';
    f << "kind,min_plans,max_plans,horizon,forecasts,median_ape,ape_p90,mape,inside_80,inside_95\n";
    for (const auto& a : table.rows)
        f << '"' << a.kind << '"' << ',' << a.min_plans << ',' << a.max_plans << ',' << a.horizon << ',' << a.forecasts << ','
          << fmt::format("{:.2f},{:.2f},{:.2f},{:.3f},{:.3f}", a.median_ape, a.ape_p90, a.mape, a.inside_80, a.inside_95) << '\n';
    return f.str();
}

AccuracyTable read_accuracy_table(const std::string& path) {
    // The first line is a comment saying how the table was made; the CSV starts after it.
    std::string text = read_input_file(path, "the forecast accuracy table (CSV)");
    AccuracyTable table;
    if (text.rfind("# ", 0) == 0) {
        const auto end = text.find('\n');
        table.source = trim(text.substr(2, end == std::string::npos ? std::string::npos : end - 2));
        text = end == std::string::npos ? std::string() : text.substr(end + 1);
    }
    const CsvTable t = CsvTable::parse(text, path);
    const std::size_t kind = t.column("kind"), min_plans = t.column("min_plans"), max_plans = t.column("max_plans"), horizon = t.column("horizon"),
                      forecasts = t.column("forecasts"), median = t.column("median_ape"), p90 = t.column("ape_p90"), mape = t.column("mape"),
                      in80 = t.column("inside_80"), in95 = t.column("inside_95");
    for (std::size_t r = 0; r < t.rows(); ++r) {
        AccuracyRow a;
        a.kind = t.text(r, kind);
        a.min_plans = t.number(r, min_plans, 0, kMaxCount);
        a.max_plans = t.number(r, max_plans, 0, kMaxCount);
        a.horizon = static_cast<int>(t.integer(r, horizon, 1, 50));
        a.forecasts = static_cast<int>(t.integer(r, forecasts, 0, 1000000000));
        a.median_ape = t.number(r, median, 0, 1e6);
        a.ape_p90 = t.number(r, p90, 0, 1e6);
        a.mape = t.number(r, mape, 0, 1e6);
        a.inside_80 = t.number(r, in80, 0, 1);
        a.inside_95 = t.number(r, in95, 0, 1);
        // Line numbers: the comment line comes first in the file.
        if (a.horizon < 1 || a.horizon > 50) throw InputError(path, t.line(r) + 1, "horizon", "must be a whole number of years from 1 to 50");
        if (!(a.median_ape >= 0) || !(a.ape_p90 >= a.median_ape) || !(a.mape >= 0))
            throw InputError(path, t.line(r) + 1, "median_ape", "errors must be percentages with ape_p90 at least the median");
        if (!(a.inside_80 >= 0 && a.inside_80 <= 1) || !(a.inside_95 >= 0 && a.inside_95 <= 1))
            throw InputError(path, t.line(r) + 1, "inside_80", "coverage must be a share from 0 to 1");
        table.rows.push_back(a);
    }
    return table;
}

std::vector<AccuracyRow> accuracy_for(const AccuracyTable& table, double plans, bool is_authority) {
    std::vector<AccuracyRow> out;
    for (const auto& a : table.rows) {
        const bool all = a.min_plans <= 0 && a.max_plans <= 0;
        if (is_authority ? (!all && in_band(plans, a.min_plans, a.max_plans)) : all) out.push_back(a);
    }
    return out;
}

std::string accuracy_sentence(const std::vector<AccuracyRow>& rows, const std::string& source) {
    if (rows.empty()) return {};
    const AccuracyRow* best = &rows.front();
    for (const auto& a : rows)
        if (std::abs(a.horizon - 3) < std::abs(best->horizon - 3)) best = &a;
    const int h = best->horizon;
    return fmt::format(
        "Forecasts made this way for {} in England were within {:.0f}% of the plans actually counted {} year{} ahead in half of the "
        "cases, and within {:.0f}% in nine cases out of ten; their 80% ranges held {:.0f}% of the outcomes ({} forecasts{}).",
        best->kind, best->median_ape, h, h == 1 ? "" : "s", best->ape_p90, 100 * best->inside_80, best->forecasts,
        source.empty() ? std::string() : "; " + source);
}

}  // namespace sendplan
