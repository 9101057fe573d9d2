#pragma once
// Bad input is refused with one message that names where it is, so a planner can fix the file.
#include <stdexcept>
#include <string>
#include <string_view>

namespace sendplan {

class InputError : public std::runtime_error {
public:
    InputError(const std::string& file, long line, const std::string& field, const std::string& message)
        : InputError(file, line, 0, field, message) {}
    // With the column too (1-based; 0 where unknown), for files a person edits by hand.
    InputError(const std::string& file, long line, long column, const std::string& field, const std::string& message)
        : std::runtime_error(compose(file, line, column, field, message)), file_(file), line_(line), column_(column), field_(field) {}

    const std::string& file() const { return file_; }
    long line() const { return line_; }
    long column() const { return column_; }
    const std::string& field() const { return field_; }

private:
    static std::string compose(const std::string& file, long line, long column, const std::string& field, const std::string& message);
    std::string file_;
    long line_, column_;
    std::string field_;
};

// What was found, in quotes, cut to 60 characters with an ellipsis: a message stays one line a
// person can read even when the file holds megabytes where a number should be.
std::string shown(std::string_view found);

}  // namespace sendplan

namespace sendplan {

// Data that reads cleanly but cannot support the requested run (no census for the base year, no
// new-plan history): refused like bad input, with what is missing.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace sendplan
