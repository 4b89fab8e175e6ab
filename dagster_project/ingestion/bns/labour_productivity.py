"""Labour productivity by region and economic activity, and its indices
(layout ``bns_labour_productivity``; BNS release for January-September 2024).

Two sheet shapes, named per sheet in the manifest (``labour_productivity.sheets``):

``regions_across``
    activities down column A (from ``first_row``), regions across in blocks
    (the region printed once over its block, as a merged cell), one row of
    period headers ('1 quarter', 'january-june', '9 months') and the year
    printed once in ``year_cell`` (sheet 1: thousand tenge per employed person;
    sheet 2: % of the same period of the previous year).
``regions_down``
    regions down column A, years across in blocks ('2019' over its four
    columns) over a row of period headers (sheets 3 and 4: indices of the
    region's productivity against 2019 and 2022, base year = 100).

Activities are the manifest's (``activities``: printed label -> ОКЭД section
letter, ``industry`` for B-E, ``TOTAL``); footnote marks of labels
('Real estate activities 2)') carry the text of their notes line. The sheet's
signature block (number, date, names, address and telephones of the
department) is ignored with that reason from ``signature_from_row``.
Cover, conventions, contents and methodological notes are not read.
"""

from __future__ import annotations

from typing import Any

from dagster_project.ingestion.bns.labels import clean_label, parse_figure
from dagster_project.ingestion.bns.labour_productivity_checks import CHECKS
from dagster_project.ingestion.bns.periods import parse_period_header, period_end
from dagster_project.ingestion.bns.release import OBSERVATION_COLUMNS, LayoutResult, ReleaseCollector
from dagster_project.ingestion.bns.series_tools import (
    column_units,
    folded,
    note_for,
    notes_lines,
    resolve_region_at,
    territorial_basis,
)
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.workbook import Sheet, Workbook

COLUMNS = OBSERVATION_COLUMNS
KEY_COLUMNS = ("release_id", "measure", "region_code", "activity_code", "year", "period")
__all__ = ["CHECKS", "COLUMNS", "KEY_COLUMNS", "read"]

SECTION, AGGREGATE = "OKED_SECTION", "OKED_AGGREGATE"
SIGNATURE = "signature block of the release (number, date, department, names, address, telephones)"


def parameters(entry: ManifestEntry) -> dict[str, Any]:
    params = entry.extra.get("labour_productivity")
    if not isinstance(params, dict) or not params.get("sheets"):
        raise RawFileError(entry.relative_path, "layout bns_labour_productivity needs labour_productivity.sheets "
                           "in the manifest entry")
    return params


def read(entry: ManifestEntry, workbook: Workbook, context: Any) -> LayoutResult:
    params = parameters(entry)
    collector = ReleaseCollector(entry, workbook, COLUMNS)
    activities = {folded(k): str(v) for k, v in (params.get("activities") or {}).items()}
    for sheet_params in params["sheets"]:
        sheet = workbook.sheet(sheet_params["sheet"])
        collector.read_sheet(sheet)
        reader = _regions_across if sheet_params["orientation"] == "regions_across" else _regions_down
        reader(collector, sheet, sheet_params, params, activities, entry, context)
    return collector.result()


def _frame(collector: ReleaseCollector, sheet: Sheet, sheet_params: dict[str, Any], params: dict[str, Any],
           header_rows: tuple[int, ...]) -> tuple[dict[int, str], dict, set[int], int]:
    """Units per column, notes lines, the rows they take, and the last row of the table."""
    unit_row = sheet_params.get("unit_row")
    units, unit_cells = column_units(sheet, unit_row, params.get("unit_labels") or {}, collector.workbook.name)
    for column in unit_cells:  # before the row it shares (sheet 2 prints its unit on the year's row)
        collector.ignore(sheet, unit_row, column, "unit line")
    last = int(sheet_params.get("signature_from_row") or sheet.max_row + 1) - 1
    notes = notes_lines(sheet, max(header_rows) + 1)
    note_rows = {row for row, _ in notes.values()}
    for row in range(1, min(header_rows)):
        collector.ignore_row(sheet, row, "unit line" if row == unit_row else "title of the table")
    for row in note_rows:
        collector.ignore_row(sheet, row, "notes line: footnote text, carried into the note of marked figures")
    for row in range(last + 1, sheet.max_row + 1):
        collector.ignore_row(sheet, row, SIGNATURE)
    return units, notes, note_rows, last


