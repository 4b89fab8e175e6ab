"""The warehouse as a Dagster resource: every asset writes into the build file
derived from ``KLASTER_WAREHOUSE``; the publish step promotes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project import settings


class WarehouseResource(dg.ConfigurableResource):
    """DuckDB warehouse. ``published_path`` empty means ``$KLASTER_WAREHOUSE``
    (or the default), read when the run starts so tests can redirect it."""

    published_path: str = ""

    @property
    def published(self) -> Path:
        return Path(self.published_path).resolve() if self.published_path else (
            settings.published_warehouse_path()
        )

    @property
    def build(self) -> Path:
        return settings.build_warehouse_path(self.published)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection to the build warehouse, closed afterwards so
        dbt (another connection in the same process) can take the file."""
        self.build.parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(str(self.build))
        try:
            yield connection
        finally:
            connection.close()
