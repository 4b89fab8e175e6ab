"""Reading the marts the report needs from the warehouse it is given.

A refresh builds every table the report reads before the report; a warehouse
that lacks one is refused with an error naming the missing tables (a report
with silently empty sections would look like a finding)."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from dagster_project.reports.language import FALLBACK_LANGUAGE


class MissingTablesError(RuntimeError):
    """The warehouse lacks a table the report reads."""


class WarehouseTables:
    """The tables of one warehouse connection, and typed reads of them."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        rows = connection.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        self.tables = {f"{schema}.{name}" for schema, name in rows}
        self.read: dict[str, int] = {}  # table -> rows, for the report's footer

    def require(self, names: Sequence[str], warehouse: str) -> None:
        """Refuse the warehouse (``warehouse`` names it) unless it holds every table of ``names``."""
        missing = [name for name in names if name not in self.tables]
        if missing:
            raise MissingTablesError(
                f"The cluster report reads {', '.join(missing)}, which the warehouse {warehouse} "
                f"does not hold: build the warehouse first (`make run`; a refresh builds every table "
                f"the report reads).")

    def frame(self, sql: str, tables: Sequence[str], params: Sequence = ()) -> pd.DataFrame:
        """Run ``sql`` (a constant with ``?`` parameters) and note the tables read."""
        result = self.connection.execute(sql, list(params)).df()
        for name in tables:
            # Only names information_schema listed reach the count below.
            if name in self.tables and name not in self.read:
                schema, table = name.split(".", 1)
                self.read[name] = self.connection.execute(
                    f'select count(*) from "{schema}"."{table}"'
                ).fetchone()[0]
        return result


def pick_label(frame: pd.DataFrame, prefix: str, language: str, fallback: str | None = None,
               ) -> tuple[pd.Series, pd.Series]:
    """The ``<prefix>_<language>`` column, the English one where it is empty,
    then ``fallback`` (a column, e.g. the code); and whether each came from a
    fallback (the report sets those in italics and counts them)."""
    chosen = frame.get(f"{prefix}_{language}", pd.Series(pd.NA, index=frame.index, dtype="object"))
    english = frame.get(f"{prefix}_{FALLBACK_LANGUAGE}", pd.Series(pd.NA, index=frame.index,
                                                                    dtype="object"))
    label = chosen.astype("object").where(chosen.notna() & (chosen.astype("string") != ""), pd.NA)
    fell_back = label.isna()
    label = label.fillna(english.astype("object"))
    if fallback is not None:
        label = label.fillna(frame[fallback].astype("object"))
    return label.astype(str), fell_back.astype(bool)
