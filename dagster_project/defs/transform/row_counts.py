"""Row counts of the dbt tables a step built, as ``dagster/row_count`` metadata.

dagster-dbt's ``fetch_row_counts()`` queries each table while dbt is still
running, from a second process; DuckDB lets only one process open a file for
writing, so those queries would fail on the lock. Instead the step's model
outputs are held until dbt exits (test results and dbt's log stream as they
come), the counts are read in one read-only connection, and the outputs go out
with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

# Views are queries, not stored rows: counting them would re-run the query.
_COUNTED_MATERIALIZATIONS = {"table", "incremental"}


def counted_relations(manifest: Mapping[str, Any], unique_ids: Iterable[str]) -> dict[str, str]:
    """unique_id -> ``"schema"."table"`` of the stored tables among ``unique_ids``."""
    relations = {}
    for unique_id in unique_ids:
        node = manifest["nodes"].get(unique_id)
        if node and node["config"].get("materialized") in _COUNTED_MATERIALIZATIONS:
            relations[unique_id] = f'"{node["schema"]}"."{node.get("alias") or node["name"]}"'
    return relations


def read_row_counts(database: Path, relations: Mapping[str, str]) -> dict[str, int]:
    """unique_id -> number of rows, read in one read-only connection."""
    if not relations:
        return {}
    with duckdb.connect(str(database), read_only=True) as connection:
        return {
            unique_id: connection.execute(f"select count(*) from {relation}").fetchone()[0]
            for unique_id, relation in relations.items()
        }


def with_row_counts(events: Iterable[Any], manifest: Mapping[str, Any], database: Path) -> Iterator[Any]:
    """The step's dbt events, outputs of stored tables carrying their row count.
    If dbt fails, the outputs received so far still go out before the error."""
    held: list[dg.Output] = []
    try:
        for event in events:
            if isinstance(event, dg.Output) and "unique_id" in event.metadata:
                held.append(event)
            else:
                yield event
    except BaseException:
        yield from held
        raise
    counts = read_row_counts(
        database, counted_relations(manifest, [output.metadata["unique_id"].value for output in held])
    )
    for output in held:
        count = counts.get(output.metadata["unique_id"].value)
        yield output if count is None else output.with_metadata({**output.metadata, "dagster/row_count": count})
