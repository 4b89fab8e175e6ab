"""Reader of regional statistics releases (regions × activities), as the Bureau
of National Statistics publishes them and analysts export them.

A release is a CSV (UTF-8 or cp1251, ``;`` or ``,``, decimal comma or point)
or an XLSX sheet, in one of two layouts described by its manifest entry
(``loader: regional_release``):

* ``long``: one row per observation or per region-industry pair, with a year,
  a region and an industry column, and either one value column per measure
  (``values:``) or a measure/value/unit triple (``columns: measure, value, unit``);
* ``wide``: regions in rows, activities in columns (the printed BNS table),
  year, measure and unit given once for the file.

Every region and industry cell is resolved against the economy's frames (the
code lists in ``data/raw/regional_frames`` and ``data/raw/kazakhstan_frame``);
labels that mark a published total become the reserved code ``TOTAL``. What
cannot be resolved or parsed is quarantined cell by cell with a reason that
names the file, row, column and value, so that every record read is accounted
for: ``records_in == observations + quarantined``. Problems of the whole file
(checksum, encoding, header, manifest) refuse the file with ``RawFileError``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry, load_all_manifests
from dagster_project.ingestion.numbers import parse_number
from dagster_project.ingestion.text_table import file_sha256, read_text_table

LOADER = "regional_release"
TOTAL_CODE = "TOTAL"
MEASURES = ("employment", "gva", "firms")
LAYOUTS = ("long", "wide")

OBSERVATIONS_TABLE = "raw.regional_observations"
REJECTED_TABLE = "quality.rejected_rows"

OBSERVATION_COLUMNS = {
    "economy_code": "VARCHAR",
    "classification": "VARCHAR",
    "year": "INTEGER",
    "region_code": "VARCHAR",
    "industry_code": "VARCHAR",
    "measure": "VARCHAR",
    "value": "DOUBLE",
    "gap_marker": "VARCHAR",
    "unit": "VARCHAR",
    "source_region": "VARCHAR",
    "source_industry": "VARCHAR",
    "_source_file": "VARCHAR",
    "_source_sha256": "VARCHAR",
    "_source_row": "BIGINT",
    "_loaded_at": "TIMESTAMP",
}
REJECTED_COLUMNS = {
    "source_file": "VARCHAR",
    "source_row": "BIGINT",
    "raw_values": "VARCHAR",
    "reason": "VARCHAR",
    "rejected_at": "TIMESTAMP",
}
OBSERVATION_KEY = [
    "economy_code",
    "classification",
    "year",
    "region_code",
    "industry_code",
    "measure",
]

Cell = str | float | None


# --------------------------------------------------------------------------
# Label normalisation: how a printed name is compared with the frames.

_SUPERSCRIPT_FOOTNOTE = re.compile(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+$")
_FOOTNOTE = re.compile(r"(\s*(\d+\)|\*+))+$")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
# Exports often write German umlauts as ae/oe/ue and Russian ё as е.
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ё": "е"})
_SPACES = re.compile(r"\s+")
_PUNCTUATION_SPACING = re.compile(r"\s*([.,;:/()\-])\s*")


def normalise_label(text: str) -> str:
    """The comparison form of a printed label: case, spacing, dashes, umlaut
    spellings and trailing footnote markers ('1)', '*', '¹') do not matter."""
    folded = _SUPERSCRIPT_FOOTNOTE.sub("", text.strip())
    folded = unicodedata.normalize("NFKC", folded).casefold().translate(_DASHES).translate(_FOLD)
    folded = _FOOTNOTE.sub("", folded)
    folded = _SPACES.sub(" ", folded).strip()
    return _PUNCTUATION_SPACING.sub(r"\1", folded)


# --------------------------------------------------------------------------
# Frames: code lists of one economy, one dimension.


@dataclass(frozen=True)
class Resolution:
    code: str | None
    problem: str | None = None


@dataclass
class Frame:
    """The codes of one dimension of one economy and every label that names them."""

    table: str
    economy_code: str
    dimension: str
    classification: str
    lookup: dict[str, str]
    validity: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)

    def resolve(self, text: str, year: int | None) -> Resolution:
        if text is None or not str(text).strip():
            return Resolution(None, f"empty {self.dimension}")
        code = self.lookup.get(normalise_label(str(text)))
        if code is None:
            return Resolution(
                None,
                f"{self.dimension} {str(text).strip()!r} is not in frame {self.table} "
                f"(economy {self.economy_code})",
            )
        if code != TOTAL_CODE and year is not None and code in self.validity:
            valid_from, valid_to = self.validity[code]
            year_end = date(year, 12, 31)
            if (valid_from and valid_from > year_end) or (valid_to and valid_to < year_end):
                span = f"in force {valid_from or '…'} to {valid_to or '…'}"
                return Resolution(
                    None,
                    f"{self.dimension} {str(text).strip()!r} is {code}, which is not in force on "
                    f"31 December {year} ({span}); see the frame's crosswalk for its "
                    "predecessor or successor units",
                )
        return Resolution(code)


def _parse_date(text: str | None, table: str, row: int) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise RawFileError(table, "not an ISO date (YYYY-MM-DD)", row=row, value=text) from exc


class FrameCatalog:
    """Resolvers built from the frame tables declared in the raw manifests;
    each table is read (and its checksum verified) once."""

    def __init__(self, entries: Iterable[ManifestEntry]):
        self._entries = {e.raw_table: e for e in entries}
        self._tables: dict[str, pd.DataFrame] = {}

    @classmethod
    def from_dataset_dirs(cls, dataset_dirs: list[Path]) -> FrameCatalog:
        return cls(load_all_manifests(dataset_dirs))

    def table(self, raw_table: str) -> pd.DataFrame:
        if raw_table not in self._tables:
            if raw_table not in self._entries:
                raise RawFileError(raw_table, "frame table is not declared in any raw manifest")
            self._tables[raw_table] = read_text_table(self._entries[raw_table])
        return self._tables[raw_table]

    def frame(
        self, raw_table: str, dimension: str, economy_code: str, totals_table: str | None
    ) -> Frame:
        table = self.table(raw_table)
        code_column = f"{dimension}_code"
        if code_column not in table.columns or "economy_code" not in table.columns:
            raise RawFileError(
                raw_table, f"a {dimension} frame needs columns economy_code and {code_column}"
            )
        rows = table[table["economy_code"] == economy_code]
        if rows.empty:
            raise RawFileError(raw_table, f"frame has no rows for economy {economy_code!r}")
        classifications = sorted(set(rows["classification"]))
        if len(classifications) != 1:
            raise RawFileError(raw_table, f"frame mixes classifications {classifications}")
        label_columns = [
            c
            for c in table.columns
            if c.startswith(("name_", "label_")) and not c.endswith("_status")
        ]
        lookup: dict[str, str] = {}
        validity: dict[str, tuple[date | None, date | None]] = {}

        def add(label: str | None, code: str, row: int) -> None:
            if label is None or pd.isna(label) or not str(label).strip():
                return
            key = normalise_label(str(label))
            if lookup.setdefault(key, code) != code:
                raise RawFileError(
                    raw_table,
                    f"label {label!r} names both {lookup[key]} and {code}",
                    row=row,
                )

        for record in rows.to_dict("records"):
            code, row = str(record[code_column]), int(record["_source_row"])
            add(code, code, row)
            for column in label_columns:
                add(record[column], code, row)
            for alias in str(record.get("aliases") or "").split("|"):
                add(alias, code, row)
            if "valid_from" in record:
                validity[code] = (
                    _parse_date(record.get("valid_from"), raw_table, row),
                    _parse_date(record.get("valid_to"), raw_table, row),
                )
        if totals_table:
            totals = self.table(totals_table)
            chosen = totals[
                (totals["economy_code"] == economy_code) & (totals["dimension"] == dimension)
            ]
            for record in chosen.to_dict("records"):
                add(record["label"], TOTAL_CODE, int(record["_source_row"]))
        return Frame(raw_table, economy_code, dimension, classifications[0], lookup, validity)


# --------------------------------------------------------------------------
# The manifest description of one release.


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


# --------------------------------------------------------------------------
# Bytes -> cells.


def decode_text(data: bytes, declared: str, name: str) -> str:
    """Decode with the declared encoding, refusing a declaration the bytes
    contradict: cp1251 decodes almost any byte string, so a UTF-8 file
    declared cp1251 (or the reverse) would otherwise load as mojibake."""
    encoding = declared.lower().replace("_", "-")
    if encoding in ("utf-8", "utf8", "utf-8-sig"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            hint = ""
            try:
                data.decode("cp1251")
                hint = "; the bytes do decode as cp1251: is the file a cp1251 export?"
            except UnicodeDecodeError:
                pass
            raise RawFileError(
                name, f"declared utf-8 but byte {exc.start} is not UTF-8{hint}", row=line
            ) from exc
    if encoding in ("cp1251", "windows-1251"):
        try:
            as_utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            as_utf8 = None
        if as_utf8 is not None and any(ord(ch) > 127 for ch in as_utf8):
            raise RawFileError(
                name, "declared cp1251 but the bytes are UTF-8 text; declare encoding: utf-8"
            )
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise RawFileError(name, f"byte {exc.start} is not valid cp1251", row=line) from exc
    raise RawFileError(name, f"encoding {declared!r} is not supported (utf-8 or cp1251)")


def _csv_rows(entry: ManifestEntry, data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    text = decode_text(data, entry.encoding, entry.relative_path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=entry.delimiter)
    for record in reader:
        yield reader.line_num, list(record)


def _xlsx_rows(
    entry: ManifestEntry, data: bytes, sheet: str | None
) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise RawFileError(entry.relative_path, f"not a readable XLSX workbook: {exc}") from exc
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise RawFileError(entry.relative_path, f"sheet {sheet!r} not in {workbook.sheetnames}")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            cells: list[Cell] = []
            for value in values:
                if value is None:
                    cells.append("")
                elif isinstance(value, bool):
                    cells.append(str(value))
                elif isinstance(value, (int, float)):
                    cells.append(float(value))
                else:
                    cells.append(str(value))
            while cells and cells[-1] == "":
                cells.pop()
            yield number, cells
    finally:
        workbook.close()


def _is_xlsx(entry: ManifestEntry) -> bool:
    return entry.file.lower().endswith((".xlsx", ".xlsm"))


def _cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return cell


# --------------------------------------------------------------------------
# Cells -> observations and quarantined records.


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
            where.append(f"value {_cell_text(value)!r}")
        self.rejected.append(
            {
                "source_file": self.entry.relative_path,
                "source_row": row,
                "raw_values": json.dumps(raw, ensure_ascii=False, default=_cell_text),
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


# Measures that count persons or firms: a negative value is a misprint, never data
# (value added, by contrast, can be negative in a loss-making industry).
COUNT_MEASURES = frozenset({"employment", "firms"})


def _parse_year(cell: Cell) -> int:
    text = _cell_text(cell).strip()
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
    first = next((_cell_text(c).strip() for c in cells if _cell_text(c).strip()), "")
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
    try:
        data = entry.path.read_bytes()
    except OSError as exc:
        raise RawFileError(name, f"cannot read file: {exc.strerror}") from exc
    if not data.strip():
        raise RawFileError(name, "file is empty")
    digest = file_sha256(data)
    if digest != entry.sha256:
        raise RawFileError(
            name,
            f"checksum mismatch: manifest says sha256 {entry.sha256[:12]}…, file has {digest[:12]}…; "
            "the file changed since it was registered",
        )
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

    rows = _xlsx_rows(entry, data, spec.sheet) if _is_xlsx(entry) else _csv_rows(entry, data)
    header: list[str] | None = None
    collector = _Collector(entry, spec, digest)
    rows_read = rows_skipped = 0
    column_codes: dict[str, Resolution] = {}
    for line, cells in rows:
        if header is None:
            if line < spec.header_row:
                continue
            header = [_cell_text(c) for c in cells]
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
        if not cells or all(not _cell_text(c).strip() for c in cells):
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
        if _cell_text(record[column]).strip() != expected:
            problems.append(
                (f"expected {expected!r} in this column for every row", column, record[column])
            )

    region_text = _cell_text(record[spec.region_column])
    region = regions.resolve(region_text, year)
    if region.problem:
        problems.append((region.problem, spec.region_column, region_text))

    row_industry: Resolution | None = None
    if spec.industry_column:
        industry_text = _cell_text(record[spec.industry_column])
        row_industry = industries.resolve(industry_text, year)
        if row_industry.problem:
            problems.append((row_industry.problem, spec.industry_column, industry_text))

    row_measure: str | None = None
    if spec.measure_column:
        measure_text = _cell_text(record[spec.measure_column]).strip()
        row_measure = spec.measure_labels.get(normalise_label(measure_text), measure_text)
        if row_measure not in MEASURES:
            problems.append(
                (
                    f"measure {measure_text!r} is not one of {list(MEASURES)} (or a manifest measure_labels key)",
                    spec.measure_column,
                    measure_text,
                )
            )
    row_unit = _cell_text(record[spec.unit_column]).strip() if spec.unit_column else None

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
                else _cell_text(record[spec.industry_column]).strip()
            ),
        )


def quarantine_mixed_units(
    observations: pd.DataFrame, rejected: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One measure of one release in one unit: totals and LQs over persons and
    thousands of persons mixed would be meaningless. Rows in the most frequent
    unit of their measure are kept; the others are quarantined. When no unit
    is the most frequent, the loader cannot tell which is right and every row
    of that measure is quarantined."""
    if observations.empty:
        return observations, rejected
    group = ["economy_code", "classification", "measure"]
    counts = observations.groupby(group + ["unit"], dropna=False).size().rename("n").reset_index()
    if (counts.groupby(group, dropna=False).size() <= 1).all():
        return observations, rejected
    top = counts.groupby(group, dropna=False)["n"].transform("max")
    winners = counts[counts["n"] == top]
    unique_winner = winners.groupby(group, dropna=False)["unit"].transform("size") == 1
    kept_units = winners[unique_winner][group + ["unit"]].assign(_kept=True)
    marked = observations.merge(kept_units, on=group + ["unit"], how="left")
    bad = marked["_kept"].isna().to_numpy()
    units_of = counts.groupby(group, dropna=False)["unit"].agg(lambda u: ", ".join(sorted(map(str, u))))

    def mixed_units(record: dict) -> tuple[dict, Any, str]:
        units = units_of[tuple(record[k] for k in group)]
        raw = {"measure": record["measure"], "value": record["value"], "unit": record["unit"]}
        return raw, record["unit"], (
            f"mixed units for measure {record['measure']!r} in one release ({units}); "
            "quarantined rather than summed"
        )

    return _move_to_quarantine(observations, bad, rejected, mixed_units)


