// Calibration from a person-level history (METHOD.md, section 12). The history is first summed into
// the same tables the published data give, by single year of age and with every split, so trend,
// joiner mix and ceasing are estimated exactly as for aggregates; then the base stock is the census
// itself, and setting moves and need changes are counted child by child instead of rebuilt by IPF.
#include "calibrate/person_level.h"

#include <algorithm>
#include <numeric>

#include "calibrate/builder.h"
#include "core/error.h"

namespace sendplan {

namespace {

using calibration::Vec;

// One AgeRow per single age, its split by setting or need.
std::vector<AgeRow> single_age_rows(const Vec& by_age_part, std::size_t ages, std::size_t parts, int min_age) {
    std::vector<AgeRow> rows;
    for (std::size_t a = 0; a < ages; ++a) {
        AgeRow r{{min_age + static_cast<int>(a), min_age + static_cast<int>(a)}, 0.0, Vec(parts, 0.0)};
        for (std::size_t p = 0; p < parts; ++p) {
            r.split[p] = by_age_part[a * parts + p];
            r.total += r.split[p];
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

// Counts of states by age x setting, age x need, setting x need.
struct Tables {
    Vec age_setting, age_need;
    std::vector<Vec> setting_need;
    Tables(std::size_t A, std::size_t K, std::size_t S) : age_setting(A * S, 0.0), age_need(A * K, 0.0), setting_need(S, Vec(K, 0.0)) {}
    void add(const PersonState& s, std::size_t K, std::size_t S) {
        const auto a = static_cast<std::size_t>(s.age), k = static_cast<std::size_t>(s.need), st = static_cast<std::size_t>(s.setting);
        age_setting[a * S + st] += 1;
        age_need[a * K + k] += 1;
        setting_need[st][k] += 1;
    }
};

// The published tables' shape for one year: either the census (stock) or the year's new plans.
struct TableSet {
    YearSeries& total;
    YearSplit &by_setting, &by_need;
    YearAgeRows &by_age_setting, &by_age_need;
    std::map<int, std::vector<Vec>>& setting_need;
};

void put_tables(const Tables& t, int year, std::size_t A, std::size_t K, std::size_t S, int min_age, TableSet out) {
    out.by_age_setting[year] = single_age_rows(t.age_setting, A, S, min_age);
    out.by_age_need[year] = single_age_rows(t.age_need, A, K, min_age);
    out.setting_need[year] = t.setting_need;
    Vec by_setting(S, 0.0), by_need(K, 0.0);
    double total = 0;
    for (std::size_t s = 0; s < S; ++s)
        for (std::size_t k = 0; k < K; ++k) {
            by_setting[s] += t.setting_need[s][k];
            by_need[k] += t.setting_need[s][k];
            total += t.setting_need[s][k];
        }
    out.by_setting[year] = by_setting;
    out.by_need[year] = by_need;
    out.total[year] = total;
}

}  // namespace

AreaHistory summarise_person_history(const PersonHistory& ph, const Taxonomy& tax, const std::string& area_code, const std::string& area_name) {
    const std::size_t A = static_cast<std::size_t>(tax.ages()), K = tax.needs.size(), S = tax.settings.size();
    AreaHistory h;
    h.area_code = area_code;
    h.area_name = area_name;
    h.files_read.push_back(ph.source);
    const TableSet stock{h.stock_total, h.stock_by_setting, h.stock_by_need, h.stock_by_age, h.stock_need_by_age, h.stock_need_by_setting};
    const TableSet joiners{h.new_total, h.new_by_setting, h.new_by_need, h.new_by_age, h.new_need_by_age, h.new_need_by_setting};
    for (const auto& [year, children] : ph.censuses) {
        Tables t(A, K, S);
        for (const auto& c : children) t.add(c, K, S);
        put_tables(t, year, A, K, S, tax.min_age, stock);
    }
    // Flows of calendar year y: between the January y and January y+1 censuses. Joiners by their age
    // at the later census (the model's convention); leavers by their age at the earlier one, those at
    // the top age included, as in the published ceased plans (calibration takes them out again).
    std::map<int, Tables> joined;
    std::map<int, Vec> left;
    for (const auto& tr : ph.transitions) {
        if (!tr.from && tr.to) joined.try_emplace(tr.year, A, K, S).first->second.add(*tr.to, K, S);
        if (tr.from && !tr.to) {
            left.try_emplace(tr.year, Vec(A, 0.0)).first->second[static_cast<std::size_t>(tr.from->age)] += 1;
        }
    }
    for (const auto& [year, children] : ph.censuses) {
        if (!ph.censuses.count(year + 1)) continue;  // no later census: the year's flows are unknown
        put_tables(joined.count(year) ? joined.at(year) : Tables(A, K, S), year, A, K, S, tax.min_age, joiners);
        const Vec l = left.count(year) ? left.at(year) : Vec(A, 0.0);
        std::vector<AgeRow> rows;
        for (std::size_t a = 0; a < A; ++a) rows.push_back(AgeRow{{tax.min_age + static_cast<int>(a), tax.min_age + static_cast<int>(a)}, l[a], {}});
        h.ceased_by_age[year] = rows;
        h.ceased_total[year] = std::accumulate(l.begin(), l.end(), 0.0);
    }
    return h;
}

namespace {

// The model's ages, needs and settings.
struct Shape {
    std::size_t A, K, S;
};

// Setting moves [age][from][to] and need changes [age][from][to] of the children held at both
// censuses of a year before the base census; returns how many children were counted.
long count_moves(const PersonHistory& ph, int base_year, Shape d, Vec& setting_moves, Vec& need_changes) {
    long counted = 0;
    for (const auto& tr : ph.transitions) {
        if (tr.year >= base_year || !tr.from || !tr.to) continue;
        const auto a = static_cast<std::size_t>(tr.from->age);
        if (a + 1 >= d.A) continue;
        setting_moves[(a * d.S + static_cast<std::size_t>(tr.from->setting)) * d.S + static_cast<std::size_t>(tr.to->setting)] += 1;
        need_changes[(a * d.K + static_cast<std::size_t>(tr.from->need)) * d.K + static_cast<std::size_t>(tr.to->need)] += 1;
        ++counted;
    }
    return counted;
}

// Sparse rows borrow from the same row at the neighbouring ages, and then from the structural
// prior (stay, else go where children a year older are): a prior of `strength` pseudo-moves.
Vec pooled_row(const Vec& counts, std::size_t n, std::size_t A, std::size_t a, std::size_t from, const Vec& structural, double strength) {
    Vec row(n, 0.0);
    for (std::size_t o = a > 0 ? a - 1 : 0; o <= std::min(a + 1, A - 2); ++o)
        for (std::size_t t = 0; t < n; ++t) row[t] += counts[(o * n + from) * n + t];
    for (std::size_t t = 0; t < n; ++t) row[t] += strength * structural[t];
    row = calibration::normalised(row);
    Vec alpha(n);
    for (std::size_t t = 0; t < n; ++t) alpha[t] = counts[(a * n + from) * n + t] + strength * row[t];
    return alpha;
}

void counted_setting_moves(const Vec& setting_moves, const Taxonomy& tax, const Assumptions& as, Shape d, Posterior& p) {
    const std::size_t A = d.A, K = d.K, S = d.S;
    for (std::size_t a = 0; a + 1 < A; ++a) {
        // Where children a year older are: the base census, else the structural prior stays put.
        Eigen::VectorXd older_settings = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(S));
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t s = 0; s < S; ++s) older_settings(static_cast<Eigen::Index>(s)) += p.base_stock[((a + 1) * K + k) * S + s];
        if (older_settings.sum() > 0) older_settings /= older_settings.sum();
        const int age = tax.min_age + static_cast<int>(a);
        const auto& sm = as.setting_moves;
        const bool transfer = std::find(sm.transfer_ages.begin(), sm.transfer_ages.end(), age) != sm.transfer_ages.end();
        const Eigen::MatrixXd prior = calibration::Builder::prior_transitions(transfer ? sm.stay_weight_transfer : sm.stay_weight, older_settings, false);
        for (std::size_t s = 0; s < S; ++s) {
            Vec structural(S);
            for (std::size_t t = 0; t < S; ++t) structural[t] = prior(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(t));
            const Vec alpha = pooled_row(setting_moves, S, A, a, s, structural, sm.prior_strength);
            for (std::size_t t = 0; t < S; ++t) p.move_alpha(a, s, t) = alpha[t];
        }
    }
}

// A need's structural prior is its broad area of need at that age (ages a-1..a+1): how often
// children with a need in the area kept it, and which needs the others moved to. A need seen a
// handful of times behaves like its area; with no area data the need is kept.
Vec need_structural_prior(const Vec& need_changes, const Taxonomy& tax, Shape d, std::size_t a, std::size_t k) {
    const std::size_t A = d.A, K = d.K;
    const int area = tax.needs[k].broad_area;
    double kept = 0, held = 0;
    Vec moved_to(K, 0.0);
    for (std::size_t o = a > 0 ? a - 1 : 0; o <= std::min(a + 1, A - 2); ++o)
        for (std::size_t i = 0; i < K; ++i) {
            if (tax.needs[i].broad_area != area) continue;
            for (std::size_t j = 0; j < K; ++j) {
                const double n = need_changes[(o * K + i) * K + j];
                held += n;
                if (j == i) kept += n;
                else if (j != k) moved_to[j] += n;
            }
        }
    Vec structural(K, 0.0);
    // The area's keep rate, with one pseudo-child that keeps its need.
    const double keep = (kept + 1.0) / (held + 1.0);
    const double elsewhere = std::accumulate(moved_to.begin(), moved_to.end(), 0.0);
    structural[k] = elsewhere > 0 ? keep : 1.0;
    for (std::size_t j = 0; j < K && elsewhere > 0; ++j) structural[j] += (1.0 - keep) * moved_to[j] / elsewhere;
    return structural;
}

void counted_need_changes(const Vec& need_changes, const Taxonomy& tax, const Assumptions& as, Shape d, Posterior& p) {
    const std::size_t A = d.A, K = d.K;
    p.need_move_alpha.assign({A, K, K}, 0.0);
    for (std::size_t a = 0; a + 1 < A; ++a)
        for (std::size_t k = 0; k < K; ++k) {
            const Vec structural = need_structural_prior(need_changes, tax, d, a, k);
            const Vec alpha = pooled_row(need_changes, K, A, a, k, structural, as.need_moves.prior_strength);
            for (std::size_t j = 0; j < K; ++j) p.need_move_alpha(a, k, j) = alpha[j];
        }
}

}  // namespace

Calibration calibrate_person_level(const PersonHistory& ph, const Population& pop, const Taxonomy& tax, const Assumptions& as, int base_year, int horizon,
                                   const std::string& area_code, const std::string& area_name, const PooledEstimates* pool) {
    if (base_year == 0) base_year = ph.last_census;
    if (!ph.censuses.count(base_year))
        throw DataError("no January " + std::to_string(base_year) + " census in " + ph.source + "; its censuses run " + std::to_string(ph.first_census) + ".." +
                        std::to_string(ph.last_census));
    const AreaHistory h = summarise_person_history(ph, tax, area_code, area_name);
    // With the pool (fitted on the published records of every authority), the area's own totals
    // are read through it as any area's are: its departures from England carry as far as all
    // authorities' do.
    Calibration out = calibrate(h, pop, tax, as, base_year, horizon, pool);
    Posterior& p = out.posterior;
    const Shape d{static_cast<std::size_t>(tax.ages()), tax.needs.size(), tax.settings.size()};

    // The base stock is the census itself.
    std::fill(p.base_stock.begin(), p.base_stock.end(), 0);
    for (const auto& c : ph.censuses.at(base_year)) ++p.base_stock[static_cast<std::size_t>(p.dims.cell(c.age, c.need, c.setting))];

    // Setting moves and need changes of children held at both censuses, counted.
    Vec setting_moves(d.A * d.S * d.S, 0.0), need_changes(d.A * d.K * d.K, 0.0);
    const long counted = count_moves(ph, base_year, d, setting_moves, need_changes);
    counted_setting_moves(setting_moves, tax, as, d, p);
    counted_need_changes(need_changes, tax, as, d, p);
    out.notes.push_back("person-level history " + std::to_string(ph.first_census) + ".." + std::to_string(ph.last_census) + ": base stock from the " +
                        std::to_string(base_year) + " census; setting moves and need changes counted from " + std::to_string(counted) +
                        " children held at consecutive censuses");
    return out;
}

}  // namespace sendplan
