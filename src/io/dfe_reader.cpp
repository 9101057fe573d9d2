#include "io/dfe_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <optional>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "core/error.h"
#include "core/numbers.h"
#include "io/csv.h"
#include "io/zip_archive.h"

namespace sendplan {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Which rows of a release file belong to the requested area.
class AreaMatcher {
public:
    // `aliases`: other codes of the same local authority (its old code, or a new code it was
    // given when its code changed), found in any of the files.
    AreaMatcher(const CsvTable& t, const std::string& area, const std::set<std::string>& aliases = {}) : area_(lower(area)), aliases_(aliases) {
        level_ = t.column("geographic_level");
        country_ = t.find_column("country_code");
        region_code_ = t.find_column("region_code");
        region_name_ = t.find_column("region_name");
        new_code_ = t.find_column("new_la_code");
        old_code_ = t.find_column("old_la_code");
        name_ = t.find_column("la_name");
    }
    bool matches(const CsvTable& t, std::size_t r) const {
        const std::string level = lower(t.text(r, level_));
        auto is = [&](std::optional<std::size_t> c) { return c && lower(t.text(r, *c)) == area_; };
        if (level == "national") return area_ == "england" || is(country_);
        if (level == "regional") return is(region_code_) || is(region_name_);
        if (level == "local authority") {
            if (is_the_authority(t, r)) return true;
            auto alias = [&](std::optional<std::size_t> c) { return c && aliases_.count(lower(t.text(r, *c))); };
            return alias(new_code_) || alias(old_code_);
        }
        return false;
    }
    // The codes (old and new) of a local authority row that matches the area itself.
    void collect_codes(const CsvTable& t, std::set<std::string>& codes) const {
        for (std::size_t r = 0; r < t.rows(); ++r) {
            if (lower(t.text(r, level_)) != "local authority" || !is_the_authority(t, r)) continue;
            if (old_code_ && !t.text(r, *old_code_).empty()) codes.insert(lower(t.text(r, *old_code_)));
            if (new_code_ && !t.text(r, *new_code_).empty()) codes.insert(lower(t.text(r, *new_code_)));
        }
    }
    std::string code(const CsvTable& t, std::size_t r) const {
        const std::string level = lower(t.text(r, level_));
        if (level == "national" && country_) return t.text(r, *country_);
        if (level == "regional" && region_code_) return t.text(r, *region_code_);
        return new_code_ ? t.text(r, *new_code_) : area_;
    }
    std::string name(const CsvTable& t, std::size_t r) const {
        const std::string level = lower(t.text(r, level_));
        if (level == "national") return "England";
        if (level == "regional" && region_name_) return t.text(r, *region_name_);
        return name_ ? t.text(r, *name_) : area_;
    }

private:
    // A local authority row given by the code or name the user asked for.
    bool is_the_authority(const CsvTable& t, std::size_t r) const {
        auto is = [&](std::optional<std::size_t> c) { return c && lower(t.text(r, *c)) == area_; };
        return is(new_code_) || is(old_code_) || is(name_);
    }
    std::string area_;
    std::set<std::string> aliases_;
    std::size_t level_;
    std::optional<std::size_t> country_, region_code_, region_name_, new_code_, old_code_, name_;
};

struct Context {
    const Taxonomy& tax;
    AreaHistory& history;
    bool found_area = false;
};

// Splits a row's total over `parts` categories from their leaf columns; suppressed leaves are filled
// from the gap between the published total and the known leaves (see METHOD.md).
std::vector<double> split_row(const CsvTable& t, std::size_t r, const std::vector<std::vector<std::size_t>>& leaves,
                              double& total, AreaHistory& history) {
    std::vector<double> known(leaves.size(), 0.0);
    std::vector<bool> has_missing(leaves.size(), false);
    bool any_leaf = false;
    for (std::size_t p = 0; p < leaves.size(); ++p)
        for (std::size_t c : leaves[p]) {
            auto v = t.count(r, c);
            if (v) {
                known[p] += *v;
                any_leaf = true;
            } else {
                has_missing[p] = true;
            }
        }
    if (!any_leaf) return {};
    const double sum = std::accumulate(known.begin(), known.end(), 0.0);
    if (std::isnan(total)) total = sum;
    const double gap = total - sum;
    if (gap > 0.5) {
        const auto missing = std::count(has_missing.begin(), has_missing.end(), true);
        for (std::size_t p = 0; p < leaves.size(); ++p) {
            if (missing > 0) {
                if (has_missing[p]) known[p] += gap / static_cast<double>(missing);
            } else if (sum > 0) {
                known[p] += gap * known[p] / sum;
            }
        }
        if (gap > 0.01 * total && gap > 2)
            history.notes.push_back(t.path() + ":" + std::to_string(t.line(r)) + ": " + std::to_string(static_cast<long>(gap)) +
                                    " plans not in any published column were spread over the suppressed ones");
    } else if (gap < -0.5) {
        history.notes.push_back(t.path() + ":" + std::to_string(t.line(r)) + ": columns add up to more than the total; the total was kept");
    }
    return known;
}

// Compared in place: every area read asks this of every header against every published column.
bool same_ignoring_case(const std::string& a, const std::string& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

// A column spelt otherwise than published (NUMBER_ASD, Special_Independent) would read as no
// plans at all: refused, naming the published spelling.
void refuse_respelt_columns(const CsvTable& t, const std::vector<std::string>& published) {
    for (const auto& h : t.header())
        for (const auto& p : published)
            if (h.size() == p.size() && h != p && same_ignoring_case(h, p))
                throw InputError(t.path(), 1, h, "column spelt " + shown(h) + ": expected " + shown(p) + " exactly as the DfE publishes it");
}

// `required`: the file is one whose release publishes plans by setting (caseload, new plans).
std::vector<std::vector<std::size_t>> setting_leaves(const CsvTable& t, const Taxonomy& tax, bool required) {
    std::vector<std::string> published;
    for (const auto& s : tax.settings) published.insert(published.end(), s.columns.begin(), s.columns.end());
    refuse_respelt_columns(t, published);
    std::vector<std::vector<std::size_t>> leaves(tax.settings.size());
    for (std::size_t s = 0; s < tax.settings.size(); ++s) {
        for (const auto& col : tax.settings[s].columns)
            if (auto c = t.find_column(col)) leaves[s].push_back(*c);
        // Releases rename a setting's columns, but every release has one of them: none means the
        // setting's plans would silently read as zero.
        if (required && leaves[s].empty() && !tax.settings[s].columns.empty()) {
            std::string names;
            for (const auto& col : tax.settings[s].columns) names += (names.empty() ? "" : " or ") + col;
            throw InputError(t.path(), 1, tax.settings[s].columns.front(), "required column is missing from the header: expected " + names +
                                                                               " (setting " + tax.settings[s].code + ")");
        }
    }
    return leaves;
}

// Where the file publishes a total of several settings (mainstream_total), the settings' leaf columns
// must add up to it in every row where none of them is suppressed: a leaf column dropped or renamed
// would otherwise read as no plans. Every row of the DfE's own releases adds up exactly.
class PublishedTotals {
public:
    PublishedTotals(const CsvTable& t, const Taxonomy& tax, const std::vector<std::vector<std::size_t>>& leaves) {
        for (std::size_t s = 0; s < tax.settings.size(); ++s) {
            const std::string& column = tax.settings[s].published_total;
            const auto total_col = column.empty() ? std::nullopt : t.find_column(column);
            if (!total_col) continue;
            auto it = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.total == *total_col; });
            if (it == groups_.end()) it = groups_.insert(groups_.end(), Group{*total_col, {}, ""});
            it->leaves.insert(it->leaves.end(), leaves[s].begin(), leaves[s].end());
            it->settings += (it->settings.empty() ? "" : ", ") + tax.settings[s].code;
        }
    }

