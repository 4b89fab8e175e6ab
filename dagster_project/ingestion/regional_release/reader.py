"""Cells -> observations and quarantined records: one release file read row by
row, every region and industry resolved against its frame, every value cell
either kept as an observation or quarantined with a reason naming the file,
row, column and value, so that ``records_in == observations + quarantined``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import Frame, FrameCatalog, Resolution, normalise_label
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.numbers import parse_number
from dagster_project.ingestion.raw_files import read_entry
from dagster_project.ingestion.regional_release.cells import cell_text, csv_rows, is_xlsx, xlsx_rows
from dagster_project.ingestion.regional_release.quarantine import quarantine_duplicates, quarantine_mixed_units
from dagster_project.ingestion.regional_release.schema import (
    COUNT_MEASURES,
    LOADER,
    MEASURES,
    OBSERVATION_COLUMNS,
    Cell,
)
from dagster_project.ingestion.regional_release.spec import ReleaseSpec, release_spec
from dagster_project.ingestion.warehouse_writes import REJECTED_COLUMNS


@dataclass
class ReleaseResult:
    entry: ManifestEntry
    observations: pd.DataFrame
    rejected: pd.DataFrame
    records_in: int
    rows_read: int
    rows_skipped: int

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows_read": self.rows_read,
            "rows_skipped": self.rows_skipped,
            "records_in": self.records_in,
            "observations": len(self.observations),
            "quarantined": len(self.rejected),
        }


class _Collector:
    def __init__(self, entry: ManifestEntry, spec: ReleaseSpec, sha256: str):
        self.entry, self.spec, self.sha256 = entry, spec, sha256
        self.observations: list[dict[str, Any]] = []
        self.rejected: list[dict[str, Any]] = []
        self.records_in = 0

    def reject(
        self,
        row: int,
        raw: dict[str, Any],
        problem: str,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        where = [f"file {self.entry.relative_path}", f"row {row}"]
        if column is not None:
            where.append(f"column {column!r}")
        if value is not None:
            where.append(f"value {cell_text(value)!r}")
        self.rejected.append(
            {
                "source_file": self.entry.relative_path,
                "source_row": row,
                "raw_values": json.dumps(raw, ensure_ascii=False, default=cell_text),
                "reason": f"{', '.join(where)}: {problem}",
            }
        )

    def keep(self, row: int, **fields: Any) -> None:
        fields.update(
            economy_code=self.spec.economy_code,
            classification=self.spec.classification,
            _source_file=self.entry.relative_path,
            _source_sha256=self.sha256,
            _source_row=row,
        )
        self.observations.append(fields)


def _parse_year(cell: Cell) -> int:
    text = cell_text(cell).strip()
    number = float(text)
    if not number.is_integer():
        raise ValueError(f"year {text!r} is not a whole number")
    return int(number)


def _parse_value(cell: Cell, entry: ManifestEntry) -> tuple[float | None, str | None]:
    if isinstance(cell, float):
        return cell, None
    parsed = parse_number(cell, entry.decimal, entry.gap_markers)
    return parsed.value, parsed.gap_marker


def _is_note(cells: list[Cell], prefixes: tuple[str, ...]) -> bool:
    first = next((cell_text(c).strip() for c in cells if cell_text(c).strip()), "")
    return bool(prefixes) and first.startswith(prefixes)


def read_release(entry: ManifestEntry, catalog: FrameCatalog) -> ReleaseResult:
    """Read one release file into canonical long observations and quarantined
    records. Raises ``RawFileError`` when the file itself is not the one the
    manifest describes."""
    if entry.loader != LOADER:
        raise RawFileError(
            entry.relative_path, f"entry has loader {entry.loader!r}, not {LOADER!r}"
        )
    spec = release_spec(entry)
    name = entry.relative_path
    data = read_entry(entry)
    regions = catalog.frame(spec.region_frame, "region", spec.economy_code, spec.total_labels)
    industries = catalog.frame(
        spec.industry_frame, "industry", spec.economy_code, spec.total_labels
    )
    if industries.classification != spec.classification:
        raise RawFileError(
            name,
            f"manifest classification {spec.classification!r} differs from the industry frame's "
            f"{industries.classification!r} ({spec.industry_frame})",
        )

    rows = xlsx_rows(entry, data, spec.sheet) if is_xlsx(entry) else csv_rows(entry, data)
    header: list[str] | None = None
    collector = _Collector(entry, spec, entry.sha256)
    rows_read = rows_skipped = 0
    column_codes: dict[str, Resolution] = {}
    for line, cells in rows:
        if header is None:
            if line < spec.header_row:
                continue
            header = [cell_text(c) for c in cells]
            if tuple(header) != entry.header:
                raise RawFileError(
                    name,
                    f"header does not match the manifest: expected {list(entry.header)}, found {header}",
                    row=line,
                )
            if spec.layout == "wide":
                column_codes = {
                    v.column: industries.resolve(v.column, spec.year) for v in spec.values
                }
            continue
        if not cells or all(not cell_text(c).strip() for c in cells):
            rows_skipped += 1
            continue
        if _is_note(cells, spec.note_prefixes):
            rows_skipped += 1
            continue
        rows_read += 1
        if len(cells) != len(header):
            collector.records_in += 1
            collector.reject(
                line,
                {"cells": cells},
                f"expected {len(header)} fields, found {len(cells)} (truncated row or wrong delimiter?)",
            )
            continue
        _read_row(collector, dict(zip(header, cells)), line, regions, industries, column_codes)
    if header is None:
        raise RawFileError(name, f"no header at row {spec.header_row}")
    if rows_read == 0:
        raise RawFileError(name, "file has a header but no data rows")
    observations = pd.DataFrame(
        collector.observations, columns=[c for c in OBSERVATION_COLUMNS if c != "_loaded_at"]
    )
    rejected = pd.DataFrame(
        collector.rejected, columns=[c for c in REJECTED_COLUMNS if c != "rejected_at"]
    )
    observations, rejected = quarantine_duplicates(observations, rejected)
    observations, rejected = quarantine_mixed_units(observations, rejected)
    return ReleaseResult(
        entry, observations, rejected, collector.records_in, rows_read, rows_skipped
    )


def _read_row(
    collector: _Collector,
    record: dict[str, Cell],
    line: int,
    regions: Frame,
    industries: Frame,
    column_codes: dict[str, Resolution],
) -> None:
    spec = collector.spec
    raw_context = {k: v for k, v in record.items() if k not in {v.column for v in spec.values}}
    problems: list[tuple[str, str | None, Cell]] = []

    year = spec.year
    if spec.year_column:
        try:
            year = _parse_year(record[spec.year_column])
        except ValueError:
            problems.append(
                ("year is not a whole number", spec.year_column, record[spec.year_column])
            )
            year = None
    if year is not None and spec.years and year not in spec.years:
        problems.append(
            (
                f"year {year} is not among the manifest's years {list(spec.years)}",
                spec.year_column,
                year,
            )
        )
    for column, expected in spec.constant_columns.items():
        if cell_text(record[column]).strip() != expected:
            problems.append(
                (f"expected {expected!r} in this column for every row", column, record[column])
            )

    region_text = cell_text(record[spec.region_column])
    region = regions.resolve(region_text, year)
    if region.problem:
        problems.append((region.problem, spec.region_column, region_text))

    row_industry: Resolution | None = None
    if spec.industry_column:
        industry_text = cell_text(record[spec.industry_column])
        row_industry = industries.resolve(industry_text, year)
        if row_industry.problem:
            problems.append((row_industry.problem, spec.industry_column, industry_text))

    row_measure: str | None = None
    if spec.measure_column:
        measure_text = cell_text(record[spec.measure_column]).strip()
        row_measure = spec.measure_labels.get(normalise_label(measure_text), measure_text)
        if row_measure not in MEASURES:
            problems.append(
                (
                    f"measure {measure_text!r} is not one of {list(MEASURES)} (or a manifest measure_labels key)",
                    spec.measure_column,
                    measure_text,
                )
            )
    row_unit = cell_text(record[spec.unit_column]).strip() if spec.unit_column else None

    for value_spec in spec.values:
        collector.records_in += 1
        cell = record[value_spec.column]
        raw = dict(raw_context, **{value_spec.column: cell})
        industry = column_codes.get(value_spec.column) if spec.layout == "wide" else row_industry
        own_problems = list(problems)
        if industry is not None and industry.problem and spec.layout == "wide":
            own_problems.append((industry.problem, value_spec.column, value_spec.column))
        try:
            value, marker = _parse_value(cell, collector.entry)
        except ValueError as exc:
            own_problems.append((str(exc), value_spec.column, cell))
            value, marker = None, None
        measure = value_spec.measure or row_measure
        if value is not None and value < 0 and measure in COUNT_MEASURES:
            own_problems.append(
                (f"negative {measure}: a count of persons or firms cannot be below zero",
                 value_spec.column, cell)
            )
        if own_problems:
            problem, column, shown = own_problems[0]
            extra = (
                f" (and {len(own_problems) - 1} more problem(s) in this row)"
                if len(own_problems) > 1
                else ""
            )
            collector.reject(line, raw, problem + extra, column=column, value=shown)
            continue
        collector.keep(
            line,
            year=year,
            region_code=region.code,
            industry_code=industry.code if industry else None,
            measure=measure,
            value=value,
            gap_marker=marker,
            unit=value_spec.unit or row_unit,
            source_region=region_text.strip(),
            source_industry=(
                value_spec.column
                if spec.layout == "wide"
                else cell_text(record[spec.industry_column]).strip()
            ),
        )
