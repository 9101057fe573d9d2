// Outputs destroy nothing: results go only where they replace nothing but an earlier result, they
// are put in place whole, a run killed at any moment leaves the earlier result or the new one, and
// identical runs write identical files.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <hdf5.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <thread>

#include "core/error.h"
#include "h5_text.h"
#include "output/atomic_output.h"
#include "support.h"

using namespace sendplan::test;
namespace fs = std::filesystem;

namespace {

const std::string baseline = source("scenarios/baseline.yaml");
const std::string quick = " --draws 20 --quiet";

// Every file under `dir`, by its path inside it, with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) files[e.path().lexically_relative(dir).string()] = read_text(e.path().string());
    return files;
}

// The hidden names an unfinished write of `dir` would leave beside it.
std::vector<std::string> leftovers(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir.parent_path())) {
        const std::string f = e.path().filename().string();
        if (f.starts_with(std::string(".").append(dir.filename().string()).append("."))) out.push_back(f);
    }
    return out;
}

void expect_refused(const std::string& args, const std::vector<std::string>& mentions) {
    const CommandResult r = run_sendplan(args);
    INFO(args);
    INFO(r.output);
    CHECK(r.status == 2);
    for (const auto& m : mentions) CHECK(r.output.find(m) != std::string::npos);
    CHECK(r.output.find("internal error") == std::string::npos);
    CHECK(r.output.find("incomplete") == std::string::npos);  // never the hidden folder's name
}

// A scenario named `name` that is otherwise the baseline.
std::string scenario_named(const TempDir& dir, const std::string& file, const std::string& name) {
    const std::string path = dir / file;
    write_text(path, "extends: " + baseline + "\nscenario: " + name + "\n");
    return path;
}

// The baseline on three releases of Barnet's own data alone: quick to read.
std::string quick_baseline(const TempDir& dir) {
    const std::string path = dir / "quick.yaml";
    write_text(path, "extends: " + baseline + "\nscenario: quick\ndata:\n  dfe_releases: [" + source("data/dfe-ehcp-2022") + ", " +
                         source("data/dfe-ehcp-2025") + ", " + source("data/dfe-ehcp-2026") + "]\n");
    return path;
}

// The process running `args`, its stderr going to `err`.
pid_t start_sendplan(const std::vector<std::string>& args, const std::string& err) {
    std::vector<std::string> all = {SENDPLAN_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    const int failed = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(failed == 0);
    return pid;
}

}  // namespace

