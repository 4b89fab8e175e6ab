"""``quality.check_results``: every validation outcome, queryable with SQL."""

from __future__ import annotations

import duckdb
import pandas as pd

CHECK_RESULTS_COLUMNS: dict[str, str] = {
    "table_id": "varchar",
    "indicator": "varchar",
    "year": "varchar",
    "value_column": "varchar",
    "check_name": "varchar",
    "description": "varchar",
    "expected": "double",
    "observed": "double",
    "deviation": "double",
    "tolerance": "double",
    "passed": "boolean",
    "severity": "varchar",
    "involved_cells": "varchar[]",
    "suggested_cell": "varchar",
    "suggested_value": "double",
    "reason": "varchar",
    "checked_at": "timestamp",
}

_DDL = "create table if not exists quality.check_results ({})".format(
    ", ".join(f"{name} {kind}" for name, kind in CHECK_RESULTS_COLUMNS.items())
)


def ensure_check_results(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("create schema if not exists quality")
    connection.execute(_DDL)


def replace_check_results(
    connection: duckdb.DuckDBPyConnection, table_id: str, rows: list[dict]
) -> None:
    """Replace the outcomes of one table in one transaction."""
    frame = pd.DataFrame(rows, columns=list(CHECK_RESULTS_COLUMNS))
    ensure_check_results(connection)
    connection.register("incoming_check_results", frame)
    try:
        connection.execute("begin transaction")
        connection.execute("delete from quality.check_results where table_id = ?", [table_id])
        columns = ", ".join(CHECK_RESULTS_COLUMNS)
        casts = ", ".join(f"cast({c} as {k})" for c, k in CHECK_RESULTS_COLUMNS.items())
        connection.execute(
            f"insert into quality.check_results ({columns}) select {casts} from incoming_check_results"
        )
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise
    finally:
        connection.unregister("incoming_check_results")
