#include "output/workbook_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <string>
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

// The cell formats of a workbook: the header's, and one per CellStyle.
struct SheetFormats {
    lxw_format* header = nullptr;
    lxw_format* year_header = nullptr;
    lxw_format* whole = nullptr;
    lxw_format* percent = nullptr;

    explicit SheetFormats(lxw_workbook* wb)
        : header(workbook_add_format(wb)), year_header(workbook_add_format(wb)), whole(workbook_add_format(wb)), percent(workbook_add_format(wb)) {
        for (lxw_format* f : {header, year_header}) {
            format_set_bold(f);
            format_set_text_wrap(f);
        }
        format_set_num_format(year_header, "0");
        format_set_num_format(whole, "#,##0");
        format_set_num_format(percent, "0%");
    }
    lxw_format* of(CellStyle style) const { return style == CellStyle::whole ? whole : style == CellStyle::percent ? percent : nullptr; }
};

// A header that is all digits is a year.
bool is_year(const std::string& s) {
    return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void write_header(lxw_worksheet* ws, const Table& t, const SheetFormats& formats) {
    for (std::size_t c = 0; c < t.header.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        if (t.years_as_numbers && is_year(t.header[c])) worksheet_write_number(ws, 0, col, std::stod(t.header[c]), formats.year_header);
        else worksheet_write_string(ws, 0, col, t.header[c].c_str(), formats.header);
        worksheet_set_column(ws, col, col, c == 0 ? 28 : 16, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

void write_sheet(lxw_workbook* wb, const Table& t, const SheetFormats& formats) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.name.c_str());
    write_header(ws, t, formats);
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
            const TableCell& cell = t.rows[r][c];
            const auto row = static_cast<lxw_row_t>(r + 1);
            const auto col = static_cast<lxw_col_t>(c);
            if (!cell.is_number) worksheet_write_string(ws, row, col, cell.text.c_str(), nullptr);
            else if (!std::isnan(cell.number)) worksheet_write_number(ws, row, col, cell.number, formats.of(cell.style));
        }
}

void add_chart(lxw_workbook* wb, const Table& t, const WorkbookChart& ch) {
    if (t.rows.empty()) return;
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
    const SheetFormats formats(wb);
    for (const Table& t : tables) write_sheet(wb, t, formats);
    for (const WorkbookChart& ch : charts) add_chart(wb, tables[ch.table], ch);
    const lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) throw InputError(folder.shown(name), 0, folder.option(), std::string("could not be written: ") + lxw_strerror(err));
}

}  // namespace sendplan