TEST_CASE("results never replace a file, a folder of other things, an input or the working folder", "[cli][outputs]") {
    TempDir dir;
    write_text(dir / "precious.txt", "keep me\n");
    write_text(dir / "data/caseload.csv", "keep me too\n");
    const std::string run = "run " + baseline + quick + " --out ";
    SECTION("an existing file, and a folder below a file") {
        expect_refused(run + (dir / "precious.txt"), {"precious.txt", "is a file"});
        expect_refused(run + (dir / "precious.txt/sub"), {"precious.txt/sub", "precious.txt is a file, not a folder"});
        expect_refused("compare " + baseline + " " + baseline + quick + " --out " + (dir / "precious.txt"), {"precious.txt", "is a file"});
    }
    SECTION("a folder that is not a sendplan result") {
        expect_refused(run + (dir / "data"), {"data", "not a sendplan result"});
        expect_refused(run + "/proc", {"/proc", "not a sendplan result"});
    }
    SECTION("a place that is no folder's own name") {
        for (const std::string& out : std::vector<std::string>{".", "/", "..", dir / "data/..", "''"}) expect_refused(run + out, {"--out"});
    }
    SECTION("a folder that cannot be written into") { expect_refused(run + "/proc/sendplan-results", {"/proc/sendplan-results", "cannot be written"}); }
    SECTION("a result folder holding the scenario the run reads") {
        write_text(dir / "mine/" + sendplan::results_marker, "");
        const std::string sc = scenario_named(dir, "mine/scenario.yaml", "mine");
        expect_refused("run " + sc + quick + " --out " + (dir / "mine"), {"mine", "which this run reads"});
        CHECK(fs::exists(sc));
    }
    SECTION("a file the backtest or a synthetic history would write is not a folder or an input") {
        const std::string backtest = "backtest --data-dir " + source("data") + " --area 302 --origin 2024 --horizon 1 --draws 20 --out ";
        expect_refused(backtest + (dir / "data"), {"data", "is a folder"});
        expect_refused(backtest + (dir / "out.csv") + " --report " + (dir / "data"), {"--report", "is a folder"});
        expect_refused("synth " + baseline + " --years 2 --out " + (dir / "data"), {"data", "is a folder"});
        expect_refused("synth " + baseline + " --years 2 --out " + baseline, {"baseline.yaml", "which this run reads"});
        expect_refused("synth " + baseline + " --years 2 --out " + (dir / "precious.txt/x.csv"), {"precious.txt is a file"});
    }
    SECTION("a file of the user's is not replaced by a backtest's or a synthetic history's file") {
        const std::string backtest = "backtest --data-dir " + source("data") + " --area 302 --origin 2024 --horizon 1 --draws 20 --out ";
        expect_refused(backtest + (dir / "precious.txt"), {"precious.txt", "not an earlier backtest forecasts file"});
        expect_refused(backtest + (dir / "out.csv") + " --report " + (dir / "precious.txt"), {"--report", "not an earlier backtest report"});
        expect_refused(backtest + (dir / "out.csv") + " --accuracy " + (dir / "precious.txt"), {"--accuracy", "not an earlier accuracy table"});
        expect_refused("synth " + baseline + " --years 2 --out " + (dir / "precious.txt"), {"precious.txt", "not an earlier synthetic history"});
        // Nor is an earlier output of another kind: a report is not a forecasts file.
        REQUIRE(run_sendplan(backtest + (dir / "out.csv") + " --report " + (dir / "report.csv")).status == 0);
        expect_refused(backtest + (dir / "report.csv"), {"report.csv", "not an earlier backtest forecasts file"});
    }
    CHECK(read_text(dir / "precious.txt") == "keep me\n");
    CHECK(read_text(dir / "data/caseload.csv") == "keep me too\n");
    CHECK(leftovers(dir / "data").empty());
}

TEST_CASE("a scenario's name is a name, not a path", "[cli][outputs]") {
    TempDir dir;
    fs::create_directories(dir / "work/keep");
    write_text(dir / "work/keep/plan.txt", "keep me\n");
    const std::string long_name(300, 'a');
    for (const std::string& name : std::vector<std::string>{"../escaped", dir / "work/keep", "''", long_name, "a/b", "..", "'with space'"}) {
        INFO(name);
        const std::string sc = scenario_named(dir, "work/option.yaml", name);
        // Run from `work`, where results/<name> would be written.
        const std::string in_work = "cd " + (dir / "work") + " && ";
        const CommandResult r = run_sendplan("run " + sc + quick);
        CHECK(r.status == 2);
        CHECK(r.output.find("option.yaml:2:11: field 'scenario'") != std::string::npos);
        CHECK(r.output.find("internal error") == std::string::npos);
        expect_refused("compare " + baseline + " " + sc + quick + " --out " + (dir / "work/cmp"), {"option.yaml:2:11", "field 'scenario'"});
        CHECK(std::system((in_work + SENDPLAN_BINARY + " run " + sc + quick + " > /dev/null 2>&1").c_str()) != 0);
    }
    CHECK(read_text(dir / "work/keep/plan.txt") == "keep me\n");
    CHECK_FALSE(fs::exists(dir / "escaped"));
    CHECK_FALSE(fs::exists(dir / "work/results"));
    CHECK_FALSE(fs::exists(dir / "work/cmp"));
    // A plain name is taken.
    const std::string sc = scenario_named(dir, "work/option.yaml", "option.2_b-c");
    REQUIRE(std::system(("cd " + (dir / "work") + " && " + SENDPLAN_BINARY + " run " + sc + quick + " --no-plots > /dev/null 2>&1").c_str()) == 0);
    CHECK(fs::exists(dir / "work/results/option.2_b-c/results.h5"));
}

