"""Running `klaster refresh` as `make run` does, from tests, and sharing what
one run produced with every pytest-xdist worker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

from dagster_project import settings

REFRESH_COMMAND = [sys.executable, "-m", "dagster_project.cli", "refresh"]


def run_refresh(env_overrides: dict[str, str], **popen) -> subprocess.CompletedProcess:
    """`klaster refresh` exactly as `make run` starts it, in a subprocess."""
    return subprocess.run(
        REFRESH_COMMAND,
        check=False,  # a failed refresh is what several tests inspect
        cwd=settings.PROJECT_ROOT,
        env={**os.environ, **env_overrides},
        capture_output=True,
        text=True,
        timeout=1200,
        **popen,
    )


def refresh_env(root: Path) -> tuple[Path, dict[str, str]]:
    """The published warehouse of a refresh rooted at ``root`` (``warehouse/``
    and ``dagster_home/`` below it), and the settings that point a refresh there."""
    published = root / "warehouse" / "klaster.duckdb"
    return published, {settings.WAREHOUSE_ENV_VAR: str(published), "DAGSTER_HOME": str(root / "dagster_home")}


def copy_of_refreshed(refreshed: dict, destination: Path) -> dict:
    """The refreshed warehouse (published file, its versions, build file) and
    its Dagster home copied to ``destination``, with the env that points there."""
    source = refreshed["root"]
    # symlinks=True: the parquet link names a version relative to its folder.
    shutil.copytree(source / "warehouse", destination / "warehouse", symlinks=True)
    shutil.copytree(source / "dagster_home", destination / "dagster_home")
    published, env = refresh_env(destination)
    return {"root": destination, "published": published, "env": env, "result": refreshed["result"]}


def once_per_session(tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str,
                     produce: Callable[[Path], dict]) -> dict:
    """``produce(folder)`` run once per test session, also across pytest-xdist
    workers: the first worker to ask runs it under a file lock and writes its
    JSON record; the others wait for it and read the record. A ``produce``
    that raised is recorded too, so the other workers fail with its message
    instead of running it again (the resilience chain takes minutes)."""
    if worker_id == "master":
        return produce(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent  # one folder per session, common to the workers
    done = shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            try:
                record = produce(shared / name)
            except Exception as exc:
                done.write_text(json.dumps({"failed": f"{type(exc).__name__}: {exc}"}), encoding="utf-8")
                raise
            done.write_text(json.dumps(record), encoding="utf-8")
    record = json.loads(done.read_text(encoding="utf-8"))
    if "failed" in record:
        pytest.fail(f"{name} failed on another worker: {record['failed']}")
    return record
