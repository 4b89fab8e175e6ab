"""Running `klaster refresh` as `make run` does, from tests."""

from __future__ import annotations

import os
import subprocess
import sys

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
