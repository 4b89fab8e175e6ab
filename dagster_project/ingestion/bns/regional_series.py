"""One series by region: regions down column A, periods across one header row,
one or more sheets (layout ``bns_regional_series``; gross regional product
1990-2023 and population 2000-2023 share it).

Everything a release may change is in the manifest (``regional_series``):
each sheet's name, header row, unit line and measure; headings inside a sheet
that start a new measure ('Городское население' -> population_male_urban);
units printed per footnote ('19901)' with the note '1) 1990-1992 -mln.
rubles': the figure carries 'mln roubles', the note is verified to say so);
and rows the release restates under another unit's name ('Туркестанская 1',
footnote 1: 2000-2016 are South Kazakhstan oblast).

Regions resolve through the dated КАТО frame on the day each figure refers to:
the end of its period (Q1 2018 of South Kazakhstan oblast, abolished on 18
June 2018, is valid) or, for a population counted at the beginning of the year
(``reference_date: start_of_year``), 1 January. A figure of a unit not yet in
force is a back-cast when the manifest declares one
(``territorial_basis.back_cast_to``): GRP restates Turkistan and Shymkent for
2011-2017 and Abai, Zhetisu and Ulytau for 2021 in later borders. A '-' printed
for a unit not in force on that day says "no such unit" and is ignored with
that reason; an unresolved figure is quarantined.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dagster_project.ingestion.bns.labels import parse_figure
from dagster_project.ingestion.bns.periods import parse_period_header, period_end
from dagster_project.ingestion.bns.regional_series_checks import CHECKS
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
KEY_COLUMNS = ("release_id", "measure", "region_code", "year", "period")
__all__ = ["CHECKS", "COLUMNS", "KEY_COLUMNS", "read"]


def parameters(entry: ManifestEntry) -> dict[str, Any]:
    params = entry.extra.get("regional_series")
    if not isinstance(params, dict) or not params.get("sheets"):
        raise RawFileError(entry.relative_path, "layout bns_regional_series needs regional_series.sheets "
                           "in the manifest entry")
    return params


def read(entry: ManifestEntry, workbook: Workbook, context: Any) -> LayoutResult:
    params = parameters(entry)
    collector = ReleaseCollector(entry, workbook, COLUMNS)
    for sheet_params in params["sheets"]:
        _read_sheet(collector, workbook.sheet(sheet_params["sheet"]), sheet_params, params, entry, context)
    return collector.result()


def _reference_day(params: dict[str, Any], year: int, period: str) -> date:
    if params.get("reference_date") == "start_of_year":
        return date(year, 1, 1)
    return period_end(year, period)


def _footnote_units(sheet_params: dict[str, Any], notes: dict[str, tuple[int, str]], sheet: Sheet,
                    workbook_name: str) -> dict[str, str]:
    """Footnote mark -> unit, each verified against the text of its notes line."""
    units = {}
    for item in sheet_params.get("footnote_units") or []:
        mark = str(item["mark"])
        if mark not in notes:
            continue
        if folded(item["note_contains"]) not in folded(notes[mark][1]):
            raise RawFileError(workbook_name, f"sheet {sheet.name.strip()!r}: footnote {mark} reads "
                               f"{notes[mark][1]!r}, not a note about {item['unit']!r} as the manifest declares")
        units[mark] = item["unit"]
    return units


def _read_sheet(collector: ReleaseCollector, sheet: Sheet, sheet_params: dict[str, Any],
                params: dict[str, Any], entry: ManifestEntry, context: Any) -> None:
    collector.read_sheet(sheet)
    header_row = int(sheet_params["header_row"])
    basis, back_cast_to = territorial_basis(entry)
    default_unit = sheet_params.get("unit") or params.get("unit") or str(entry.extra.get("units"))
    unit_row = sheet_params.get("unit_row")
    units, _ = column_units(sheet, unit_row, params.get("unit_labels") or {}, collector.workbook.name)
    notes = notes_lines(sheet, header_row + 1)
    note_rows = {row for row, _ in notes.values()}
    footnote_units = _footnote_units(sheet_params, notes, sheet, collector.workbook.name)
    headings = {folded(k): v for k, v in (sheet_params.get("headings") or {}).items()}
    trailing_mark = re.compile(params["label_mark_pattern"]) if params.get("label_mark_pattern") else None
    restated = {folded(r["label"]): r for r in params.get("restated_labels") or []}

    columns = {}
    for column in range(2, sheet.max_column + 1):
        printed = sheet.value(header_row, column)
        if printed is None:
            continue
        header = parse_period_header(printed)
        if header is None or header.year is None:
            collector.quarantine(sheet, header_row, column, f"column header {printed!r} is not a period")
        else:
            columns[column] = header
    collector.ignore_row(sheet, header_row, "column headers: periods")
    for row in range(1, header_row):
        collector.ignore_row(sheet, row, "unit line" if row == unit_row else "title of the table")
    for row in note_rows:
        collector.ignore_row(sheet, row, "notes line: footnote text, carried into the note of marked figures")

    measure = sheet_params.get("measure")
    for row in range(header_row + 1, sheet.max_row + 1):
        label = sheet.value(row, 1)
        figures = [c for c in range(2, sheet.max_column + 1) if sheet.value(row, c) is not None]
        if row in note_rows or (label is None and not figures):
            continue
        if not figures and folded(label) in headings:
            measure = headings[folded(label)]
            collector.ignore(sheet, row, 1, f"heading: the rows below are {measure}")
            continue
        if label is None:
            for column in figures:
                collector.quarantine(sheet, row, column, "figure in a row without a region label")
            continue
        collector.ignore(sheet, row, 1, "region label" if figures else "region label (no figures in this sheet)")
        text, marks = str(label), ()
        if trailing_mark and (found := trailing_mark.search(text)):
            text, marks = text[: found.start()], (found.group(1),)
        for column in figures:
            header = columns.get(column)
            if header is None:
                collector.quarantine(sheet, row, column, "figure under a column without a period header")
                continue
            if measure is None:
                raise RawFileError(collector.workbook.name, f"sheet {sheet.name.strip()!r}: no measure for row {row}")
            _keep(collector, sheet, row, column, text, marks, header, measure, params, restated, notes,
                  footnote_units, units.get(column, default_unit), basis, back_cast_to, context)


def _keep(collector, sheet, row, column, text, marks, header, measure, params, restated, notes,
          footnote_units, unit, basis, back_cast_to, context) -> None:
    try:
        figure = parse_figure(sheet.value(row, column))
    except ValueError as exc:
        collector.quarantine(sheet, row, column, f"not a figure: {exc}")
        return
    label_notes: list[str] = []
    name = text
    restatement = restated.get(folded(text))
    if restatement and header.year <= int(restatement["through_year"]):
        name = restatement["region_label"]
        label_notes.append(restatement["note"])
    day = _reference_day(params, header.year, header.period)
    match = resolve_region_at(context.regions, name, day, back_cast_to)
    not_in_force = match.code is None or match.back_cast
    if figure.value is None and figure.gap_marker == "-" and not_in_force:
        collector.ignore(sheet, row, column, "'-' for a unit not in force on the day the figure refers to: "
                         "no such unit")
        return
    if match.code is None:
        collector.quarantine(sheet, row, column, match.problem or "region not resolved")
        return
    for mark in header.footnotes:
        if mark in footnote_units:
            unit = footnote_units[mark]
    marks_all = tuple(marks) + tuple(match.footnotes) + tuple(header.footnotes)
    note = "; ".join(n for n in (*label_notes, note_for(tuple(m for m in marks_all if not (
        restatement and m == str(restatement.get("mark")))), notes)) if n) or None
    collector.keep(
        sheet, row, column,
        measure=measure, unit=unit, region_code=match.code, activity_code="TOTAL",
        classification="OKED_SECTION", year=header.year, period=header.period, value=figure.value,
        gap_marker=figure.gap_marker, back_cast=match.back_cast, territorial_basis=basis,
        source_region=match.label, source_activity=None, note=note,
    )
