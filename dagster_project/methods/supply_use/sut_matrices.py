"""The supply and the use table read into matrices: steps 1, 2 and 4 of the
conversion (``conversion.py`` lists the steps).

``S`` is the supply matrix (product x industry, the transposed make matrix
``V'``), ``g`` industry output, ``U`` intermediate use (product x industry),
``Y`` final use (product x category). Products come in the supply table's
order, the allocated ones first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dagster_project.methods.supply_use.balance import (
    TableBalanceError,
    check_output_not_negative,
    rounding_unit,
    zero_gaps,
)
from dagster_project.methods.supply_use.cells import (
    ADDITIVE_PRIMARY_ROLES,
    FINAL_DEMAND_ROLES,
    IMPUTED,
    NOT_PUBLISHED,
    PRODUCT_ROLES,
    VALUE_ADDED_COMPONENTS,
    dense_block,
    product_column_vector,
    role_codes,
    row_vector,
)
from dagster_project.methods.supply_use.imputation import impute_from_totals


@dataclass(frozen=True)
class SupplyUseLayout:
    """Step 1: the products (``allocated`` first, then the not-allocated ones:
    ``products``), the industries, and the printing unit of the two tables."""

    allocated: list[str]
    products: list[str]
    industries: list[str]
    unit: float


@dataclass
class SupplyMatrix:
    """Step 2: ``S`` (product x industry) with its cell statuses, industry
    output ``g`` and the printed product totals (None if the file has none)."""

    S: np.ndarray
    status: np.ndarray
    output: np.ndarray
    product_totals: np.ndarray | None
    notes: list[str]


@dataclass
class UseMatrix:
    """Step 4: ``U`` (product x industry) with its cell statuses, final use
    ``Y`` (product x category) and its category codes, the household columns
    among them, and the primary inputs by industry."""

    U: np.ndarray
    status: np.ndarray
    final_use: np.ndarray
    final_use_codes: list[str]
    household_codes: list[str]
    primary: dict[str, np.ndarray]
    notes: list[str]


def supply_use_layout(table_id: str, supply_cells: pd.DataFrame, use_cells: pd.DataFrame) -> SupplyUseLayout:
    """Step 1: the supply table's products and industries, which the use table
    must list in the same order; the coarser of the two printing units."""
    allocated = role_codes(supply_cells, "row", "product")
    not_allocated = role_codes(supply_cells, "row", "product_not_allocated")
    products = allocated + not_allocated
    industries = role_codes(supply_cells, "column", "industry")
    if role_codes(use_cells, "column", "industry") != industries:
        raise TableBalanceError(
            table_id, "the layout check", ["supply and use list different industries"]
        )
    if role_codes(use_cells, "row", PRODUCT_ROLES) != products:
        raise TableBalanceError(
            table_id, "the layout check", ["supply and use list different products"]
        )
    unit = max(
        rounding_unit(supply_cells["value"].to_numpy(dtype=float)),
        rounding_unit(use_cells["value"].to_numpy(dtype=float)),
    )
    return SupplyUseLayout(allocated, products, industries, unit)


def supply_matrix(table_id: str, supply_cells: pd.DataFrame, layout: SupplyUseLayout) -> SupplyMatrix:
    """Step 2: ``S`` and ``g``. ``n.p.`` cells are not zero: their row and
    column residuals are known from the product totals and ``g``, so they are
    imputed by RAS (:func:`impute_from_totals`) and flagged."""
    products, industries = layout.products, layout.industries
    notes: list[str] = []
    s_values, s_status = dense_block(supply_cells, PRODUCT_ROLES, "industry", products, industries)
    g = row_vector(supply_cells, "industry_supply_total", industries)
    if g is None:
        raise TableBalanceError(
            table_id, "the layout check", ["the supply table has no industry-total row"]
        )
    check_output_not_negative(table_id, industries, g)
    product_total = product_column_vector(supply_cells, "product_output_total", products)
    hidden = s_status == NOT_PUBLISHED
    if hidden.any():
        if product_total is None:
            raise TableBalanceError(
                table_id,
                "the suppressed-cell check",
                ["n.p. cells but no product totals to impute them from"],
            )
        try:
            s_values = impute_from_totals(s_values, hidden, product_total, g)
        except ValueError as exc:
            raise TableBalanceError(table_id, "the suppressed-cell check", [str(exc)]) from exc
        s_status = np.where(hidden, IMPUTED, s_status)
        notes.append(
            f"{int(hidden.sum())} n.p. supply cells imputed from row and column totals (RAS)"
        )
    S = zero_gaps(s_values, s_status, table_id, "the supply table")
    return SupplyMatrix(S, s_status, g, product_total, notes)


def use_matrix(
    table_id: str, use_cells: pd.DataFrame, layout: SupplyUseLayout, output: np.ndarray
) -> UseMatrix:
    """Step 4: ``U``, ``Y`` and the primary-input rows of the use table. A use
    file without a value-added row (ABS) gets the residual ``g - 1'U`` as its
    primary inputs (``primary_inputs_residual``); step 5 checks it is not
    negative."""
    products, industries = layout.products, layout.industries
    notes: list[str] = []
    u_values, u_status = dense_block(use_cells, PRODUCT_ROLES, "industry", products, industries)
    U = zero_gaps(u_values, u_status, table_id, "the use table")
    fd_codes = role_codes(use_cells, "column", FINAL_DEMAND_ROLES)
    y_values, y_status = dense_block(use_cells, PRODUCT_ROLES, FINAL_DEMAND_ROLES, products, fd_codes)
    Y = (
        zero_gaps(y_values, y_status, table_id, "final use")
        if fd_codes
        else np.zeros((len(products), 0))
    )
    primary = {
        role: v
        for role in (*ADDITIVE_PRIMARY_ROLES, *VALUE_ADDED_COMPONENTS)
        if (v := row_vector(use_cells, role, industries)) is not None
    }
    if "value_added" not in primary:
        primary["primary_inputs_residual"] = output - U.sum(axis=0)
        notes.append(
            "no value-added row in the use file: primary inputs = output - intermediate inputs"
        )
    household_codes = role_codes(use_cells, "column", "household_consumption")
    return UseMatrix(U, u_status, Y, fd_codes, household_codes, primary, notes)
