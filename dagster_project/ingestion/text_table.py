"""Read a raw file exactly as published, after proving it is the file the
manifest describes. Every cell stays text (lossless provenance); numbers are
only *checked* here and typed later in dbt staging."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.numbers import parse_number
from dagster_project.ingestion.raw_files import read_entry

SOURCE_ROW = "_source_row"


def _decode(entry: ManifestEntry, data: bytes) -> str:
    name = entry.relative_path
    encoding = entry.encoding.lower().replace("_", "-")
    if encoding in ("cp1251", "windows-1251"):
        # cp1251 decodes almost any byte string, so a UTF-8 file declared as
        # cp1251 would load as mojibake without this test.
        try:
            as_utf8 = data.decode("utf-8")
        except UnicodeDecodeError:
            as_utf8 = None
        if as_utf8 is not None and any(ord(ch) > 127 for ch in as_utf8):
            raise RawFileError(name, "declared cp1251 but the bytes are valid UTF-8 text")
    try:
        text = data.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RawFileError(
            name,
            f"bytes are not valid {entry.encoding} (position {exc.start}); "
            "is the file in another encoding such as cp1251?",
            row=line,
        ) from exc
    except LookupError as exc:
        raise RawFileError(name, f"unknown encoding {entry.encoding!r}") from exc
    return text


def read_text_table(entry: ManifestEntry) -> pd.DataFrame:
    """The file as a DataFrame of strings plus ``_source_row`` (line number,
    header = 1). Raises :class:`RawFileError` on any mismatch with the manifest."""
    name = entry.relative_path
    data = read_entry(entry)
    reader = csv.reader(io.StringIO(_decode(entry, data), newline=""), delimiter=entry.delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise RawFileError(name, "file has no header") from exc
    if tuple(header) != entry.header:
        raise RawFileError(
            name,
            f"header does not match the manifest: expected {list(entry.header)}, found {header}",
            row=1,
        )
    rows: list[list[str]] = []
    lines: list[int] = []
    for record in reader:
        if not record or all(cell.strip() == "" for cell in record):
            continue
        if len(record) != len(header):
            raise RawFileError(
                name,
                f"expected {len(header)} fields, found {len(record)} (truncated or wrong delimiter?)",
                row=reader.line_num,
            )
        rows.append(record)
        lines.append(reader.line_num)
    if not rows:
        raise RawFileError(name, "file has a header but no data rows")
    frame = pd.DataFrame(rows, columns=list(header), dtype="string")
    frame[SOURCE_ROW] = lines
    _check_numbers(entry, frame)
    _check_keys(entry, frame)
    return frame


def _check_numbers(entry: ManifestEntry, frame: pd.DataFrame) -> None:
    for column in entry.numeric_columns:
        for text, line in zip(frame[column], frame[SOURCE_ROW]):
            try:
                parse_number(text, entry.decimal, entry.gap_markers)
            except ValueError as exc:
                raise RawFileError(
                    entry.relative_path, str(exc), row=int(line), column=column, value=text
                ) from exc


def _check_keys(entry: ManifestEntry, frame: pd.DataFrame) -> None:
    if not entry.key:
        return
    key = list(entry.key)
    blank = frame[key].isna().any(axis=1) | (frame[key].apply(lambda c: c.str.strip()) == "").any(
        axis=1
    )
    if blank.any():
        line = int(frame.loc[blank, SOURCE_ROW].iloc[0])
        raise RawFileError(entry.relative_path, f"empty key {key}", row=line)
    duplicated = frame.duplicated(subset=key, keep=False)
    if duplicated.any():
        clash = frame.loc[duplicated, key + [SOURCE_ROW]]
        first = clash.iloc[0]
        lines = clash[clash[key].eq(first[key]).all(axis=1)][SOURCE_ROW].tolist()
        raise RawFileError(
            entry.relative_path,
            f"duplicate key {dict(first[key])} on rows {lines}",
            row=int(lines[-1]),
        )
