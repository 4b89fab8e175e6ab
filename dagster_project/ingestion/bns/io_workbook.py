"""BNS input-output and supply-use workbooks: one fact per published cell.

Both workbooks (symmetric I-O tables, 68 x 68 products; supply and use tables,
125 products x 72 industries) print every figure sheet the same way: a title
row, a unit row (flow sheets only), a row of column labels, a ``Code`` row with
the product (I-O) or industry (SUT) codes across, a ``No.`` row, then rows
``No. | code | label | figures``. Columns after the coded ones (totals, final
demand, margins, taxes) and rows without a code (direct purchases, totals,
value added, output, imports, total supply) carry no printed code: they get a
stable code from ``io_item_codes.csv`` (SNA/ESA codes where one exists), keyed
by axis and label. A label missing from that file is quarantined with its
whole row or column, so a new item next year is reported, never dropped.

Everything that can change from one release to the next lives in the
manifest entry: the sheet -> ``table_code`` mapping, the unit of each sheet
(and the cell that prints it, which must agree), the digits printed after the
decimal point (the basis of every tolerance in ``io_checks``) and the header
rows (``io_layout``), the text-only sheets (``text_sheets``; any other unmapped
sheet is quarantined whole) and the cover sheet whose title ('... for 2023')
must agree with the entry's ``period``. The identities validated on the facts
are in ``io_checks``.

Found on the 2023 files: no gap markers, no duplicate codes, no footnote
marks; SUT codes 11 and 30 are number cells (kept as the text they print) and
' 14' carries a leading space (stripped); the SUT's sheet 6 prints 0 for value
added in the final-demand columns where the I-O workbook leaves them blank
(kept as published).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dagster_project import settings
from dagster_project.ingestion.bns.io_checks import CHECKS
from dagster_project.ingestion.bns.labels import clean_label, parse_figure
from dagster_project.ingestion.bns.release import IO_CELL_COLUMNS, LayoutResult, ReleaseCollector
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.workbook import Sheet, Workbook, cell_address

COLUMNS = IO_CELL_COLUMNS
KEY_COLUMNS = ("release_id", "table_code", "row_code", "column_code")
__all__ = ["CHECKS", "COLUMNS", "KEY_COLUMNS", "read", "item_codes", "printed_code"]

# What the printed code axis of the columns holds, by layout.
COLUMN_AXIS_KIND = {"product": "product", "industry": "industry"}


@dataclass(frozen=True)
class Item:
    code: str
    kind: str


def normalise_label(text: str) -> str:
    """The key labels are matched on: spacing collapsed, case folded (BNS
    prints ' Transport margins' and ' Gross fixed capital formation' with a
    leading space on some sheets)."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=8)
def item_codes(path: Path) -> dict[tuple[str, str], Item]:
    """(axis, normalised label) -> Item from ``io_item_codes.csv``."""
    items: dict[tuple[str, str], Item] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            key = (record["axis"].strip(), normalise_label(record["label"]))
            if key in items:
                raise RawFileError(str(path), f"line {line}: label {record['label']!r} is listed twice")
            items[key] = Item(record["code"].strip(), record["kind"].strip())
    return items


