#include "io/dfe_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <numeric>
#include <optional>
#include <set>

#include "core/error.h"
#include "io/csv.h"

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

std::vector<std::vector<std::size_t>> setting_leaves(const CsvTable& t, const Taxonomy& tax) {
    std::vector<std::vector<std::size_t>> leaves(tax.settings.size());
    for (std::size_t s = 0; s < tax.settings.size(); ++s)
        for (const auto& col : tax.settings[s].columns)
            if (auto c = t.find_column(col)) leaves[s].push_back(*c);
    return leaves;
}

std::vector<std::vector<std::size_t>> need_leaves(const CsvTable& t, const Taxonomy& tax) {
    // A need column the model does not know would silently lose plans: refuse it.
    for (const auto& h : t.header())
        if (starts_with(h, "number_")) {
            const std::string code = h.substr(7);
            if (std::none_of(tax.needs.begin(), tax.needs.end(), [&](const Need& n) { return n.column == code; }))
                throw InputError(t.path(), 1, h, "unknown need code '" + code + "'; add it to model/needs.yaml");
        }
    std::vector<std::vector<std::size_t>> leaves(tax.needs.size());
    for (std::size_t n = 0; n < tax.needs.size(); ++n)
        if (auto c = t.find_column("number_" + tax.needs[n].column)) leaves[n].push_back(*c);
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

// Small areas have age rows whose totals are suppressed: what the year's published total has beyond
// the age rows shown is shared equally among those rows (a suppressed count is a handful), and over
// settings as the year's plans are. Without this a tiny authority's projection would start short.
void restore_suppressed_age_rows(YearAgeRows& by_age, const YearSeries& totals, const YearSplit& by_setting, AreaHistory& h,
                                 const char* what) {
    for (auto& [year, rows] : by_age) {
        auto total = totals.find(year);
        if (total == totals.end() || std::isnan(total->second)) continue;
        double shown = 0;
        std::size_t hidden = 0;
        for (auto& row : rows) {
            if (std::isnan(row.total)) row.total = 0;
            shown += row.total;
            hidden += row.suppressed;
        }
        const double gap = total->second - shown;
        if (gap <= 0.5 || hidden == 0) continue;
        const auto mix = by_setting.find(year);
        std::size_t parts = 0;  // rows with a split give every restored row one, so no plan is lost
        for (const auto& row : rows) parts = std::max(parts, row.split.size());
        for (auto& row : rows) {
            if (!row.suppressed) continue;
            const double extra = gap / static_cast<double>(hidden);
            row.total += extra;
            if (row.split.empty()) row.split.assign(parts, 0.0);
            if (row.split.empty()) continue;
            double weight = 0;
            const bool by_mix = mix != by_setting.end() && mix->second.size() == row.split.size();
            for (std::size_t s = 0; s < row.split.size(); ++s) weight += by_mix ? mix->second[s] : 1.0;
            for (std::size_t s = 0; s < row.split.size() && weight > 0; ++s) row.split[s] += extra * (by_mix ? mix->second[s] : 1.0) / weight;
        }
        h.notes.push_back(std::string(what) + " " + std::to_string(year) + ": " + std::to_string(std::lround(gap)) + " plans in " +
                          std::to_string(hidden) + " suppressed age rows restored from the published total");
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
    if (year < 0) throw InputError(t.path(), t.line(r), t.header()[col], "expected a year such as 2024 or 202425, found '" + t.text(r, col) + "'");
    return year;
}

AgeSpan age_of(const CsvTable& t, std::size_t r, std::size_t col, const Taxonomy& tax, bool& ok) {
    AgeSpan span;
    ok = parse_age_label(t.text(r, col), tax.max_age, span);
    return span;
}

void read_file(const CsvTable& t, Kind kind, const std::string& area_spec, const std::set<std::string>& aliases, Context& ctx) {
    const std::string& path = t.path();
    AreaMatcher area(t, area_spec, aliases);
    AreaHistory& h = ctx.history;
    const Taxonomy& tax = ctx.tax;
    h.files_read.push_back(path);
    const std::size_t period = t.column("time_period");
    const bool banded = kind == Kind::banded_caseload || kind == Kind::banded_new_plans;
    const std::size_t topic = banded ? t.column("characteristic_age") : t.column("breakdown_topic");
    const std::size_t breakdown = banded ? topic : t.column("breakdown");
    std::size_t total_col = 0;
    switch (kind) {
        case Kind::caseload: total_col = t.column("ehcplans"); break;
        case Kind::new_plans: total_col = t.column("new_ehc_plans"); break;
        case Kind::ceased: total_col = t.column("total_ceased"); break;
        case Kind::needs_stock:
        case Kind::needs_new: total_col = t.column("ehc_plans"); break;
        case Kind::banded_caseload: total_col = t.column("Total_all"); break;
        case Kind::banded_new_plans: total_col = t.column("Total_new_all"); break;
    }
    const auto by_setting = setting_leaves(t, tax);
    const auto by_need = need_leaves(t, tax);
    const bool is_new = kind == Kind::new_plans || kind == Kind::needs_new || kind == Kind::banded_new_plans;
    const std::size_t S = tax.settings.size(), N = tax.needs.size();

    for (std::size_t r = 0; r < t.rows(); ++r) {
        if (!area.matches(t, r)) continue;
        if (!ctx.found_area) {
            ctx.found_area = true;
            h.area_code = area.code(t, r);
            h.area_name = area.name(t, r);
        }
        const int year = year_of(t, r, period);
        double total = total_of(t, r, total_col);
        const bool suppressed = std::isnan(total);
        const std::string topic_text = t.text(r, topic);
        bool ok = false;
        switch (kind) {
            case Kind::banded_caseload:
            case Kind::banded_new_plans: {
                YearSeries& totals = kind == Kind::banded_caseload ? h.stock_total : h.new_total;
                YearAgeRows& rows = kind == Kind::banded_caseload ? h.stock_by_age : h.new_by_age;
                if (lower(topic_text) == "total") {
                    if (!std::isnan(total)) totals[year] = total;
                } else if (AgeSpan span = age_of(t, r, breakdown, tax, ok); ok) {
                    put_age_row(rows, year, AgeRow{span, total, {}, suppressed});
                }
                break;
            }
            case Kind::caseload:
            case Kind::new_plans: {
                std::vector<double> split = split_row(t, r, by_setting, total, h);
                if (is_all_topic(topic_text)) {
                    if (std::isnan(total)) break;
                    (is_new ? h.new_total : h.stock_total)[year] = total;
                    if (!split.empty()) (is_new ? h.new_by_setting : h.stock_by_setting)[year] = split;
                } else if (is_age_topic(topic_text, is_new)) {
                    if (AgeSpan span = age_of(t, r, breakdown, tax, ok); ok)
                        put_age_row(is_new ? h.new_by_age : h.stock_by_age, year, AgeRow{span, total, split, suppressed});
                }
                break;
            }
            case Kind::ceased: {
                if (is_all_topic(topic_text)) {
                    if (!std::isnan(total)) h.ceased_total[year] = total;
                } else if (is_age_topic(topic_text, false)) {
                    if (AgeSpan span = age_of(t, r, breakdown, tax, ok); ok) put_age_row(h.ceased_by_age, year, AgeRow{span, total, {}, suppressed});
                }
                break;
            }
            case Kind::needs_stock:
            case Kind::needs_new: {
                std::vector<double> split = split_row(t, r, by_need, total, h);
                if (split.empty()) break;
                const std::string tp = lower(topic_text);
                if (is_all_topic(topic_text)) {
                    (is_new ? h.new_by_need : h.stock_by_need)[year] = split;
                } else if (is_age_topic(topic_text, is_new)) {
                    if (AgeSpan span = age_of(t, r, breakdown, tax, ok); ok)
                        put_age_row(is_new ? h.new_need_by_age : h.stock_need_by_age, year, AgeRow{span, total, split});
                } else if (tp == "type of placement") {
                    auto s = tax.setting_of_label(t.text(r, breakdown));
                    if (!s)
                        throw InputError(t.path(), t.line(r), "breakdown",
                                         "unknown placement label '" + t.text(r, breakdown) + "'; add it to a setting's labels in model/settings.yaml");
                    if (*s < 0) break;
                    auto& table = (is_new ? h.new_need_by_setting : h.stock_need_by_setting)[year];
                    if (table.empty()) table.assign(S, std::vector<double>(N, 0.0));
                    for (std::size_t n = 0; n < N; ++n) table[*s][n] += split[n];
                }
                break;
            }
        }
    }
}

}  // namespace

int parse_time_period(const std::string& text) {
    std::string s;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) s += c;
    if (s.size() == 6 && std::all_of(s.begin(), s.end(), ::isdigit)) return std::stoi(s.substr(0, 4)) + 1;
    if (s.size() == 4 && std::all_of(s.begin(), s.end(), ::isdigit)) return std::stoi(s);
    return -1;
}

