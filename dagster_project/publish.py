"""Atomic publication of a validated build, and rollback.

Analysts read ``$KLASTER_WAREHOUSE`` while a refresh writes ``<it>.build``.
Publishing copies the checkpointed build to a temporary file in the same
directory and renames it over the published file: a rename is atomic on
POSIX, so a reader opens either the old or the new warehouse, never a torn
one, and a reader already connected keeps the old file until it disconnects.
The last ``keep`` published versions stay in ``versions/`` for rollback.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb

VERSIONS_DIR = "versions"


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def checkpoint(database: Path) -> None:
    """Fold the write-ahead log into the file so a byte copy is complete."""
    with duckdb.connect(str(database)) as connection:
        connection.execute("checkpoint")


def atomic_copy(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        shutil.copyfile(source, temporary)
        _fsync_file(temporary)
        os.replace(temporary, target)
        _fsync_dir(target.parent)
    finally:
        temporary.unlink(missing_ok=True)


def versions(published: Path) -> list[Path]:
    """Kept versions, oldest first."""
    folder = published.parent / VERSIONS_DIR
    return sorted(folder.glob(f"{published.stem}-*{published.suffix}"))


def publish(build: Path, published: Path, keep: int = 3) -> Path:
    """Promote ``build`` to ``published``; return the path of the kept version."""
    if not build.exists():
        raise FileNotFoundError(f"no build warehouse at {build}: run the refresh first")
    checkpoint(build)
    folder = published.parent / VERSIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = folder / f"{published.stem}-{stamp}{published.suffix}"
    atomic_copy(build, version)
    atomic_copy(version, published)
    for old in versions(published)[:-keep] if keep > 0 else []:
        old.unlink()
    return version


def rollback(published: Path) -> Path:
    """Make the previous kept version the published warehouse again."""
    kept = versions(published)
    if len(kept) < 2:
        raise RuntimeError(f"no earlier version to roll back to in {published.parent / VERSIONS_DIR}")
    atomic_copy(kept[-2], published)
    kept[-1].unlink()
    return kept[-2]
