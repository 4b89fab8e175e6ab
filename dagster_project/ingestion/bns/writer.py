"""A BNS release into the warehouse in one transaction: its fact table
``raw.<raw_table>``, its quarantined cells in ``quality.rejected_rows`` and its
cell accounting in ``quality.cell_accounting``. A failure leaves all three as
they were, so a refused release never half-replaces the previous one."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from dagster_project.ingestion.bns.release import ACCOUNTING_COLUMNS, LayoutResult
from dagster_project.ingestion.warehouse_writes import (
    REJECTED_COLUMNS,
    REJECTED_TABLE,
    Replacement,
    quote_identifier,
    replace_in_transaction,
)

ACCOUNTING_TABLE = "quality.cell_accounting"


def write_result(connection: duckdb.DuckDBPyConnection, result: LayoutResult) -> int:
    """Replace the release's rows everywhere; return the number of facts."""
    now = datetime.now(UTC).replace(tzinfo=None)
    entry = result.entry
    replace_in_transaction(connection, [
        Replacement(f"raw.{quote_identifier(entry.raw_table)}", result.facts, result.columns),
        Replacement(REJECTED_TABLE, result.rejected.assign(rejected_at=now), REJECTED_COLUMNS,
                    where="source_file = ?", params=(entry.relative_path,)),
        Replacement(ACCOUNTING_TABLE, result.accounting.assign(accounted_at=now), ACCOUNTING_COLUMNS,
                    where="release_id = ?", params=(entry.raw_table,)),
    ])
    return len(result.facts)
