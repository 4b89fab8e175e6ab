"""Row counts of the dbt tables a step built, as ``dagster/row_count`` metadata.

dagster-dbt's ``fetch_row_counts()`` queries each table while dbt is still
running, from a second process; DuckDB lets only one process open a file for
writing, so those queries would fail on the lock. Instead the step's events
are held until dbt exits (dbt's own log still streams progress line by line),
the counts are read in one read-only connection, and the events go out with
them.
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
    If dbt fails, the events received so far still go out before the error."""
    held = []
    try:
        for event in events:
            held.append(event)
    except BaseException:
        yield from held
        raise
    built = [e.metadata["unique_id"].value for e in held if isinstance(e, dg.Output) and "unique_id" in e.metadata]
    counts = read_row_counts(database, counted_relations(manifest, built))
    for event in held:
        if isinstance(event, dg.Output) and "unique_id" in event.metadata:
            count = counts.get(event.metadata["unique_id"].value)
            if count is not None:
                event = event.with_metadata({**event.metadata, "dagster/row_count": count})
        yield event
