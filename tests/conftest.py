"""Shared fixtures: every test that touches a warehouse gets its own, in a
temporary directory, through the settings the project reads (KLASTER_WAREHOUSE,
DAGSTER_HOME); tests that read a refreshed warehouse share one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from dagster_project import settings
from tests.refresh_runner import REFRESH_COMMAND, run_refresh

# Files whose tests pytest-xdist should hand out before all others.
SCHEDULED_FIRST = ("test_refresh_resilience.py",)


def _dbt_parse(env: dict[str, str] | None = None) -> None:
    """`dbt parse` as `make manifest` runs it, optionally under another warehouse."""
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run(
        [str(dbt), "parse", "--profiles-dir", ".", "--target", "build", "--quiet", "--no-partial-parse"],
        cwd=settings.DBT_PROJECT_DIR,
        env={**os.environ, **(env or {})},
        check=True,
    )


def _manifest_is_current() -> bool:
    """dbt's manifest is newer than every file dbt parses (models, macros,
    tests, project and profile): parsing again would give the same manifest."""
    manifest = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    sources = [settings.DBT_PROJECT_DIR / n for n in ("dbt_project.yml", "profiles.yml")]
    for folder in ("models", "macros", "tests"):
        sources += [p for p in (settings.DBT_PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return all(p.stat().st_mtime < built for p in sources)


def pytest_configure(config: pytest.Config) -> None:
    # Dagster loads dbt models from dbt's manifest; build it once per session
    # (the Makefile does the same before `make run`), never at import time,
    # and only when a dbt file changed since the last parse. Under pytest-xdist
    # only the controller parses: workers would race on the same files.
    if not hasattr(config, "workerinput") and not _manifest_is_current():
        _dbt_parse()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test that needs the shared refreshed warehouse costs a whole refresh the
    # first time: it is slow by definition, so `make test-fast` (-m "not slow")
    # leaves it out without every such test having to say so.
    for item in items:
        if "refreshed" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
    # The longest chain of the suite (the resilience proof: killed refreshes,
    # then a rerun under readers) goes first: with `--dist loadfile` (make test)
    # its worker starts on it (the shared refresh, then the kills) while the
    # other worker takes the files that need no refresh, then those that do.
    items.sort(key=lambda item: (
        item.path.name not in SCHEDULED_FIRST,
        "refreshed" in getattr(item, "fixturenames", ()),
    ))


@pytest.fixture
def warehouse_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point KLASTER_WAREHOUSE (and Dagster's home) at a temporary directory;
    return the published warehouse path."""
    published = tmp_path / "warehouse" / "klaster.duckdb"
    published.parent.mkdir(parents=True)
    monkeypatch.setenv(settings.WAREHOUSE_ENV_VAR, str(published))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    return published


def _refresh_once(root: Path) -> dict:
    """One full refresh into ``root``: what every test of the refreshed
    warehouse reads, written down as JSON so other workers can read it too."""
    published = root / "warehouse" / "klaster.duckdb"
    (root / "dagster_home").mkdir(parents=True)
    env = {settings.WAREHOUSE_ENV_VAR: str(published), "DAGSTER_HOME": str(root / "dagster_home")}
    # dbt's partial parsing is keyed on the profile, which names the warehouse
    # file: parsed under this warehouse, the refresh skips a full parse per dbt step.
    _dbt_parse(env)
    result = run_refresh(env)
    return {"root": str(root), "published": str(published), "env": env,
            "returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict:
    """One full refresh into a temporary warehouse, shared by every test that
    reads a refreshed warehouse, across pytest-xdist workers: the first worker
    to need it refreshes under a file lock, the others wait and read its record.

    Shared means read-only: a test that refreshes again, kills a refresh or
    writes a table works on its own copy (``tests.refresh_runner.copy_of_refreshed``)."""
    if worker_id == "master":
        record = _refresh_once(tmp_path_factory.mktemp("refreshed"))
    else:
        shared = tmp_path_factory.getbasetemp().parent  # one folder per session, common to the workers
        done = shared / "refreshed.json"
        with FileLock(str(shared / "refreshed.lock")):
            if not done.exists():
                done.write_text(json.dumps(_refresh_once(shared / "refreshed")), encoding="utf-8")
        record = json.loads(done.read_text(encoding="utf-8"))
    return {
        "root": Path(record["root"]),
        "published": Path(record["published"]),
        "env": record["env"],
        "result": subprocess.CompletedProcess(
            REFRESH_COMMAND, record["returncode"], record["stdout"], record["stderr"]
        ),
    }
