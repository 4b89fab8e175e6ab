"""A BNS release into the warehouse in one transaction: its fact table
``raw.<raw_table>``, its quarantined cells in ``quality.rejected_rows`` and its
cell accounting in ``quality.cell_accounting``. A failure leaves all three as
they were, so a refused release never half-replaces the previous one."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from dagster_project.ingestion.bns.release import ACCOUNTING_COLUMNS, LayoutResult
from dagster_project.ingestion.raw_writer import quote_identifier
from dagster_project.ingestion.regional_release import REJECTED_COLUMNS, REJECTED_TABLE

ACCOUNTING_TABLE = "quality.cell_accounting"


def _ddl(columns: dict[str, str]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in columns.items())


def _select(columns: dict[str, str]) -> str:
    return ", ".join(f"cast({name} as {kind}) as {name}" for name, kind in columns.items())


def write_result(connection: duckdb.DuckDBPyConnection, result: LayoutResult) -> int:
    """Replace the release's rows everywhere; return the number of facts."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rejected = result.rejected.assign(rejected_at=now)
    accounting = result.accounting.assign(accounted_at=now)
    target = f"raw.{quote_identifier(result.entry.raw_table)}"
    connection.register("incoming_facts", result.facts)
    connection.register("incoming_rejected", rejected)
    connection.register("incoming_accounting", accounting)
    try:
        connection.execute("begin transaction")
        connection.execute("create schema if not exists raw")
        connection.execute("create schema if not exists quality")
        connection.execute(f"create or replace table {target} ({_ddl(result.columns)})")
        connection.execute(f"insert into {target} select {_select(result.columns)} from incoming_facts")
        connection.execute(f"create table if not exists {REJECTED_TABLE} ({_ddl(REJECTED_COLUMNS)})")
        connection.execute(f"delete from {REJECTED_TABLE} where source_file = ?",
                           [result.entry.relative_path])
        connection.execute(
            f"insert into {REJECTED_TABLE} select {_select(REJECTED_COLUMNS)} from incoming_rejected"
        )
        connection.execute(f"create table if not exists {ACCOUNTING_TABLE} ({_ddl(ACCOUNTING_COLUMNS)})")
        connection.execute(f"delete from {ACCOUNTING_TABLE} where release_id = ?",
                           [result.entry.raw_table])
        connection.execute(
            f"insert into {ACCOUNTING_TABLE} select {_select(ACCOUNTING_COLUMNS)} from incoming_accounting"
        )
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    finally:
        for name in ("incoming_facts", "incoming_rejected", "incoming_accounting"):
            connection.unregister(name)
    return len(result.facts)
