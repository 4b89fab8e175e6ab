"""The manifest-driven loader: published numbers, gap markers and every kind
of malformed file gets a message naming the file, row and problem."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import duckdb
import pytest

from dagster_project import settings
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry, load_manifest
from dagster_project.ingestion.numbers import parse_number
from dagster_project.ingestion.raw_writer import replace_raw_table
from dagster_project.ingestion.text_table import read_text_table


@pytest.mark.parametrize(
    ("text", "decimal", "value", "marker"),
    [
        ("127271,4", ",", 127271.4, None),
        ("1 756,6", ",", 1756.6, None),
        ("64427", ",", 64427.0, None),
        ("-0,083", ",", -0.083, None),
        ("-", ",", None, "-"),
        ("х", ",", None, "х"),  # Cyrillic ha: confidential
        ("…", ",", None, "…"),
        ("", ",", None, None),
        ("2.5", ".", 2.5, None),
    ],
)
def test_parse_number(text: str, decimal: str, value: float | None, marker: str | None) -> None:
    parsed = parse_number(text, decimal)
    assert parsed.value == value
    assert parsed.gap_marker == marker


@pytest.mark.parametrize("text", ["12,3,4", "1.234,5", "12a", "n/a", "0x10"])
def test_parse_number_refuses_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text, ",")


@pytest.fixture
def s002_entry() -> ManifestEntry:
    entries = {e.raw_table: e for e in load_manifest(settings.RAW_DIR / "seeds")}
    return entries["seed_s002_t1"]


def _copy_with(entry: ManifestEntry, tmp_path: Path, data: bytes, **changes) -> ManifestEntry:
    path = tmp_path / entry.file
    path.write_bytes(data)
    return dataclasses.replace(
        entry, path=path, sha256=hashlib.sha256(data).hexdigest(), **changes
    )


def test_published_table_reads_as_text_with_line_numbers(s002_entry: ManifestEntry) -> None:
    frame = read_text_table(s002_entry)
    assert len(frame) == 12
    row = frame.set_index("indicator_code").loc["exports"]
    assert row["y2006"] == "1282,3"  # kept exactly as printed
    assert row["_source_row"] == 7  # header is line 1


def test_checksum_mismatch_is_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    data = s002_entry.path.read_bytes().replace(b"1282,3", b"1082,3")
    entry = _copy_with(s002_entry, tmp_path, data)
    entry = dataclasses.replace(entry, sha256=s002_entry.sha256)
    with pytest.raises(RawFileError, match=r"seeds/s002_t1.*checksum mismatch"):
        read_text_table(entry)


def test_wrong_header_is_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    data = s002_entry.path.read_bytes().replace(b"y2006", b"y2060", 1)
    with pytest.raises(RawFileError, match=r"row 1: header does not match.*y2060"):
        read_text_table(_copy_with(s002_entry, tmp_path, data))


def test_missing_header_is_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    """A release pasted without its header line: the first data row is not
    taken for column names."""
    data = b"".join(s002_entry.path.read_bytes().splitlines(keepends=True)[1:])
    with pytest.raises(RawFileError, match=r"row 1: header does not match") as error:
        read_text_table(_copy_with(s002_entry, tmp_path, data))
    assert "seeds/s002_t1_south_kazakhstan_indicators.csv" in str(error.value)


def test_broken_number_names_row_column_and_value(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    data = s002_entry.path.read_bytes().replace(b"1282,3", b"12 82,3a")
    with pytest.raises(RawFileError) as error:
        read_text_table(_copy_with(s002_entry, tmp_path, data))
    assert (error.value.row, error.value.column, error.value.value) == (7, "y2006", "12 82,3a")
    assert "seeds/s002_t1_south_kazakhstan_indicators.csv" in str(error.value)


def test_duplicated_row_is_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    lines = s002_entry.path.read_bytes().splitlines(keepends=True)
    data = b"".join(lines + [lines[6]])
    with pytest.raises(RawFileError, match=r"duplicate key \{'indicator_code': 'exports'\} on rows \[7, 14\]"):
        read_text_table(_copy_with(s002_entry, tmp_path, data))


def test_truncated_row_is_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    data = s002_entry.path.read_bytes().rstrip(b"\n").rsplit(b";", 2)[0] + b"\n"
    with pytest.raises(RawFileError, match=r"row 13: expected 8 fields, found 6"):
        read_text_table(_copy_with(s002_entry, tmp_path, data))


def test_cp1251_bytes_declared_utf8_are_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    data = s002_entry.path.read_bytes().decode("utf-8").encode("cp1251", errors="replace")
    with pytest.raises(RawFileError, match=r"row 2: bytes are not valid utf-8"):
        read_text_table(_copy_with(s002_entry, tmp_path, data))


def test_utf8_bytes_declared_cp1251_are_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    entry = _copy_with(s002_entry, tmp_path, s002_entry.path.read_bytes(), encoding="cp1251")
    with pytest.raises(RawFileError, match="declared cp1251 but the bytes are valid UTF-8"):
        read_text_table(entry)


def test_cp1251_file_declared_cp1251_loads(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    text = s002_entry.path.read_text(encoding="utf-8").replace("Өнеркәсіптік", "Промышленная")
    # cp1251 has no Kazakh letters: a Russian-only copy stands for a cp1251 export.
    text = "".join(ch if ch.encode("cp1251", errors="ignore") else "?" for ch in text)
    entry = _copy_with(s002_entry, tmp_path, text.encode("cp1251"), encoding="cp1251")
    assert read_text_table(entry).set_index("indicator_code").loc["exports", "y2006"] == "1282,3"


def test_empty_file_is_refused(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    with pytest.raises(RawFileError, match="file is empty"):
        read_text_table(_copy_with(s002_entry, tmp_path, b""))


def test_refused_file_leaves_the_table_as_it_was(s002_entry: ManifestEntry, tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as connection:
        replace_raw_table(connection, s002_entry, read_text_table(s002_entry))
        before = connection.execute("select * from raw.seed_s002_t1 order by _source_row").fetchall()
        bad = _copy_with(s002_entry, tmp_path, s002_entry.path.read_bytes().replace(b"1282,3", b"oops"))
        with pytest.raises(RawFileError):
            replace_raw_table(connection, bad, read_text_table(bad))
        after = connection.execute("select * from raw.seed_s002_t1 order by _source_row").fetchall()
    assert after == before
