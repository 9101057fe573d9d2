#pragma once
// A thin RAII layer over the HDF5 C API: files, groups, datasets and attributes, each closed when it
// goes out of scope. Only what the results writer needs.
#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <initializer_list>
#include <string>
#include <vector>

namespace sendplan::h5 {

// What HDF5 could not do, without the file's path: the caller names the file as the user knows it.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Handle {
public:
    Handle() = default;
    Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what);
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
    Handle& operator=(Handle&& o) noexcept;
    ~Handle();
    hid_t id() const { return id_; }

private:
    hid_t id_ = -1;
    herr_t (*close_)(hid_t) = nullptr;
};

class Group {
public:
    explicit Group(Handle h) : h_(std::move(h)) {}
    hid_t id() const { return h_.id(); }
    Group group(const std::string& name);

    void attribute(const std::string& name, const std::string& value);
    void attribute(const std::string& name, std::int64_t value);
    void attribute(const std::string& name, double value);
    void attribute(const std::string& name, const std::vector<std::string>& values);

    // Datasets of any rank; `dims` gives the shape, `labels` names each axis (stored as the
    // dataset's "dimensions" attribute so a reader knows what each axis is).
    void dataset(const std::string& name, const std::vector<hsize_t>& dims, const double* data,
                 const std::vector<std::string>& axis_names = {});
    void dataset(const std::string& name, const std::vector<hsize_t>& dims, const std::int64_t* data,
                 const std::vector<std::string>& axis_names = {});
    void dataset(const std::string& name, const std::vector<hsize_t>& dims, const std::int32_t* data,
                 const std::vector<std::string>& axis_names = {});
    void strings(const std::string& name, const std::vector<std::string>& values);

private:
    void write(const std::string& name, const std::vector<hsize_t>& dims, hid_t type, const void* data,
               const std::vector<std::string>& axis_names);
    Handle h_;
};

// Objects carry no creation or modification times, so identical runs write identical files.
class File : public Group {
public:
    static File create(const std::string& path);
    void flush();

private:
    explicit File(Handle h) : Group(std::move(h)) {}
};

// Whether `path` is an HDF5 file whose root carries every one of these attributes; anything else
// (no file, not HDF5, unreadable) is a plain no, with nothing printed.
bool has_root_attributes(const std::string& path, std::initializer_list<const char*> names);

}  // namespace sendplan::h5
