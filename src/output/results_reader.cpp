#include "output/results_reader.h"

#include <hdf5.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <span>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "core/error.h"
#include "finance/money_summary.h"
#include "io/csv.h"
#include "output/hdf5_file.h"
#include "output/table.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

// Every name a column the report reads has had in its file, current first: a header renamed in the
// writer is one more name here, and older folders still read.
using Names = std::span<const std::string_view>;
using Name = const std::string_view;
namespace spend_column {
constexpr Name year[] = {"Year", "year"};
constexpr Name kind[] = {"Kind", "kind"};
constexpr Name series[] = {"Series", "series"};
constexpr Name mean[] = {"Mean (GBP)", "mean_gbp", "mean"};
constexpr Name p05[] = {"5th percentile (GBP)", "p05_gbp", "p05"};
constexpr Name p10[] = {"10th percentile (GBP)", "p10_gbp", "p10"};
constexpr Name p50[] = {"Median (GBP)", "p50_gbp", "median_gbp", "p50"};
constexpr Name p90[] = {"90th percentile (GBP)", "p90_gbp", "p90"};
constexpr Name p95[] = {"95th percentile (GBP)", "p95_gbp", "p95"};
}  // namespace spend_column
namespace appraisal_column {
constexpr Name option[] = {"Option", "option"};
constexpr Name measure[] = {"Measure", "measure"};
constexpr Name code[] = {"Measure code", "measure_code"};
constexpr Name place_group[] = {"Place group", "place_group"};
constexpr Name unit[] = {"Unit", "unit"};
constexpr Name mean[] = {"Mean", "mean"};
constexpr Name p05[] = {"5th percentile", "p05"};
constexpr Name p50[] = {"Median", "median", "p50"};
constexpr Name p95[] = {"95th percentile", "p95"};
}  // namespace appraisal_column
namespace comparison_column {
constexpr Name option[] = {"Option", "option"};
constexpr Name measure[] = {"Measure", "measure"};
constexpr Name place_group[] = {"Place group", "place_group"};
constexpr Name year[] = {"Year", "year"};
constexpr Name base[] = {"Base (mean)", "base_mean"};
constexpr Name with_option[] = {"Option (mean)", "option_mean"};
constexpr Name mean[] = {"Difference (mean)", "difference_mean"};
constexpr Name p05[] = {"Difference (5th percentile)", "difference_p05"};
constexpr Name p95[] = {"Difference (95th percentile)", "difference_p95"};
}  // namespace comparison_column

// The column under the first of `names` the file has, or failing that the first whose header reads
// alike as a code; none is refused naming the first.
std::size_t column_named(const CsvTable& t, Names names) {
    for (std::string_view n : names)
        if (const auto c = t.find_column(std::string(n))) return *c;
    for (std::string_view n : names)
        for (std::size_t c = 0; c < t.header().size(); ++c)
            if (csv_column_name(t.header()[c]) == csv_column_name(std::string(n))) return c;
    return t.column(std::string(names.front()));
}

// A cell that may be empty (a missing value): NaN then.
double number_or_nan(const CsvTable& t, std::size_t row, std::size_t col) {
    if (trim(t.text(row, col)).empty()) return NAN;
    return t.number(row, col, -kMaxPounds, kMaxPounds);
}

// HDF5's own error printing, off while it lives: a missing attribute is an answer here, told in
// one line naming the file.
class QuietHdf5 {
public:
    QuietHdf5() {
        H5Eget_auto2(H5E_DEFAULT, &report_, &report_data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    QuietHdf5(const QuietHdf5&) = delete;
    QuietHdf5& operator=(const QuietHdf5&) = delete;
    ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, report_, report_data_); }

private:
    H5E_auto2_t report_ = nullptr;
    void* report_data_ = nullptr;
};

// results.h5 opened for reading.
class ResultsFile {
public:
    ResultsFile(const fs::path& path, std::string shown) : shown_(std::move(shown)) {
        if (H5Fis_hdf5(path.c_str()) <= 0) refuse("is not a results file sendplan wrote (not HDF5)");
        file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (file_ < 0) refuse("cannot be opened");
    }
    ResultsFile(const ResultsFile&) = delete;
    ResultsFile& operator=(const ResultsFile&) = delete;
    ~ResultsFile() {
        if (file_ >= 0) H5Fclose(file_);
    }

    bool has(const char* object) const { return H5Lexists(file_, object, H5P_DEFAULT) > 0; }

