"""Where a refresh records its run: Dagster's SQLite event log, with its
connections kept open.

Dagster's default ``SqliteEventLogStorage`` creates an engine, opens a SQLite
connection, commits and closes it again for every event it stores (twice for
an asset event, which is mirrored into the cross-run index). Closing the last
connection of a WAL database checkpoints it and fsyncs the file. A refresh
stores about 3,500 events (one planned and one evaluated event per asset
check, one per materialisation, per step...): profiled with py-spy, the
storage took 46 s of a 215 s refresh, 30 s of it opening and closing
connections.

``PooledSqliteEventLogStorage`` is the same storage (same files, schema and
queries: the Dagster UI and any other Dagster process read them as usual)
with one open connection per database file, and ``synchronous=NORMAL``, which
in WAL mode keeps the database consistent after a crash or a kill and skips
the fsync at each commit (a power cut may lose the last events of the run
history; the published warehouse has its own fsyncs, see ``publish.py``).

Dagster's UI follows a running run by watching its ``<run_id>.db`` file, which
a WAL database only changes when it is checkpointed; a run's database is
therefore checkpointed at most once a second (``CHECKPOINT_EVERY_S``), so the
UI still follows a refresh started from the command line, and at the end.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import yaml
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import create_db_conn_string
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool, QueuePool

# As Dagster's own storage waits for a lock held by another process (e.g. the UI).
BUSY_TIMEOUT_S = 30
CHECKPOINT_EVERY_S = 1.0


def _without_fsync_per_commit(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's per-run SQLite event log with one open connection per shard."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: dict[str, Engine] = {}
        self._engines_pid = os.getpid()
        self._checkpointed_at: dict[str, float] = {}
        self._tables_present: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        if self._engines_pid != os.getpid():
            # A forked child must not use its parent's SQLite connections:
            # forget them (closing them would disturb the parent) and open its own.
            self._engines, self._engines_pid = {}, os.getpid()
        engine = self._engines.get(shard)
        if engine is None:
            url = create_db_conn_string(self._base_dir, shard)
            if shard not in self._initialized_dbs:
                # Dagster's own creation of the database (schema, WAL mode, alembic
                # stamp), on a throw-away engine: it needs two connections at once.
                once = create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_S})
                self._initdb(once)
                once.dispose()
                self._initialized_dbs.add(shard)
            engine = create_engine(
                url,
                # One connection, reused; Dagster's own lock (_db_lock) serialises
                # the threads of this process that use it.
                poolclass=QueuePool, pool_size=1, max_overflow=0,
                connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            )
            # On every connection the pool opens (it reopens one after an error).
            event.listen(engine, "connect", _without_fsync_per_commit)
            self._engines[shard] = engine
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator:
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as connection:
                with connection.begin():
                    yield connection
                if shard != INDEX_SHARD_NAME:
                    self._checkpoint_now_and_then(shard, connection)

    def _checkpoint_now_and_then(self, shard: str, connection) -> None:
        """Write the run's WAL into its .db file at most once a second: that file
        changing is how a watching Dagster UI learns of new events."""
        now = time.monotonic()
        if now - self._checkpointed_at.get(shard, 0.0) >= CHECKPOINT_EVERY_S:
            connection.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))
            self._checkpointed_at[shard] = now

    def has_table(self, table_name: str) -> bool:
        # Dagster asks before every asset-check and tagged event, each time on a
        # new engine (1.5 s a refresh); a table, once there, stays.
        if table_name not in self._tables_present:
            if not super().has_table(table_name):
                return False
            self._tables_present.add(table_name)
        return True

    def dispose(self) -> None:
        # Closing the connections checkpoints every database a last time.
        if self._engines_pid == os.getpid():
            for engine in self._engines.values():
                engine.dispose()
        self._engines = {}
        super().dispose()


def instance(home: Path) -> dg.DagsterInstance:
    """The Dagster instance in ``home`` (its dagster.yaml, if any, applies), with
    the pooled event log in Dagster's default place for it, ``history/runs``.
    A dagster.yaml that chooses its own storage (Postgres, say) is left to it."""
    config = home / "dagster.yaml"
    if config.exists() and {"storage", "event_log_storage"} & set(yaml.safe_load(config.read_text()) or {}):
        return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))
    base_dir = str(home / "history" / "runs")
    ref = InstanceRef.from_dir(str(home), overrides={"event_log_storage": {
        "module": __name__, "class": PooledSqliteEventLogStorage.__name__,
        "config": {"base_dir": base_dir},
    }})
    return dg.DagsterInstance.from_ref(ref)
