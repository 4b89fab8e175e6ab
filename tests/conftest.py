"""Shared fixtures: every test that touches a warehouse gets its own, in a
temporary directory, through the one setting the project reads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dagster_project import settings
from tests.refresh_runner import run_refresh


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
    # and only when a dbt file changed since the last parse.
    if not _manifest_is_current():
        _dbt_parse()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test that needs the shared refreshed warehouse costs a whole refresh the
    # first time: it is slow by definition, so `make test-fast` (-m "not slow")
    # leaves it out without every such test having to say so.
    for item in items:
        if "refreshed" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(scope="session")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One full refresh into a temporary warehouse, shared by the end-to-end
    and resilience tests (a refresh takes tens of seconds)."""
    root = tmp_path_factory.mktemp("refreshed")
    published = root / "warehouse" / "klaster.duckdb"
    (root / "dagster_home").mkdir()
    env = {settings.WAREHOUSE_ENV_VAR: str(published), "DAGSTER_HOME": str(root / "dagster_home")}
    # dbt's partial parsing is keyed on the profile, which names the warehouse
    # file: parsed under this warehouse, every refresh of it (this one, the
    # killed and rerun ones) skips a full parse per dbt step, as `make run` does.
    _dbt_parse(env)
    return {"root": root, "published": published, "env": env, "result": run_refresh(env)}
