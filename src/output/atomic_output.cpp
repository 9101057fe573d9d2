#include "output/atomic_output.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "core/error.h"
#include "core/names.h"
#include "output/hdf5_file.h"

namespace sendplan {
namespace {

namespace fs = std::filesystem;

InputError refused(const fs::path& shown, const std::string& option, const std::string& why) { return InputError(shown.string(), 0, option, why); }

// Runs a filesystem step; its failure is refused naming the user's path and what could not be done,
// not the hidden path the step was working on.
template <class Step>
void on_disk(const fs::path& shown, const std::string& option, const std::string& doing, Step step) {
    try {
        step();
    } catch (const fs::filesystem_error& e) {
        throw refused(shown, option, doing + " (" + e.code().message() + ")");
    }
}

// The user's path as a place: normalised, without a trailing separator, and naming something.
fs::path place_of(const std::string& given, const std::string& option, const char* what) {
    if (given.empty()) throw InputError(option, 0, "", std::string("is empty: give the ") + what + " to write");
    fs::path p = fs::path(given).lexically_normal();
    if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();
    const std::string name = p.filename().string();
    if (name.empty() || name == "." || name == "..")
        throw refused(given, option, std::string("names no ") + what + " sendplan may write (it would replace a folder holding others): give a new name");
    return p;
}

fs::path parent_of(const fs::path& place) { return place.has_parent_path() ? place.parent_path() : fs::path("."); }

// The hidden names beside `place`: `.NAME.incomplete-PID` (being written) and `.NAME.previous-PID`
// (an earlier result moved aside for a moment), PID the writing process's.
std::string hidden_prefix(const fs::path& place, const char* kind) { return fmt::format(".{}.{}-", place.filename().string(), kind); }

fs::path hidden(const fs::path& place, const char* kind, pid_t pid) { return parent_of(place) / fmt::format("{}{}", hidden_prefix(place, kind), pid); }

// A leftover's process has gone (or its number is ours now, so it was an earlier process's).
bool gone(pid_t pid) { return pid == ::getpid() || (::kill(pid, 0) != 0 && errno == ESRCH); }

// Every existing folder above `place` must be a folder: `precious.txt/sub` is refused, not created.
void check_folders_above(const fs::path& place, const std::string& option) {
    for (fs::path above = place.parent_path(); !above.empty(); above = above.parent_path()) {
        std::error_code ec;
        const fs::file_status s = fs::status(above, ec);
        if (fs::exists(s)) {
            if (!fs::is_directory(s)) throw refused(place, option, above.string() + " is a file, not a folder");
            return;
        }
        if (above == above.parent_path()) return;
    }
}

// Whether `inner` is `outer` or lies inside it, links followed.
bool within(const fs::path& inner, const fs::path& outer) {
    std::error_code ec;
    const fs::path a = fs::weakly_canonical(fs::absolute(inner), ec), b = fs::weakly_canonical(fs::absolute(outer), ec);
    const fs::path r = a.lexically_relative(b);
    return !r.empty() && *r.begin() != "..";
}

// Whether `name` is a hidden name of this kind beside `place` whose process has gone.
bool left_by_gone_process(const std::string& name, const fs::path& place, const char* kind) {
    const std::string prefix = hidden_prefix(place, kind);
    if (!name.starts_with(prefix) || name.size() == prefix.size() || name.size() > prefix.size() + 9) return false;
    const std::string number = name.substr(prefix.size());
    if (number.find_first_not_of("0123456789") != std::string::npos) return false;
    return gone(static_cast<pid_t>(std::stol(number)));
}

// Removes what killed earlier writes of `place` left beside it; an earlier result a killed run had
// moved aside is put back where nothing has taken its place.
void put_right_leftovers(const fs::path& place, const std::string& option) {
    const fs::path parent = parent_of(place);
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) return;
    std::vector<fs::path> incomplete, previous;
    for (const auto& e : fs::directory_iterator(parent, ec)) {
        const std::string f = e.path().filename().string();
        for (auto* kind : {"incomplete", "previous"})
            if (left_by_gone_process(f, place, kind)) (*kind == 'i' ? incomplete : previous).push_back(e.path());
    }
    on_disk(place, option, "cannot put right what an interrupted run left beside it", [&] {
        for (const auto& p : previous) {
            if (!fs::exists(fs::symlink_status(place))) fs::rename(p, place);
            else fs::remove_all(p);
        }
        for (const auto& p : incomplete) fs::remove_all(p);
    });
}

void check_not_inputs(const fs::path& place, const std::string& option, const std::vector<std::string>& inputs, bool folder) {
    if (folder && within(fs::current_path(), place)) throw refused(place, option, "holds the folder sendplan is run from: give a new folder for the results");
    for (const auto& input : inputs) {
        if (input.empty()) continue;
        if (folder ? within(input, place) : within(place, input) && within(input, place))
            throw refused(place, option, (folder ? "holds " : "is ") + input + ", which this run reads: give another " + (folder ? "folder" : "file") + " to write");
    }
}

// Results folders are marked; one written before the mark existed is known by its results.h5,
// which carries the engine's version (a planner re-running last month's command is not refused).
bool written_by_sendplan(const fs::path& place) {
    std::error_code ec;
    if (fs::exists(place / results_marker, ec)) return true;
    const fs::path results = place / "results.h5";
    if (!fs::is_regular_file(fs::symlink_status(results, ec))) return false;
    return h5::has_root_attributes(results.string(), {"engine_version", "scenario_text"});
}

void check_place(const fs::path& place, const std::string& option, const std::vector<std::string>& inputs) {
    check_folders_above(place, option);
    std::error_code ec;
    const fs::file_status s = fs::symlink_status(place, ec);
    if (fs::is_symlink(s)) throw refused(place, option, "is a link: give the results folder itself");
    if (fs::exists(s) && !fs::is_directory(s)) throw refused(place, option, "is a file: sendplan writes results only into a new folder or over its own earlier results");
    if (fs::is_directory(s) && !fs::is_empty(place, ec) && !written_by_sendplan(place))
        throw refused(place, option, std::string("holds files that are not a sendplan result (it has no ") + results_marker +
                                         "): give a new folder, or one sendplan wrote");
    check_not_inputs(place, option, inputs, true);
}

// Tries the place before the work, so a folder that cannot be written into is refused at once.
void try_writing_beside(const fs::path& place, const std::string& option, bool folder) {
    const fs::path parent = parent_of(place);
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) return;
    const fs::path probe = hidden(place, "incomplete", ::getpid());
    on_disk(place, option, "cannot be written in " + parent.string(), [&] {
        if (folder) {
            fs::create_directory(probe);
        } else {
            std::ofstream f(probe);
            if (!f) throw fs::filesystem_error("open", std::error_code(errno, std::generic_category()));
        }
        fs::remove(probe);
    });
}