TEST_CASE("an earlier result is replaced whole, and identical runs write identical files", "[slow][cli][outputs]") {
    TempDir dir;
    const std::string scenario = quick_baseline(dir);
    const std::string run = "run " + scenario + quick + " --out ";
    REQUIRE(run_sendplan(run + (dir / "a")).status == 0);
    REQUIRE(run_sendplan(run + (dir / "b")).status == 0);
    const auto a = snapshot(dir / "a"), b = snapshot(dir / "b");
    REQUIRE(a.count("results.h5"));
    CHECK(a.count(sendplan::results_marker));
    CHECK(a.size() == b.size());
    // results.h5 included: no object times or other traces of when it was written.
    for (const auto& [file, bytes] : a) {
        INFO(file);
        CHECK(bytes == b.at(file));
    }
    // Another seed over the earlier result: replaced, and nothing left beside it.
    REQUIRE(run_sendplan(run + (dir / "a") + " --seed 7").status == 0);
    const auto replaced = snapshot(dir / "a");
    CHECK(replaced.size() == a.size());
    CHECK(replaced.at("projection_totals.csv") != a.at("projection_totals.csv"));
    CHECK(leftovers(dir / "a").empty());
    // A compare's folder too, and each scenario's folder in it is a result.
    write_text(dir / "option.yaml", "extends: quick.yaml\nscenario: option\n");
    const std::string compare_to = "compare " + scenario + " " + (dir / "option.yaml") + quick + " --out ";
    const std::string compare = compare_to + (dir / "cmp");
    REQUIRE(run_sendplan(compare).status == 0);
    REQUIRE(run_sendplan(compare + " --seed 3").status == 0);
    for (const char* marked : {"cmp", "cmp/quick", "cmp/option"}) CHECK(fs::exists(dir.path() / marked / sendplan::results_marker));
    CHECK(leftovers(dir / "cmp").empty());
    // The same compare again writes the same bytes, the workbook included (dated by its base census).
    REQUIRE(run_sendplan(compare_to + (dir / "cmp2") + " --seed 3").status == 0);
    const auto first = snapshot(dir / "cmp"), second = snapshot(dir / "cmp2");
    REQUIRE(first.count("appraisal.xlsx"));
    CHECK(first.size() == second.size());
    for (const auto& [file, bytes] : first) {
        INFO(file);
        CHECK(bytes == second.at(file));
    }
    // A backtest's file is replaced whole, with nothing left beside it.
    const std::string backtest = "backtest --data-dir " + source("data") + " --area 302 --origin 2024 --horizon 1 --draws 20 --out " +
                                 (dir / "backtest.csv");
    REQUIRE(run_sendplan(backtest).status == 0);
    REQUIRE(run_sendplan(backtest + " --seed 5").status == 0);
    CHECK(read_text(dir / "backtest.csv").rfind("area_code,", 0) == 0);
    CHECK(leftovers(dir / "backtest.csv").empty());
}

TEST_CASE("what a killed write left is put right before the next", "[outputs]") {
    TempDir dir;
    const fs::path out = dir.path() / "result";
    // No process has this number, so the process that left these is gone.
    const std::string gone = "999999999";
    write_text((dir / ".result.previous-") + gone + "/" + sendplan::results_marker, "");
    write_text((dir / ".result.previous-") + gone + "/projection_totals.csv", "the earlier result\n");
    write_text((dir / ".result.incomplete-") + gone + "/results.h5", "half written");
    // One of a process still running is its own business.
    const std::string running = dir / (".result.incomplete-" + std::to_string(::getppid()));
    fs::create_directories(running);
    sendplan::check_results_folder(out.string(), "--out", {});
    CHECK(read_text((out / "projection_totals.csv").string()) == "the earlier result\n");
    CHECK_FALSE(fs::exists(dir / (".result.previous-" + gone)));
    CHECK_FALSE(fs::exists(dir / (".result.incomplete-" + gone)));
    CHECK(fs::exists(running));
    // With the result in place, one moved aside is the older and goes.
    write_text((dir / ".result.previous-") + gone + "/projection_totals.csv", "older\n");
    sendplan::check_results_folder(out.string(), "--out", {});
    CHECK(read_text((out / "projection_totals.csv").string()) == "the earlier result\n");
    CHECK_FALSE(fs::exists(dir / (".result.previous-" + gone)));
    // The check itself refuses with the user's path and names no hidden folder.
    write_text(dir / "file", "x");
    CHECK_THROWS_AS(sendplan::check_results_folder(dir / "file", "--out", {}), sendplan::InputError);
    CHECK_THROWS_WITH(sendplan::check_results_folder(dir / "file/sub", "--out", {}), Catch::Contains("file is a file, not a folder"));
}