def printed_code(value) -> str | None:
    """A product or industry code as text, as printed. Codes are text cells
    ('01', '061', '58-63 except 61'); a few are number cells in General
    format (11, 30 in the SUT), printed without leading zeros, so ``str(int)``
    is what the reader sees. Surrounding spaces (' 14') are typesetting."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _layout(entry: ManifestEntry) -> dict:
    layout = entry.extra.get("io_layout")
    sheets = entry.extra.get("sheets")
    if not isinstance(layout, dict) or not isinstance(sheets, list) or not sheets:
        raise RawFileError(entry.relative_path, "manifest entry needs io_layout and a list of sheets "
                           "(sheet, table_code, unit, printed_decimals)")
    return layout


def read(entry: ManifestEntry, workbook: Workbook, context=None) -> LayoutResult:
    layout = _layout(entry)
    items = item_codes(_item_codes_path(entry))
    collector = ReleaseCollector(entry, workbook, COLUMNS)
    year = release_year(entry, workbook)
    for spec in entry.extra["sheets"]:
        sheet = workbook.sheet(str(spec["sheet"]))
        _read_sheet(collector, entry, sheet, spec, layout, items, year)
    # A sheet neither mapped nor named as text-only (cover, symbols, contents, notes) may be a new
    # figure table: declaring it read makes every cell of it quarantined, so it is reported.
    known = {str(s["sheet"]).strip() for s in entry.extra["sheets"]}
    known |= {str(name).strip() for name in entry.extra.get("text_sheets", ())}
    for name, sheet in workbook.sheets.items():
        if name.strip() not in known:
            collector.read_sheet(sheet)
            collector.notes.append(f"sheet {name.strip()!r} is not in the manifest's sheets or text_sheets: "
                                   "its cells are quarantined")
    return collector.result()


_COVER_YEAR = re.compile(r"\bfor\s+((?:19|20)\d\d)\b")


def release_year(entry: ManifestEntry, workbook: Workbook) -> int:
    """The year of the tables: the manifest's ``period`` ('2023'), checked against the cover's title
    ('... tables of the Republic of Kazakhstan for 2023'). A new entry written by add-release has no
    period yet: the cover's year is used; a disagreement refuses the file."""
    period = str(entry.extra.get("period") or "").strip()
    stated = int(period) if re.fullmatch(r"(?:19|20)\d\d", period) else None
    printed = None
    cover_name = str(entry.extra.get("cover_sheet", "Cover"))
    if any(name.strip() == cover_name for name in workbook.sheets):
        for _, _, value in workbook.sheet(cover_name).non_empty():
            match = _COVER_YEAR.search(" ".join(str(value).split()))
            if match:
                printed = int(match.group(1))
                break
    if stated and printed and stated != printed:
        raise RawFileError(entry.relative_path, f"the manifest's period is {stated} but sheet {cover_name!r} "
                           f"says the tables are for {printed}")
    year = stated or printed
    if year is None:
        raise RawFileError(entry.relative_path, f"no year: the manifest's period {period!r} is not a year and "
                           f"sheet {cover_name!r} prints no '... for YYYY' title")
    return year


def _item_codes_path(entry: ManifestEntry) -> Path:
    """The codes file named by the entry: beside the release, else in its dataset folder (a release
    being added or tested may sit elsewhere), else the one shipped with the project."""
    name = entry.extra.get("item_codes", "io_item_codes.csv")
    candidates = [entry.path.parent / name, settings.RAW_DIR / entry.dataset / name,
                  settings.PROJECT_ROOT / "data" / "raw" / "kazakhstan_bns" / name]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise RawFileError(entry.relative_path, f"item codes file {name!r} not found (looked in "
                       f"{', '.join(str(c.parent) for c in candidates)})")


def _expect(entry: ManifestEntry, sheet: Sheet, row: int, column: int, wanted: str) -> None:
    found = sheet.text(row, column)
    if normalise_label(found) != normalise_label(wanted):
        raise RawFileError(
            entry.relative_path,
            f"sheet {sheet.name.strip()!r} cell {cell_address(row, column)} reads {found!r} where the "
            f"manifest's io_layout expects {wanted!r}; the header rows moved: update io_layout",
        )


