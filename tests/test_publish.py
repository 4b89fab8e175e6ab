"""Atomic publication and rollback of the warehouse file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dagster_project import publish


def _build(path: Path, marker: str) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create or replace table marker as select ? as version", [marker])


def _version(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select version from marker").fetchone()[0]


def test_publish_copies_the_build_and_keeps_versions(tmp_path: Path) -> None:
    published = tmp_path / "klaster.duckdb"
    build = tmp_path / "klaster.duckdb.build"
    for marker in ("v1", "v2", "v3", "v4"):
        _build(build, marker)
        publish.publish(build, published, keep=3)
        assert _version(published) == marker
    kept = publish.versions(published)
    assert [_version(p) for p in kept] == ["v2", "v3", "v4"]
    assert not list(tmp_path.glob(".*.tmp-*")), "temporary copies must not be left behind"


def test_rollback_restores_the_previous_version(tmp_path: Path) -> None:
    published = tmp_path / "klaster.duckdb"
    build = tmp_path / "klaster.duckdb.build"
    for marker in ("v1", "v2"):
        _build(build, marker)
        publish.publish(build, published)
    publish.rollback(published)
    assert _version(published) == "v1"
    with pytest.raises(RuntimeError, match="no earlier version"):
        publish.rollback(published)


def test_reader_connected_during_publish_keeps_a_consistent_view(tmp_path: Path) -> None:
    published = tmp_path / "klaster.duckdb"
    build = tmp_path / "klaster.duckdb.build"
    _build(build, "v1")
    publish.publish(build, published)
    with duckdb.connect(str(published), read_only=True) as reader:
        _build(build, "v2")
        publish.publish(build, published)
        # The open connection still reads the file it opened (renamed away, not rewritten).
        assert reader.execute("select version from marker").fetchone()[0] == "v1"
    assert _version(published) == "v2"


def test_publish_without_a_build_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no build warehouse"):
        publish.publish(tmp_path / "missing.build", tmp_path / "klaster.duckdb")


def test_parquet_export_follows_the_published_version(tmp_path: Path) -> None:
    published = tmp_path / "klaster.duckdb"
    build = tmp_path / "klaster.duckdb.build"
    for marker in ("v1", "v2"):
        with duckdb.connect(str(build)) as connection:
            connection.execute("create schema if not exists marts")
            connection.execute("create or replace table marts.fct_x as select ? as version", [marker])
        publish.publish(build, published)
        exported = tmp_path / publish.PARQUET_LINK / "marts.fct_x.parquet"
        assert duckdb.sql(f"select version from '{exported}'").fetchone()[0] == marker
    publish.rollback(published)
    exported = tmp_path / publish.PARQUET_LINK / "marts.fct_x.parquet"
    assert duckdb.sql(f"select version from '{exported}'").fetchone()[0] == "v1"


def test_temporaries_of_a_killed_publish_are_cleaned(tmp_path: Path) -> None:
    published = tmp_path / "klaster.duckdb"
    build = tmp_path / "klaster.duckdb.build"
    _build(build, "v1")
    dead_pid = 2**22 + 17  # above the default pid_max: no such process
    leftover = tmp_path / f".klaster.duckdb.tmp-{dead_pid}"
    leftover.write_bytes(b"half a copy")
    publish.publish(build, published)
    assert not leftover.exists()
    assert _version(published) == "v1"