def quarantine_duplicates(
    observations: pd.DataFrame, rejected: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move every occurrence of a duplicated observation key to quarantine: the
    loader cannot tell which of two different figures for the same cell is
    right, and keeping the first would hide the conflict."""
    if observations.empty:
        return observations, rejected
    duplicated = observations.duplicated(subset=OBSERVATION_KEY, keep=False)
    if not duplicated.any():
        return observations, rejected
    where = observations[duplicated].groupby(OBSERVATION_KEY, dropna=False).apply(
        lambda g: [f"{f} row {r}" for f, r in zip(g["_source_file"], g["_source_row"])],
        include_groups=False,
    )

    def duplicate(record: dict) -> tuple[dict, Any, str]:
        others = [
            w
            for w in where[tuple(record[k] for k in OBSERVATION_KEY)]
            if w != f"{record['_source_file']} row {record['_source_row']}"
        ]
        key = {k: record[k] for k in OBSERVATION_KEY}
        raw = dict(key, value=record["value"], gap_marker=record["gap_marker"])
        return raw, record["value"], f"duplicate observation {key}, also on {', '.join(others)}"

    return _move_to_quarantine(observations, duplicated.to_numpy(), rejected, duplicate)


def _move_to_quarantine(
    observations: pd.DataFrame,
    moved: Any,
    rejected: pd.DataFrame,
    describe: Callable[[dict], tuple[dict, Any, str]],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Move the ``moved`` (boolean mask) observations to ``rejected``;
    ``describe(record)`` gives the raw values kept, the value shown in the
    reason and the problem."""
    rows = []
    for record in observations[moved].to_dict("records"):
        raw, shown, problem = describe(record)
        rows.append(
            {
                "source_file": record["_source_file"],
                "source_row": record["_source_row"],
                "raw_values": json.dumps(raw, ensure_ascii=False, default=str),
                "reason": f"file {record['_source_file']}, row {record['_source_row']}, "
                f"value {shown!r}: {problem}",
            }
        )
    rejected = pd.concat([rejected, pd.DataFrame(rows, columns=rejected.columns)], ignore_index=True)
    return observations[~moved].reset_index(drop=True), rejected


# --------------------------------------------------------------------------
# Many releases -> the warehouse.


def release_entries(dataset_dirs: list[Path]) -> list[ManifestEntry]:
    """Every manifest entry read by this loader."""
    return [e for e in load_all_manifests(dataset_dirs) if e.loader == LOADER]


@dataclass
class CombinedResult:
    results: list[ReleaseResult]
    observations: pd.DataFrame
    rejected: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        records_in = sum(r.records_in for r in self.results)
        return {
            "files": len(self.results),
            "records_in": records_in,
            "observations": len(self.observations),
            "quarantined": len(self.rejected),
        }


def read_releases(entries: list[ManifestEntry], catalog: FrameCatalog) -> CombinedResult:
    """Read every release; an observation key supplied by two files is a
    conflict and goes to quarantine from both."""
    results = [read_release(e, catalog) for e in entries]
    observations = _concat([r.observations for r in results], list(OBSERVATION_COLUMNS)[:-1])
    rejected = _concat([r.rejected for r in results], list(REJECTED_COLUMNS)[:-1])
    observations, rejected = quarantine_duplicates(observations, rejected)
    return CombinedResult(results, observations, rejected)


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    non_empty = [f for f in frames if not f.empty]
    return pd.concat(non_empty, ignore_index=True) if non_empty else pd.DataFrame(columns=columns)


def _typed(
    frame: pd.DataFrame, columns: dict[str, str], loaded_column: str, loaded_at: datetime
) -> pd.DataFrame:
    out = frame.copy()
    out[loaded_column] = loaded_at
    return out[list(columns)]


def write_releases(
    connection: duckdb.DuckDBPyConnection, combined: CombinedResult
) -> dict[str, int]:
    """Replace ``raw.regional_observations`` and this loader's rows of
    ``quality.rejected_rows`` in one transaction: a failure leaves both as
    they were."""
    now = datetime.now(UTC).replace(tzinfo=None)
    observations = _typed(combined.observations, OBSERVATION_COLUMNS, "_loaded_at", now)
    rejected = _typed(combined.rejected, REJECTED_COLUMNS, "rejected_at", now)
    files = [r.entry.relative_path for r in combined.results]
    obs_columns = ", ".join(f"{name} {kind}" for name, kind in OBSERVATION_COLUMNS.items())
    rej_columns = ", ".join(f"{name} {kind}" for name, kind in REJECTED_COLUMNS.items())
    obs_select = ", ".join(
        f"cast({name} as {kind}) as {name}" for name, kind in OBSERVATION_COLUMNS.items()
    )
    rej_select = ", ".join(f"cast({name} as {kind})" for name, kind in REJECTED_COLUMNS.items())
    connection.register("incoming_observations", observations)
    connection.register("incoming_rejected", rejected)
    try:
        connection.execute("begin transaction")
        connection.execute("create schema if not exists raw")
        connection.execute("create schema if not exists quality")
        connection.execute(f"create table if not exists {REJECTED_TABLE} ({rej_columns})")
        connection.execute(f"create or replace table {OBSERVATIONS_TABLE} ({obs_columns})")
        connection.execute(
            f"insert into {OBSERVATIONS_TABLE} select {obs_select} from incoming_observations"
        )
        connection.execute(
            f"delete from {REJECTED_TABLE} where source_file in (select unnest(?))", [files]
        )
        connection.execute(
            f"insert into {REJECTED_TABLE} select {rej_select} from incoming_rejected"
        )
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    finally:
        connection.unregister("incoming_observations")
        connection.unregister("incoming_rejected")
    return combined.counts