    // A string attribute of `object` ("/" for the file); empty where there is none.
    std::string text(const char* name, const char* object = "/") const {
        if (H5Aexists_by_name(file_, object, name, H5P_DEFAULT) <= 0) return "";
        h5::Handle attr(H5Aopen_by_name(file_, object, name, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, name);
        h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
        H5Tset_size(type.id(), H5T_VARIABLE);
        H5Tset_cset(type.id(), H5T_CSET_UTF8);
        char* value = nullptr;
        if (H5Aread(attr.id(), type.id(), &value) < 0) refuse(std::string("attribute ") + name + " cannot be read");
        std::string out = value ? value : "";
        H5free_memory(value);
        return out;
    }

    std::int64_t whole(const char* name) const {
        if (H5Aexists(file_, name) <= 0) refuse(std::string("has no attribute ") + name + ": not a results file sendplan wrote");
        h5::Handle attr(H5Aopen(file_, name, H5P_DEFAULT), H5Aclose, name);
        long long value = 0;
        if (H5Aread(attr.id(), H5T_NATIVE_LLONG, &value) < 0) refuse(std::string("attribute ") + name + " cannot be read");
        return value;
    }

    // A dataset's values as reals, and its shape.
    std::vector<double> reals(const char* name, std::vector<hsize_t>& shape) const {
        shape.clear();
        if (!has(name)) return {};
        h5::Handle data(H5Dopen2(file_, name, H5P_DEFAULT), H5Dclose, name);
        h5::Handle space(H5Dget_space(data.id()), H5Sclose, "dataspace");
        const int rank = H5Sget_simple_extent_ndims(space.id());
        shape.assign(static_cast<std::size_t>(std::max(rank, 0)), 0);
        if (rank > 0) H5Sget_simple_extent_dims(space.id(), shape.data(), nullptr);
        hsize_t n = 1;
        for (hsize_t d : shape) n *= d;
        std::vector<double> values(n);
        if (n > 0 && H5Dread(data.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
            refuse(std::string(name) + " cannot be read");
        return values;
    }

    std::vector<std::string> strings(const char* name) const {
        if (!has(name)) return {};
        h5::Handle data(H5Dopen2(file_, name, H5P_DEFAULT), H5Dclose, name);
        h5::Handle space(H5Dget_space(data.id()), H5Sclose, "dataspace");
        const hssize_t n = H5Sget_simple_extent_npoints(space.id());
        h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
        H5Tset_size(type.id(), H5T_VARIABLE);
        H5Tset_cset(type.id(), H5T_CSET_UTF8);
        std::vector<char*> values(static_cast<std::size_t>(std::max<hssize_t>(n, 0)), nullptr);
        if (!values.empty() && H5Dread(data.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
            refuse(std::string(name) + " cannot be read");
        std::vector<std::string> out;
        for (char* v : values) {
            out.emplace_back(v ? v : "");
            H5free_memory(v);
        }
        return out;
    }

    [[noreturn]] void refuse(const std::string& why) const { throw InputError(shown_, 0, "", why); }

private:
    QuietHdf5 quiet_;  // first, so that it is quiet before the file is tried and after it is closed
    std::string shown_;
    hid_t file_ = -1;
};

// The scenario's own description, from the scenario text the run recorded; empty where it has none.
std::string description_of(const std::string& scenario_text) {
    try {
        const YAML::Node node = YAML::Load(scenario_text);
        if (node.IsMap() && node["description"] && node["description"].IsScalar()) {
            // A folded block (`description: >`) ends with its line break.
            std::string text = node["description"].as<std::string>();
            while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
            return trim(text);
        }
    } catch (const YAML::Exception&) {
        // The text was read as a scenario when the run was made; a report without its description still serves.
    }
    return "";
}

// What a reader calls the scenario: its own file's `title` (not one of a scenario it extends, whose
// text the run recorded after its own), or its name with spaces for '_'.
std::string title_of(const std::string& scenario_text, const std::string& name) {
    const std::string own = scenario_text.substr(0, scenario_text.find("\n# ---- it extends "));
    try {
        const YAML::Node node = YAML::Load(own);
        if (node.IsMap() && node["title"] && node["title"].IsScalar()) {
            const std::string title = trim(node["title"].as<std::string>());
            if (!title.empty()) return title;
        }
    } catch (const YAML::Exception&) {
        // As for the description: the name serves.
    }
    std::string readable = name;
    std::replace(readable.begin(), readable.end(), '_', ' ');
    if (!readable.empty()) readable[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(readable[0])));
    return readable;
}

// The 25th and 75th percentiles of the total, from every draw's total (draws x years), read as
// every other percentile is (sorted draws, type 7).
void add_quartiles(const ResultsFile& file, YearFan& fan) {
    std::vector<hsize_t> shape;
    const std::vector<double> totals = file.reals("draws/total", shape);
    if (shape.size() != 2 || shape[1] != fan.years.size()) return;
    for (std::size_t y = 0; y < shape[1]; ++y) {
        std::vector<double> year;
        for (std::size_t d = 0; d < shape[0]; ++d) year.push_back(totals[d * shape[1] + y]);
        std::sort(year.begin(), year.end());
        fan.p25.push_back(sorted_quantile(year, 0.25));
        fan.p75.push_back(sorted_quantile(year, 0.75));
    }
}

YearFan total_plans(const fs::path& dir) {
    const CsvTable t = CsvTable::read((dir / "projection_totals.csv").string());
    const std::size_t breakdown = t.column("breakdown"), year = t.column("year");
    const std::size_t cols[] = {t.column("mean"), t.column("p05"), t.column("p10"), t.column("p50"), t.column("p90"), t.column("p95")};
    YearFan fan;
    std::vector<double>* into[] = {&fan.mean, &fan.p05, &fan.p10, &fan.p50, &fan.p90, &fan.p95};
    for (std::size_t r = 0; r < t.rows(); ++r) {
        if (t.text(r, breakdown) != "total") continue;
        fan.years.push_back(t.year(r, year));
        for (std::size_t i = 0; i < std::size(cols); ++i) into[i]->push_back(t.number(r, cols[i], 0, kMaxCount));
    }
    if (fan.years.empty()) throw InputError(t.path(), 0, "breakdown", "has no rows for the total: not a projection_totals.csv sendplan wrote");
    return fan;
}

// Total high-needs spend by year (kind `total`, series `high_needs_spend`).
YearFan high_needs_spend(const CsvTable& t) {
    using namespace spend_column;
    const std::size_t k = column_named(t, kind), s = column_named(t, series), y = column_named(t, year);
    const std::size_t cols[] = {column_named(t, mean), column_named(t, p05), column_named(t, p10), column_named(t, p50), column_named(t, p90),
                                column_named(t, p95)};
    YearFan fan;
    std::vector<double>* into[] = {&fan.mean, &fan.p05, &fan.p10, &fan.p50, &fan.p90, &fan.p95};
    for (std::size_t r = 0; r < t.rows(); ++r) {
        if (t.text(r, k) != "total" || t.text(r, s) != "high_needs_spend") continue;
        fan.years.push_back(t.year(r, y));
        for (std::size_t i = 0; i < std::size(cols); ++i) into[i]->push_back(number_or_nan(t, r, cols[i]));
    }
    return fan;
}

TextTable text_table(const CsvTable& t) {
    TextTable out;
    out.header = t.header();
    for (std::size_t r = 0; r < t.rows(); ++r) {
        std::vector<std::string> row;
        for (std::size_t c = 0; c < t.header().size(); ++c) row.push_back(t.text(r, c));
        out.rows.push_back(std::move(row));
    }
    return out;
}

// The Special Places Plan's summary, whose first columns the report reads by place.
TextTable places_summary(const CsvTable& t) {
    const char* first[] = {"place_group", "phase", "need_group", "measure"};
    for (std::size_t c = 0; c < std::size(first); ++c)
        if (t.header().size() <= c || t.header()[c] != first[c])
            throw InputError(t.path(), 1, first[c], "expected as column " + std::to_string(c + 1) + ": not a places_summary.csv sendplan wrote");
    return text_table(t);
}

void read_run_record(const ResultsFile& file, ScenarioResults& s) {
    s.name = file.text("scenario_name");
    s.description = description_of(file.text("scenario_text"));
    s.title = title_of(file.text("scenario_text"), s.name);
    s.area_code = file.text("area_code");
    s.area_name = file.text("area_name");
    s.engine_version = file.text("engine_version");
    s.scenario_file = file.text("scenario_file");
    s.accuracy_sentence = file.text("sentence", "accuracy");
    s.seed = file.whole("seed");
    s.draws = file.whole("draws");
    s.base_year = static_cast<int>(file.whole("base_year"));
    s.horizon = static_cast<int>(file.whole("horizon"));
    std::vector<hsize_t> shape;
    for (double y : file.reals("history/year", shape)) s.history_years.push_back(static_cast<int>(y));
    s.history_totals = file.reals("history/total", shape);
    s.history_totals.resize(s.history_years.size(), NAN);
    s.place_groups = file.strings("labels/place_group");
    s.place_group_labels = file.strings("labels/place_group_label");
    s.place_group_labels.resize(s.place_groups.size());
    s.input_paths = file.strings("inputs/path");
    s.input_sha256 = file.strings("inputs/sha256");
    s.input_sha256.resize(s.input_paths.size());
}

// The options in the order comparison.csv first names them.
std::vector<std::string> options_named(const std::vector<DifferenceLine>& lines) {
    std::vector<std::string> names;
    for (const DifferenceLine& d : lines)
        if (std::find(names.begin(), names.end(), d.option) == names.end()) names.push_back(d.option);
    return names;
}

std::vector<DifferenceLine> difference_lines(const CsvTable& t) {
    using namespace comparison_column;
    const std::size_t o = column_named(t, option), m = column_named(t, measure), g = column_named(t, place_group), y = column_named(t, year),
                      b = column_named(t, base), w = column_named(t, with_option), d = column_named(t, mean), lo = column_named(t, p05),
                      hi = column_named(t, p95);
    std::vector<DifferenceLine> lines;
    for (std::size_t r = 0; r < t.rows(); ++r)
        lines.push_back({t.text(r, o), t.text(r, m), t.text(r, g), t.year(r, y), number_or_nan(t, r, b), number_or_nan(t, r, w), number_or_nan(t, r, d),
                         number_or_nan(t, r, lo), number_or_nan(t, r, hi)});
    return lines;
}

std::vector<AppraisalLine> appraisal_lines(const CsvTable& t) {
    using namespace appraisal_column;
    const std::size_t o = column_named(t, option), m = column_named(t, measure), c = column_named(t, code), g = column_named(t, place_group),
                      u = column_named(t, unit), avg = column_named(t, mean), lo = column_named(t, p05), mid = column_named(t, p50), hi = column_named(t, p95);
    std::vector<AppraisalLine> lines;
    for (std::size_t r = 0; r < t.rows(); ++r)
        lines.push_back({t.text(r, o), t.text(r, m), t.text(r, c), t.text(r, g), t.text(r, u), number_or_nan(t, r, avg), number_or_nan(t, r, lo),
                         number_or_nan(t, r, mid), number_or_nan(t, r, hi)});
    return lines;
}

}  // namespace

bool is_compare_folder(const fs::path& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "comparison.csv", ec) && !fs::exists(dir / "results.h5", ec);
}

ScenarioResults read_scenario_results(const fs::path& dir, const std::string& shown) {
    std::error_code ec;
    if (!fs::is_regular_file(dir / "results.h5", ec))
        throw InputError(shown, 0, "", "holds no results.h5: give a folder that sendplan run or sendplan compare wrote");
    ScenarioResults s;
    const ResultsFile file(dir / "results.h5", (fs::path(shown) / "results.h5").string());
    read_run_record(file, s);
    s.plans = total_plans(dir);
    add_quartiles(file, s.plans);
    if (fs::is_regular_file(dir / "high_needs_spend.csv", ec)) s.spend = high_needs_spend(CsvTable::read((dir / "high_needs_spend.csv").string()));
    if (fs::is_regular_file(dir / "places_summary.csv", ec)) s.places = places_summary(CsvTable::read((dir / "places_summary.csv").string()));
    return s;
}

CompareResults read_compare_results(const fs::path& dir, const std::string& shown) {
    CompareResults c;
    c.differences = difference_lines(CsvTable::read((dir / "comparison.csv").string()));
    std::error_code ec;
    if (fs::is_regular_file(dir / "appraisal.csv", ec)) c.appraisal = appraisal_lines(CsvTable::read((dir / "appraisal.csv").string()));
    const std::vector<std::string> options = options_named(c.differences);
    // The base is the one scenario folder that is no option.
    std::vector<std::string> folders;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_directory() && fs::is_regular_file(e.path() / "results.h5", ec)) folders.push_back(e.path().filename().string());
    std::sort(folders.begin(), folders.end());
    for (const std::string& f : folders)
        if (std::find(options.begin(), options.end(), f) == options.end()) {
            c.scenarios.push_back(read_scenario_results(dir / f, (fs::path(shown) / f).string()));
            break;
        }
    if (c.scenarios.empty()) throw InputError(shown, 0, "", "holds comparison.csv but no folder of the base scenario beside it");
    for (const std::string& o : options) {
        if (std::find(folders.begin(), folders.end(), o) == folders.end())
            throw InputError(shown, 0, "", "has no folder for the option " + o + " that comparison.csv names");
        c.scenarios.push_back(read_scenario_results(dir / o, (fs::path(shown) / o).string()));
    }
    return c;
}

}  // namespace sendplan