bool parse_age_label(const std::string& label, int max_age, AgeSpan& span) {
    const std::string s = lower(label);
    std::vector<int> numbers;
    for (std::size_t i = 0; i < s.size();) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) {
            std::size_t j = i;
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
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

AreaHistory read_dfe_releases(const std::vector<std::string>& directories, const std::string& area, const Taxonomy& tax) {
    AreaHistory history;
    Context ctx{tax, history};
    bool any_file = false;
    std::vector<std::pair<CsvTable, Kind>> tables;
    for (const auto& dir : directories) {
        if (!std::filesystem::is_directory(dir)) throw InputError(dir, 0, "", "data directory does not exist");
        for (const auto& spec : kReleaseFiles) {
            const std::string path = (std::filesystem::path(dir) / spec.name).string();
            if (!std::filesystem::exists(path)) continue;
            any_file = true;
            tables.emplace_back(CsvTable::read(path), spec.kind);
        }
    }
    // An authority whose code changed (a new LA code after a reorganisation keeps its old code, or
    // the reverse) is the same series: rows under any code it has anywhere are its rows.
    std::set<std::string> aliases;
    for (const auto& [table, kind] : tables) AreaMatcher(table, area).collect_codes(table, aliases);
    for (const auto& [table, kind] : tables) read_file(table, kind, area, aliases, ctx);
    if (!any_file) throw InputError(directories.empty() ? std::string("(no directory)") : directories.front(), 0, "",
                                    "no DfE release file (caseload.csv, newplans.csv, sen2_age_caseload.csv, ...) found");
    if (!ctx.found_area) throw InputError(history.files_read.front(), 0, "area", "area '" + area + "' is in none of the release files; give a new LA code (E09000003), an old code (302), a name, or E92000001 for England");
    restore_suppressed_age_rows(history.stock_by_age, history.stock_total, history.stock_by_setting, history, "plans at January");
    restore_suppressed_age_rows(history.new_by_age, history.new_total, history.new_by_setting, history, "new plans in");
    restore_suppressed_age_rows(history.ceased_by_age, history.ceased_total, {}, history, "ceased plans in");
    return history;
}

}  // namespace sendplan
