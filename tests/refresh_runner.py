"""Running `klaster refresh` as `make run` does, from tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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


def copy_of_refreshed(refreshed: dict, destination: Path) -> dict:
    """The refreshed warehouse (published file, its versions, build file) and
    its Dagster home copied to ``destination``, with the env that points there."""
    source = refreshed["root"]
    # symlinks=True: the parquet link names a version relative to its folder.
    shutil.copytree(source / "warehouse", destination / "warehouse", symlinks=True)
    shutil.copytree(source / "dagster_home", destination / "dagster_home")
    published = destination / "warehouse" / refreshed["published"].name
    env = {settings.WAREHOUSE_ENV_VAR: str(published), "DAGSTER_HOME": str(destination / "dagster_home")}
    return {"root": destination, "published": published, "env": env, "result": refreshed["result"]}
