"""Write a verified raw file into the ``raw`` schema in one transaction, so a
refused or interrupted load never leaves a half-replaced table behind."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pandas as pd

from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.text_table import SOURCE_ROW
from dagster_project.ingestion.warehouse_writes import Replacement, quote_identifier, replace_in_transaction

RAW_SCHEMA = "raw"


def replace_raw_table(
    connection: duckdb.DuckDBPyConnection, entry: ManifestEntry, frame: pd.DataFrame
) -> int:
    """Replace ``raw.<raw_table>`` with ``frame`` plus load metadata; return rows."""
    loaded = frame.copy()
    loaded.insert(len(loaded.columns) - 1, "_source_file", entry.relative_path)
    loaded.insert(len(loaded.columns) - 1, "_source_sha256", entry.sha256)
    loaded[SOURCE_ROW] = loaded[SOURCE_ROW].astype("int64")
    loaded["_loaded_at"] = datetime.now(timezone.utc).replace(tzinfo=None)
    target = f"{RAW_SCHEMA}.{quote_identifier(entry.raw_table)}"
    replace_in_transaction(connection, [Replacement(target, loaded)])
    return len(loaded)
