"""BNS "dynamic tables": a series by region and/or economic activity, quarters
and year, with years laid out in blocks of columns (Q1, Q2, Q3, Q4, year).

Two orientations, named per sheet in the manifest (``dynamic_table.sheets``):

``year_blocks``
    years stacked down the sheet; each block is a row with the unit and the
    year (``thsd. persons | 2010 year``), a row of column labels (regions
    across, each label spanning its five columns, as a merged cell does), a row
    of period headers, then one row per label of the row dimension
    (activities down). ``TEA_regions`` of the employment-by-activity release.
``years_across``
    one row of years across (each year spanning its columns), a row of period
    headers (or none when every column is a year: ``periods: year``), then one
    row per label of the row dimension. ``TEA_RK`` (activities down, the
    republic alone), ``KZ RK`` and ``Regions_quarter`` (regions down).

A sheet names its row dimension (``rows: activity`` or ``rows: region``); the
other dimension comes from the column labels (``columns: region``) or is the
one printed label of the sheet (``region:`` / ``activity:``), resolved like any
other label. Everything a new release may change (sheet names, measures, units,
total labels, aggregates, territorial basis) is in the manifest entry, so next
year's file in the same layout loads with only a new entry.

Activities resolve against the ОКЭД sections frame (BNS spellings such as
'Proffesional' and 'dodies' are aliases there); the release's total line is
``TOTAL`` and the aggregates it prints (``Industry`` = B+C+D+E) get their own
code from the manifest, classification ``OKED_AGGREGATE``. Regions resolve
through the dated КАТО frame with the release's back-cast: rows of a unit not
yet in force are kept and flagged ``back_cast`` when the release restates that
year (``territorial_basis.back_cast_to``, from ``back_cast_from``); a ``-``
printed for a unit that did not exist in that year is the release's marker for
"no such unit" and is ignored with that reason; a figure there is quarantined.
Footnote marks of the title, year, label and period headers go to ``note``
with the text of the sheet's notes lines ('1) ...', '*...').
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from dagster_project.ingestion.bns.dynamic_table_checks import CHECKS
from dagster_project.ingestion.bns.labels import clean_label, footnote_text, parse_figure, parse_year
from dagster_project.ingestion.bns.release import OBSERVATION_COLUMNS, LayoutResult, ReleaseCollector
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import TOTAL_CODE, normalise_label
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.workbook import Sheet, Workbook

COLUMNS = OBSERVATION_COLUMNS
KEY_COLUMNS = ("release_id", "measure", "region_code", "activity_code", "year", "period")
__all__ = ["CHECKS", "COLUMNS", "KEY_COLUMNS", "read"]

OKED_FRAME, TOTALS_FRAME = "kz_frame_oked_sections", "kz_frame_total_labels"
AGGREGATE_CLASSIFICATION = "OKED_AGGREGATE"
ORIENTATIONS = ("year_blocks", "years_across")

# 'I quarter', 'II  quarter', 'IY quarter' (BNS's typo for IV), 'III квартал';
# 'year'. Compared after footnote marks are stripped and case folded.
_QUARTER = re.compile(r"^(i|ii|iii|iv|iy)\s*(?:quarter|квартал|тоқсан)$")
_QUARTERS = {"i": "Q1", "ii": "Q2", "iii": "Q3", "iv": "Q4", "iy": "Q4"}
_YEAR_WORDS = {"year", "год", "жыл"}


def parse_period(value: Any) -> tuple[str, tuple[str, ...]] | None:
    """('Q1'..'Q4' or 'year', footnote marks) of a printed period header, or None."""
    label = clean_label(value)
    text = " ".join(label.text.casefold().split())
    if text in _YEAR_WORDS:
        return "year", label.footnotes
    match = _QUARTER.match(text)
    return (_QUARTERS[match.group(1)], label.footnotes) if match else None


def _notes_line(value: Any) -> tuple[str, str] | None:
    """('1', text) for '1) ...', ('*', text) for '*...'."""
    found = footnote_text(value)
    if found:
        return found
    if isinstance(value, str) and value.strip().startswith("*"):
        stripped = value.strip()
        mark = stripped[: len(stripped) - len(stripped.lstrip("*"))]
        return mark, stripped[len(mark):].strip()
    return None


@dataclass(frozen=True)
class Activity:
    code: str | None
    classification: str | None
    problem: str | None = None


class ActivityResolver:
    """Printed activity labels -> ОКЭД section, the release's aggregates, or TOTAL."""

    def __init__(self, entry: ManifestEntry, context: Any, params: dict[str, Any]):
        self.frame = context.catalog.frame(OKED_FRAME, "industry", entry.extra.get("economy_code", "KZ"),
                                           TOTALS_FRAME)
        self.extra: dict[str, Activity] = {}
        for label in params.get("total_labels", {}).get("activity", []):
            self.extra[normalise_label(label)] = Activity(TOTAL_CODE, self.frame.classification)
        for aggregate in params.get("aggregates", []):
            self.extra[normalise_label(aggregate["label"])] = Activity(
                str(aggregate["code"]), aggregate.get("classification", AGGREGATE_CLASSIFICATION)
            )

    @functools.cache  # noqa: B019 - one resolver per release read
    def resolve(self, printed: str) -> Activity:
        key = normalise_label(printed)
        if key in self.extra:
            return self.extra[key]
        found = self.frame.resolve(printed, None)
        if found.code is None:
            return Activity(None, None, f"{found.problem}; add BNS's spelling to the aliases of "
                            "oked_sections.csv or to dynamic_table.total_labels / aggregates")
        return Activity(found.code, self.frame.classification)