    void check(const CsvTable& t, std::size_t r) const {
        for (const Group& g : groups_) {
            const auto total = t.count(r, g.total);
            if (!total) continue;
            double sum = 0;
            bool suppressed = false;
            for (std::size_t c : g.leaves) {
                const auto v = t.count(r, c);
                if (!v) suppressed = true;
                else sum += *v;
            }
            if (!suppressed && std::abs(sum - *total) > 0.5)
                throw InputError(t.path(), t.line(r), t.header()[g.total],
                                 "is " + std::to_string(std::llround(*total)) + ", but the columns of the settings it totals (" + g.settings +
                                     ") add up to " + std::to_string(std::llround(sum)) +
                                     ": expected them equal, as the DfE publishes them (is a column missing or renamed?)");
        }
    }

private:
    struct Group {
        std::size_t total;
        std::vector<std::size_t> leaves;
        std::string settings;
    };
    std::vector<Group> groups_;
};

// The latest January census a release file holds: what its release must publish.
int latest_census(const CsvTable& t) {
    const auto period = t.find_column("time_period");
    int latest = 0;
    for (std::size_t r = 0; period && r < t.rows(); ++r) latest = std::max(latest, parse_time_period(t.text(r, *period)));
    return latest;
}

// `required`: the file is a need table, whose release publishes every need's column; `latest`: the
// latest census in it (latest_census), found once when the file is read.
std::vector<std::vector<std::size_t>> need_leaves(const CsvTable& t, const Taxonomy& tax, bool required, int latest) {
    std::vector<std::string> published;
    for (const auto& n : tax.needs) published.push_back("number_" + n.column);
    refuse_respelt_columns(t, published);
    // A need column the model does not know would silently lose plans: refuse it.
    for (const auto& h : t.header())
        if (starts_with(h, "number_")) {
            const std::string code = h.substr(7);
            if (std::none_of(tax.needs.begin(), tax.needs.end(), [&](const Need& n) { return n.column == code; }))
                throw InputError(t.path(), 1, h, "unknown need code " + shown(code) + "; add it to model/needs.yaml");
        }
    std::vector<std::vector<std::size_t>> leaves(tax.needs.size());
    for (std::size_t n = 0; n < tax.needs.size(); ++n) {
        const std::string name = "number_" + tax.needs[n].column;
        if (auto c = t.find_column(name)) leaves[n].push_back(*c);
        else if (required && tax.needs[n].first_published <= latest)
            throw InputError(t.path(), 1, name, "required column is missing from the header: releases with the January " + std::to_string(latest) +
                                                    " census publish it (need " + tax.needs[n].code + ")");
    }
    return leaves;
}

double total_of(const CsvTable& t, std::size_t r, std::size_t col) {
    auto v = t.count(r, col);
    return v ? *v : NAN;
}

