"""What a warehouse holds, compared as an analyst would: every table of the
marts and quality schemas, row for row.

Used by the resilience test (two refreshes of the same inputs give the same
warehouse) and, from the command line, to prove that a restructuring commit
changed no mart:

    python -m tests.warehouse_contents BEFORE.duckdb AFTER.duckdb
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import duckdb

SCHEMAS = ("marts", "quality")


def contents(database: Path, schemas: tuple[str, ...] = SCHEMAS) -> dict[str, list[tuple]]:
    """Every table of ``schemas``: its rows, sorted, without timestamp columns.

    Timestamps (loaded_at, checked_at, rejected_at) record when a step ran,
    not what it computed; the warehouse's own data has years, not times."""
    tables: dict[str, list[tuple]] = {}
    with duckdb.connect(str(database), read_only=True) as connection:
        names = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) order by all",
            list(schemas),
        ).fetchall()
        for schema, table in names:
            columns = [
                c for (c,) in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? "
                    "and data_type not like 'TIMESTAMP%' order by ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            tables[f"{schema}.{table}"] = connection.execute(
                f'select {select} from "{schema}"."{table}" order by all'
            ).fetchall()
    return tables


def same_row(row_a: tuple, row_b: tuple) -> bool:
    """Equal, floating-point values to 1e-12 relative: DuckDB sums in parallel
    and the order of additions changes the last bit."""
    return len(row_a) == len(row_b) and all(
        (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
        if isinstance(a, float) and isinstance(b, float)
        else a == b
        for a, b in zip(row_a, row_b)
    )


def differences(first: dict[str, list[tuple]], second: dict[str, list[tuple]]) -> list[str]:
    """Human-readable differences between two ``contents``; empty when equal."""
    found = [f"only in the first: {t}" for t in sorted(first.keys() - second.keys())]
    found += [f"only in the second: {t}" for t in sorted(second.keys() - first.keys())]
    for table in sorted(first.keys() & second.keys()):
        rows_a, rows_b = first[table], second[table]
        if len(rows_a) != len(rows_b):
            found.append(f"{table}: {len(rows_a)} rows against {len(rows_b)}")
            continue
        for row_a, row_b in zip(rows_a, rows_b):
            if not same_row(row_a, row_b):
                found.append(f"{table}: first differing row {row_a} against {row_b}")
                break
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    first, second = (contents(Path(p)) for p in argv)
    found = differences(first, second)
    for line in found:
        print(line)
    print(f"{len(first)} tables compared: {'equal row for row' if not found else f'{len(found)} differ'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
