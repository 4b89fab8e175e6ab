"""The two steps every loader shares: reading a raw file only after its
checksum proves it is the registered one, and replacing its tables all in one
transaction or not at all."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.raw_files import read_verified
from dagster_project.ingestion.warehouse_writes import Replacement, replace_in_transaction

SHARED = {"source_file": "VARCHAR", "value": "INTEGER"}


def test_verified_bytes_are_the_file_and_the_checksum_ignores_case(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(b"a;b\n1;2\n")
    digest = hashlib.sha256(b"a;b\n1;2\n").hexdigest()
    assert read_verified(path, "d/table.csv", digest.upper()) == b"a;b\n1;2\n"


def test_a_changed_file_is_refused_naming_it_and_both_checksums(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(b"a;b\n1;3\n")
    registered = hashlib.sha256(b"a;b\n1;2\n").hexdigest()
    actual = hashlib.sha256(b"a;b\n1;3\n").hexdigest()
    with pytest.raises(RawFileError, match=rf"^file d/table\.csv: sha256 checksum mismatch: "
                       rf"manifest says {registered[:12]}…, file has {actual[:12]}…"):
        read_verified(path, "d/table.csv", registered)


def test_an_empty_or_missing_file_is_refused_as_such(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b" \n")
    with pytest.raises(RawFileError, match="file d/empty.csv: file is empty"):
        read_verified(tmp_path / "empty.csv", "d/empty.csv", "0" * 64)
    with pytest.raises(RawFileError, match="file d/gone.csv: cannot read file"):
        read_verified(tmp_path / "gone.csv", "d/gone.csv", "0" * 64)


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("create schema raw; create schema quality")
    connection.execute("create table raw.t as select 1 as old")
    connection.execute("create table quality.shared (source_file varchar, value integer)")
    connection.execute("insert into quality.shared values ('a.csv', 1), ('b.csv', 2)")
    return connection


def _shared(connection: duckdb.DuckDBPyConnection) -> list[tuple]:
    return connection.execute("select * from quality.shared order by all").fetchall()


def test_a_whole_table_and_one_files_share_of_another_are_replaced(warehouse) -> None:
    replace_in_transaction(warehouse, [
        Replacement("raw.t", pd.DataFrame({"new": [7, 8]})),
        Replacement("quality.shared", pd.DataFrame({"source_file": ["a.csv"], "value": ["10"]}), SHARED,
                    where="source_file = ?", params=("a.csv",)),
        Replacement("fresh.typed", pd.DataFrame({"source_file": ["c.csv"], "value": [3.0]}), SHARED),
    ])
    assert warehouse.execute("select * from raw.t order by all").fetchall() == [(7,), (8,)]
    # Only a.csv's rows were replaced, and the text '10' was cast to the declared INTEGER.
    assert _shared(warehouse) == [("a.csv", 10), ("b.csv", 2)]
    assert warehouse.execute("select * from fresh.typed").fetchall() == [("c.csv", 3)]
    assert warehouse.execute("describe fresh.typed").fetchall()[1][1] == "INTEGER"


def test_a_failing_replacement_leaves_every_table_as_it_was(warehouse) -> None:
    with pytest.raises(duckdb.ConversionException):
        replace_in_transaction(warehouse, [
            Replacement("raw.t", pd.DataFrame({"new": [7]})),
            Replacement("quality.shared", pd.DataFrame({"source_file": ["a.csv"], "value": ["x"]}), SHARED,
                        where="source_file = ?", params=("a.csv",)),
        ])
    assert warehouse.execute("select * from raw.t").fetchall() == [(1,)]
    assert _shared(warehouse) == [("a.csv", 1), ("b.csv", 2)]
    # The incoming frames are not left registered on the connection.
    assert not warehouse.execute("select * from duckdb_views() where view_name like 'incoming_%'").fetchall()
