#include "output/person_history_writer.h"

#include "output/atomic_output.h"

namespace sendplan {

void write_person_censuses(const std::string& path, const std::vector<CensusRow>& rows, const Taxonomy& tax) {
    write_text_file(path, "--out", kPersonCensuses, [&](std::ostream& f) {
        f << kPersonCensuses.begins_with;
        for (const auto& r : rows)
            f << r.person_id << ',' << r.year << ',' << tax.min_age + r.state.age << ',' << tax.needs[static_cast<std::size_t>(r.state.need)].code << ','
              << tax.settings[static_cast<std::size_t>(r.state.setting)].code << '\n';
    });
}

}  // namespace sendplan