// The one way every output file is written: checked as it is opened and as it is closed, so a full
// disk or a vanished folder is refused rather than leaving a short file that looks whole.
void write_stream(const fs::path& path, const fs::path& shown, const std::string& option, const std::function<void(std::ostream&)>& write) {
    std::ofstream f(path, std::ios::binary);
    if (!f) throw refused(shown, option, std::string("cannot be written (") + std::strerror(errno) + ")");
    write(f);
    f.close();
    if (!f) throw refused(shown, option, std::string("could not be written completely (") + std::strerror(errno) + ")");
}

}  // namespace

ResultsFolder::ResultsFolder(fs::path writing, fs::path shown, std::string option)
    : writing_(std::move(writing)), shown_(std::move(shown)), option_(std::move(option)) {}

void ResultsFolder::text(const std::string& name, const std::function<void(std::ostream&)>& write) const {
    write_stream(path(name), shown(name), option_, write);
}

ResultsFolder ResultsFolder::folder(const std::string& name) const {
    // A name read from a file must not reach outside the folder (the scenario reader refuses such names too).
    if (!is_plain_name(name)) throw refused(shown_, option_, "cannot hold a folder named '" + name.substr(0, max_name_length) + "': not a plain name");
    ResultsFolder inner(writing_ / name, shown_ / name, option_);
    on_disk(shown_ / name, option_, "cannot be created", [&] { fs::create_directory(inner.writing_); });
    inner.mark();
    return inner;
}