def _regions_across(collector, sheet, sheet_params, params, activities, entry, context) -> None:
    region_row, period_row = int(sheet_params["region_row"]), int(sheet_params["period_row"])
    year_row, year_column = sheet_params["year_cell"]
    units, notes, note_rows, last = _frame(collector, sheet, sheet_params, params, (year_row, region_row, period_row))
    year = int(sheet.value(year_row, year_column))
    collector.ignore_row(sheet, year_row, "the year of every figure on the sheet")
    collector.ignore_row(sheet, region_row, "column headers: regions (each over its block of periods)")
    collector.ignore_row(sheet, period_row, "column headers: periods")
    regions: dict[int, Any] = {}
    current = None
    for column in range(2, sheet.max_column + 1):
        current = sheet.value(region_row, column) if sheet.value(region_row, column) is not None else current
        regions[column] = current
    for row in range(period_row + 1, last + 1):
        figures = [c for c in range(2, sheet.max_column + 1) if sheet.value(row, c) is not None]
        if row in note_rows or not figures and sheet.value(row, 1) is None:
            continue
        activity = _activity(collector, sheet, row, activities, figures)
        if activity is None:
            continue
        code, label, marks = activity
        for column in figures:
            header = parse_period_header(sheet.value(period_row, column))
            if header is None or regions.get(column) is None:
                collector.quarantine(sheet, row, column, "figure under a column without a region and period")
                continue
            _keep(collector, sheet, row, column, sheet_params, units, entry, context, regions[column], year,
                  header.period, code, label, note_for(marks, notes))


def _regions_down(collector, sheet, sheet_params, params, activities, entry, context) -> None:
    year_row, period_row = int(sheet_params["year_row"]), int(sheet_params["period_row"])
    units, notes, note_rows, last = _frame(collector, sheet, sheet_params, params, (year_row, period_row))
    collector.ignore_row(sheet, year_row, "column headers: years (each over its block of periods)")
    collector.ignore_row(sheet, period_row, "column headers: periods")
    years: dict[int, int | None] = {}
    current = None
    for column in range(2, sheet.max_column + 1):
        printed = sheet.value(year_row, column)
        current = parse_period_header(printed).year if printed is not None else current
        years[column] = current
    activity = str(sheet_params.get("activity", "TOTAL"))
    for row in range(period_row + 1, last + 1):
        label = sheet.value(row, 1)
        figures = [c for c in range(2, sheet.max_column + 1) if sheet.value(row, c) is not None]
        if row in note_rows or (label is None and not figures):
            continue
        collector.ignore(sheet, row, 1, "region label" if figures else "region label (no figures printed)")
        for column in figures:
            header = parse_period_header(sheet.value(period_row, column))
            if header is None or years.get(column) is None or label is None:
                collector.quarantine(sheet, row, column, "figure without a region, year and period")
                continue
            _keep(collector, sheet, row, column, sheet_params, units, entry, context, label, years[column],
                  header.period, activity, None, None)


def _activity(collector, sheet, row, activities, figures) -> tuple[str, str, tuple[str, ...]] | None:
    label = clean_label(sheet.value(row, 1))
    code = activities.get(folded(label.text))
    if code is None:
        for column in [1, *figures]:
            collector.quarantine(sheet, row, column, f"activity {label.text!r} is not among the manifest's "
                                 "activities")
        return None
    collector.ignore(sheet, row, 1, "activity label")
    return code, label.text, label.footnotes


def _keep(collector, sheet, row, column, sheet_params, units, entry, context, region_label, year, period,
          activity, activity_label, activity_note) -> None:
    basis, back_cast_to = territorial_basis(entry)
    match = resolve_region_at(context.regions, region_label, period_end(year, period), back_cast_to)
    if match.code is None:
        collector.quarantine(sheet, row, column, match.problem or "region not resolved")
        return
    try:
        figure = parse_figure(sheet.value(row, column))
    except ValueError as exc:
        collector.quarantine(sheet, row, column, f"not a figure: {exc}")
        return
    classification = AGGREGATE if activity == "industry" else SECTION
    if figure.value == 0 and sheet_params.get("zero_note"):
        activity_note = "; ".join(n for n in (activity_note, sheet_params["zero_note"]) if n)
    collector.keep(
        sheet, row, column,
        measure=sheet_params["measure"], unit=units.get(column, sheet_params["unit"]), region_code=match.code,
        activity_code=activity, classification=classification, year=year, period=period, value=figure.value,
        gap_marker=figure.gap_marker, back_cast=match.back_cast, territorial_basis=basis,
        source_region=match.label, source_activity=activity_label, note=activity_note,
    )
