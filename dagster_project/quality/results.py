"""``quality.check_results``: every validation outcome, queryable with SQL."""

from __future__ import annotations

import duckdb
import pandas as pd

from dagster_project.ingestion.warehouse_writes import Replacement, replace_in_transaction

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

def replace_check_results(
    connection: duckdb.DuckDBPyConnection, table_id: str, rows: list[dict]
) -> None:
    """Replace the outcomes of one table in one transaction (the loaders' own
    write path: ``ingestion/warehouse_writes.py``)."""
    frame = pd.DataFrame(rows, columns=list(CHECK_RESULTS_COLUMNS))
    replace_in_transaction(connection, [Replacement(
        "quality.check_results", frame, columns=CHECK_RESULTS_COLUMNS, where="table_id = ?", params=(table_id,),
    )])
