"""Every loader's last step: replace what it loaded before, in one transaction.

A loader writes a raw table and often its share of the shared quality tables
(quarantined records, cell accounting). Replacing them one statement at a
time would let a refused or interrupted load leave a new raw table beside
the old quarantine, or half a table; so each load describes its writes as
:class:`Replacement` s and :func:`replace_in_transaction` applies all of them
or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

# Quarantined records of every loader, one row per record a loader refused;
# each loader replaces only the rows of the files it read.
REJECTED_TABLE = "quality.rejected_rows"
REJECTED_COLUMNS = {
    "source_file": "VARCHAR",
    "source_row": "BIGINT",
    "raw_values": "VARCHAR",
    "reason": "VARCHAR",
    "rejected_at": "TIMESTAMP",
}


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Replacement:
    """``frame`` replaces the rows of ``table`` (``schema.name``, quoted as needed).

    ``columns`` (name -> DuckDB type) fixes the table's schema and casts the
    frame into it; without it the table takes the frame's own columns and
    types. With ``where`` (a SQL condition with ``?`` for ``params``) only the
    matching rows are deleted and the frame appended, the table being created
    if absent: how a loader replaces its share of a shared table. Without it
    the whole table is replaced."""

    table: str
    frame: pd.DataFrame
    columns: dict[str, str] | None = None
    where: str | None = None
    params: tuple[Any, ...] = ()


def _ddl(columns: dict[str, str]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns.items())


def _select(columns: dict[str, str]) -> str:
    return ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in columns.items())


def _apply(connection: duckdb.DuckDBPyConnection, change: Replacement, source: str) -> None:
    if change.where is not None:
        if change.columns is None:
            raise ValueError(f"replacing part of {change.table} needs its columns")
        connection.execute(f"create table if not exists {change.table} ({_ddl(change.columns)})")
        connection.execute(f"delete from {change.table} where {change.where}", list(change.params))
        connection.execute(f"insert into {change.table} select {_select(change.columns)} from {source}")
    elif change.columns is None:
        connection.execute(f"create or replace table {change.table} as select * from {source}")
    else:
        connection.execute(f"create or replace table {change.table} ({_ddl(change.columns)})")
        connection.execute(f"insert into {change.table} select {_select(change.columns)} from {source}")


def replace_in_transaction(
    connection: duckdb.DuckDBPyConnection, replacements: list[Replacement]
) -> None:
    """Apply every replacement in one transaction (creating the schemas they
    name); on any error roll back, leaving every table as it was, and re-raise."""
    sources = [f"incoming_{i}" for i in range(len(replacements))]
    for source, change in zip(sources, replacements):
        connection.register(source, change.frame)
    try:
        connection.execute("begin transaction")
        for schema in dict.fromkeys(change.table.split(".", 1)[0] for change in replacements):
            connection.execute(f"create schema if not exists {schema}")
        for source, change in zip(sources, replacements):
            _apply(connection, change, source)
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    finally:
        for source in sources:
            connection.unregister(source)
