"""Bytes -> cells: a release's rows as lists of cells, from a CSV (utf-8 or
cp1251, declared in the manifest and checked against the bytes) or from one
sheet of an XLSX workbook (saved values, numbers kept as floats)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.regional_release.schema import Cell


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


def csv_rows(entry: ManifestEntry, data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    text = decode_text(data, entry.encoding, entry.relative_path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=entry.delimiter)
    for record in reader:
        yield reader.line_num, list(record)


def xlsx_rows(
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


def is_xlsx(entry: ManifestEntry) -> bool:
    return entry.file.lower().endswith((".xlsx", ".xlsm"))


def cell_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return cell