bool is_age_topic(const std::string& topic, bool new_plans) {
    const std::string t = lower(topic);
    if (new_plans) return t == "age when plan started" || t == "child or young persons age" || t == "age at start of academic year";
    return t == "child or young persons age" || t == "age at start of academic year" || t == "age plan ceased";
}

bool is_all_topic(const std::string& topic) { return starts_with(lower(topic), "all ") || lower(topic) == "new ehc plans"; }

// A restored row's plans go over settings as the year's plans do (`mix`, where it has one for
// every setting), else equally.
void share_over_settings(AgeRow& row, double extra, const std::vector<double>* mix) {
    double weight = 0;
    const bool by_mix = mix && mix->size() == row.split.size();
    for (std::size_t s = 0; s < row.split.size(); ++s) weight += by_mix ? (*mix)[s] : 1.0;
    for (std::size_t s = 0; s < row.split.size() && weight > 0; ++s) row.split[s] += extra * (by_mix ? (*mix)[s] : 1.0) / weight;
}

// One census or year of flows: `published` is its published total.
void restore_year(int year, std::vector<AgeRow>& rows, double published, const YearSplit& by_setting, AreaHistory& h, const char* what) {
    double shown = 0;
    std::size_t hidden = 0;
    for (auto& row : rows) {
        if (std::isnan(row.total)) row.total = 0;
        shown += row.total;
        hidden += row.suppressed;
    }
    const double gap = published - shown;
    if (gap <= 0.5 || hidden == 0) return;
    const auto mix = by_setting.find(year);
    const std::vector<double>* year_mix = mix != by_setting.end() ? &mix->second : nullptr;
    std::size_t parts = 0;  // rows with a split give every restored row one, so no plan is lost
    for (const auto& row : rows) parts = std::max(parts, row.split.size());
    for (auto& row : rows) {
        if (!row.suppressed) continue;
        const double extra = gap / static_cast<double>(hidden);
        row.total += extra;
        if (row.split.empty()) row.split.assign(parts, 0.0);
        if (!row.split.empty()) share_over_settings(row, extra, year_mix);
    }
    h.notes.push_back(std::string(what) + " " + std::to_string(year) + ": " + std::to_string(std::lround(gap)) + " plans in " + std::to_string(hidden) +
                      " suppressed age rows restored from the published total");
}

// Small areas have age rows whose totals are suppressed: what the year's published total has beyond
// the age rows shown is shared equally among those rows (a suppressed count is a handful), and over
// settings as the year's plans are. Without this a tiny authority's projection would start short.
void restore_suppressed_age_rows(YearAgeRows& by_age, const YearSeries& totals, const YearSplit& by_setting, AreaHistory& h,
                                 const char* what) {
    for (auto& [year, rows] : by_age) {
        auto total = totals.find(year);
        if (total == totals.end() || std::isnan(total->second)) continue;
        restore_year(year, rows, total->second, by_setting, h, what);
    }
}

void put_age_row(YearAgeRows& rows, int year, AgeRow row) {
    auto& list = rows[year];
    for (auto& existing : list)
        if (existing.ages.first == row.ages.first && existing.ages.last == row.ages.last) {
            existing = std::move(row);
            return;
        }
    list.push_back(std::move(row));
}

enum class Kind { caseload, new_plans, ceased, needs_stock, needs_new, banded_caseload, banded_new_plans };

struct FileSpec {
    const char* name;
    Kind kind;
};

// Published file names of the 2022 release (banded ages) and of the 2023+ releases.
constexpr FileSpec kReleaseFiles[] = {
    {"sen2_age_caseload.csv", Kind::banded_caseload}, {"sen2_age_new_plans.csv", Kind::banded_new_plans},
    {"caseload.csv", Kind::caseload},                 {"newplans.csv", Kind::new_plans},
    {"ceased_plans.csv", Kind::ceased},               {"sen_needs_all_plans.csv", Kind::needs_stock},
    {"sen_need_newplans.csv", Kind::needs_new},
};

int year_of(const CsvTable& t, std::size_t r, std::size_t col) {
    int year = parse_time_period(t.text(r, col));
    if (year < kFirstYear || year > kLastYear)
        throw InputError(t.path(), t.line(r), t.header()[col],
                         "expected an academic year such as 202425 (or a year such as 2025) from " + std::to_string(kFirstYear) + " to " +
                             std::to_string(kLastYear) + ", found " + shown(t.text(r, col)));
    return year;
}

// An age row's span. Rows that are not an age (a total, "Age unknown") give ok = false; an age label
// that cannot be read ("age 30", "age five") is refused, since dropping it would lose its plans.
AgeSpan age_of(const CsvTable& t, std::size_t r, std::size_t col, const Taxonomy& tax, bool& ok) {
    AgeSpan span;
    const std::string& label = t.text(r, col);
    ok = parse_age_label(label, tax.max_age, span);
    const std::string l = lower(trim(label));
    if (!ok && l.find("unknown") == std::string::npos && l != "total" && !starts_with(l, "all "))
        throw InputError(t.path(), t.line(r), t.header()[col],
                         "expected an age label such as 'age 10', 'under 3', 'age 20 and over' or 'Age 5 to 10' for ages " + std::to_string(tax.min_age) +
                             " to " + std::to_string(tax.max_age) + ", found " + shown(label));
    return span;
}