def _read_sheet(collector: ReleaseCollector, entry: ManifestEntry, sheet: Sheet, spec: dict,
                layout: dict, items: dict[tuple[str, str], Item], year: int) -> None:
    label_row, code_row, number_row = layout["label_row"], layout["code_row"], layout["number_row"]
    number_col, code_col, label_col = (layout["row_number_column"], layout["row_code_column"],
                                       layout["row_label_column"])
    first_col = layout["first_figure_column"]
    axis_kind = COLUMN_AXIS_KIND[layout["column_axis"]]
    table_code, unit = spec["table_code"], spec["unit"]
    _expect(entry, sheet, code_row, code_col, "Code")
    _expect(entry, sheet, number_row, number_col, "No.")
    collector.read_sheet(sheet)

    # Title and unit lines: meaning, not figures. The printed unit must be the manifest's.
    for row in range(1, label_row):
        collector.ignore_row(sheet, row, "title or unit line")
    if spec.get("unit_cell"):
        unit_row, unit_col = _coordinates(spec["unit_cell"])
        _expect(entry, sheet, unit_row, unit_col, unit)
    for row in (label_row, code_row, number_row):
        collector.ignore_row(sheet, row, "column header (labels, codes, column numbers)")

    # Columns: a printed code makes a product/industry column; otherwise the label names an item.
    columns: dict[int, tuple[str, str, str]] = {}  # column -> (code, label, kind)
    seen_columns: dict[str, int] = {}
    for column in range(first_col, sheet.max_column + 1):
        label = clean_label(sheet.value(label_row, column)).text
        code = printed_code(sheet.value(code_row, column))
        if code is not None:
            kind = axis_kind
        elif label:
            item = items.get(("column", normalise_label(label)))
            if item is None:
                _quarantine_column(collector, sheet, column, number_row,
                                   f"column label {label!r} is not in io_item_codes.csv")
                continue
            code, kind = item.code, item.kind
        else:
            continue  # an unlabelled column: any figure in it is quarantined as not in the layout
        if code in seen_columns:
            # BNS printing a code twice: keep both, the second under an honest, unique code.
            collector.notes.append(f"{sheet.name.strip()}: column code {code!r} printed again in "
                                   f"{cell_address(code_row, column)}; kept as {code}@{cell_address(code_row, column)}")
            code = f"{code}@{cell_address(code_row, column)}"
        seen_columns[code] = column
        columns[column] = (code, label, kind)

    # Rows: numbered rows below the header; the first unnumbered row ends the table.
    seen_rows: dict[str, int] = {}
    row = number_row + 1
    while row <= sheet.max_row and isinstance(sheet.value(row, number_col), (int, float)):
        label = clean_label(sheet.value(row, label_col))
        code = printed_code(sheet.value(row, code_col))
        for column in (number_col, code_col, label_col):
            if sheet.value(row, column) is not None:
                collector.ignore(sheet, row, column, "row number, code or label")
        if code is not None:
            kind = "product"
        else:
            item = items.get(("row", normalise_label(label.text)))
            if item is None:
                _quarantine_row(collector, sheet, row, first_col,
                                f"row label {label.text!r} is not in io_item_codes.csv")
                row += 1
                continue
            code, kind = item.code, item.kind
        if code in seen_rows:
            collector.notes.append(f"{sheet.name.strip()}: row code {code!r} printed again in row {row}; "
                                   f"kept as {code}@R{row}")
            code = f"{code}@R{row}"
        seen_rows[code] = row
        note = "footnote marks: " + ", ".join(label.footnotes) if label.footnotes else None
        for column, (column_code, column_label, column_kind) in columns.items():
            value = sheet.value(row, column)
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                figure = parse_figure(value)
            except ValueError as exc:
                collector.quarantine(sheet, row, column, f"not a figure: {exc}")
                continue
            collector.keep(
                sheet, row, column, year=year, table_code=table_code,
                row_code=code, row_label=label.text, row_kind=kind,
                column_code=column_code, column_label=column_label, column_kind=column_kind,
                value=figure.value, gap_marker=figure.gap_marker, unit=unit, note=note,
            )
        row += 1

    # Below the table: the release footer (document number, date, department, contacts).
    for footer_row in range(row, sheet.max_row + 1):
        for column in range(1, sheet.max_column + 1):
            value = sheet.value(footer_row, column)
            if value is None:
                continue
            if isinstance(value, (int, float)):
                collector.quarantine(sheet, footer_row, column, "a number below the table, outside its rows")
            else:
                collector.ignore(sheet, footer_row, column,
                                 "release footer below the table (document number, date, contacts)")


def _coordinates(address: str) -> tuple[int, int]:
    letters = "".join(ch for ch in address if ch.isalpha()).upper()
    digits = "".join(ch for ch in address if ch.isdigit())
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return int(digits), column


def _quarantine_column(collector: ReleaseCollector, sheet: Sheet, column: int, number_row: int,
                       reason: str) -> None:
    for row in range(number_row + 1, sheet.max_row + 1):
        if sheet.value(row, column) is not None:
            collector.quarantine(sheet, row, column, reason)


def _quarantine_row(collector: ReleaseCollector, sheet: Sheet, row: int, first_col: int,
                    reason: str) -> None:
    for column in range(first_col, sheet.max_column + 1):
        if sheet.value(row, column) is not None:
            collector.quarantine(sheet, row, column, reason)
