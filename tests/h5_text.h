#pragma once
// An HDF5 file as text: every group, dataset and attribute in name order, with its shape and
// values (reals to 17 significant digits, so equal text means equal bits). Stored expected outputs
// keep results.h5 this way: a difference shows as a readable line, and a value that cannot be
// equal from one build to the next (the git revision the engine was built from) is masked.
#include <hdf5.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace sendplan::test {

namespace h5_text_detail {

inline const std::set<std::string>& masked_attributes() {
    static const std::set<std::string> names = {"git_revision"};
    return names;
}

inline std::string real(double x) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

inline std::vector<hsize_t> shape_of(hid_t space) {
    const int rank = H5Sget_simple_extent_ndims(space);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank > 0 ? rank : 0));
    if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
    return dims;
}

inline hsize_t count_of(const std::vector<hsize_t>& dims) {
    hsize_t n = 1;
    for (hsize_t d : dims) n *= d;
    return n;
}

// Values of an attribute (`is_attribute`) or dataset, of the kinds the results writer uses:
// 64-bit reals, 32/64-bit integers and variable-length strings.
inline std::string values(hid_t object, bool is_attribute) {
    const hid_t type = is_attribute ? H5Aget_type(object) : H5Dget_type(object);
    const hid_t space = is_attribute ? H5Aget_space(object) : H5Dget_space(object);
    const auto dims = shape_of(space);
    const hsize_t n = count_of(dims);
    std::ostringstream out;
    out << "[";
    for (std::size_t i = 0; i < dims.size(); ++i) out << (i ? "x" : "") << dims[i];
    out << "] ";
    auto read = [&](hid_t memory_type, void* buffer) {
        const herr_t status = is_attribute ? H5Aread(object, memory_type, buffer) : H5Dread(object, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
        if (status < 0) throw std::runtime_error("cannot read an HDF5 value");
    };
    switch (H5Tget_class(type)) {
    case H5T_FLOAT: {
        std::vector<double> v(n);
        read(H5T_NATIVE_DOUBLE, v.data());
        for (hsize_t i = 0; i < n; ++i) out << (i ? " " : "") << real(v[i]);
        break;
    }
    case H5T_INTEGER: {
        std::vector<long long> v(n);
        read(H5T_NATIVE_LLONG, v.data());
        for (hsize_t i = 0; i < n; ++i) out << (i ? " " : "") << v[i];
        break;
    }
    case H5T_STRING: {
        const hid_t memory = H5Tcopy(H5T_C_S1);
        H5Tset_size(memory, H5T_VARIABLE);
        H5Tset_cset(memory, H5Tget_cset(type));
        std::vector<char*> v(n, nullptr);
        read(memory, v.data());
        for (hsize_t i = 0; i < n; ++i) out << (i ? " | " : "") << (v[i] ? v[i] : "");
        H5Dvlen_reclaim(memory, space, H5P_DEFAULT, v.data());
        H5Tclose(memory);
        break;
    }
    default:
        out << "(a kind of value the results writer does not write)";
    }
    H5Sclose(space);
    H5Tclose(type);
    return out.str();
}

inline void attributes(hid_t object, const std::string& path, std::ostringstream& out) {
    H5O_info_t info;
    H5Oget_info(object, &info);
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        const hid_t a = H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT);
        char name[256];
        H5Aget_name(a, sizeof name, name);
        out << path << " @" << name << " = "
            << (masked_attributes().count(name) ? std::string("(masked)") : values(a, true)) << "\n";
        H5Aclose(a);
    }
}

inline herr_t visit(hid_t group, const char* name, const H5L_info_t*, void* data);

struct Walk {
    std::ostringstream* out;
    std::string path;
};

inline void group(hid_t id, const std::string& path, std::ostringstream& out) {
    out << path << "/ (group)\n";
    attributes(id, path, out);
    Walk walk{&out, path};
    hsize_t index = 0;
    H5Literate(id, H5_INDEX_NAME, H5_ITER_INC, &index, visit, &walk);
}

inline herr_t visit(hid_t parent, const char* name, const H5L_info_t*, void* data) {
    auto& walk = *static_cast<Walk*>(data);
    const std::string path = walk.path + "/" + name;
    H5O_info_t info;
    H5Oget_info_by_name(parent, name, &info, H5P_DEFAULT);
    if (info.type == H5O_TYPE_GROUP) {
        const hid_t g = H5Gopen2(parent, name, H5P_DEFAULT);
        group(g, path, *walk.out);
        H5Gclose(g);
    } else if (info.type == H5O_TYPE_DATASET) {
        const hid_t d = H5Dopen2(parent, name, H5P_DEFAULT);
        *walk.out << path << " = " << values(d, false) << "\n";
        attributes(d, path, *walk.out);
        H5Dclose(d);
    }
    return 0;
}

}  // namespace h5_text_detail

inline std::string h5_as_text(const std::string& file) {
    const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) throw std::runtime_error("cannot open " + file);
    std::ostringstream out;
    h5_text_detail::group(f, "", out);
    H5Fclose(f);
    return out.str();
}

}  // namespace sendplan::test
