"""Spreadsheets as statistical offices publish them: one reader for ``.xlsx``
and old binary ``.xls``, chosen from the file's bytes, never from its name.

BNS publishes several old ``.xls`` workbooks under an ``.xlsx`` name, and a
download interrupted half-way still carries the right extension. So the
format is read from the magic bytes (a ZIP container holding
``xl/workbook.xml`` is OOXML, an OLE2 compound file is BIFF ``.xls``) and
anything else is refused with what the bytes look like.

Values are the ones Excel computed and saved. A formula cell whose saved value
is missing (a workbook written by a tool that never calculated it) is
evaluated when it is a plain sum or arithmetic of cells and numbers of the same
sheet; any other such formula refuses the whole file, naming sheet and cell,
because dropping it would silently lose a published figure.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.raw_files import file_sha256, read_raw, read_verified

CellValue = str | float | int | None

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


@functools.cache  # asked for every cell read (twice per figure): a workbook has a few hundred columns
def column_letter(column: int) -> str:
    """1 -> 'A', 27 -> 'AA' (Excel's column names, for messages and provenance)."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_address(row: int, column: int) -> str:
    """Excel address of a 1-based (row, column): (12, 2) -> 'B12'."""
    return f"{column_letter(column)}{row}"


def detect_format(data: bytes, name: str) -> str:
    """``'xlsx'`` or ``'xls'`` from the bytes; refuse anything else."""
    if not data:
        raise RawFileError(name, "file is empty")
    if data.startswith(_OLE2_MAGIC):
        return "xls"
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                damaged = archive.testzip()
        except zipfile.BadZipFile as exc:
            raise RawFileError(
                name, f"the workbook is truncated or damaged (ZIP container unreadable: {exc})"
            ) from exc
        if damaged is not None:
            raise RawFileError(name, f"the workbook is damaged: member {damaged!r} fails its CRC")
        if "xl/workbook.xml" not in names:
            raise RawFileError(name, "a ZIP file but not an Excel workbook (no xl/workbook.xml)")
        return "xlsx"
    start = data[:64].lstrip().lower()
    if start.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        raise RawFileError(name, "an HTML/XML page saved under a spreadsheet name, not a workbook")
    raise RawFileError(
        name, f"not an Excel workbook: the first bytes are {data[:8]!r}, neither OOXML nor BIFF"
    )


class _Cells(dict):
    """A sheet's cells, ``(row, column) -> value``, remembering the sheet's extent
    (last row, last column) until a cell is added or removed.

    Readers ask for ``max_row`` / ``max_column`` in every row they walk; scanning
    every cell for each question took 4 of the 5 seconds of reading the
    supply-use workbook (190k cells). Replacing a value keeps the extent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extent: tuple[int, int] | None = None

    def __setitem__(self, key, value):
        if key not in self:
            self.extent = None
        super().__setitem__(key, value)

    # Every other way of adding or removing keys forgets the extent (dict's own
    # update and setdefault do not go through __setitem__).
    def __delitem__(self, key):
        self.extent = None
        super().__delitem__(key)

    def pop(self, *args):
        self.extent = None
        return super().pop(*args)

    def popitem(self):
        self.extent = None
        return super().popitem()

    def clear(self):
        self.extent = None
        super().clear()

    def update(self, *args, **kwargs):
        self.extent = None
        super().update(*args, **kwargs)

    def setdefault(self, key, default=None):
        self.extent = None
        return super().setdefault(key, default)

    def __ior__(self, other):
        self.extent = None
        return super().__ior__(other)


@dataclass
class Sheet:
    """One worksheet as a sparse grid of saved values, 1-based like Excel."""

    name: str
    cells: dict[tuple[int, int], CellValue] = field(default_factory=_Cells)
    # Cells whose value was computed here from a formula without a saved value.
    evaluated: dict[tuple[int, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.cells, _Cells):
            self.cells = _Cells(self.cells)

    @property
    def max_row(self) -> int:
        return self._extent()[0]

    @property
    def max_column(self) -> int:
        return self._extent()[1]

    def _extent(self) -> tuple[int, int]:
        extent = getattr(self.cells, "extent", None)
        if extent is None:
            extent = (max((r for r, _ in self.cells), default=0), max((c for _, c in self.cells), default=0))
            if isinstance(self.cells, _Cells):  # a plain dict assigned later is scanned every time
                self.cells.extent = extent
        return extent

    def value(self, row: int, column: int) -> CellValue:
        return self.cells.get((row, column))

    def text(self, row: int, column: int) -> str:
        """The cell as stripped text ('' when empty)."""
        value = self.cells.get((row, column))
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def row_values(self, row: int) -> list[CellValue]:
        return [self.cells.get((row, c)) for c in range(1, self.max_column + 1)]

    def non_empty(self) -> Iterator[tuple[int, int, CellValue]]:
        """Every non-blank cell, row by row (what 'every cell accounted for' counts)."""
        for (row, column), value in sorted(self.cells.items()):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            yield row, column, value


@dataclass
class Workbook:
    name: str  # how messages name the file: '<dataset>/<file>'
    format: str  # 'xlsx' or 'xls', from the bytes
    sha256: str
    sheets: dict[str, Sheet]

    def sheet(self, title: str) -> Sheet:
        """The sheet named ``title`` (surrounding spaces ignored: BNS writes ' Cover')."""
        wanted = title.strip()
        for name, sheet in self.sheets.items():
            if name.strip() == wanted:
                return sheet
        raise RawFileError(
            self.name,
            f"sheet {title!r} is missing; the workbook has {[s.strip() for s in self.sheets]}",
        )


_REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)")
_SAFE_ARITHMETIC = re.compile(r"^[\d.+\-*/() eE]*$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def evaluate_formula(formula: str, sheet: Sheet) -> float | None:
    """Value of a formula made of same-sheet cells, ranges in SUM, numbers and
    + - * / ( ); None when it is anything else (the caller refuses the file)."""
    body = formula.lstrip("=").strip().upper()
    if "!" in body:
        return None

    def number(row: int, column: int) -> float:
        value = sheet.cells.get((row, column))
        if value is None or value == "":
            return 0.0  # Excel's arithmetic treats an empty cell as 0
        if isinstance(value, (int, float)):
            return float(value)
        raise ValueError(f"non-numeric cell {cell_address(row, column)}")

    def range_sum(match: re.Match) -> str:
        c1, r1, c2, r2 = match.groups()
        total = sum(
            number(r, c)
            for r in range(int(r1), int(r2) + 1)
            for c in range(_column_number(c1), _column_number(c2) + 1)
        )
        return repr(total)

    try:
        expanded = re.sub(r"SUM\(([^()]*)\)", lambda m: "(" + "+".join(
            _RANGE.sub(range_sum, part) for part in m.group(1).split(",")) + ")", body)
        expanded = _REFERENCE.sub(
            lambda m: repr(number(int(m.group(2)), _column_number(m.group(1)))), expanded
        )
    except ValueError:
        return None
    if not _SAFE_ARITHMETIC.match(expanded):
        return None
    try:
        return float(eval(expanded, {"__builtins__": {}}, {}))  # noqa: S307 - digits and operators only
    except (SyntaxError, ZeroDivisionError, TypeError):
        return None


# A formula is an <f> element of a worksheet part, under any namespace prefix
# (<f>, <f t="shared" .../>, <x:f>).
_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?f[\s/>]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _may_hold_formulas(data: bytes) -> bool:
    """False only when no part of the package holds a formula element, so the
    second pass of ``_read_xlsx`` (formulas without a saved value) has nothing to
    find: parsing every sheet again cost a third of reading the input-output and
    supply-use workbooks, which hold no formula. A part in UTF-16, which a byte
    search cannot read, counts as holding formulas."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            part = archive.read(member)
            if part.startswith(_UTF16_BOMS) or _FORMULA_ELEMENT.search(part):
                return True
    return False


def _read_xlsx(data: bytes, name: str) -> dict[str, Sheet]:
    import openpyxl

    try:
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        formulas = (
            openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
            if _may_hold_formulas(data)
            else None
        )
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RawFileError(name, f"the workbook cannot be opened: {exc}") from exc
    sheets: dict[str, Sheet] = {}
    for worksheet in values.worksheets:
        cells = {}  # a plain dict while filling: _Cells checks every new key
        for row in worksheet.iter_rows():
            for cell in row:
                if getattr(cell, "value", None) is not None:
                    cells[(cell.row, cell.column)] = cell.value
        sheet = Sheet(worksheet.title, cells)
        pending = _formulas_without_value(formulas, sheet) if formulas is not None else []
        for row, column, text in pending:
            result = evaluate_formula(text, sheet)
            if result is None:
                raise RawFileError(
                    name,
                    f"sheet {worksheet.title.strip()!r} cell {cell_address(row, column)} holds only "
                    f"the formula {text!r} with no saved value, and it cannot be evaluated here; "
                    "open and save the workbook in Excel or LibreOffice so the value is stored",
                )
            sheet.cells[(row, column)] = result
            sheet.evaluated[(row, column)] = text
        sheets[worksheet.title] = sheet
    values.close()
    if formulas is not None:
        formulas.close()
    return sheets


def _formulas_without_value(formulas, sheet: Sheet) -> list[tuple[int, int, str]]:
    """(row, column, formula) of the cells of ``sheet`` that hold a formula and no saved value."""
    pending = []
    for row in formulas[sheet.name].iter_rows():
        for cell in row:
            text = getattr(cell, "value", None)
            if isinstance(text, str) and text.startswith("=") and sheet.cells.get((cell.row, cell.column)) is None:
                pending.append((cell.row, cell.column, text))
    return pending


def _read_xls(data: bytes, name: str) -> dict[str, Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=False)
    except xlrd.biffh.XLRDError as exc:
        raise RawFileError(name, f"the .xls workbook cannot be read: {exc}") from exc
    except (AssertionError, IndexError, struct.error) as exc:
        raise RawFileError(name, f"the .xls workbook is truncated or damaged: {exc!r}") from exc
    sheets: dict[str, Sheet] = {}
    for book_sheet in book.sheets():
        sheet = Sheet(book_sheet.name)
        for r in range(book_sheet.nrows):
            for c in range(book_sheet.ncols):
                cell = book_sheet.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                if cell.ctype == xlrd.XL_CELL_ERROR:
                    value: CellValue = xlrd.error_text_from_code.get(cell.value, "#ERROR")
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                else:
                    value = cell.value
                sheet.cells[(r + 1, c + 1)] = value
        sheets[book_sheet.name] = sheet
    return sheets


def open_workbook(path: Path, name: str, expected_sha256: str | None = None) -> Workbook:
    """Read a workbook after proving it is the file the manifest describes."""
    # Without a checksum (a candidate file not yet registered) the bytes are read as they are.
    data = read_raw(path, name) if expected_sha256 is None else read_verified(path, name, expected_sha256)
    digest = file_sha256(data)
    kind = detect_format(data, name)
    sheets = _read_xlsx(data, name) if kind == "xlsx" else _read_xls(data, name)
    return Workbook(name=name, format=kind, sha256=digest, sheets=sheets)