// The column of a file's published totals.
std::size_t total_column(const CsvTable& t, Kind kind) {
    switch (kind) {
        case Kind::caseload:
            return t.column("ehcplans");
        case Kind::new_plans:
            return t.column("new_ehc_plans");
        case Kind::ceased:
            return t.column("total_ceased");
        case Kind::needs_stock:
        case Kind::needs_new:
            return t.column("ehc_plans");
        case Kind::banded_caseload:
            return t.column("Total_all");
        case Kind::banded_new_plans:
            return t.column("Total_new_all");
    }
    return 0;
}

// One row of a release file, as every kind of file reads it.
struct ReleaseRow {
    std::size_t r;
    int year;
    double total;  // NaN where suppressed, until the row's columns fill it
    bool suppressed;
    std::string topic;
};

// Reads the rows of one release file that belong to the area into its history.
class ReleaseFileReader {
public:
    ReleaseFileReader(const CsvTable& t, Kind kind, int latest, const std::string& area_spec, const std::set<std::string>& aliases, Context& ctx)
        : t_(t),
          kind_(kind),
          ctx_(ctx),
          h_(ctx.history),
          tax_(ctx.tax),
          area_(t, area_spec, aliases),
          period_(t.column("time_period")),
          topic_(banded() ? t.column("characteristic_age") : t.column("breakdown_topic")),
          breakdown_(banded() ? topic_ : t.column("breakdown")),
          total_col_(total_column(t, kind)),
          by_setting_(setting_leaves(t, tax_, kind == Kind::caseload || kind == Kind::new_plans)),
          published_totals_(t, tax_, by_setting_),
          by_need_(need_leaves(t, tax_, kind == Kind::needs_stock || kind == Kind::needs_new, latest)),
          is_new_(kind == Kind::new_plans || kind == Kind::needs_new || kind == Kind::banded_new_plans) {}

    void read(const std::vector<std::size_t>& candidate_rows) {
        h_.files_read.push_back(t_.path());
        for (std::size_t r : candidate_rows) {
            if (!area_.matches(t_, r) || repeats_row(r)) continue;
            if (!ctx_.found_area) {
                ctx_.found_area = true;
                h_.area_code = area_.code(t_, r);
                h_.area_name = area_.name(t_, r);
            }
            read_row(r);
        }
    }

private:
    bool banded() const { return kind_ == Kind::banded_caseload || kind_ == Kind::banded_new_plans; }

    // One row per area, year and breakdown: a second with other figures would silently replace the
    // first. A second with the same figures adds nothing, and is passed over.
    bool repeats_row(std::size_t r) {
        const std::string key =
            lower(area_.code(t_, r)) + '\n' + trim(t_.text(r, period_)) + '\n' + lower(t_.text(r, topic_)) + '\n' + lower(t_.text(r, breakdown_));
        const auto [first, fresh] = row_of_key_.emplace(key, r);
        if (fresh) return false;
        bool same = true;
        for (std::size_t c = 0; c < t_.header().size() && same; ++c) same = t_.text(r, c) == t_.text(first->second, c);
        if (!same)
            throw InputError(t_.path(), t_.line(r), t_.header()[breakdown_],
                             "repeats line " + std::to_string(t_.line(first->second)) + " (same area, year and " + shown(t_.text(r, breakdown_)) +
                                 ") with other figures: expected one row for each");
        return true;
    }

    void read_row(std::size_t r) {
        ReleaseRow row{r, year_of(t_, r, period_), total_of(t_, r, total_col_), false, ""};
        row.suppressed = std::isnan(row.total);
        row.topic = t_.text(r, topic_);
        switch (kind_) {
            case Kind::banded_caseload:
            case Kind::banded_new_plans:
                banded_row(row);
                break;
            case Kind::caseload:
            case Kind::new_plans:
                setting_row(row);
                break;
            case Kind::ceased:
                ceased_row(row);
                break;
            case Kind::needs_stock:
            case Kind::needs_new:
                need_row(row);
                break;
        }
    }

    // The ages a row is for; none for a row that is not an age (a total, "Age unknown").
    std::optional<AgeSpan> ages(std::size_t r) const {
        bool ok = false;
        const AgeSpan span = age_of(t_, r, breakdown_, tax_, ok);
        if (!ok) return std::nullopt;
        return span;
    }

    // The 2022 release: plans by age band, and the year's total.
    void banded_row(const ReleaseRow& row) {
        const bool stock = kind_ == Kind::banded_caseload;
        if (lower(row.topic) == "total") {
            if (!std::isnan(row.total)) (stock ? h_.stock_total : h_.new_total)[row.year] = row.total;
        } else if (const auto span = ages(row.r)) {
            put_age_row(stock ? h_.stock_by_age : h_.new_by_age, row.year, AgeRow{*span, row.total, {}, row.suppressed});
        }
    }

    // Plans and new plans by setting, for all ages or by age.
    void setting_row(ReleaseRow& row) {
        std::vector<double> split = split_row(t_, row.r, by_setting_, row.total, h_);
        if (is_all_topic(row.topic)) {
            // One row an area and year shows a dropped column as well as all of them would.
            published_totals_.check(t_, row.r);
            if (std::isnan(row.total)) return;
            (is_new_ ? h_.new_total : h_.stock_total)[row.year] = row.total;
            if (!split.empty()) (is_new_ ? h_.new_by_setting : h_.stock_by_setting)[row.year] = split;
        } else if (is_age_topic(row.topic, is_new_)) {
            if (const auto span = ages(row.r))
                put_age_row(is_new_ ? h_.new_by_age : h_.stock_by_age, row.year, AgeRow{*span, row.total, split, row.suppressed});
        }
    }

