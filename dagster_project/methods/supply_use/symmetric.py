"""A published symmetric (industry-by-industry) table: its blocks, and the
checks that it balances.

Row balance: intermediate sales + final demand = output. Column balance:
intermediate inputs + imports + product taxes + value added = output. Where
the table prints its own totals (total intermediate inputs and sales, total
use, intermediate inputs at purchasers' prices, the components of value
added), each is checked against the sum it prints. Tolerances: ``balance.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dagster_project.methods.supply_use.balance import (
    TableBalanceError,
    check_output_not_negative,
    check_sums,
    rounding_unit,
    value_added_check,
    zero_gaps,
)
from dagster_project.methods.supply_use.cells import (
    ADDITIVE_PRIMARY_ROLES,
    EMPTY,
    FINAL_DEMAND_ROLES,
    PUBLISHED,
    SUPPRESSED,
    VALUE_ADDED_COMPONENTS,
    column_vector,
    dense_block,
    role_codes,
    row_vector,
)

# How a SymmetricTable was obtained (its ``derivation``).
FIXED_PRODUCT_SALES = "fixed_product_sales_structure"
AS_PUBLISHED = "as_published"


@dataclass
class SymmetricTable:
    """An industry-by-industry table ready for the Leontief model."""

    table_id: str
    labels: list[str]
    Z: np.ndarray
    x: np.ndarray
    final_demand: np.ndarray
    final_demand_codes: list[str]
    household_consumption: np.ndarray | None
    primary_inputs: dict[str, np.ndarray]
    employment: np.ndarray | None
    flow_status: np.ndarray
    derivation: str
    balance: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.labels)


def symmetric_from_cells(
    table_id: str, cells: pd.DataFrame, *, relative_tolerance: float
) -> SymmetricTable:
    """A published symmetric table: check its balances and return its blocks."""
    labels = role_codes(cells, "row", "industry")
    if role_codes(cells, "column", "industry") != labels:
        raise TableBalanceError(
            table_id,
            "the layout check (industry rows and columns must match, in the same order)",
            [f"rows {labels}", f"columns {role_codes(cells, 'column', 'industry')}"],
        )
    unit = rounding_unit(cells["value"].to_numpy(dtype=float))
    z_values, z_status = dense_block(cells, "industry", "industry", labels, labels)
    Z = zero_gaps(z_values, z_status, table_id, "the intermediate flows")
    fd_codes = role_codes(cells, "column", FINAL_DEMAND_ROLES)
    fd_values, fd_status = dense_block(cells, "industry", FINAL_DEMAND_ROLES, labels, fd_codes)
    F = zero_gaps(fd_values, fd_status, table_id, "final demand")

    x = row_vector(cells, "output", labels)
    if x is None:
        raise TableBalanceError(table_id, "the layout check", ["no output row"])
    check_output_not_negative(table_id, labels, x)

    primary = {
        role: vector
        for role in (*ADDITIVE_PRIMARY_ROLES, *VALUE_ADDED_COMPONENTS)
        if (vector := row_vector(cells, role, labels)) is not None
    }
    balance: dict[str, float] = {}
    n = len(labels)
    balance["row_balance"] = check_sums(
        table_id,
        "the row balance (intermediate sales + final demand = output)",
        labels,
        x,
        Z.sum(axis=1) + F.sum(axis=1),
        n + len(fd_codes),
        relative_tolerance=relative_tolerance,
        unit=unit,
    )
    additive = [primary[r] for r in ADDITIVE_PRIMARY_ROLES if r in primary]
    balance["column_balance"] = check_sums(
        table_id,
        "the column balance (intermediate inputs + imports + product taxes + value added = output)",
        labels,
        x,
        Z.sum(axis=0) + np.sum(additive, axis=0),
        n + len(additive),
        relative_tolerance=relative_tolerance,
        unit=unit,
    )
    balance.update(
        _published_total_checks(table_id, cells, labels, Z, F, primary, x, relative_tolerance, unit)
    )

    household = column_vector(cells, "household_consumption", labels, "industry")
    if household is None:
        household = column_vector(cells, "household_consumption_memo", labels, "industry")
    employment = row_vector(cells, "employment", labels)
    return SymmetricTable(
        table_id=table_id,
        labels=labels,
        Z=Z,
        x=x,
        final_demand=F,
        final_demand_codes=fd_codes,
        household_consumption=household,
        primary_inputs=primary,
        employment=employment,
        flow_status=np.where(np.isin(z_status, [SUPPRESSED, EMPTY]), z_status, PUBLISHED).astype(
            object
        ),
        derivation=AS_PUBLISHED,
        balance=balance,
    )


def _published_total_checks(
    table_id: str,
    cells: pd.DataFrame,
    labels: list[str],
    Z: np.ndarray,
    F: np.ndarray,
    primary: dict[str, np.ndarray],
    x: np.ndarray,
    relative_tolerance: float,
    unit: float,
) -> dict[str, float]:
    """The table's own total rows and columns against the sums they print."""
    out: dict[str, float] = {}
    n = len(labels)
    kwargs = {"relative_tolerance": relative_tolerance, "unit": unit}
    total_row = row_vector(cells, "total_intermediate", labels)
    if total_row is not None:
        out["total_intermediate_row"] = check_sums(
            table_id,
            "the printed total of intermediate inputs",
            labels,
            total_row,
            Z.sum(axis=0),
            n,
            **kwargs,
        )
    total_col = column_vector(cells, "total_intermediate", labels, "industry")
    if total_col is not None:
        out["total_intermediate_column"] = check_sums(
            table_id,
            "the printed total of intermediate sales",
            labels,
            total_col,
            Z.sum(axis=1),
            n,
            **kwargs,
        )
    total_use = column_vector(cells, "total_use", labels, "industry")
    if total_use is not None:
        out["total_use_column"] = check_sums(
            table_id, "the printed row total against output", labels, total_use, x, 1, **kwargs
        )
    purchasers = row_vector(cells, "intermediate_purchasers_prices", labels)
    if purchasers is not None:
        extra = [primary[r] for r in ("imports", "product_taxes") if r in primary]
        out["intermediate_purchasers_prices"] = check_sums(
            table_id,
            "the printed intermediate inputs at purchasers' prices",
            labels,
            purchasers,
            Z.sum(axis=0) + np.sum(extra, axis=0) if extra else Z.sum(axis=0),
            n + len(extra),
            **kwargs,
        )
    out.update(value_added_check(table_id, labels, primary, relative_tolerance, unit))
    return out
