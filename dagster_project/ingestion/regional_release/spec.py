"""The manifest's description of one release (layout, frames, columns, year,
measures, units), checked before any cell is read: a manifest that names a
column the header lacks, or a value column without measure or unit, refuses
the file here rather than loading figures under the wrong name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.frames import normalise_label
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.regional_release.schema import LAYOUTS, LOADER, MEASURES


@dataclass(frozen=True)
class ValueSpec:
    column: str
    measure: str | None
    unit: str | None


@dataclass(frozen=True)
class ReleaseSpec:
    layout: str
    economy_code: str
    classification: str
    region_frame: str
    industry_frame: str
    total_labels: str | None
    header_row: int
    sheet: str | None
    year: int | None
    years: tuple[int, ...]
    year_column: str | None
    region_column: str
    industry_column: str | None
    measure_column: str | None
    unit_column: str | None
    values: tuple[ValueSpec, ...]
    measure_labels: dict[str, str]
    ignored_columns: tuple[str, ...]
    constant_columns: dict[str, str]
    note_prefixes: tuple[str, ...]


def _require(entry: ManifestEntry, key: str) -> Any:
    if key not in entry.extra or entry.extra[key] in (None, ""):
        raise RawFileError(entry.relative_path, f"manifest entry lacks {key!r} (loader {LOADER})")
    return entry.extra[key]


def _check_measure(entry: ManifestEntry, measure: str | None) -> str | None:
    if measure is not None and measure not in MEASURES:
        raise RawFileError(
            entry.relative_path, f"manifest measure {measure!r} is not one of {list(MEASURES)}"
        )
    return measure


def release_spec(entry: ManifestEntry) -> ReleaseSpec:
    """Validate and read the layout description of a manifest entry."""
    extra = entry.extra
    layout = _require(entry, "layout")
    if layout not in LAYOUTS:
        raise RawFileError(entry.relative_path, f"layout {layout!r} is not one of {list(LAYOUTS)}")
    columns = dict(extra.get("columns") or {})
    header = set(entry.header)
    year = extra.get("year")
    ignored = tuple(extra.get("ignored_columns") or {})
    if layout == "long":
        region_column = columns.get("region")
        industry_column = columns.get("industry")
        if not region_column or not industry_column:
            raise RawFileError(
                entry.relative_path, "a long layout needs columns.region and columns.industry"
            )
        if "value" in columns:
            values = (
                ValueSpec(
                    columns["value"],
                    _check_measure(entry, extra.get("measure")),
                    extra.get("unit"),
                ),
            )
        else:
            raw_values = extra.get("values") or []
            if not raw_values:
                raise RawFileError(
                    entry.relative_path, "a long layout needs columns.value or values"
                )
            values = tuple(
                ValueSpec(v["column"], _check_measure(entry, v.get("measure")), v.get("unit"))
                for v in raw_values
            )
    else:
        region_column = _require(entry, "region_column")
        industry_column = None
        measure = _check_measure(entry, _require(entry, "measure"))
        unit = _require(entry, "unit")
        year = int(_require(entry, "year"))
        values = tuple(
            ValueSpec(c, measure, unit)
            for c in entry.header
            if c != region_column and c not in ignored
        )
    named = [
        region_column,
        industry_column,
        columns.get("year"),
        columns.get("measure"),
        columns.get("unit"),
    ]
    named += [v.column for v in values] + list(ignored) + list(extra.get("constant_columns") or {})
    unknown = sorted({c for c in named if c and c not in header})
    if unknown:
        raise RawFileError(
            entry.relative_path, f"manifest names columns not in the header: {unknown}"
        )
    if columns.get("year") is None and year is None:
        raise RawFileError(entry.relative_path, "give either columns.year or year")
    for v in values:
        if v.measure is None and not columns.get("measure"):
            raise RawFileError(entry.relative_path, f"value column {v.column!r} has no measure")
        if v.unit is None and not columns.get("unit"):
            raise RawFileError(entry.relative_path, f"value column {v.column!r} has no unit")
    return ReleaseSpec(
        layout=layout,
        economy_code=str(_require(entry, "economy_code")),
        classification=str(_require(entry, "classification")),
        region_frame=str(_require(entry, "region_frame")),
        industry_frame=str(_require(entry, "industry_frame")),
        total_labels=extra.get("total_labels"),
        header_row=int(extra.get("header_row", 1)),
        sheet=extra.get("sheet"),
        year=int(year) if year is not None else None,
        years=tuple(int(y) for y in extra.get("years") or ()),
        year_column=columns.get("year"),
        region_column=region_column,
        industry_column=industry_column,
        measure_column=columns.get("measure"),
        unit_column=columns.get("unit"),
        values=values,
        measure_labels={
            normalise_label(str(k)): str(v) for k, v in (extra.get("measure_labels") or {}).items()
        },
        ignored_columns=ignored,
        constant_columns={str(k): str(v) for k, v in (extra.get("constant_columns") or {}).items()},
        note_prefixes=tuple(str(p) for p in extra.get("note_prefixes") or ()),
    )
