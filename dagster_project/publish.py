"""Atomic publication of a validated build, and rollback.

Analysts read ``$KLASTER_WAREHOUSE`` while a refresh writes ``<it>.build``.
Publishing copies the checkpointed build to a temporary file in the same
directory and renames it over the published file: a rename is atomic on
POSIX, so a reader opens either the old or the new warehouse, never a torn
one, and a reader already connected keeps the old file until it disconnects.
The last ``keep`` published versions stay in ``versions/`` for rollback.
Marts are also exported as Parquet for pandas/Polars/R users: each version
gets its own folder and the ``parquet`` link is switched atomically too.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from dagster_project.reports.geo_export import export_oblast_layer, has_oblast_marts

VERSIONS_DIR = "versions"
PARQUET_LINK = "parquet"
EXPORTED_SCHEMAS = ("marts", "quality")


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


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Temporary copies left by a publish that was killed mid-copy."""
    stale = []
    for temporary in folder.glob(".*.tmp-*"):
        pid = temporary.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            if temporary.is_dir():
                shutil.rmtree(temporary)
            else:
                temporary.unlink()
            stale.append(temporary)
    return stale


def export_parquet(database: Path, folder: Path) -> list[Path]:
    """One Parquet file per table of the analyst-facing schemas."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) order by all",
            [list(EXPORTED_SCHEMAS)],
        ).fetchall()
        for schema, table in tables:
            target = folder / f"{schema}.{table}.parquet"
            relation = connection.table(f'"{schema}"."{table}"')
            relation.write_parquet(str(target))
            written.append(target)
    return written


def _switch_link(link: Path, target: Path) -> None:
    temporary = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)


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
    remove_stale_temporaries(published.parent)
    folder = published.parent / VERSIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    version = folder / f"{published.stem}-{stamp}{published.suffix}"
    atomic_copy(build, version)
    parquet = folder / f".{version.stem}-parquet.tmp-{os.getpid()}"
    export_parquet(version, parquet)
    if has_oblast_marts(version):  # Kazakhstan's oblasts for GIS users, beside the Parquet
        export_oblast_layer(version, parquet)
    parquet = parquet.rename(folder / f"{version.stem}-parquet")
    atomic_copy(version, published)
    _switch_link(published.parent / PARQUET_LINK, Path(VERSIONS_DIR) / parquet.name)
    for old in versions(published)[:-keep] if keep > 0 else []:
        _remove_version(old)
    return version


def _remove_version(version: Path) -> None:
    version.unlink()
    shutil.rmtree(version.with_name(f"{version.stem}-parquet"), ignore_errors=True)


def rollback(published: Path) -> Path:
    """Make the previous kept version the published warehouse again."""
    kept = versions(published)
    if len(kept) < 2:
        raise RuntimeError(f"no earlier version to roll back to in {published.parent / VERSIONS_DIR}")
    atomic_copy(kept[-2], published)
    _switch_link(
        published.parent / PARQUET_LINK, Path(VERSIONS_DIR) / f"{kept[-2].stem}-parquet"
    )
    _remove_version(kept[-1])
    return kept[-2]