    void ceased_row(const ReleaseRow& row) {
        if (is_all_topic(row.topic)) {
            if (!std::isnan(row.total)) h_.ceased_total[row.year] = row.total;
        } else if (is_age_topic(row.topic, false)) {
            if (const auto span = ages(row.r)) put_age_row(h_.ceased_by_age, row.year, AgeRow{*span, row.total, {}, row.suppressed});
        }
    }

    // Plans and new plans by primary need: for all ages, by age, or by type of placement.
    void need_row(ReleaseRow& row) {
        std::vector<double> split = split_row(t_, row.r, by_need_, row.total, h_);
        if (split.empty()) return;
        if (is_all_topic(row.topic)) {
            (is_new_ ? h_.new_by_need : h_.stock_by_need)[row.year] = split;
        } else if (is_age_topic(row.topic, is_new_)) {
            if (const auto span = ages(row.r)) put_age_row(is_new_ ? h_.new_need_by_age : h_.stock_need_by_age, row.year, AgeRow{*span, row.total, split});
        } else if (lower(row.topic) == "type of placement") {
            placement_row(row, split);
        }
    }

    void placement_row(const ReleaseRow& row, const std::vector<double>& split) {
        const std::size_t S = tax_.settings.size(), N = tax_.needs.size();
        auto s = tax_.setting_of_label(t_.text(row.r, breakdown_));
        if (!s)
            throw InputError(t_.path(), t_.line(row.r), "breakdown",
                             "unknown placement label '" + t_.text(row.r, breakdown_) + "'; add it to a setting's labels in model/settings.yaml");
        if (*s < 0) return;
        const auto setting = static_cast<std::size_t>(*s);
        auto& table = (is_new_ ? h_.new_need_by_setting : h_.stock_need_by_setting)[row.year];
        // A later release replaces the year's table; rows of one file add up within it.
        const bool first_here = years_set_here_.insert(row.year).second;
        if (table.empty() || first_here) table.assign(S, std::vector<double>(N, 0.0));
        for (std::size_t n = 0; n < N; ++n) table[setting][n] += split[n];
    }

    const CsvTable& t_;
    Kind kind_;
    Context& ctx_;
    AreaHistory& h_;
    const Taxonomy& tax_;
    AreaMatcher area_;
    std::size_t period_, topic_, breakdown_, total_col_;
    std::vector<std::vector<std::size_t>> by_setting_;
    PublishedTotals published_totals_;
    std::vector<std::vector<std::size_t>> by_need_;
    bool is_new_;
    std::set<int> years_set_here_;  // need x setting years this file has begun
    std::unordered_map<std::string, std::size_t> row_of_key_;
};

void read_file(const CsvTable& t, Kind kind, int latest, const std::vector<std::size_t>& candidate_rows, const std::string& area_spec, const std::set<std::string>& aliases,
               Context& ctx) {
    ReleaseFileReader(t, kind, latest, area_spec, aliases, ctx).read(candidate_rows);
}

}  // namespace

// Read digit by digit, spaces skipped, without building a string: every row of every national file
// passes through here.
int parse_time_period(const std::string& text) {
    int digits = 0, year = 0;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) continue;
        if (!std::isdigit(static_cast<unsigned char>(c)) || ++digits > 6) return -1;
        if (digits <= 4) year = year * 10 + (c - '0');
    }
    if (digits == 6) return year + 1;
    if (digits == 4) return year;
    return -1;
}

bool parse_age_label(const std::string& label, int max_age, AgeSpan& span) {
    const std::string s = lower(label);
    std::vector<int> numbers;
    for (std::size_t i = 0; i < s.size();) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) {
            std::size_t j = i;
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
            if (j - i > 3) return false;  // no age has four digits; std::stoi would overflow on eleven
            numbers.push_back(std::stoi(s.substr(i, j - i)));
            i = j;
        } else {
            ++i;
        }
    }
    if (numbers.empty()) return false;
    if (s.find("under") != std::string::npos && s.find("and under") == std::string::npos) {
        span = {0, numbers[0] - 1};  // "under 3", "Under 5"
    } else if (s.find("and under") != std::string::npos) {
        span = {0, numbers[0]};  // "age 2 and under"
    } else if (s.find("and over") != std::string::npos) {
        span = {numbers[0], max_age};
    } else if (numbers.size() == 2 && s.find(" to ") != std::string::npos) {
        span = {numbers[0], numbers[1]};
    } else if (numbers.size() == 1 && starts_with(s, "age")) {
        span = {numbers[0], numbers[0]};
    } else {
        return false;
    }
    if (span.first < 0 || span.last > max_age || span.last < span.first) return false;
    return true;
}

