"""dbt's saved parse, kept per warehouse, so each dbt step of a refresh parses
only what changed.

dbt throws its saved parse (``partial_parse.msgpack``) away and parses the
whole project again (6-7 s here, against 1.5 s for a partial parse) whenever
the connection settings of the profile differ from those it was saved with.
The DuckDB profile's ``path`` is the warehouse (``KLASTER_WAREHOUSE``), so
every refresh into a warehouse other than the one ``make manifest`` parsed for
(the tests' temporary warehouses, an analyst's own ``KLASTER_WAREHOUSE`` when
`klaster refresh` is typed without make) paid three full parses, one per dbt
step, and wrote the parse it made into a folder nothing read again.

Here each dbt step starts from the last parse saved for its warehouse, and its
own parse is saved for the next step. dbt still compares the saved state with
the project's files, variables and profile and re-parses what differs, so a
stale or foreign file costs time, never correctness. Without a saved parse for
the warehouse the step falls back to dagster-dbt's own behaviour: the parse of
``make manifest`` in ``dbt/target/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

from dagster_project import settings

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
# Warehouses whose parse is kept (most recently used first); each file is
# about 3.4 MB.
KEPT_WAREHOUSES = 8


def cache_dir() -> Path:
    return invocations_dir() / "partial_parse_by_warehouse"


def invocations_dir() -> Path:
    """Where dagster-dbt puts each invocation's target folder: ``$DBT_TARGET_PATH``
    or ``target``, relative to the dbt project."""
    return settings.DBT_PROJECT_DIR / os.environ.get("DBT_TARGET_PATH", "target")


def invocation_target(step: str, run_id: str) -> Path:
    """A new target folder for one dbt invocation, named as dagster-dbt names it
    (``<step>-<run id[:7]>-<random>``; the benchmark finds its dbt.log by that)."""
    return invocations_dir() / f"{step}-{run_id[:7]}-{uuid.uuid4().hex[:7]}"


def saved_parse(warehouse: Path) -> Path:
    key = hashlib.sha256(str(Path(warehouse).resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"{key}.msgpack"


def start_from_saved_parse(target: Path, warehouse: Path) -> bool:
    """Put the warehouse's saved parse into ``target`` before dbt starts there.
    Returns whether there was one."""
    saved = saved_parse(warehouse)
    target.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(saved, target / PARTIAL_PARSE_FILE)
    except FileNotFoundError:
        return False
    return True


def save_parse(target: Path, warehouse: Path) -> None:
    """Keep the parse dbt left in ``target`` (a folder of ``invocation_target``)
    as the warehouse's, replacing the previous one atomically (refreshes of other warehouses may run at the same
    time), and drop the warehouses used least recently beyond ``KEPT_WAREHOUSES``."""
    written = target / PARTIAL_PARSE_FILE
    if not written.exists():
        return
    saved = saved_parse(warehouse)
    saved.parent.mkdir(parents=True, exist_ok=True)
    # A rename, atomic: the invocation folders and the saved parses share
    # invocations_dir(), so one file system; the invocation's own copy is not
    # read again (3.4 MB per dbt step).
    os.replace(written, saved)
    _forget_least_recent(saved.parent)


def _forget_least_recent(folder: Path) -> None:
    def last_used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    for stale in sorted(folder.glob("*.msgpack"), key=last_used, reverse=True)[KEPT_WAREHOUSES:]:
        stale.unlink(missing_ok=True)
