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
from tests.warehouse_contents import contents, differences

READERS = 4
READER_SCRIPT = Path(__file__).with_name("reader_loop.py")

# Lines the refresh logs at successive stages; the refresh is killed as soon as
# one appears: while loading raw files, while dbt builds, between the dbt
# steps (upstream models built, yearly facts not yet), at the publish step.
KILL_POINTS = {
    "ingestion": "rows verified, loading",
    "dbt_build": "Running dbt command",
    "between_dbt_steps": "building yearly facts for",
    "publish": "publishing: checkpoint",
}



def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


@pytest.fixture(scope="module")
def kills_then_rerun_under_readers(refreshed: dict, tmp_path_factory) -> dict:
    """Kill refreshes at each point, then rerun the refresh of the same inputs
    while readers query the published marts in a loop (a refresh takes tens of
    seconds, so one rerun serves both the recovery and the concurrency proof)."""
    assert refreshed["result"].returncode == 0, refreshed["result"].stdout[-3000:]
    published = refreshed["published"]
    first_version = publish.versions(published)[-1]
    kills = {}
    for point, marker in KILL_POINTS.items():
        before = _sha256(published)
        _refresh_killed_at(marker, refreshed["env"])
        kills[point] = {
            "before": before,
            "after": _sha256(published),
            "newest_version": _sha256(publish.versions(published)[-1]),
        }
        with duckdb.connect(str(published), read_only=True) as connection:
            kills[point]["rows"] = connection.execute(
                "select count(*) from marts.fct_published_indicators"
            ).fetchone()[0]

    work = tmp_path_factory.mktemp("readers")
    stop = work / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, str(READER_SCRIPT), str(published), str(stop),
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
    _keep_summary(kills, reports)
    return {"kills": kills, "result": result, "reports": reports, "first_version": first_version}


def _keep_summary(kills: dict, reports: list[dict]) -> None:
    """The numbers of this proof, for the closing note, in $KLASTER_TEST_ARTIFACTS."""
    artifacts = os.environ.get("KLASTER_TEST_ARTIFACTS")
    if not artifacts:
        return
    summary = {
        "kill_points": {point: outcome["after"] == outcome["before"] for point, outcome in kills.items()},
        "readers": len(reports),
        "queries_per_reader": [r["queries"] for r in reports],
        "errors": sum(len(r["errors"]) for r in reports),
    }
    Path(artifacts).mkdir(parents=True, exist_ok=True)
    (Path(artifacts) / "refresh_resilience.json").write_text(json.dumps(summary, indent=2))


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_refresh_killed_leaves_the_published_warehouse_intact(
    kills_then_rerun_under_readers: dict, point: str
) -> None:
    outcome = kills_then_rerun_under_readers["kills"][point]
    if point == "publish":
        # Killed inside the publish step: the rename either happened or not.
        assert outcome["after"] in {outcome["before"], outcome["newest_version"]}
    else:
        assert outcome["after"] == outcome["before"]
    assert outcome["rows"] > 0  # and it still opens and answers


def test_rerun_after_kills_completes(kills_then_rerun_under_readers: dict, refreshed: dict) -> None:
    result = kills_then_rerun_under_readers["result"]
    assert result.returncode == 0, result.stdout[-3000:]
    assert not list(refreshed["published"].parent.glob(".*.tmp-*"))


def test_readers_see_no_errors_and_no_half_built_table(kills_then_rerun_under_readers: dict) -> None:
    reports = kills_then_rerun_under_readers["reports"]
    assert [r["errors"] for r in reports] == [[]] * READERS
    assert all(r["queries"] > 0 for r in reports)
    # Same inputs: every answer any reader got, before, during or after the
    # publish, is the one answer of a complete warehouse.
    for name in reports[0]["answers"]:
        seen = {json.dumps(v) for r in reports for v in r["answers"][name]}
        assert len(seen) == 1, (name, seen)


def test_two_refreshes_of_the_same_inputs_give_identical_marts(
    refreshed: dict, kills_then_rerun_under_readers: dict
) -> None:
    """Equal row for row; floating-point values to 1e-12 relative, because DuckDB
    sums in parallel and the order of additions changes the last bit."""
    first = contents(kills_then_rerun_under_readers["first_version"])
    second = contents(refreshed["published"])
    assert "marts.fct_published_indicators" in first
    assert differences(first, second) == []
