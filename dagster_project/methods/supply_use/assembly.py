"""Every table of the register, and its long form for the warehouse.

``assemble_tables`` reads each table of ``data/raw/io/io_tables.csv`` the way
its ``table_kind`` says: a published symmetric table (``symmetric.py``) or a
supply and a use table converted under the fixed product-sales structure
(``conversion.py``). ``table_to_long`` writes one back as long rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dagster_project.methods.supply_use.cells import DERIVED, PUBLISHED
from dagster_project.methods.supply_use.conversion import symmetric_from_supply_use
from dagster_project.methods.supply_use.symmetric import AS_PUBLISHED, SymmetricTable, symmetric_from_cells


def assemble_tables(
    cells: pd.DataFrame, register: pd.DataFrame, *, relative_tolerance: float
) -> dict[str, SymmetricTable]:
    """Every table of the register (``io_tables.csv``: table_id, table_kind,
    symmetric_raw_table, supply_raw_table, use_raw_table) from the long cells
    of all raw files (column ``source_table`` = raw table name)."""
    by_source = {name: part for name, part in cells.groupby("source_table", sort=False)}
    empty = cells.iloc[0:0]
    tables: dict[str, SymmetricTable] = {}
    for spec in register.itertuples(index=False):
        if spec.table_kind == "symmetric":
            tables[spec.table_id] = symmetric_from_cells(
                spec.table_id,
                by_source.get(spec.symmetric_raw_table, empty),
                relative_tolerance=relative_tolerance,
            )
        elif spec.table_kind == "supply_use":
            tables[spec.table_id] = symmetric_from_supply_use(
                spec.table_id,
                by_source.get(spec.supply_raw_table, empty),
                by_source.get(spec.use_raw_table, empty),
                relative_tolerance=relative_tolerance,
            )
        else:
            raise ValueError(
                f"io_tables.csv: table {spec.table_id!r} has unknown table_kind {spec.table_kind!r}"
            )
    return tables


def table_to_long(table: SymmetricTable) -> pd.DataFrame:
    """The table as long rows (account, row_code, column_code, value,
    value_status): intermediate flows, final demand by category, primary
    inputs by industry, output and employment. Vectorised (repeat/tile)."""
    codes = np.asarray(table.labels, dtype=object)
    n = table.n
    parts = [
        pd.DataFrame(
            {
                "account": "intermediate",
                "row_code": np.repeat(codes, n),
                "column_code": np.tile(codes, n),
                "value": table.Z.reshape(-1),
                "value_status": table.flow_status.reshape(-1),
            }
        )
    ]
    k = len(table.final_demand_codes)
    if k:
        parts.append(
            pd.DataFrame(
                {
                    "account": "final_demand",
                    "row_code": np.repeat(codes, k),
                    "column_code": np.tile(np.asarray(table.final_demand_codes, dtype=object), n),
                    "value": table.final_demand.reshape(-1),
                    "value_status": PUBLISHED if table.derivation == AS_PUBLISHED else DERIVED,
                }
            )
        )
    vectors = {f"primary_input:{role}": v for role, v in table.primary_inputs.items()}
    vectors["output"] = table.x
    if table.household_consumption is not None:
        vectors["household_consumption"] = table.household_consumption
    if table.employment is not None:
        vectors["employment"] = table.employment
    for name, vector in vectors.items():
        account, _, row = name.partition(":")
        parts.append(
            pd.DataFrame(
                {
                    "account": account,
                    "row_code": row or account,
                    "column_code": codes,
                    "value": np.asarray(vector, dtype=float),
                    "value_status": PUBLISHED,
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out.insert(0, "table_id", table.table_id)
    return out