class _SheetReader:
    """Reads one sheet of the release in its declared orientation."""

    def __init__(self, reader: _Release, sheet: Sheet, spec: dict[str, Any]):
        self.r, self.sheet, self.spec = reader, sheet, spec
        self.label_column = int(spec.get("label_column", 1))
        self.rows_dimension = spec["rows"]
        if self.rows_dimension not in ("activity", "region"):
            raise RawFileError(reader.entry.relative_path, f"sheet {sheet.name!r}: rows must be "
                               f"'activity' or 'region', not {self.rows_dimension!r}")
        self.footnotes: dict[str, str] = {}
        self.title_marks: tuple[str, ...] = ()
        # Sheet.max_row / max_column scan every cell: computed once per sheet.
        self.max_row, self.max_column = sheet.max_row, sheet.max_column

    # -- pieces --------------------------------------------------------------
    def _year_columns(self, row: int) -> dict[int, tuple[int, tuple[str, ...]]]:
        """Columns -> (year, marks): each printed year spans the columns to its right."""
        years = {}
        for column in range(self.label_column + 1, self.max_column + 1):
            parsed = parse_year(self.sheet.value(row, column))
            if parsed:
                years[column] = parsed
        return years

    def _spans(self, row: int, first: int) -> dict[int, tuple[str, int]]:
        """Column -> (label, column where it is printed): a label spans to the next one."""
        spans, current = {}, None
        for column in range(first, self.max_column + 1):
            if self.sheet.text(row, column):
                current = (self.sheet.text(row, column), column)
            if current:
                spans[column] = current
        return spans

    def _note(self, *marks: str) -> str | None:
        parts = []
        for mark in dict.fromkeys(m for m in marks if m):
            printed = f"{mark})" if mark[0].isdigit() else mark
            text = self.footnotes.get(mark)
            if text is None:
                # TEA_regions prints marks 1)-3) but none of their texts: say so, don't guess.
                text = f"(footnote mark; its text is not printed on sheet {self.sheet.name.strip()!r})"
            parts.append(f"{printed} {text}")
        return "; ".join(parts) or None

    def _read_notes_and_titles(self, first_header_row: int) -> None:
        for row in range(1, self.max_row + 1):
            found = _notes_line(self.sheet.value(row, self.label_column))
            if found and row > first_header_row:
                self.footnotes[found[0]] = " ".join(found[1].split())
                self.r.collector.ignore_row(self.sheet, row, f"notes line (footnote {found[0]})")
        marks: list[str] = []
        for row in range(1, first_header_row):
            for column in range(1, self.max_column + 1):
                if self.sheet.text(row, column):
                    marks += clean_label(self.sheet.value(row, column)).footnotes
            self.r.collector.ignore_row(self.sheet, row, "title, unit or continuation line above the table")
        self.title_marks = tuple(dict.fromkeys(marks))

    # -- the two orientations ------------------------------------------------
    def read(self) -> None:
        orientation = self.spec.get("orientation")
        if orientation not in ORIENTATIONS:
            raise RawFileError(self.r.entry.relative_path, f"sheet {self.sheet.name!r}: orientation "
                               f"{orientation!r} is not one of {ORIENTATIONS}")
        year_rows = [row for row in range(1, self.max_row + 1) if self._year_columns(row)]
        if not year_rows:
            raise RawFileError(self.r.entry.relative_path,
                               f"sheet {self.sheet.name.strip()!r}: no row of years found")
        self._read_notes_and_titles(year_rows[0])
        if orientation == "years_across":
            self._read_block(year_rows[0], self.max_row + 1, None)
            return
        for start, end in zip(year_rows, year_rows[1:] + [self.max_row + 1]):
            self._read_block(start, end, self._next_row(start))

    def _next_row(self, row: int) -> int:
        row += 1
        while row <= self.max_row and not any(self.sheet.text(row, c) for c in
                                                      range(1, self.max_column + 1)):
            row += 1
        return row

    def _read_block(self, year_row: int, end: int, labels_row: int | None) -> None:
        """One block: year row, optional column-label row, optional period row, data rows < end."""
        collector, sheet = self.r.collector, self.sheet
        years = self._year_columns(year_row)
        first = min(years)
        year_of = self._spans_of(years, first)
        if labels_row is not None:
            # year_blocks: one year per block, repeated across for printing.
            block_years = {y for y, _ in years.values()}
            if len(block_years) != 1:
                for column in years:
                    collector.quarantine(sheet, year_row, column, f"a block of year_blocks prints one "
                                         f"year; this row has {sorted(block_years)}")
                return
        for column in range(1, self.max_column + 1):
            if sheet.text(year_row, column):
                collector.ignore(sheet, year_row, column, "year header (or the unit of the block)")
        column_labels: dict[int, tuple[str, int]] = {}
        if labels_row is not None:
            column_labels = self._spans(labels_row, first)
            collector.ignore_row(sheet, labels_row, f"{self.spec['columns']} labels of the block")
        period_row = None
        if self.spec.get("periods") != "year":
            period_row = self._next_row(labels_row if labels_row is not None else year_row)
            collector.ignore_row(sheet, period_row, "period headers")
        periods: dict[int, tuple[str, tuple[str, ...]]] = {}
        for column in year_of:
            if period_row is None:
                periods[column] = ("year", ())
                continue
            parsed = parse_period(sheet.value(period_row, column))
            if parsed:
                periods[column] = parsed
            elif sheet.text(period_row, column):
                collector.quarantine(sheet, period_row, column, f"period header "
                                     f"{sheet.text(period_row, column)!r} is not a quarter or 'year'")
        data_start = (period_row or labels_row or year_row) + 1
        for row in range(data_start, end):
            label = sheet.value(row, self.label_column)
            if not sheet.text(row, self.label_column) or _notes_line(label):
                continue
            collector.ignore(sheet, row, self.label_column, f"{self.rows_dimension} label")
            for column in range(self.label_column + 1, self.max_column + 1):
                if sheet.value(row, column) is None or not sheet.text(row, column):
                    continue
                if column not in periods or column not in year_of:
                    collector.quarantine(sheet, row, column, "figure under no year and period header")
                    continue
                self._figure(row, column, label, year_of[column], periods[column],
                             column_labels.get(column))

    def _spans_of(self, years: dict[int, tuple[int, tuple[str, ...]]], first: int):
        spans, current = {}, None
        for column in range(first, self.max_column + 1):
            current = years.get(column, current)
            spans[column] = current
        return spans

    def _figure(self, row: int, column: int, row_label: Any, year_marks, period_marks, column_label) -> None:
        collector, sheet, spec = self.r.collector, self.sheet, self.spec
        year, year_notes = year_marks
        period, period_notes = period_marks
        try:
            figure = parse_figure(sheet.value(row, column))
        except ValueError as exc:
            collector.quarantine(sheet, row, column, f"not a figure: {exc}")
            return
        if self.rows_dimension == "activity":
            activity_label = row_label
            region_label = column_label[0] if column_label else spec.get("region")
        else:
            region_label = row_label
            activity_label = column_label[0] if column_label else spec.get("activity")
        if region_label is None or activity_label is None:
            collector.quarantine(sheet, row, column, "no region or activity label for this figure")
            return
        printed_activity = clean_label(activity_label)  # once: three fields below need it
        activity = self.r.activities.resolve(printed_activity.text)
        if activity.code is None:
            collector.quarantine(sheet, row, column, activity.problem)
            return
        region = self.r.resolve_region(region_label, year)
        if region.code is None:
            if figure.gap_marker == "-" and region.not_in_force:
                collector.ignore(sheet, row, column, "'-' for a unit not in force in that year "
                                 "(the release's marker for a unit that did not exist)")
            else:
                collector.quarantine(sheet, row, column, region.problem)
            return
        marks = (*self.title_marks, *year_notes, *printed_activity.footnotes,
                 *region.footnotes, *period_notes)
        collector.keep(
            sheet, row, column,
            measure=spec["measure"], unit=spec["unit"], region_code=region.code,
            activity_code=activity.code, classification=activity.classification, year=year,
            period=period, value=figure.value, gap_marker=figure.gap_marker, back_cast=region.back_cast,
            territorial_basis=self.r.basis, source_region=region.label,
            source_activity=printed_activity.text, note=self._note(*marks),
        )


