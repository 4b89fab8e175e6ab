"""How the refresh starts dbt: from the warehouse's saved parse
(``partial_parse.py``), through ``klaster-dbt`` (``dbt_process.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster_dbt.compat import DBT_PYTHON_VERSION

from dagster_project import settings
from dagster_project.defs.transform import partial_parse
from dagster_project.defs.transform.dbt_resource import dbt_resource


@pytest.fixture
def dbt_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in dbt project folder: only where dbt's target folders go."""
    monkeypatch.setattr(settings, "DBT_PROJECT_DIR", tmp_path / "dbt")
    monkeypatch.delenv("DBT_TARGET_PATH", raising=False)
    return tmp_path / "dbt"


def _dbt_writes_its_parse(target: Path, content: bytes) -> None:
    (target / partial_parse.PARTIAL_PARSE_FILE).write_bytes(content)


def test_a_step_starts_from_the_parse_the_last_step_saved_for_its_warehouse(dbt_project: Path) -> None:
    warehouse = dbt_project.parent / "a" / "klaster.duckdb.build"
    first = partial_parse.invocation_target("klaster_dbt_models", "d5fc1991-c30a")
    assert first.parent == dbt_project / "target"
    assert first.name.startswith("klaster_dbt_models-d5fc199-")
    # Nothing saved yet: the step is left to dagster-dbt's copy of make manifest's parse.
    assert partial_parse.start_from_saved_parse(first, warehouse) is False
    assert not (first / partial_parse.PARTIAL_PARSE_FILE).exists()
    _dbt_writes_its_parse(first, b"parse of warehouse a")
    partial_parse.save_parse(first, warehouse)
    # The invocation's own copy is gone, and nothing half-written is left.
    assert not (first / partial_parse.PARTIAL_PARSE_FILE).exists()
    assert [p.suffix for p in partial_parse.cache_dir().iterdir()] == [".msgpack"]

    second = partial_parse.invocation_target("klaster_yearly_dbt_models", "d5fc1991-c30a")
    assert second != first
    assert partial_parse.start_from_saved_parse(second, warehouse) is True
    assert (second / partial_parse.PARTIAL_PARSE_FILE).read_bytes() == b"parse of warehouse a"


def test_each_warehouse_has_its_own_saved_parse(dbt_project: Path) -> None:
    """dbt re-parses everything when the profile's warehouse path differs from
    the saved one: a parse saved for one warehouse is never offered to another."""
    a, b = (dbt_project.parent / name / "klaster.duckdb.build" for name in ("a", "b"))
    assert partial_parse.saved_parse(a) != partial_parse.saved_parse(b)
    # The same file named two ways is one warehouse.
    assert partial_parse.saved_parse(a) == partial_parse.saved_parse(a.parent / "." / a.name)
    target = partial_parse.invocation_target("step", "run0000")
    target.mkdir(parents=True)
    _dbt_writes_its_parse(target, b"parse of a")
    partial_parse.save_parse(target, a)
    other = partial_parse.invocation_target("step", "run0000")
    assert partial_parse.start_from_saved_parse(other, b) is False


def test_a_step_whose_dbt_wrote_no_parse_saves_nothing(dbt_project: Path) -> None:
    target = partial_parse.invocation_target("step", "run0000")
    target.mkdir(parents=True)
    partial_parse.save_parse(target, dbt_project / "w.duckdb.build")
    assert not partial_parse.cache_dir().exists()


def test_only_the_most_recently_used_warehouses_keep_their_parse(dbt_project: Path) -> None:
    warehouses = [dbt_project.parent / f"w{i}" / "klaster.duckdb.build"
                  for i in range(partial_parse.KEPT_WAREHOUSES + 2)]
    for age, warehouse in enumerate(warehouses):
        target = partial_parse.invocation_target("step", "run0000")
        target.mkdir(parents=True)
        _dbt_writes_its_parse(target, warehouse.parent.name.encode())
        partial_parse.save_parse(target, warehouse)
        # Distinct use times, oldest first, whatever the file system's clock resolution.
        os.utime(partial_parse.saved_parse(warehouse), (1_000_000 + age, 1_000_000 + age))
    kept = {p.name for p in partial_parse.cache_dir().glob("*.msgpack")}
    assert len(kept) == partial_parse.KEPT_WAREHOUSES
    assert partial_parse.saved_parse(warehouses[0]).name not in kept
    assert partial_parse.saved_parse(warehouses[-1]).name in kept


def test_the_refresh_runs_dbt_through_klaster_dbt_with_dbt_s_own_exit_codes() -> None:
    """klaster-dbt is dbt's command line (it only skips the final garbage
    collections): its output and exit status are dbt's, success or usage error."""
    klaster_dbt = Path(dbt_resource.dbt_executable)
    assert klaster_dbt == Path(sys.executable).parent / "klaster-dbt"
    assert klaster_dbt.exists(), "klaster-dbt is missing: run `make install`"
    version = subprocess.run([str(klaster_dbt), "--version"], capture_output=True, text=True, timeout=120)
    assert version.returncode == 0
    assert f"installed: {DBT_PYTHON_VERSION}" in version.stdout
    usage = subprocess.run([str(klaster_dbt), "no-such-command"], capture_output=True, text=True, timeout=120)
    assert usage.returncode == 2  # click's usage error, as dbt reports it
    assert "No such command 'no-such-command'" in usage.stderr