void ResultsFolder::mark() const {
    text(results_marker, [](std::ostream& out) { out << "This folder holds results written by sendplan; sendplan may replace it with newer results.\n"; });
}

void check_results_folder(const std::string& out, const std::string& option, const std::vector<std::string>& inputs) {
    const fs::path place = place_of(out, option, "results folder");
    put_right_leftovers(place, option);
    check_place(place, option, inputs);
    try_writing_beside(place, option, true);
}

std::string write_results_folder(const std::string& out, const std::string& option, const std::vector<std::string>& inputs,
                                 const std::function<void(const ResultsFolder&)>& write) {
    const fs::path place = place_of(out, option, "results folder");
    put_right_leftovers(place, option);
    check_place(place, option, inputs);
    on_disk(place, option, "cannot create the folder " + parent_of(place).string(), [&] { fs::create_directories(parent_of(place)); });
    const fs::path writing = hidden(place, "incomplete", ::getpid());
    on_disk(place, option, "cannot be written in " + parent_of(place).string(), [&] {
        fs::remove_all(writing);
        fs::create_directory(writing);
    });
    try {
        const ResultsFolder folder(writing, place, option);
        write(folder);
        folder.mark();
        // Checked again: something may have been put at the place while the results were written.
        check_place(place, option, inputs);
        on_disk(place, option, "cannot be put in place", [&] {
            std::error_code ec;
            if (!fs::exists(fs::symlink_status(place)) || fs::is_empty(place, ec)) {
                fs::rename(writing, place);  // replaces an empty folder in one step
                return;
            }
            const fs::path previous = hidden(place, "previous", ::getpid());
            fs::rename(place, previous);
            try {
                fs::rename(writing, place);
            } catch (...) {
                fs::rename(previous, place, ec);
                throw;
            }
            fs::remove_all(previous);
        });
    } catch (...) {
        std::error_code ec;
        fs::remove_all(writing, ec);
        throw;
    }
    return place_of(fs::absolute(place).string(), option, "results folder").string();
}

// Whether the file at `place` begins as outputs of `kind` do; read no further than that.
bool begins_as(const fs::path& place, const OutputKind& kind) {
    const std::string expected = kind.begins_with;
    std::ifstream in(place, std::ios::binary);
    std::string start(expected.size(), '\0');
    in.read(start.data(), static_cast<std::streamsize>(start.size()));
    return in && start == expected;
}

void check_output_file(const std::string& path, const std::string& option, const OutputKind& kind, const std::vector<std::string>& inputs) {
    const fs::path place = place_of(path, option, "file");
    check_folders_above(place, option);
    std::error_code ec;
    if (!fs::is_directory(parent_of(place), ec)) throw refused(place, option, "the folder to write into does not exist");
    const fs::file_status s = fs::status(place, ec);
    if (fs::is_directory(s)) throw refused(place, option, "is a folder: give the name of a file to write");
    if (fs::exists(s) && !fs::is_regular_file(s)) throw refused(place, option, "is not a plain file: give the name of a file to write");
    check_not_inputs(place, option, inputs, false);
    if (fs::exists(s) && !begins_as(place, kind))
        throw refused(place, option, std::string("exists and is not an earlier ") + kind.what + " file written by sendplan: give a new name, or remove it first");
    put_right_leftovers(place, option);
    try_writing_beside(place, option, false);
}

void write_text_file(const std::string& path, const std::string& option, const OutputKind& kind,
                     const std::function<void(std::ostream&)>& write) {
    check_output_file(path, option, kind, {});
    const fs::path place = place_of(path, option, "file");
    const fs::path writing = hidden(place, "incomplete", ::getpid());
    try {
        write_stream(writing, place, option, write);
        on_disk(place, option, "cannot be put in place", [&] { fs::rename(writing, place); });
    } catch (...) {
        std::error_code ec;
        fs::remove(writing, ec);
        throw;
    }
}

}  // namespace sendplan