@dataclass(frozen=True)
class _Region:
    code: str | None
    label: str
    footnotes: tuple[str, ...]
    back_cast: bool = False
    problem: str | None = None
    not_in_force: bool = False  # the unit is known but did not exist in that year


class _Release:
    def __init__(self, entry: ManifestEntry, workbook: Workbook, context: Any):
        self.entry, self.workbook, self.context = entry, workbook, context
        params = entry.extra.get("dynamic_table")
        if not params or not params.get("sheets"):
            raise RawFileError(entry.relative_path, "layout bns_dynamic_table needs dynamic_table.sheets "
                               "in the manifest entry")
        self.params = params
        basis = entry.extra.get("territorial_basis") or {}
        self.basis = basis.get("basis")
        self.back_cast_to = basis.get("back_cast_to")
        self.back_cast_from = basis.get("back_cast_from")
        self.collector = ReleaseCollector(entry, workbook, COLUMNS)
        self.activities = ActivityResolver(entry, context, params)
        self._regions: dict[tuple[str, int], _Region] = {}

    def resolve_region(self, printed: Any, year: int) -> _Region:
        key = (str(printed), year)
        if key not in self._regions:
            self._regions[key] = self._resolve_region(printed, year)
        return self._regions[key]

    def _resolve_region(self, printed: Any, year: int) -> _Region:
        match = self.context.regions.resolve(printed, year, self.back_cast_to)
        if match.code is None:
            return _Region(None, match.label, match.footnotes, problem=match.problem,
                           not_in_force="in force" in (match.problem or ""))
        if match.back_cast and self.back_cast_from is not None and year < int(self.back_cast_from):
            return _Region(None, match.label, match.footnotes, not_in_force=True, problem=(
                f"region {match.label!r} is {match.code}, not in force in {year}; the release restates "
                f"years only from {self.back_cast_from} (territorial_basis.back_cast_from)"))
        return _Region(match.code, match.label, match.footnotes, back_cast=match.back_cast)

    def read(self) -> LayoutResult:
        for spec in self.params["sheets"]:
            sheet = self.workbook.sheet(spec["sheet"])
            if spec.get("ignore"):
                # Counted as ignored by the collector with its generic reason; the
                # manifest's reason goes to the run log.
                self.collector.notes.append(f"sheet {spec['sheet']!r} not read: {spec['ignore']}")
                continue
            self.collector.read_sheet(sheet)
            _SheetReader(self, sheet, spec).read()
        return self.collector.result()


def read(entry: ManifestEntry, workbook: Workbook, context: Any) -> LayoutResult:
    return _Release(entry, workbook, context).read()
