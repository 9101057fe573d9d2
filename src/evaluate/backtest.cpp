#include "evaluate/backtest.h"

#include <cmath>
#include <numeric>

#include "calibrate/calibrate.h"
#include "core/error.h"
#include "simulate/projection.h"

namespace sendplan {

std::vector<BacktestRow> backtest(const AreaHistory& history, const Population& population, const Taxonomy& tax,
                                  const Assumptions& assumptions, const BacktestOptions& o, std::vector<std::string>& notes,
                                  const PooledEstimates* pooled) {
    if (o.horizon < 1) throw InputError("--horizon", 0, "horizon", "must be at least one year");
    if (o.draws < 1) throw InputError("--draws", 0, "draws", "must be a positive number of draws");
    const AreaHistory known = history_up_to(history, o.origin);
    if (!known.stock_by_age.count(o.origin) && !known.stock_total.count(o.origin))
        throw DataError("no January " + std::to_string(o.origin) + " census of " + history.area_name + " by age in the data: cannot start a backtest there");
    Calibration cal = calibrate(known, population, tax, assumptions, o.origin, o.horizon, pooled);
    notes.insert(notes.end(), cal.notes.begin(), cal.notes.end());

    ProjectionOptions po;
    po.draws = o.draws;
    po.seed = o.seed;
    po.threads = o.threads;
    // Only totals are scored; the detail table is required by the projection and is cheap.
    std::vector<Breakdown> breakdowns;
    for (auto& b : standard_breakdowns(tax, cal.posterior.dims))
        if (b.name == "total" || b.name == "need_setting_phase") breakdowns.push_back(std::move(b));
    const ProjectionResult r = project(cal.posterior, std::move(breakdowns), po);

    // The naive forecasts start from the published total of the origin census (else the base stock's).
    const double origin_total = known.stock_total.count(o.origin)
                                    ? known.stock_total.at(o.origin)
                                    : static_cast<double>(std::accumulate(cal.posterior.base_stock.begin(), cal.posterior.base_stock.end(), 0L));
    std::optional<double> growth;
    if (known.stock_total.count(o.origin - 3) && known.stock_total.at(o.origin - 3) > 0)
        growth = std::pow(origin_total / known.stock_total.at(o.origin - 3), 1.0 / 3.0);

    std::vector<BacktestRow> rows;
    for (int h = 1; h <= o.horizon; ++h) {
        const Histogram& total = r.stock[0][static_cast<std::size_t>(h)][0];
        BacktestRow row;
        row.area_code = history.area_code;
        row.origin = o.origin;
        row.year = o.origin + h;
        row.horizon = h;
        if (history.stock_total.count(row.year) && !std::isnan(history.stock_total.at(row.year))) row.actual = history.stock_total.at(row.year);
        row.mean = total.mean();
        row.p05 = total.quantile(0.05);
        row.p10 = total.quantile(0.10);
        row.p50 = total.quantile(0.50);
        row.p90 = total.quantile(0.90);
        row.p95 = total.quantile(0.95);
        row.p025 = total.quantile(0.025);
        row.p975 = total.quantile(0.975);
        row.last_value = origin_total;
        if (growth) row.compound_growth = origin_total * std::pow(*growth, h);
        rows.push_back(row);
    }
    return rows;
}

std::optional<double> engine_ape(const BacktestRow& row) {
    if (!row.actual || *row.actual <= 0) return std::nullopt;
    return 100.0 * std::abs(row.mean - *row.actual) / *row.actual;
}

std::vector<BacktestScore> score_backtest(const std::vector<BacktestRow>& rows) {
    std::vector<BacktestScore> scores;
    std::vector<std::vector<double>> apes;
    auto ape = [](double forecast, double actual) { return 100.0 * std::abs(forecast - actual) / actual; };
    for (const auto& row : rows) {
        if (!row.actual || *row.actual <= 0) continue;
        if (scores.size() < static_cast<std::size_t>(row.horizon)) {
            scores.resize(static_cast<std::size_t>(row.horizon));
            apes.resize(scores.size());
        }
        apes[static_cast<std::size_t>(row.horizon - 1)].push_back(ape(row.mean, *row.actual));
        BacktestScore& s = scores[static_cast<std::size_t>(row.horizon - 1)];
        const double actual = *row.actual;
        ++s.forecasts;
        s.engine_mape += ape(row.mean, actual);
        s.last_value_mape += ape(row.last_value, actual);
        if (row.compound_growth) {
            ++s.compound_growth_forecasts;
            s.compound_growth_mape += ape(*row.compound_growth, actual);
        }
        if (row.england_growth) {
            ++s.england_growth_forecasts;
            s.england_growth_mape += ape(*row.england_growth, actual);
        }
        s.inside_80 += actual >= row.p10 && actual <= row.p90;
        s.inside_90 += actual >= row.p05 && actual <= row.p95;
        s.inside_95 += actual >= row.p025 && actual <= row.p975;
    }
    for (std::size_t h = 0; h < scores.size(); ++h) {
        BacktestScore& s = scores[h];
        s.horizon = static_cast<int>(h + 1);
        if (s.forecasts == 0) continue;
        const double n = s.forecasts;
        s.engine_mape /= n;
        s.last_value_mape /= n;
        if (s.compound_growth_forecasts) s.compound_growth_mape /= s.compound_growth_forecasts;
        if (s.england_growth_forecasts) s.england_growth_mape /= s.england_growth_forecasts;
        auto& a = apes[h];
        std::nth_element(a.begin(), a.begin() + static_cast<long>(a.size() / 2), a.end());
        s.engine_median_ape = a[a.size() / 2];
        s.inside_80 /= n;
        s.inside_90 /= n;
        s.inside_95 /= n;
    }
    return scores;
}

}  // namespace sendplan