namespace {

// Local government reorganisations in the span of the releases (the releases' own codes; see
// data/README.md). A dissolved authority's rows stay in the files for the years it existed.
struct Reorganisation {
    const char* code;
    const char* name;
    int last_census;  // its last January census
    std::vector<std::string> successors;
};
const std::vector<Reorganisation>& reorganisations() {
    static const std::vector<Reorganisation> list = {
        {"E06000028", "Bournemouth", 2019, {"E06000058"}},
        {"E06000029", "Poole", 2019, {"E06000058"}},
        {"E10000009", "Dorset (county)", 2019, {"E06000058", "E06000059"}},
        {"E10000021", "Northamptonshire", 2021, {"E06000061", "E06000062"}},
        {"E10000006", "Cumbria", 2023, {"E06000063", "E06000064"}},
    };
    return list;
}
const Reorganisation* dissolved(const std::string& code) {
    for (const auto& r : reorganisations())
        if (lower(r.code) == lower(code)) return &r;
    return nullptr;
}
std::vector<const Reorganisation*> predecessors_of(const std::string& code) {
    std::vector<const Reorganisation*> out;
    for (const auto& r : reorganisations())
        if (std::any_of(r.successors.begin(), r.successors.end(), [&](const std::string& s) { return lower(s) == lower(code); })) out.push_back(&r);
    return out;
}

InputError not_a_release_folder(const std::string& path) {
    const char* expected = "expected a folder of DfE release files or a release .zip";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return InputError(path, 0, "", std::string("does not exist: ") + expected);
    return InputError(path, 0, "", std::string(std::filesystem::is_regular_file(path, ec) ? "is a file, not a folder: " : "is not a folder: ") + expected);
}

// The directory's release files, or the archive's, under their published names.
void add_source(const std::string& source, std::vector<std::pair<CsvTable, Kind>>& tables, std::vector<std::string>& files) {
    auto kind_of = [](const std::string& name) -> std::optional<Kind> {
        const std::string base = std::filesystem::path(name).filename().string();
        for (const auto& spec : kReleaseFiles)
            if (base == spec.name) return spec.kind;
        return std::nullopt;
    };
    if (is_zip_path(source)) {
        if (!std::filesystem::is_regular_file(source)) throw InputError(source, 0, "", "release archive does not exist");
        for (const auto& entry : zip_entry_names(source)) {
            // Only the release's data folder: supporting files reuse some names for other tables.
            if (entry.rfind("data/", 0) != 0) continue;
            if (auto kind = kind_of(entry)) {
                tables.emplace_back(CsvTable::parse(read_zip_entry(source, entry), source + ":" + entry), *kind);
                files.push_back(source);
            }
        }
        return;
    }
    if (!std::filesystem::is_directory(source)) throw not_a_release_folder(source);
    for (const auto& spec : kReleaseFiles) {
        const std::string path = (std::filesystem::path(source) / spec.name).string();
        if (!std::filesystem::exists(path)) continue;
        tables.emplace_back(CsvTable::read(path), spec.kind);
        files.push_back(path);
    }
}

// Row indices by the lower-case codes and names each row is known by at its own level.
std::unordered_map<std::string, std::vector<std::size_t>> index_rows(const CsvTable& t) {
    std::unordered_map<std::string, std::vector<std::size_t>> index;
    const std::size_t level = t.column("geographic_level");
    auto col = [&](const char* name) { return t.find_column(name); };
    const auto country = col("country_code"), region_code = col("region_code"), region_name = col("region_name"), new_code = col("new_la_code"),
               old_code = col("old_la_code"), name = col("la_name");
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string l = lower(t.text(r, level));
        auto add = [&](std::optional<std::size_t> c) {
            if (c && !t.text(r, *c).empty()) index[lower(t.text(r, *c))].push_back(r);
        };
        if (l == "national") {
            index["england"].push_back(r);
            add(country);
        } else if (l == "regional") {
            add(region_code);
            add(region_name);
        } else if (l == "local authority") {
            add(new_code);
            add(old_code);
            add(name);
        }
    }
    return index;
}

}  // namespace

struct DfeReleases::File {
    CsvTable table;
    Kind kind;
    std::unordered_map<std::string, std::vector<std::size_t>> rows_by_key;
    int latest_census;  // scanned once here, not once per area asked for
};

DfeReleases DfeReleases::read(const std::vector<std::string>& sources) {
    DfeReleases out;
    std::vector<std::pair<CsvTable, Kind>> tables;
    for (const auto& source : sources) add_source(source, tables, out.files_read_);
    if (tables.empty())
        throw InputError(sources.empty() ? std::string("(no directory)") : sources.front(), 0, "",
                         "no DfE release file (caseload.csv, newplans.csv, sen2_age_caseload.csv, ...) found");
    std::sort(out.files_read_.begin(), out.files_read_.end());
    out.files_read_.erase(std::unique(out.files_read_.begin(), out.files_read_.end()), out.files_read_.end());
    for (auto& [table, kind] : tables) {
        auto f = std::make_shared<File>(File{std::move(table), kind, {}, 0});
        f->rows_by_key = index_rows(f->table);
        f->latest_census = latest_census(f->table);
        out.files_.push_back(std::move(f));
    }
    out.index_authorities();
    return out;
}

