#include "io/zip_archive.h"

#include <zip.h>

#include <memory>

#include "core/error.h"

namespace sendplan {
namespace {

struct ArchiveCloser {
    void operator()(zip_t* z) const { zip_discard(z); }  // read only: nothing to write back
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

Archive open_archive(const std::string& path) {
    int error = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &error);
    if (!z) {
        zip_error_t e;
        zip_error_init_with_code(&e, error);
        const std::string why = zip_error_strerror(&e);
        zip_error_fini(&e);
        throw InputError(path, 0, "", "cannot read the zip archive: " + why);
    }
    return Archive(z);
}

}  // namespace

bool is_zip_path(const std::string& path) {
    return path.size() > 4 && (path.compare(path.size() - 4, 4, ".zip") == 0 || path.compare(path.size() - 4, 4, ".ZIP") == 0);
}

std::vector<std::string> zip_entry_names(const std::string& path) {
    Archive z = open_archive(path);
    const zip_int64_t n = zip_get_num_entries(z.get(), 0);
    std::vector<std::string> names;
    for (zip_int64_t i = 0; i < n; ++i)
        if (const char* name = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), 0)) names.emplace_back(name);
    return names;
}

std::string read_zip_entry(const std::string& path, const std::string& entry) {
    Archive z = open_archive(path);
    const std::string where = path + ":" + entry;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z.get(), entry.c_str(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        throw InputError(where, 0, "", "no such file in the archive");
    // The releases are tens of megabytes; a size beyond any release is a damaged or hostile archive.
    constexpr zip_uint64_t kLargestEntry = zip_uint64_t{1} << 30;
    if (st.size > kLargestEntry) throw InputError(where, 0, "", "file in the archive is larger than 1 GiB; not a DfE release");
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen(z.get(), entry.c_str(), 0), zip_fclose);
    if (!file) throw InputError(where, 0, "", std::string("cannot open in the archive: ") + zip_strerror(z.get()));
    std::string text(static_cast<std::size_t>(st.size), '\0');
    zip_uint64_t got = 0;
    while (got < st.size) {
        const zip_int64_t n = zip_fread(file.get(), text.data() + got, st.size - got);
        if (n < 0) throw InputError(where, 0, "", std::string("cannot read in the archive: ") + zip_file_strerror(file.get()));
        if (n == 0) break;
        got += static_cast<zip_uint64_t>(n);
    }
    if (got != st.size) throw InputError(where, 0, "", "the archive ends before the file does");
    return text;
}

}  // namespace sendplan
