"""What the national-accounts and regional-series readers share: a region
resolved on the day a period ends, the notes lines of a sheet, the units a
sheet prints across its columns, and the rounding a printed figure carries.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pandas as pd

from dagster_project.ingestion.bns.labels import Figure, footnote_text, parse_figure
from dagster_project.ingestion.bns.regions import RegionMatch, RegionResolver
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.workbook import CellValue, Sheet


def folded(text: CellValue) -> str:
    """A label compared case-folded with single spaces ('Gross value added ' = 'gross value added')."""
    return " ".join(str(text or "").split()).casefold()


def resolve_region_at(resolver: RegionResolver, printed: CellValue, on: date,
                      back_cast_to: int | None) -> RegionMatch:
    """The unit a label names on the day ``on`` (the end of a quarter, or 1 January
    for a population at the beginning of the year).

    The resolver judges validity on 31 December of a year; a figure for the first
    quarter of 2018 of South Kazakhstan oblast (abolished 18 June 2018) is valid on
    31 March, so the unit is looked up a year earlier and its dates are compared
    with ``on`` here."""
    match = resolver.resolve(printed, on.year, back_cast_to)
    if match.code is None and "no longer in force" in (match.problem or ""):
        match = resolver.resolve(printed, on.year - 1, back_cast_to)
    if match.code is None or match.code == "TOTAL":
        return match
    valid_from, valid_to = resolver.frame.validity.get(match.code, (None, None))
    if valid_to and valid_to < on:
        return RegionMatch(None, match.label, match.footnotes, homoglyphs_folded=match.homoglyphs_folded,
                           problem=f"region {match.label!r} is {match.code}, no longer in force on {on} "
                           f"(in force to {valid_to})")
    if valid_from and valid_from > on:
        if back_cast_to is not None and valid_from <= date(back_cast_to, 12, 31):
            return replace(match, back_cast=True)
        return RegionMatch(None, match.label, match.footnotes, homoglyphs_folded=match.homoglyphs_folded,
                           problem=f"region {match.label!r} is {match.code}, not yet in force on {on} "
                           f"(in force from {valid_from}) and the manifest declares no back-cast")
    return replace(match, back_cast=False)


_COMMA_DECIMAL = re.compile(r"^\s*(-?\d+),(\d+)\s*$")


def parse_printed_figure(value: CellValue) -> tuple[Figure, str | None]:
    """A published cell as a figure, and a note when it was typed unusually.

    One deflator cell is text with a decimal comma ('108,0') among numbers: the
    figure is unambiguous (one comma, digits on both sides), so it is read as
    108.0 and the note says how it was typed. Anything else that is not a number
    or a gap marker raises ``ValueError`` (the reader quarantines it)."""
    try:
        return parse_figure(value), None
    except ValueError:
        match = _COMMA_DECIMAL.match(value) if isinstance(value, str) else None
        if not match:
            raise
        return Figure(float(f"{match.group(1)}.{match.group(2)}"), None), (
            f"typed as text with a decimal comma ({value!r})")


def notes_lines(sheet: Sheet, first_row: int) -> dict[str, tuple[int, str]]:
    """Footnote mark -> (row, text) for the notes lines '1) ...' in column A from ``first_row``."""
    found: dict[str, tuple[int, str]] = {}
    for row in range(first_row, sheet.max_row + 1):
        note = footnote_text(sheet.value(row, 1))
        if note:
            found[note[0]] = (row, note[1])
    return found


def note_for(marks: tuple[str, ...], notes: dict[str, tuple[int, str]]) -> str | None:
    """'2) Data for 2023 have been republished ...' for the marks a header carries."""
    parts = [f"{m}) {notes[m][1]}" if m in notes else f"footnote {m} (no text printed)" for m in marks]
    return "; ".join(parts) or None


def column_units(sheet: Sheet, row: int | None, unit_labels: dict[str, str],
                 workbook_name: str) -> tuple[dict[int, str], set[int]]:
    """The unit of every column from a unit line printed across the sheet.

    A unit cell applies from its column rightwards up to the next one
    ('mln. rubles' over 1990-1992, 'mln. tenge' from 1993); columns left of the
    first unit cell take the first unit (a unit printed once, right-aligned over
    the table); without a unit line the caller's default applies. Returns
    (column -> unit, columns of the unit cells). A printed
    unit the manifest does not declare (``unit_labels``) refuses the file: a
    figure must never be loaded in a unit nobody checked."""
    if row is None:
        return {}, set()
    # Column A holds the row labels (and their header, 'AUCBNE'), never a unit.
    cells = [(c, sheet.value(row, c)) for c in range(2, sheet.max_column + 1)
             if isinstance(sheet.value(row, c), str) and sheet.value(row, c).strip()]
    declared = {folded(k): v for k, v in unit_labels.items()}
    units: dict[int, str] = {}
    for column, text in cells:
        if folded(text) not in declared:
            raise RawFileError(workbook_name, f"sheet {sheet.name.strip()!r}, row {row}: unit {text!r} is "
                               f"not among the manifest's unit_labels {sorted(unit_labels)}")
        units[column] = declared[folded(text)]
    if not units:
        return {}, set()
    by_column: dict[int, str] = {}
    current = units[min(units)]
    for column in range(1, sheet.max_column + 1):
        current = units.get(column, current)
        by_column[column] = current
    return by_column, set(units)


def territorial_basis(entry: ManifestEntry) -> tuple[str | None, int | None]:
    basis = entry.extra.get("territorial_basis") or {}
    return basis.get("basis"), basis.get("back_cast_to")


def sheets_matching(workbook_sheets: list[str], pattern: str, workbook_name: str) -> str:
    """The one sheet whose name (spaces stripped) matches the manifest's pattern."""
    found = [s for s in workbook_sheets if re.search(pattern, s.strip())]
    if len(found) != 1:
        raise RawFileError(workbook_name, f"sheet pattern {pattern!r} matches {found or 'no sheet'}; the "
                           f"workbook has {[s.strip() for s in workbook_sheets]}")
    return found[0]


# -- rounding of printed figures --------------------------------------------------
def decimals_of(value: float) -> int | None:
    """Decimals of a figure as BNS typed it (0..3), None for a full-precision float
    (108.34928650148717: a computed cell printed at the table's precision)."""
    for decimals in range(4):
        if abs(round(value, decimals) - value) <= 1e-9 * max(1.0, abs(value)):
            return decimals
    return None


def printed_half_units(facts: pd.DataFrame) -> pd.Series:
    """Half a unit of the last printed digit of every fact.

    A table is printed at one precision, and its typed values show which: the
    number of decimals most of them carry among those that carry any (a typed
    1528 in a table of 1528.4s is '1528.0'; one stray 103.65 among thousands of
    one-decimal indices does not make the table two-decimal). A table of whole
    numbers (population) has precision 0. Full-precision floats
    (108.34928650148717) are computed cells printed at the table's precision."""
    decimals = facts["value"].map(lambda v: None if pd.isna(v) else decimals_of(float(v)))

    def precision(group: pd.Series) -> int:
        shown = group.dropna()
        shown = shown[shown > 0]
        return int(shown.mode().min()) if len(shown) else 0

    table = decimals.groupby([facts["measure"], facts["_source_sheet"]]).transform(precision)
    return table.map(lambda d: 0.5 * 10 ** (-int(d)))