namespace {

// The local authorities a caseload table has rows for, and the censuses each has rows in.
void add_authorities(const CsvTable& t, std::map<std::string, LocalAuthority>& by_code) {
    const std::size_t level = t.column("geographic_level"), period = t.column("time_period");
    const auto new_code = t.find_column("new_la_code"), old_code = t.find_column("old_la_code"), name = t.find_column("la_name"),
               region_code = t.find_column("region_code"), region_name = t.find_column("region_name");
    if (!new_code || !name) return;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        if (lower(t.text(r, level)) != "local authority" || t.text(r, *new_code).empty()) continue;
        LocalAuthority& la = by_code[t.text(r, *new_code)];
        la.code = t.text(r, *new_code);
        if (old_code) la.old_code = t.text(r, *old_code);
        la.name = t.text(r, *name);
        if (region_code) la.region_code = t.text(r, *region_code);
        if (region_name) la.region_name = t.text(r, *region_name);
        const int year = parse_time_period(t.text(r, period));
        if (year > 0) {
            la.first_census = la.first_census ? std::min(la.first_census, year) : year;
            la.last_census = std::max(la.last_census, year);
        }
    }
}

// An authority whose code changed but kept its old code (Gateshead E08000020 -> E08000037,
// Buckinghamshire E10000002 -> E06000060) is one authority, under the code it has last.
std::map<std::string, std::string> latest_code_by_old_code(const std::map<std::string, LocalAuthority>& by_code) {
    std::map<std::string, std::string> latest_by_old_code;
    for (const auto& [code, la] : by_code) {
        if (la.old_code.empty() || dissolved(code)) continue;
        auto& latest = latest_by_old_code[la.old_code];
        if (latest.empty() || by_code.at(latest).last_census < la.last_census) latest = code;
    }
    return latest_by_old_code;
}

// The authority under its latest code runs from the first census of its earlier codes.
void take_earlier_codes(LocalAuthority& la, const std::string& code, const std::map<std::string, LocalAuthority>& by_code) {
    for (const auto& [other, o] : by_code)
        if (other != code && o.old_code == la.old_code && !dissolved(other)) {
            la.first_census = std::min(la.first_census, o.first_census);
            la.earlier_codes.push_back(other);
        }
}

}  // namespace

void DfeReleases::index_authorities() {
    std::map<std::string, LocalAuthority> by_code;
    for (const auto& f : files_)
        if (f->kind == Kind::caseload || f->kind == Kind::banded_caseload) add_authorities(f->table, by_code);
    const auto latest_by_old_code = latest_code_by_old_code(by_code);
    for (auto& [code, la] : by_code) {
        if (const Reorganisation* d = dissolved(code)) la.successors = d->successors;
        if (!la.successors.empty() || la.old_code.empty()) {
            authorities_.push_back(la);
            continue;
        }
        if (latest_by_old_code.at(la.old_code) != code) continue;
        take_earlier_codes(la, code, by_code);
        authorities_.push_back(la);
    }
}

