#include "output/workbook_writer.h"

#include <xlsxwriter.h>

#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "core/error.h"

namespace sendplan {
namespace {

// A1-style reference to a column of a sheet, rows first..last (0-based).
std::string column_range(const std::string& sheet, std::size_t col, std::size_t first, std::size_t last) {
    std::string letters;
    for (std::size_t c = col + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return fmt::format("='{}'!${}${}:${}${}", sheet, letters, first + 1, letters, last + 1);
}

}  // namespace

void write_workbook(const ResultsFolder& folder, const std::string& name, int as_of_year, const std::vector<Table>& tables,
                    const std::vector<WorkbookChart>& charts) {
    const std::string path = folder.path(name).string();
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) throw InputError(folder.shown(name), 0, folder.option(), "cannot be written");
    std::tm january{};
    january.tm_year = as_of_year - 1900;
    january.tm_mday = 1;
    lxw_doc_properties properties{};
    properties.created = timegm(&january);
    workbook_set_properties(wb, &properties);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    format_set_text_wrap(bold);
    for (const Table& t : tables) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, t.name.c_str());
        for (std::size_t c = 0; c < t.header.size(); ++c) {
            worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold);
            worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c == 0 ? 28 : 16, nullptr);
        }
        worksheet_freeze_panes(ws, 1, 0);
        for (std::size_t r = 0; r < t.rows.size(); ++r)
            for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
                const TableCell& cell = t.rows[r][c];
                const auto row = static_cast<lxw_row_t>(r + 1);
                const auto col = static_cast<lxw_col_t>(c);
                if (!cell.is_number) worksheet_write_string(ws, row, col, cell.text.c_str(), nullptr);
                else if (!std::isnan(cell.number)) worksheet_write_number(ws, row, col, cell.number, nullptr);
            }
    }
    for (const WorkbookChart& ch : charts) {
        const Table& t = tables[ch.table];
        if (t.rows.empty()) continue;
        lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_LINE);
        for (const std::size_t col : ch.columns) {
            lxw_chart_series* s = chart_add_series(chart, column_range(t.name, 0, 1, t.rows.size()).c_str(), column_range(t.name, col, 1, t.rows.size()).c_str());
            chart_series_set_name(s, t.header[col].c_str());
        }
        chart_title_set_name(chart, ch.title.c_str());
        chart_axis_set_name(chart->y_axis, ch.y_axis.c_str());
        chart_axis_set_name(chart->x_axis, t.header[0].c_str());
        chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
        lxw_chartsheet* sheet = workbook_add_chartsheet(wb, ch.sheet_name.c_str());
        chartsheet_set_chart(sheet, chart);
    }
    const lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) throw InputError(folder.shown(name), 0, folder.option(), std::string("could not be written: ") + lxw_strerror(err));
}

}  // namespace sendplan
