"""Shared fixtures: every test that touches a warehouse gets its own, in a
temporary directory, through the settings the project reads (KLASTER_WAREHOUSE,
DAGSTER_HOME); tests that read a refreshed warehouse share one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project import settings
from tests.refresh_runner import REFRESH_COMMAND, once_per_session, refresh_env, run_refresh

# Files whose tests pytest-xdist should hand out before all others.
SCHEDULED_FIRST = ("test_refresh_resilience.py",)


def _dbt_parse() -> None:
    """`dbt parse` as `make manifest` runs it."""
    dbt = Path(sys.executable).parent / "dbt"
    subprocess.run(
        [str(dbt), "parse", "--profiles-dir", ".", "--target", "build", "--quiet", "--no-partial-parse"],
        cwd=settings.DBT_PROJECT_DIR,
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
    # The longest chain of the suite (the resilience proof: the shared refresh,
    # killed refreshes, a rerun under readers) starts first. `make test` runs
    # pytest-xdist with --dist worksteal: each worker gets one half of this
    # order and an idle worker takes the tail of the other's queue. So the
    # first half opens with the test that runs the chain, then the tests that
    # only read its record and those that read the refreshed warehouse (taken
    # last, when both exist); the other half and both tails are tests that
    # need no refresh, which the second worker runs meanwhile.
    chain = [item for item in items if item.path.name in SCHEDULED_FIRST]
    def rank(item: pytest.Item) -> int:
        if chain and item is chain[0]:
            return 0
        if item in chain:
            return 1
        return 2 if "refreshed" in getattr(item, "fixturenames", ()) else 3
    items.sort(key=rank)


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
    published, env = refresh_env(root)
    (root / "dagster_home").mkdir(parents=True, exist_ok=True)
    result = run_refresh(env)
    return {"root": str(root), "published": str(published), "env": env,
            "returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> dict:
    """One full refresh into a temporary warehouse, shared by every test that
    reads a refreshed warehouse, across pytest-xdist workers.

    Shared means read-only: a test that refreshes again, kills a refresh or
    writes a table works on its own copy (``tests.refresh_runner.copy_of_refreshed``)."""
    record = once_per_session(tmp_path_factory, worker_id, "refreshed", _refresh_once)
    return {
        "root": Path(record["root"]),
        "published": Path(record["published"]),
        "env": record["env"],
        "result": subprocess.CompletedProcess(
            REFRESH_COMMAND, record["returncode"], record["stdout"], record["stderr"]
        ),
    }