std::vector<std::string> DfeReleases::closest_names(const std::string& area, std::size_t count) const {
    std::vector<std::pair<std::size_t, std::string>> scored;
    const std::string a = lower(area);
    // No name is this long: comparing a pasted megabyte with every name would take minutes.
    if (a.size() > 200) return {};
    for (const auto& la : authorities_) {
        std::size_t best = std::min(edit_distance(a, lower(la.name)), edit_distance(a, lower(la.code)));
        // A fragment of a name ("Northampton") is close to it whatever its length.
        if (!a.empty() && lower(la.name).find(a) != std::string::npos) best = 0;
        scored.emplace_back(best, la.name + " (" + la.code + ")");
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(scored[i].second);
    return out;
}

namespace {

// The authorities an area's name or code means. A name shared by a dissolved authority and its
// successor (Dorset) means the one that exists now.
std::vector<const LocalAuthority*> authorities_meant(const std::vector<LocalAuthority>& authorities, const std::string& key) {
    std::vector<const LocalAuthority*> meant;
    for (const auto& la : authorities)
        if (lower(la.code) == key || lower(la.old_code) == key || lower(la.name) == key ||
            std::any_of(la.earlier_codes.begin(), la.earlier_codes.end(), [&](const std::string& c) { return lower(c) == key; }))
            meant.push_back(&la);
    if (meant.size() > 1 && std::any_of(meant.begin(), meant.end(), [](const LocalAuthority* la) { return la->successors.empty(); }))
        meant.erase(std::remove_if(meant.begin(), meant.end(), [](const LocalAuthority* la) { return !la->successors.empty(); }), meant.end());
    return meant;
}

// A dissolved authority's area is now served by its successors: the refusal names them.
InputError dissolved_area(const LocalAuthority& chosen, const std::vector<LocalAuthority>& authorities) {
    std::string names;
    for (const auto& s : chosen.successors) {
        auto it = std::find_if(authorities.begin(), authorities.end(), [&](const LocalAuthority& la) { return la.code == s; });
        names += (names.empty() ? "" : " and ") + (it != authorities.end() ? it->name + " (" + s + ")" : s);
    }
    return InputError("--area", 0, "area",
                      chosen.name + " (" + chosen.code + ") was dissolved after its January " + std::to_string(chosen.last_census) +
                          " census; its area is now served by " + names);
}

// Every code the authorities meant have had: rows under any of them are the area's.
std::set<std::string> codes_of(const std::vector<const LocalAuthority*>& meant) {
    std::set<std::string> aliases;
    for (const auto* la : meant) {
        aliases.insert(lower(la->code));
        if (!la->old_code.empty()) aliases.insert(lower(la->old_code));
        for (const auto& c : la->earlier_codes) aliases.insert(lower(c));
    }
    return aliases;
}

// A file's rows known by any of the keys, in the file's order.
std::vector<std::size_t> rows_known_by(const DfeReleases::File& f, const std::set<std::string>& keys) {
    std::vector<std::size_t> rows;
    for (const auto& k : keys)
        if (auto it = f.rows_by_key.find(k); it != f.rows_by_key.end()) rows.insert(rows.end(), it->second.begin(), it->second.end());
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

InputError unknown_area(const DfeReleases& releases, const std::string& area) {
    std::string hint;
    for (const auto& n : releases.closest_names(area, 3)) hint += (hint.empty() ? "" : ", ") + n;
    return InputError(releases.files_read().front(), 0, "area",
                      "area " + shown(area) + " is in none of the release files" + (hint.empty() ? std::string() : "; the closest are " + hint) +
                          "; give a new LA code (E09000003), an old code (302), a name, or E92000001 for England");
}

// An authority that took over from dissolved ones runs on its own history only.
void note_predecessors(const LocalAuthority& chosen, AreaHistory& history) {
    for (const Reorganisation* p : predecessors_of(chosen.code))
        history.notes.push_back(chosen.name + " took over from " + p->name + " (" + p->code + ") after January " + std::to_string(p->last_census) +
                                ": it runs on its own history, which starts January " + std::to_string(chosen.first_census) + " (" +
                                std::to_string(history.stock_total.size()) + " census(es) in the data)");
}

}  // namespace

AreaHistory DfeReleases::history(const std::string& area, const Taxonomy& tax, bool allow_dissolved) const {
    const std::string key = lower(trim(area));
    if (key.empty()) throw InputError("--area", 0, "area", "empty area: give a new LA code (E09000003), an old code (302), a name, or E92000001 for England");
    const std::vector<const LocalAuthority*> meant = authorities_meant(authorities_, key);
    std::string spec = key;
    std::set<std::string> aliases;
    const LocalAuthority* chosen = nullptr;
    if (!meant.empty()) {
        chosen = *std::max_element(meant.begin(), meant.end(), [](auto* a, auto* b) { return a->last_census < b->last_census; });
        if (!chosen->successors.empty() && !allow_dissolved) throw dissolved_area(*chosen, authorities_);
        spec = lower(chosen->code);
        aliases = codes_of(meant);
    }

    AreaHistory history;
    Context ctx{tax, history};
    for (const auto& f : files_) read_file(f->table, f->kind, f->latest_census, rows_known_by(*f, aliases.empty() ? std::set<std::string>{spec} : aliases), spec, aliases, ctx);
    history.files_read = files_read_;
    if (!ctx.found_area) throw unknown_area(*this, area);
    if (chosen) {
        history.area_code = chosen->code;
        history.area_name = chosen->name;
        note_predecessors(*chosen, history);
    }
    restore_suppressed_age_rows(history.stock_by_age, history.stock_total, history.stock_by_setting, history, "plans at January");
    restore_suppressed_age_rows(history.new_by_age, history.new_total, history.new_by_setting, history, "new plans in");
    restore_suppressed_age_rows(history.ceased_by_age, history.ceased_total, {}, history, "ceased plans in");
    return history;
}

namespace {

// The year in a release's name (dfe-ehcp-2022, education-health-and-care-plans_2025.zip): its last
// run of four digits that reads as a year sendplan takes (core/numbers.h); 0 where there is none.
int release_year(const std::string& p) {
    const std::string base = std::filesystem::path(p).filename().string();
    int year = 0;
    for (std::size_t i = 0; i + 4 <= base.size(); ++i)
        if (std::all_of(base.begin() + static_cast<long>(i), base.begin() + static_cast<long>(i + 4), ::isdigit)) {
            const int y = std::stoi(base.substr(i, 4));
            if (y >= kFirstYear && y <= kLastYear) year = y;
        }
    return year;
}

// The subfolders of a folder, and the archives in it or in them.
std::vector<std::string> releases_in(const std::string& path) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
        const std::filesystem::path& c = entry.path();
        if (std::filesystem::is_directory(c)) {
            found.push_back(c.string());
            for (const auto& e : std::filesystem::directory_iterator(c))
                if (e.is_regular_file() && is_zip_path(e.path().string())) found.push_back(e.path().string());
        } else if (is_zip_path(c.string())) {
            found.push_back(c.string());
        }
    }
    return found;
}

}  // namespace

std::vector<std::string> release_sources(const std::string& path) {
    if (is_zip_path(path)) return {path};
    if (!std::filesystem::is_directory(path)) throw not_a_release_folder(path);
    // Releases in the folder, in its subfolders, and archives in either, oldest release first: the
    // year in a name orders them, so the newest release's figures win where releases overlap.
    std::vector<std::string> found = releases_in(path);
    std::stable_sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
        const int ya = release_year(a), yb = release_year(b);
        return ya != yb ? ya < yb : a < b;
    });
    found.push_back(path);  // files directly in the folder are the user's own: they win
    return found;
}

AreaHistory read_dfe_releases(const std::vector<std::string>& directories, const std::string& area, const Taxonomy& tax) {
    return DfeReleases::read(directories).history(area, tax);
}

}  // namespace sendplan
