"""A refresh is safe for the analysts who read the warehouse every day:
readers in other processes never see an error or a half-built table, a
refresh killed with SIGKILL at any point leaves the published file as it was,
a rerun completes, and the same inputs give the same marts."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dagster_project import publish, settings
from tests.refresh_runner import REFRESH_COMMAND, run_refresh

READERS = 4
READER_SCRIPT = Path(__file__).with_name("reader_loop.py")

# Lines the refresh logs at successive stages; the refresh is killed as soon as
# one appears: while loading raw files, while dbt builds, at the publish step.
KILL_POINTS = {
    "ingestion": "rows verified, loading",
    "dbt_build": "Running dbt command",
    "publish": "publishing: checkpoint",
}



def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mart_contents(database: Path) -> dict[str, list]:
    contents = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('marts', 'quality') order by all"
        ).fetchall()
        for schema, table in tables:
            # Timestamps (loaded_at, checked_at, rejected_at) record when a step
            # ran, not what it computed; the warehouse's own data has years, not times.
            columns = [
                c for (c,) in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? "
                    "and data_type not like 'TIMESTAMP%' order by ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            contents[f"{schema}.{table}"] = connection.execute(
                f'select {select} from "{schema}"."{table}" order by all'
            ).fetchall()
    return contents


@pytest.fixture(scope="module")
def second_refresh_under_readers(refreshed: dict, tmp_path_factory) -> dict:
    """Readers query the published marts in a loop while a second refresh of the
    same inputs runs and publishes."""
    assert refreshed["result"].returncode == 0, refreshed["result"].stdout[-3000:]
    work = tmp_path_factory.mktemp("readers")
    stop = work / "stop"
    first_version = publish.versions(refreshed["published"])[-1]
    readers = [
        subprocess.Popen(
            [sys.executable, str(READER_SCRIPT), str(refreshed["published"]), str(stop),
             str(work / f"reader{i}.json")],
            cwd=settings.PROJECT_ROOT,
        )
        for i in range(READERS)
    ]
    try:
        result = run_refresh(refreshed["env"])
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=120)
    reports = [json.loads((work / f"reader{i}.json").read_text()) for i in range(READERS)]
    return {"result": result, "reports": reports, "first_version": first_version}


def test_readers_see_no_errors_and_no_half_built_table(second_refresh_under_readers: dict) -> None:
    assert second_refresh_under_readers["result"].returncode == 0
    reports = second_refresh_under_readers["reports"]
    assert [r["errors"] for r in reports] == [[]] * READERS
    assert all(r["queries"] > 0 for r in reports)
    # Same inputs: every answer any reader got, before, during or after the
    # publish, is the one answer of a complete warehouse.
    for name in reports[0]["answers"]:
        seen = {json.dumps(v) for r in reports for v in r["answers"][name]}
        assert len(seen) == 1, (name, seen)


def test_two_refreshes_of_the_same_inputs_give_identical_marts(
    refreshed: dict, second_refresh_under_readers: dict
) -> None:
    first = _mart_contents(second_refresh_under_readers["first_version"])
    second = _mart_contents(refreshed["published"])
    assert first.keys() == second.keys()
    assert "marts.fct_published_indicators" in first
    for table in first:
        assert first[table] == second[table], table


def _refresh_killed_at(marker: str, env: dict[str, str]) -> str:
    """Start a refresh, SIGKILL its whole process group when ``marker`` is logged."""
    process = subprocess.Popen(
        REFRESH_COMMAND,
        cwd=settings.PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=120)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL, f"{marker!r} never logged:\n{''.join(seen[-20:])}"
    return "".join(seen)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_refresh_killed_leaves_the_published_warehouse_intact(
    refreshed: dict, second_refresh_under_readers: dict, point: str
) -> None:
    published = refreshed["published"]
    before = _sha256(published)
    _refresh_killed_at(KILL_POINTS[point], refreshed["env"])
    after = _sha256(published)
    newest = publish.versions(published)[-1]
    if point == "publish":
        # Killed inside the publish step: the rename either happened or not.
        assert after in {before, _sha256(newest)}
    else:
        assert after == before
    with duckdb.connect(str(published), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.fct_published_indicators").fetchone()[0] > 0


def test_rerun_after_kills_completes(refreshed: dict) -> None:
    result = run_refresh(refreshed["env"])
    assert result.returncode == 0, result.stdout[-3000:]
    assert not list(refreshed["published"].parent.glob(".*.tmp-*"))
