#pragma once
// Results are put in place whole, and only where they destroy nothing. A results folder (or a single
// output file) is written under a hidden name beside its place and renamed in once complete, so a
// failed or killed run leaves the earlier result as it was; and sendplan replaces only a folder it
// wrote itself (marked with a .sendplan-result file), never a file, a folder of other things, or
// anything the run reads. Every message names the path as the user gave it, never the hidden one.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace sendplan {

// The file that marks a folder as a sendplan result, which a later run may replace.
inline constexpr const char* results_marker = ".sendplan-result";

// A results folder being written: files go into the hidden folder, messages name them where they
// will be once the folder is in place.
class ResultsFolder {
public:
    ResultsFolder(std::filesystem::path writing, std::filesystem::path shown, std::string option);
    // Where `name` is written now.
    std::filesystem::path path(const std::string& name) const { return writing_ / name; }
    // `name` as the user will find it, for messages.
    std::string shown(const std::string& name) const { return (shown_ / name).string(); }
    // The option (or scenario key) the folder's path came from, for messages.
    const std::string& option() const { return option_; }
    // Writes the text file `name` whole; a failure is refused naming the file.
    void text(const std::string& name, const std::function<void(std::ostream&)>& write) const;
    // A results folder inside this one (a compared scenario's), marked as a result itself.
    ResultsFolder folder(const std::string& name) const;
    // Marks the folder as a sendplan result: written last, so a folder with the mark is whole.
    void mark() const;

private:
    std::filesystem::path writing_, shown_;
    std::string option_;
};

// Refuses, with one line naming `out`, a place results may not go: empty, `.`, `/`, `..`, a file, a
// link, a folder holding anything but an earlier sendplan result, a folder holding the folder
// sendplan runs from or any of `inputs` (the files and folders the run reads), or one that cannot be
// written into. Puts right what a killed earlier run left beside it (an earlier result half swapped
// out is put back). Cheap: called before the work, so a refusal costs nothing.
void check_results_folder(const std::string& out, const std::string& option, const std::vector<std::string>& inputs);

// Checks as above, has `write` fill the folder, marks it, and only then puts it in place of any
// earlier result: at every moment either the earlier result or the new one is at `out` (or, killed
// between two renames, the earlier one beside it, put back by the next run). Returns the folder
// written as it is shown to the user: absolute, normalised, without a trailing separator.
std::string write_results_folder(const std::string& out, const std::string& option, const std::vector<std::string>& inputs,
                          const std::function<void(const ResultsFolder&)>& write);

// A kind of single output file, and what every file of that kind begins with: an existing file is
// replaced only if it begins so (an earlier output of the same kind), never a file of the user's.
struct OutputKind {
    const char* what;         // for messages: "backtest forecasts"
    const char* begins_with;  // the start of its first line, as sendplan writes it
};

// The same for a single output file (the backtest's CSVs, a synthetic history): refused where it is
// a folder, one of `inputs`, in a folder that does not exist, where it cannot be written, or where a
// file is there already that is not an earlier output of the same kind.
void check_output_file(const std::string& path, const std::string& option, const OutputKind& kind, const std::vector<std::string>& inputs);

// Writes `path` whole: under a hidden name beside it, renamed over any earlier file of its kind once
// complete.
void write_text_file(const std::string& path, const std::string& option, const OutputKind& kind,
                     const std::function<void(std::ostream&)>& write);

}  // namespace sendplan
