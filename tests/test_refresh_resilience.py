"""A refresh is safe for the analysts who read the warehouse every day:
readers in other processes never see an error or a half-built table, a
refresh killed with SIGKILL at any point leaves the published file as it was,
a rerun completes, and the same inputs give the same marts."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dagster_project import publish, settings
from tests.refresh_runner import REFRESH_COMMAND, copy_of_refreshed, once_per_session, run_refresh
from tests.warehouse_contents import contents, differences

READERS = 2
READER_SCRIPT = Path(__file__).with_name("reader_loop.py")

# Lines the refresh logs at successive stages; the refresh is killed as soon as
# one appears: while loading raw files, and in the middle of dbt's build (its
# first model written into the build file, the others not yet).
KILL_POINTS = {
    "ingestion": "rows verified, loading",
    "dbt_build": "OK created sql",
}
# The publish step is killed at each of its writes, found by the temporary
# file it is writing (a publish takes seconds, a whole refresh minutes: the
# same proof for the step that touches the published file, at three points
# instead of one). Patterns relative to the published file's folder.
PUBLISH_KILL_POINTS = {
    "publish_copying_the_version": "versions/.klaster-*.duckdb.tmp-{pid}",
    "publish_exporting_parquet": "versions/.klaster-*-parquet.tmp-{pid}",
    "publish_replacing_the_published_file": ".klaster.duckdb.tmp-{pid}",
}
PUBLISH_COMMAND = (
    "import sys; from pathlib import Path; from dagster_project.publish import publish; "
    "publish(Path(sys.argv[1]), Path(sys.argv[2]))"
)



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


def _publish_killed_at(pattern: str, build: Path, published: Path) -> None:
    """Run the publish step in its own process; SIGKILL it the moment the
    temporary file of ``pattern`` appears."""
    process = subprocess.Popen(
        [sys.executable, "-c", PUBLISH_COMMAND, str(build), str(published)],
        cwd=settings.PROJECT_ROOT,
    )
    glob = pattern.format(pid=process.pid)
    while process.poll() is None:
        if any(published.parent.glob(glob)):
            process.kill()
            break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"publish finished before {glob} appeared"


def _kill_and_rerun(refreshed: dict, folder: Path) -> dict:
    """On a copy of the shared refreshed warehouse (other tests read that one):
    kill the publish step at each of its writes and refreshes at each point,
    then rerun the refresh of the same inputs while readers query the published
    marts in a loop (one rerun serves both the recovery and the concurrency proof)."""
    refreshed = copy_of_refreshed(refreshed, folder / "resilience")
    published = refreshed["published"]
    # The first refresh's warehouse, kept aside: the versions folder keeps only
    # the last three, and the killed publishes and the rerun add up to three more.
    first_version = folder / "first" / published.name
    first_version.parent.mkdir()
    shutil.copyfile(publish.versions(published)[-1], first_version)
    kills = {}
    # The publish kills first, while the build file is the complete build a
    # refresh that reached its publish step would hold.
    build = settings.build_warehouse_path(published)
    points = [(point, lambda p=pattern: _publish_killed_at(p, build, published))
              for point, pattern in PUBLISH_KILL_POINTS.items()]
    points += [(point, lambda m=marker: _refresh_killed_at(m, refreshed["env"]))
               for point, marker in KILL_POINTS.items()]
    for point, kill in points:
        before = _sha256(published)
        kill()
        kills[point] = {
            "before": before,
            "after": _sha256(published),
            "newest_version": _sha256(publish.versions(published)[-1]),
        }
        with duckdb.connect(str(published), read_only=True) as connection:
            kills[point]["rows"] = connection.execute(
                "select count(*) from marts.fct_published_indicators"
            ).fetchone()[0]

    work = folder / "readers"
    work.mkdir()
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
    return {"kills": kills, "returncode": result.returncode, "stdout": result.stdout[-3000:],
            "reports": reports, "first_version": str(first_version), "published": str(published)}


@pytest.fixture(scope="session")
def kills_then_rerun_under_readers(refreshed: dict, tmp_path_factory, worker_id: str) -> dict:
    """The chain runs once per session, whichever pytest-xdist worker asks
    first (tests/conftest.py schedules that test first); its record is JSON."""
    assert refreshed["result"].returncode == 0, refreshed["result"].stdout[-3000:]
    return once_per_session(tmp_path_factory, worker_id, "resilience",
                            lambda folder: _kill_and_rerun(refreshed, folder))


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


@pytest.mark.parametrize("point", [*PUBLISH_KILL_POINTS, *KILL_POINTS])
def test_refresh_killed_leaves_the_published_warehouse_intact(
    kills_then_rerun_under_readers: dict, point: str
) -> None:
    outcome = kills_then_rerun_under_readers["kills"][point]
    if point == "publish_replacing_the_published_file":
        # Killed inside the rename step: the rename either happened or not.
        assert outcome["after"] in {outcome["before"], outcome["newest_version"]}
    else:
        assert outcome["after"] == outcome["before"]
    assert outcome["rows"] > 0  # and it still opens and answers


def test_rerun_after_kills_completes(kills_then_rerun_under_readers: dict) -> None:
    chain = kills_then_rerun_under_readers
    assert chain["returncode"] == 0, chain["stdout"]
    folder = Path(chain["published"]).parent
    # What the killed publishes left (half copies, a half export) is cleaned up.
    assert not list(folder.glob(".*.tmp-*")) and not list((folder / publish.VERSIONS_DIR).glob(".*.tmp-*"))


def test_readers_see_no_errors_and_no_half_built_table(kills_then_rerun_under_readers: dict) -> None:
    reports = kills_then_rerun_under_readers["reports"]
    assert [r["errors"] for r in reports] == [[]] * READERS
    assert all(r["queries"] > 0 for r in reports)
    # Same inputs: every answer any reader got, before, during or after the
    # publish, is the one answer of a complete warehouse.
    for name in reports[0]["answers"]:
        seen = {json.dumps(v) for r in reports for v in r["answers"][name]}
        assert len(seen) == 1, (name, seen)


def test_two_refreshes_of_the_same_inputs_give_identical_marts(kills_then_rerun_under_readers: dict) -> None:
    """Equal row for row; floating-point values to 1e-12 relative, because DuckDB
    sums in parallel and the order of additions changes the last bit."""
    first = contents(Path(kills_then_rerun_under_readers["first_version"]))
    second = contents(Path(kills_then_rerun_under_readers["published"]))
    assert "marts.fct_published_indicators" in first
    assert differences(first, second) == []
