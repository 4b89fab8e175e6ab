"""The long cells of one published table and the dense blocks they make.

A table arrives as long cells, as the dbt staging layer produces them after
joining the file layout (``data/raw/io/io_table_layout.csv``): ``row_role``,
``row_position``, ``row_code``, ``column_role``, ``column_position``,
``column_code``, ``value`` (NaN for gaps) and ``value_status``:

- ``published`` a number as printed;
- ``suppressed`` BEA's ``---`` (suppressed or below half a unit): used as 0 and
  flagged, because BEA's own totals are within rounding of the sum of the
  printed cells, so the suppressed amounts are negligible;
- ``not_published`` ABS's ``n.p.`` (confidential): *not* zero. The row and
  column totals include them, so their sum per row and per column is known;
  the cells are imputed by biproportional scaling (RAS, ``imputation.py``) to
  those residuals and flagged ``imputed_from_totals``;
- ``empty`` a blank cell: 0 where the model needs a number.

The functions here cut the cells with given roles into numpy blocks and
vectors, by integer indexing; the checks on them are in ``balance.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

PUBLISHED = "published"
SUPPRESSED = "suppressed"
NOT_PUBLISHED = "not_published"
EMPTY = "empty"
IMPUTED = "imputed_from_totals"
DERIVED = "derived"

# Rows whose sum with the intermediate inputs gives output (column balance).
ADDITIVE_PRIMARY_ROLES = ("imports", "product_taxes", "value_added")
# Components of value added and their sign.
VALUE_ADDED_COMPONENTS = {
    "compensation": 1.0,
    "other_production_taxes": 1.0,
    "other_production_subsidies": -1.0,
    "consumption_fixed_capital": 1.0,
    "operating_surplus": 1.0,
}
FINAL_DEMAND_ROLES = ("final_demand", "household_consumption")
# The rows of a supply or use table that are products, allocated to the
# industries that make them or not (see conversion.py).
PRODUCT_ROLES = ("product", "product_not_allocated")


def dense_block(
    cells: pd.DataFrame,
    row_role: str | Sequence[str],
    column_role: str | Sequence[str],
    row_codes: Sequence[str],
    column_codes: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """Dense block of the cells with the given roles (values and statuses),
    scattered by integer indexing; gaps are NaN, absent cells NaN/'absent'."""
    row_roles = [row_role] if isinstance(row_role, str) else list(row_role)
    column_roles = [column_role] if isinstance(column_role, str) else list(column_role)
    part = cells[cells["row_role"].isin(row_roles) & cells["column_role"].isin(column_roles)]
    rows = pd.Index(list(row_codes)).get_indexer(part["row_code"])
    cols = pd.Index(list(column_codes)).get_indexer(part["column_code"])
    keep = (rows >= 0) & (cols >= 0)
    values = np.full((len(row_codes), len(column_codes)), np.nan)
    status = np.full((len(row_codes), len(column_codes)), "absent", dtype=object)
    values[rows[keep], cols[keep]] = part["value"].to_numpy(dtype=float)[keep]
    status[rows[keep], cols[keep]] = part["value_status"].to_numpy(dtype=object)[keep]
    return values, status


def role_codes(cells: pd.DataFrame, axis: str, role: str | Sequence[str]) -> list[str]:
    """Codes of the rows (``axis='row'``) or columns with this role, in printed order."""
    roles = [role] if isinstance(role, str) else list(role)
    column = f"{axis}_role"
    frame = cells.loc[cells[column].isin(roles), [f"{axis}_position", f"{axis}_code"]]
    frame = frame.drop_duplicates().sort_values(f"{axis}_position")
    return frame[f"{axis}_code"].tolist()


def gap_as_zero(part: pd.DataFrame) -> pd.Series:
    """Values with suppressed and empty cells as 0 (NaN stays for any other gap)."""
    zero = part["value"].isna() & part["value_status"].isin([SUPPRESSED, EMPTY])
    return part["value"].mask(zero, 0.0)


def row_vector(cells: pd.DataFrame, row_role: str, column_codes: Sequence[str]) -> np.ndarray | None:
    """Sum of the rows with this role over the industry columns (None if absent)."""
    part = cells[(cells["row_role"] == row_role) & (cells["column_role"] == "industry")]
    if part.empty:
        return None
    summed = gap_as_zero(part).groupby(part["column_code"]).sum(min_count=1)
    return summed.reindex(list(column_codes)).to_numpy(dtype=float)


def column_vector(
    cells: pd.DataFrame, column_role: str, row_codes: Sequence[str], row_role: str
) -> np.ndarray | None:
    """Sum of the columns with this role over the rows with ``row_role`` (None if absent)."""
    part = cells[(cells["column_role"] == column_role) & (cells["row_role"] == row_role)]
    if part.empty:
        return None
    summed = gap_as_zero(part).groupby(part["row_code"]).sum(min_count=1)
    return summed.reindex(list(row_codes)).to_numpy(dtype=float)


def product_column_vector(
    cells: pd.DataFrame, column_role: str, products: Sequence[str]
) -> np.ndarray | None:
    """:func:`column_vector` over every product row, allocated or not."""
    part = cells[(cells["column_role"] == column_role) & cells["row_role"].isin(list(PRODUCT_ROLES))]
    if part.empty:
        return None
    summed = gap_as_zero(part).groupby(part["row_code"]).sum(min_count=1)
    return summed.reindex(list(products)).to_numpy(dtype=float)
