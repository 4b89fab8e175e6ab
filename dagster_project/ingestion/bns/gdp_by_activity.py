"""GDP by production method: gross value added by activity, FISIM, taxes and
GDP of the republic, one sheet per classification period (layout
``bns_gdp_by_activity``; the current-prices, volume-index and deflator
releases share it).

Each sheet (found by the manifest's ``name_pattern``: the three files name
them differently, 'ОКОНХ 1990-1997' / 'AUCBNE 1990-1997') has activities down
column A and periods across one header row: years (1990.0) or cumulative
quarters ('1 quarter 2007 year', 'January-June of 2010', '9 months of 2014',
'2023 year2)'; see ``periods``). The unit is the release's unless the sheet
prints a unit line (``unit_row``): the 1990-1997 sheet of current prices is in
'mln. rubles' over 1990-1992 and 'mln. tenge' from 1993 (the tenge replaced the
rouble in November 1993), and each figure carries the unit printed over it.

Activity rows are the manifest's (``rows`` of each sheet): the printed label,
a code (a documented slug for ОКОНХ and ОКЭД 2003 rows, the ОКЭД section letter
for today's classification, ``TOTAL`` for 'Total for branches'), today's
section where the label names it unambiguously, and the aggregate the row is
part of (with its sign: subsidies and FISIM reduce their aggregate). A row the
manifest does not name is quarantined, never guessed. Footnote marks of
headers ('2023 year2)') put the text of their notes line into ``note``.
"""

from __future__ import annotations

from typing import Any

from dagster_project.ingestion.bns.gdp_checks import CHECKS
from dagster_project.ingestion.bns.periods import parse_period_header
from dagster_project.ingestion.bns.release import OBSERVATION_COLUMNS, LayoutResult, ReleaseCollector
from dagster_project.ingestion.bns.series_tools import (
    column_units,
    folded,
    note_for,
    notes_lines,
    parse_printed_figure,
    sheets_matching,
    territorial_basis,
)
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.workbook import Sheet, Workbook

COLUMNS = OBSERVATION_COLUMNS
# The 1998-2006 sheet of current prices also prints the years 2007-2009 that the
# 2007-2009 sheet repeats: the same figure from two sheets, both kept (a check
# compares them), so the sheet is part of the key.
KEY_COLUMNS = ("release_id", "measure", "region_code", "activity_code", "classification", "year",
               "period", "_source_sheet")
__all__ = ["CHECKS", "COLUMNS", "KEY_COLUMNS", "read", "activity_rows"]

# Today's ОКЭД sections: rows of that classification are coded by their letter.
SECTION_CLASSIFICATION = "OKED_SECTION"
CURRENT_CLASSIFICATION = "OKED_2007"


def parameters(entry: ManifestEntry) -> dict[str, Any]:
    params = entry.extra.get("gdp_by_activity")
    if not isinstance(params, dict) or not params.get("sheets") or not params.get("measure"):
        raise RawFileError(entry.relative_path, "layout bns_gdp_by_activity needs gdp_by_activity.measure "
                           "and gdp_by_activity.sheets in the manifest entry")
    return params


def activity_rows(sheet_params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Folded printed label -> {code, label, section, part_of, sign} of one sheet."""
    rows = {}
    for row in sheet_params.get("rows") or []:
        rows[folded(row["label"])] = {"sign": 1, "section": None, "part_of": None, **row}
    return rows


def read(entry: ManifestEntry, workbook: Workbook, context: Any = None) -> LayoutResult:
    params = parameters(entry)
    collector = ReleaseCollector(entry, workbook, COLUMNS)
    for sheet_params in params["sheets"]:
        name = sheets_matching(list(workbook.sheets), sheet_params["name_pattern"], workbook.name)
        _read_sheet(collector, workbook.sheets[name], sheet_params, params, entry)
    return collector.result()


def _read_sheet(collector: ReleaseCollector, sheet: Sheet, sheet_params: dict[str, Any],
                params: dict[str, Any], entry: ManifestEntry) -> None:
    collector.read_sheet(sheet)
    header_row = int(sheet_params["header_row"])
    rows = activity_rows(sheet_params)
    classification = sheet_params["classification"]
    basis, _ = territorial_basis(entry)
    units, unit_cells = column_units(sheet, sheet_params.get("unit_row"), params.get("unit_labels") or {},
                                     collector.workbook.name)
    notes = notes_lines(sheet, header_row + 1)
    note_rows = {row for row, _ in notes.values()}

    columns: dict[int, Any] = {}
    for column in range(2, sheet.max_column + 1):
        printed = sheet.value(header_row, column)
        if printed is None:
            continue
        header = parse_period_header(printed)
        if header is None or header.year is None:
            collector.quarantine(sheet, header_row, column, f"column header {printed!r} is not a period")
            continue
        columns[column] = header
    collector.ignore_row(sheet, header_row, "column headers: periods (year, cumulative quarters)")
    for row in range(1, header_row):
        for column in range(1, sheet.max_column + 1):
            if sheet.value(row, column) is None:
                continue
            reason = "unit of the columns below" if column in unit_cells and row == sheet_params.get(
                "unit_row") else "title of the table"
            collector.ignore(sheet, row, column, reason)
    for row in note_rows:
        collector.ignore_row(sheet, row, "notes line: footnote text, carried into the note of marked figures")

    unit_default = params.get("unit") or str(entry.extra.get("units"))
    for row in range(header_row + 1, sheet.max_row + 1):
        if row in note_rows:
            continue
        label = sheet.value(row, 1)
        values = [c for c in range(2, sheet.max_column + 1) if sheet.value(row, c) is not None]
        if label is None and not values:
            continue
        spec = rows.get(folded(label))
        if spec is None:
            for column in [1, *values] if label is not None else values:
                collector.quarantine(sheet, row, column, f"activity row {label!r} is not among the rows the "
                                     f"manifest declares for sheets matching {sheet_params['name_pattern']!r}")
            continue
        collector.ignore(sheet, row, 1, "activity label")
        code, row_classification = spec["code"], classification
        if classification == CURRENT_CLASSIFICATION and spec["section"] and spec["code"] == spec["section"]:
            row_classification = SECTION_CLASSIFICATION
        row_note = None
        if spec["section"] and row_classification != SECTION_CLASSIFICATION:
            row_note = f"corresponds to today's ОКЭД section {spec['section']}"
        for column in values:
            header = columns.get(column)
            if header is None:
                collector.quarantine(sheet, row, column, "figure under a column without a period header")
                continue
            try:
                figure, typed = parse_printed_figure(sheet.value(row, column))
            except ValueError as exc:
                collector.quarantine(sheet, row, column, f"not a figure: {exc}")
                continue
            note = "; ".join(n for n in (row_note, note_for(header.footnotes, notes), typed) if n) or None
            collector.keep(
                sheet, row, column,
                measure=params["measure"], unit=units.get(column, unit_default), region_code="TOTAL",
                activity_code=code, classification=row_classification, year=header.year,
                period=header.period, value=figure.value, gap_marker=figure.gap_marker, back_cast=False,
                territorial_basis=basis, source_region=None, source_activity=" ".join(str(label).split()),
                note=note,
            )