TEST_CASE("a run killed at any moment, over an earlier result, leaves it whole or the new one complete", "[cli][outputs]") {
    TempDir dir;
    const fs::path out = dir.path() / "result";
    const std::string scenario = quick_baseline(dir);
    auto args = [&](int seed) {
        return std::vector<std::string>{"run", scenario, "--no-plots", "--draws", "80", "--keep-draws", "--threads", "2", "--seed", std::to_string(seed), "--out", out.string()};
    };
    std::vector<std::string> earlier = args(1);
    earlier.insert(earlier.end(), "--quiet");
    {
        const pid_t pid = start_sendplan(earlier, dir / "stderr.txt");
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    auto hidden = [&](const std::string& file) {
        return [&, file] {
            for (const auto& e : fs::directory_iterator(dir.path()))
                if (e.path().filename().string().starts_with(".result.incomplete-") && (file.empty() || fs::exists(e.path() / file))) return true;
            return false;
        };
    };
    auto swapping = [&] {
        for (const auto& e : fs::directory_iterator(dir.path()))
            if (e.path().filename().string().starts_with(".result.previous-")) return true;
        return false;
    };
    const std::string err = dir / "stderr.txt";
    // The moments: in the draws (the notes are printed before them), as the hidden folder appears,
    // in the HDF5 file, in the CSVs, with the folder marked whole, and as the earlier one moves aside.
    const std::vector<std::pair<std::string, std::function<bool()>>> moments = {
        {"drawing", [&] { return fs::exists(err) && fs::file_size(err) > 0; }},
        {"hidden folder", hidden("")},
        {"results.h5", hidden("results.h5")},
        {"projection_detail.csv", hidden("projection_detail.csv")},
        {"special_places_plan.csv", hidden("special_places_plan.csv")},
        {"marked", hidden(sendplan::results_marker)},
        {"swapping", swapping},
    };
    int seed = 2, killed = 0;
    for (const auto& [moment, reached] : moments) {
        INFO(moment);
        const auto before = snapshot(out);
        REQUIRE(before.count(sendplan::results_marker));
        const pid_t pid = start_sendplan(args(seed), err);
        int status = 0;
        bool ended = false;
        while (!reached()) {
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                ended = true;
                break;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        if (!ended) {
            ::kill(pid, SIGKILL);
            REQUIRE(::waitpid(pid, &status, 0) == pid);
        }
        if (WIFSIGNALED(status)) ++killed;
        else CHECK(WEXITSTATUS(status) == 0);
        // At once: the earlier result, the new one, or (killed between the two renames) the earlier
        // one beside its place.
        if (!fs::exists(out)) CHECK(fs::exists(dir / (".result.previous-" + std::to_string(pid))));
        // The next run puts right what was left.
        sendplan::check_results_folder(out.string(), "--out", {});
        const auto after = snapshot(out);
        CHECK(leftovers(out).empty());
        if (after != before) {
            // Complete: the same files, marked, and the HDF5 file readable, of the new seed.
            CHECK(after.size() == before.size());
            for (const auto& file : before) CHECK(after.count(file.first));
            hid_t f = H5Fopen((out / "results.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
            REQUIRE(f >= 0);
            hid_t attr = H5Aopen(f, "seed", H5P_DEFAULT);
            std::int64_t written = 0;
            H5Aread(attr, H5T_NATIVE_INT64, &written);
            H5Aclose(attr);
            H5Fclose(f);
            CHECK(written == seed);
        }
        ++seed;
    }
    // Most moments are caught; the last one is a few microseconds long and usually is not.
    CHECK(killed >= 4);
}

TEST_CASE("a result written before folders were marked is replaced; a look-alike is not", "[cli][outputs]") {
    TempDir dir;
    const std::string out = dir / "earlier";
    REQUIRE(run_sendplan("run " + baseline + quick + " --out " + out).status == 0);
    fs::remove(fs::path(out) / ".sendplan-result");  // as results were written before the mark
    const CommandResult again = run_sendplan("run " + baseline + quick + " --out " + out);
    INFO(again.output);
    CHECK(again.status == 0);
    CHECK(fs::exists(fs::path(out) / ".sendplan-result"));
    // A folder with a file merely named results.h5 holds someone else's work.
    const std::string other = dir / "other";
    fs::create_directories(other);
    write_text(other + "/results.h5", "not an HDF5 file\n");
    expect_refused("run " + baseline + quick + " --out " + other, {"not a sendplan result"});
    CHECK(read_text(other + "/results.h5") == "not an HDF5 file\n");
}

TEST_CASE("a results folder typed with a trailing separator is shown without a doubled one", "[cli][outputs]") {
    TempDir dir;
    const CommandResult r = run_sendplan("run " + baseline + quick + " --out " + (dir / "r1/"));
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(r.output.find("r1/results.h5") != std::string::npos);
    CHECK(r.output.find("//") == std::string::npos);
    CHECK(fs::exists(dir / "r1/results.h5"));
}

TEST_CASE("results.h5 names a run's place groups, each with its label", "[cli][outputs]") {
    TempDir dir;
    const std::string out = dir / "places";
    const CommandResult r = run_sendplan("run " + quick_baseline(dir) + quick + " --out " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    // Read back as written: the codes of settings.yaml's place groups, in the plan's order, and their
    // labels: a group named after a setting takes the setting's label; any other keeps its name.
    const std::string h5 = h5_as_text(out + "/results.h5");
    CHECK(h5.find("\n/labels/place_group = [2] resourced | state_special\n") != std::string::npos);
    CHECK(h5.find("\n/labels/place_group_label = [2] Resourced provision / SEN unit (ARP) | state_special\n") != std::string::npos);
}

TEST_CASE("a plot script given what is not its input says so in one line and exits with status 2", "[outputs][plots]") {
    TempDir dir;
    write_text(dir / "other/notes.txt", "not results\n");
    write_text(dir / "other/results.h5", "not an HDF5 file\n");
    write_text(dir / "other/appraisal.csv", "a,b\n1,2\n");
    const std::vector<std::pair<std::string, std::string>> calls = {
        {"plot_projection.py", dir / "other"},     {"plot_projection.py", dir / "nowhere"}, {"plot_projection.py", dir.path().string()},
        {"plot_sufficiency.py", dir / "other"},    {"plot_sufficiency.py", dir.path().string()}, {"board_pack.py", dir / "other"},
        {"board_pack.py", dir.path().string()},    {"plot_backtest.py", dir / "other"},     {"plot_backtest.py", dir / "other/notes.txt"},
        {"plot_backtest_accuracy.py", dir / "other"}, {"plot_backtest_accuracy.py", dir / "other/appraisal.csv"}};
    for (const auto& [script, given] : calls) {
        const std::string err = dir / "err.txt";
        const std::string cmd = "/usr/bin/python3 " + source("python-plots/" + script) + " '" + given + "' > /dev/null 2> '" + err + "'";
        const int raw = std::system(cmd.c_str());
        const std::string message = read_text(err);
        INFO(script << " " << given << ":\n" << message);
        CHECK((WIFEXITED(raw) && WEXITSTATUS(raw) == 2));
        CHECK(std::count(message.begin(), message.end(), '\n') == 1);
        CHECK(message.rfind(script + ": ", 0) == 0);
        CHECK(message.find("Traceback") == std::string::npos);
    }
    // Nothing was written where the scripts were pointed.
    CHECK_FALSE(fs::exists(dir / "other/plots"));
    CHECK_FALSE(fs::exists(dir / "plots"));
    CHECK_FALSE(fs::exists(dir / "other/board_pack"));
    CHECK_FALSE(fs::exists(dir / "nowhere"));
}
