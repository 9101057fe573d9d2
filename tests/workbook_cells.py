"""Prints what a workbook holds, as openpyxl reads it, for the workbook tests to check: a line per
sheet (`sheet<TAB>name<TAB>worksheet|chartsheet`) and a line per non-empty cell
(`cell<TAB>sheet<TAB>A1<TAB>type<TAB>number format<TAB>value`), type being openpyxl's (n for a
number, s for text). Exits with status 3, saying so, where openpyxl is not installed."""
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed: the workbook cannot be read back")
    sys.exit(3)


def clean(value):
    return str(value).replace("\t", " ").replace("\n", " ")


def main(path):
    book = openpyxl.load_workbook(path)
    for name in book.sheetnames:
        sheet = book[name]
        kind = "chartsheet" if sheet in book.chartsheets else "worksheet"
        print(f"sheet\t{name}\t{kind}")
        if kind != "worksheet":
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                print(f"cell\t{name}\t{cell.coordinate}\t{cell.data_type}\t{clean(cell.number_format)}\t{clean(cell.value)}")


if __name__ == "__main__":
    main(sys.argv[1])
