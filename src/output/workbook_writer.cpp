#include "output/workbook_writer.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "core/error.h"

namespace sendplan {

const char* number_format_of(CellStyle style) {
    switch (style) {
        case CellStyle::whole: return "#,##0";
        case CellStyle::currency: return "£#,##0";
        case CellStyle::percent:
        case CellStyle::per_cent: return "0.0%";
        case CellStyle::decimal: return "#,##0.0";
        case CellStyle::year: return "0";
        case CellStyle::plain: break;
    }
    return "";
}

namespace {

constexpr CellStyle kStyles[] = {CellStyle::plain, CellStyle::whole, CellStyle::currency, CellStyle::percent, CellStyle::per_cent, CellStyle::decimal,
                                 CellStyle::year};

// A1-style reference to a column of a sheet, rows first..last (0-based).
std::string column_range(const std::string& sheet, std::size_t col, std::size_t first, std::size_t last) {
    std::string letters;
    for (std::size_t c = col + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return fmt::format("='{}'!${}${}:${}${}", sheet, letters, first + 1, letters, last + 1);
}

// The cell formats of a workbook: the header's, the cover's, and one per CellStyle.
struct SheetFormats {
    lxw_format* header = nullptr;
    lxw_format* year_header = nullptr;
    lxw_format* title = nullptr;
    lxw_format* label = nullptr;
    lxw_format* wrapped = nullptr;
    lxw_format* numbers[std::size(kStyles)] = {};

    explicit SheetFormats(lxw_workbook* wb)
        : header(workbook_add_format(wb)), year_header(workbook_add_format(wb)), title(workbook_add_format(wb)), label(workbook_add_format(wb)),
          wrapped(workbook_add_format(wb)) {
        for (lxw_format* f : {header, year_header}) {
            format_set_bold(f);
            format_set_text_wrap(f);
            format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        }
        format_set_num_format(year_header, "0");
        format_set_bold(title);
        format_set_font_size(title, 14);
        format_set_bold(label);
        format_set_align(label, LXW_ALIGN_VERTICAL_TOP);
        format_set_text_wrap(wrapped);
        format_set_align(wrapped, LXW_ALIGN_VERTICAL_TOP);
        for (const CellStyle s : kStyles) {
            if (s == CellStyle::plain) continue;
            lxw_format* f = workbook_add_format(wb);
            format_set_num_format(f, number_format_of(s));
            numbers[static_cast<std::size_t>(s)] = f;
        }
    }
    lxw_format* of(CellStyle style) const { return numbers[static_cast<std::size_t>(style)]; }
};

// A header that is all digits is a year.
bool is_year(const std::string& s) {
    return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// About how many characters a cell shows: a number with its separators, pound sign or per cent.
std::size_t shown_width(const TableCell& cell) {
    if (!cell.is_number) return cell.text.size();
    if (std::isnan(cell.number)) return 0;
    const double magnitude = std::max(1.0, std::fabs(cell.number));
    const auto digits = static_cast<std::size_t>(std::floor(std::log10(magnitude))) + 1;
    return digits + digits / 3 + 3;
}

// A column wide enough for its longest cell and its header's longest word (the header wraps),
// within reason: a long note wraps rather than pushing the figures off the screen.
double column_width(const Table& t, std::size_t c) {
    std::size_t width = 8;
    std::size_t word = 0;
    for (const char ch : t.header[c]) {
        word = ch == ' ' ? 0 : word + 1;
        width = std::max(width, word + 1);
    }
    width = std::max(width, std::min<std::size_t>(t.header[c].size(), 18));
    for (const auto& row : t.rows)
        if (c < row.size()) width = std::max(width, shown_width(row[c]) + 1);
    return static_cast<double>(std::min<std::size_t>(width, 60));
}

void write_header(lxw_worksheet* ws, const Table& t, const SheetFormats& formats) {
    for (std::size_t c = 0; c < t.header.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        if (t.years_as_numbers && is_year(t.header[c])) worksheet_write_number(ws, 0, col, std::stod(t.header[c]), formats.year_header);
        else worksheet_write_string(ws, 0, col, t.header[c].c_str(), formats.header);
        worksheet_set_column(ws, col, col, column_width(t, c), nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

// A number as the CSV file gives it, to its decimals, so a sheet and its CSV file never disagree and
// a cell holds no more digits than the figure means.
double as_written(const TableCell& cell) {
    const double scale = std::pow(10.0, cell.decimals);
    const double rounded = std::round(cell.number * scale) / scale;
    return rounded + 0.0;  // not -0
}

// A number cell in its own style, else its column's; a per-cent figure goes in as the share it is.
void write_cell(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const TableCell& cell, CellStyle column_kind, const SheetFormats& formats) {
    if (!cell.is_number) {
        if (!cell.text.empty()) worksheet_write_string(ws, row, col, cell.text.c_str(), nullptr);
        return;
    }
    if (std::isnan(cell.number)) return;
    const CellStyle style = cell.style != CellStyle::plain ? cell.style : column_kind;
    const double value = as_written(cell);
    worksheet_write_number(ws, row, col, style == CellStyle::per_cent ? value / 100.0 : value, formats.of(style));
}

void write_sheet(lxw_workbook* wb, const Table& t, const SheetFormats& formats) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.name.c_str());
    write_header(ws, t, formats);
    for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.rows[r].size(); ++c)
            write_cell(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), t.rows[r][c], t.kind(c), formats);
}

void write_cover(lxw_workbook* wb, const WorkbookCover& cover, const SheetFormats& formats) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, cover.sheet_name.c_str());
    worksheet_set_column(ws, 0, 0, 30, formats.label);
    worksheet_set_column(ws, 1, 1, 90, formats.wrapped);
    worksheet_set_column(ws, 2, 2, 70, formats.wrapped);
    worksheet_write_string(ws, 0, 0, cover.title.c_str(), formats.title);
    for (std::size_t i = 0; i < cover.lines.size(); ++i) {
        const auto row = static_cast<lxw_row_t>(i + 2);
        const auto& line = cover.lines[i];
        for (std::size_t c = 0; c < line.size(); ++c) {
            if (c == 0 && !line[c].is_number) worksheet_write_string(ws, row, 0, line[c].text.c_str(), formats.label);
            else write_cell(ws, row, static_cast<lxw_col_t>(c), line[c], CellStyle::plain, formats);
        }
    }
}

void add_chart(lxw_workbook* wb, const Table& t, const WorkbookChart& ch) {
    if (t.rows.empty()) return;
    lxw_chart* chart = workbook_add_chart(wb, LXW_CHART_LINE);
    for (const std::size_t col : ch.columns) {
        lxw_chart_series* s = chart_add_series(chart, column_range(t.name, 0, 1, t.rows.size()).c_str(), column_range(t.name, col, 1, t.rows.size()).c_str());
        chart_series_set_name(s, t.header[col].c_str());
        if (std::find(ch.dashed.begin(), ch.dashed.end(), col) == ch.dashed.end()) continue;
        lxw_chart_line line{};
        line.dash_type = LXW_CHART_LINE_DASH_DASH;
        line.width = 1.25;
        chart_series_set_line(s, &line);
    }
    chart_title_set_name(chart, ch.title.c_str());
    chart_axis_set_name(chart->y_axis, ch.y_axis.c_str());
    if (!ch.y_format.empty()) chart_axis_set_num_format(chart->y_axis, ch.y_format.c_str());
    chart_axis_set_name(chart->x_axis, t.header[0].c_str());
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chartsheet* sheet = workbook_add_chartsheet(wb, ch.sheet_name.c_str());
    chartsheet_set_chart(sheet, chart);
}

}  // namespace

void write_workbook(const ResultsFolder& folder, const std::string& name, const Workbook& book) {
    const std::string path = folder.path(name).string();
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) throw InputError(folder.shown(name), 0, folder.option(), "cannot be written");
    std::tm january{};
    january.tm_year = book.as_of_year - 1900;
    january.tm_mday = 1;
    lxw_doc_properties properties{};
    properties.created = timegm(&january);
    workbook_set_properties(wb, &properties);
    const SheetFormats formats(wb);
    for (const WorkbookCover& cover : book.cover) write_cover(wb, cover, formats);
    for (const Table& t : book.tables) write_sheet(wb, t, formats);
    for (const WorkbookChart& ch : book.charts) add_chart(wb, book.tables[ch.table], ch);
    const lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) throw InputError(folder.shown(name), 0, folder.option(), std::string("could not be written: ") + lxw_strerror(err));
}

void write_workbook(const ResultsFolder& folder, const std::string& name, int as_of_year, const std::vector<Table>& tables,
                    const std::vector<WorkbookChart>& charts) {
    write_workbook(folder, name, Workbook{as_of_year, {}, tables, charts});
}

}  // namespace sendplan
