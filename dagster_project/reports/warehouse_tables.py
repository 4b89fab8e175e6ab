"""Reading the marts the report needs from whatever warehouse it is given.

Marts are written by different parts of the project and may not all exist in
a given build; the report asks ``information_schema`` what is there and a
section whose tables are missing says so instead of failing."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from dagster_project.reports.language import FALLBACK_LANGUAGE


class WarehouseTables:
    """The tables of one warehouse connection, and typed reads of them."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        rows = connection.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        self.tables = {f"{schema}.{name}" for schema, name in rows}
        self.read: dict[str, int] = {}  # table -> rows, for the report's footer

    def missing(self, names: Sequence[str]) -> list[str]:
        return [name for name in names if name not in self.tables]

    def has(self, name: str) -> bool:
        return name in self.tables

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
