#include "output/hdf5_file.h"

namespace sendplan::h5 {
namespace {

void check(herr_t status, const std::string& what) {
    if (status < 0) throw Error("HDF5: " + what + " failed");
}

// Creation properties without object times: a file's bytes depend only on what is written.
Handle untimed(hid_t property_class) {
    Handle plist(H5Pcreate(property_class), H5Pclose, "property list");
    check(H5Pset_obj_track_times(plist.id(), 0), "turn off object times");
    return plist;
}

void string_attribute(hid_t owner, const std::string& name, const std::vector<std::string>& values, bool scalar) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    check(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
    check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
    hsize_t n = values.size();
    Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
    Handle attr(H5Acreate2(owner, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
    std::vector<const char*> ptrs;
    for (const auto& v : values) ptrs.push_back(v.c_str());
    check(H5Awrite(attr.id(), type.id(), ptrs.data()), "write attribute " + name);
}

}  // namespace

Handle::Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id < 0) throw Error("HDF5: cannot create " + what);
}

Handle& Handle::operator=(Handle&& o) noexcept {
    if (this != &o) {
        if (id_ >= 0 && close_) close_(id_);
        id_ = o.id_;
        close_ = o.close_;
        o.id_ = -1;
    }
    return *this;
}

Handle::~Handle() {
    if (id_ >= 0 && close_) close_(id_);
}

Group Group::group(const std::string& name) {
    const Handle plist = untimed(H5P_GROUP_CREATE);
    return Group(Handle(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, plist.id(), H5P_DEFAULT), H5Gclose, "group " + name));
}

void Group::attribute(const std::string& name, const std::string& value) { string_attribute(id(), name, {value}, true); }

void Group::attribute(const std::string& name, const std::vector<std::string>& values) { string_attribute(id(), name, values, false); }

void Group::attribute(const std::string& name, std::int64_t value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
    Handle attr(H5Acreate2(id(), name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
    check(H5Awrite(attr.id(), H5T_NATIVE_INT64, &value), "write attribute " + name);
}

void Group::attribute(const std::string& name, double value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose, "dataspace");
    Handle attr(H5Acreate2(id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, "attribute " + name);
    check(H5Awrite(attr.id(), H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

void Group::write(const std::string& name, const std::vector<hsize_t>& dims, hid_t type, const void* data,
                  const std::vector<std::string>& axis_names) {
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, "dataspace");
    const Handle plist = untimed(H5P_DATASET_CREATE);
    hsize_t total = 1;
    for (auto d : dims) total *= d;
    if (total > 4096 && !dims.empty()) {
        // Chunk and compress large arrays (per-draw tables compress several-fold).
        std::vector<hsize_t> chunk(dims);
        chunk[0] = 1;
        check(H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data()), "set chunk");
        check(H5Pset_deflate(plist.id(), 4), "set deflate");
    }
    hid_t file_type = type == H5T_NATIVE_DOUBLE ? H5T_IEEE_F64LE : type == H5T_NATIVE_INT64 ? H5T_STD_I64LE : H5T_STD_I32LE;
    Handle ds(H5Dcreate2(id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, plist.id(), H5P_DEFAULT), H5Dclose, "dataset " + name);
    check(H5Dwrite(ds.id(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write dataset " + name);
    if (!axis_names.empty()) string_attribute(ds.id(), "dimensions", axis_names, false);
}

void Group::dataset(const std::string& name, const std::vector<hsize_t>& dims, const double* data, const std::vector<std::string>& axes) {
    write(name, dims, H5T_NATIVE_DOUBLE, data, axes);
}
void Group::dataset(const std::string& name, const std::vector<hsize_t>& dims, const std::int64_t* data, const std::vector<std::string>& axes) {
    write(name, dims, H5T_NATIVE_INT64, data, axes);
}
void Group::dataset(const std::string& name, const std::vector<hsize_t>& dims, const std::int32_t* data, const std::vector<std::string>& axes) {
    write(name, dims, H5T_NATIVE_INT32, data, axes);
}

void Group::strings(const std::string& name, const std::vector<std::string>& values) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
    check(H5Tset_size(type.id(), H5T_VARIABLE), "set string size");
    check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "set string charset");
    hsize_t n = values.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataspace");
    const Handle plist = untimed(H5P_DATASET_CREATE);
    Handle ds(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, plist.id(), H5P_DEFAULT), H5Dclose, "dataset " + name);
    std::vector<const char*> ptrs;
    for (const auto& v : values) ptrs.push_back(v.c_str());
    check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write dataset " + name);
}

File File::create(const std::string& path) {
    // A failure is one line from the caller, not HDF5's own trace on stderr.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return File(Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "the file"));
}

void File::flush() { check(H5Fflush(id(), H5F_SCOPE_GLOBAL), "flush"); }

bool has_root_attributes(const std::string& path, std::initializer_list<const char*> names) {
    H5E_auto2_t report = nullptr;
    void* report_data = nullptr;
    H5Eget_auto2(H5E_DEFAULT, &report, &report_data);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // not an HDF5 file is an answer here, not an error to print
    bool all = false;
    if (H5Fis_hdf5(path.c_str()) > 0) {
        const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        if (file >= 0) {
            all = true;
            for (const char* name : names) all = all && H5Aexists(file, name) > 0;
            H5Fclose(file);
        }
    }
    H5Eset_auto2(H5E_DEFAULT, report, report_data);
    return all;
}

}  // namespace sendplan::h5
