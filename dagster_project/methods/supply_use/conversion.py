"""A supply (make) and a use table -> an industry-by-industry symmetric table
under the fixed product-sales structure, checked on the way.

Fixed product-sales structure (Eurostat Manual of Supply, Use and
Input-Output Tables 2008, ch. 11, model D): each product has its own sales
structure, independent of the industry producing it; industry i therefore
delivers to j the share ``V[i, p] / q[p]`` of every product p that j buys:
``Z = T U`` with the market-share matrix ``T = V diag(q)^-1`` (V the make
matrix, industry x product, q product output). Output is industry output
``g = V 1``; value added stays with the industry that uses the inputs.

Products with no domestic output (BEA's "Noncomparable imports and
rest-of-the-world adjustment") and BEA's "Scrap, used and secondhand goods"
(a by-product whose purchases are not a demand for any industry's main
output, and which carries negative entries) are not allocated to industries:
their use is kept as a separate primary input of the using industry
(``non_allocated_products``), as imports are.

The steps, each a function so that tests can check it on its own:

1. ``supply_use_layout``: both tables list the same products (allocated, then
   not allocated) and the same industries, in the same order; the unit they
   are printed in sets the rounding tolerance.
2. ``supply_matrix``: the supply matrix ``S`` (product x industry, i.e. the
   transposed make matrix ``V'``) and industry output ``g`` (the industry-total
   row, non-negative); ``n.p.`` cells imputed from the row and column totals
   by RAS.
3. ``supply_balances``: ``1'S = g``, ``S 1`` = the product totals, and
   domestic output + imports + CIF/FOB adjustment = total supply.
4. ``use_matrix``: intermediate use ``U`` (product x industry), final use
   ``Y`` (product x category) and the primary inputs of each industry.
5. ``use_balances``: the use table's output row = ``g``; the column balance
   (or, without a value-added row, inputs <= output); the printed totals; the
   row balance ``U 1 + Y 1`` = total use; the components of value added.
6. ``market_shares``: ``T = V diag(q)^-1`` with ``q = 1'V``.
7. ``industry_flows``: ``Z = T U`` and ``F = T Y`` over the allocated products
   (``fixed_product_sales_structure``); the rest of the use becomes the primary
   input ``non_allocated_products``; household consumption by industry is the
   household columns of ``F``.
8. ``derived_row_gap``: how far ``Z 1 + F 1`` is from ``g`` (recorded, not
   enforced).

``symmetric_from_supply_use`` runs them in this order.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    DERIVED,
    FINAL_DEMAND_ROLES,
    IMPUTED,
    NOT_PUBLISHED,
    PRODUCT_ROLES,
    SUPPRESSED,
    VALUE_ADDED_COMPONENTS,
    column_vector,
    dense_block,
    product_column_vector,
    role_codes,
    row_vector,
)
from dagster_project.methods.supply_use.imputation import impute_from_totals
from dagster_project.methods.supply_use.symmetric import FIXED_PRODUCT_SALES, SymmetricTable


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


@dataclass
class IndustryFlows:
    """Step 7: industry-by-industry flows ``Z``, final demand ``F``, primary
    inputs (with ``non_allocated_products``) and household consumption."""

    Z: np.ndarray
    F: np.ndarray
    primary: dict[str, np.ndarray]
    household_consumption: np.ndarray | None
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


def supply_balances(
    table_id: str,
    supply_cells: pd.DataFrame,
    layout: SupplyUseLayout,
    supply: SupplyMatrix,
    *,
    relative_tolerance: float,
) -> dict[str, float]:
    """Step 3: each industry's products add up to its output (``1'S = g``),
    each product's output by all industries to its printed total (``S 1``), and
    domestic output + imports + CIF/FOB adjustment to total supply."""
    allocated, products, industries = layout.allocated, layout.products, layout.industries
    S, g = supply.S, supply.output
    kwargs = {"relative_tolerance": relative_tolerance, "unit": layout.unit}
    balance: dict[str, float] = {}
    balance["supply_industry_totals"] = check_sums(
        table_id,
        "the supply column balance (products made by the industry = industry output)",
        industries,
        g,
        S.sum(axis=0),
        len(products),
        **kwargs,
    )
    if supply.product_totals is not None:
        balance["supply_product_totals"] = check_sums(
            table_id,
            "the supply row balance (output of the product by all industries = product total)",
            products,
            supply.product_totals,
            S.sum(axis=1),
            len(industries),
            **kwargs,
        )
    imports = column_vector(supply_cells, "imports", allocated, "product")
    total_supply = column_vector(supply_cells, "total_supply", allocated, "product")
    if imports is not None and total_supply is not None:
        cif = column_vector(supply_cells, "cif_fob_adjustment", allocated, "product")
        extra = np.nan_to_num(imports) + (np.nan_to_num(cif) if cif is not None else 0.0)
        balance["supply_total_supply"] = check_sums(
            table_id,
            "the total-supply check (domestic output + imports + CIF/FOB = total supply)",
            allocated,
            total_supply,
            S[: len(allocated)].sum(axis=1) + extra,
            len(industries) + 2,
            **kwargs,
        )
    return balance


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


def use_balances(
    table_id: str,
    use_cells: pd.DataFrame,
    layout: SupplyUseLayout,
    use: UseMatrix,
    output: np.ndarray,
    *,
    relative_tolerance: float,
) -> dict[str, float]:
    """Step 5: the use table against itself and against the supply table's
    output ``g``."""
    products, industries, unit = layout.products, layout.industries, layout.unit
    U, Y, g, primary_use = use.U, use.final_use, output, use.primary
    kwargs = {"relative_tolerance": relative_tolerance, "unit": unit}
    balance: dict[str, float] = {}
    output_row = row_vector(use_cells, "output", industries)
    if output_row is not None:
        balance["use_output_equals_supply"] = check_sums(
            table_id,
            "the cross-table check (industry output in the use table = in the supply table)",
            industries,
            output_row,
            g,
            1,
            **kwargs,
        )
    if "value_added" in primary_use:
        # A use table of domestic products (BNS) prints imported inputs and product
        # taxes as rows of their own: they close the column with value added. Use
        # tables at purchasers' prices (BEA) have neither row, so nothing is added.
        closing = [primary_use[r] for r in ("imports", "product_taxes") if r in primary_use]
        balance["use_column_balance"] = check_sums(
            table_id,
            "the use column balance (intermediate inputs + imports + product taxes + value added = output)"
            if closing
            else "the use column balance (intermediate inputs + value added = output)",
            industries,
            g,
            U.sum(axis=0) + primary_use["value_added"] + np.sum(closing, axis=0)
            if closing
            else U.sum(axis=0) + primary_use["value_added"],
            len(products) + 1 + len(closing),
            **kwargs,
        )
    else:
        # Without value added (ABS file) the only column check is that inputs
        # leave a non-negative residual for primary inputs.
        residual = primary_use["primary_inputs_residual"]
        bad = residual < -np.maximum(relative_tolerance * g, 0.5 * unit * len(products))
        if bad.any():
            raise TableBalanceError(
                table_id,
                "the use column check (intermediate inputs cannot exceed output)",
                [
                    f"{industries[j]}: inputs {U[:, j].sum():,.6g} > output {g[j]:,.6g}"
                    for j in np.flatnonzero(bad)
                ],
            )
    total_row = row_vector(use_cells, "total_intermediate", industries)
    if total_row is not None:
        balance["use_total_intermediate_row"] = check_sums(
            table_id,
            "the printed total intermediate inputs of the use table",
            industries,
            total_row,
            U.sum(axis=0),
            len(products),
            **kwargs,
        )
    total_col = product_column_vector(use_cells, "total_intermediate", products)
    if total_col is not None:
        balance["use_total_intermediate_column"] = check_sums(
            table_id,
            "the printed total intermediate use of each product",
            products,
            total_col,
            U.sum(axis=1),
            len(industries),
            **kwargs,
        )
    total_use = product_column_vector(use_cells, "total_use", products)
    if total_use is not None and use.final_use_codes:
        balance["use_row_balance"] = check_sums(
            table_id,
            "the use row balance (intermediate + final use = total use of the product)",
            products,
            total_use,
            U.sum(axis=1) + Y.sum(axis=1),
            len(industries) + len(use.final_use_codes),
            **kwargs,
        )
    balance.update(value_added_check(table_id, industries, primary_use, relative_tolerance, unit))
    return balance


def market_shares(make: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Step 6: ``T = V diag(q)^-1`` with ``q = 1'V`` (products with q = 0 get a zero column)."""
    make = np.asarray(make, dtype=float)
    q = make.sum(axis=0)
    inverse = np.divide(1.0, q, out=np.zeros_like(q), where=q != 0)
    return make * inverse[np.newaxis, :], q


def fixed_product_sales_structure(
    make: np.ndarray, use: np.ndarray, final_use: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Industry-by-industry flows and final demand: ``Z = T U``, ``F = T Y``.

    ``make`` V is industry x product, ``use`` U product x industry,
    ``final_use`` Y product x categories."""
    T, _ = market_shares(make)
    return T @ use, T @ final_use


def industry_flows(layout: SupplyUseLayout, supply: SupplyMatrix, use: UseMatrix) -> IndustryFlows:
    """Step 7: ``Z = T U``, ``F = T Y`` over the allocated products, ``V`` the
    allocated rows of ``S`` transposed. Products without domestic output
    (``q = 0``) have no market shares: their use, with that of the
    not-allocated products, becomes the primary input ``non_allocated_products``."""
    allocated = layout.allocated
    notes: list[str] = []
    n_alloc = len(allocated)
    make = supply.S[:n_alloc].T
    q = make.sum(axis=0)  # product output 1'V, as market_shares computes it
    no_output = np.flatnonzero(q == 0)
    if no_output.size:
        notes.append(
            "products without domestic output treated as not allocated: "
            + ", ".join(allocated[i] for i in no_output)
        )
    U, fd_codes = use.U, use.final_use_codes
    # Without final-use columns Y is product x 0, so F is industry x 0.
    Z, F = fixed_product_sales_structure(make, U[:n_alloc], use.final_use[:n_alloc])
    non_allocated = U[n_alloc:].sum(axis=0) + U[:n_alloc][no_output].sum(axis=0)
    primary = dict(use.primary)
    primary["non_allocated_products"] = non_allocated
    household = None
    if use.household_codes:
        household = F[:, [fd_codes.index(c) for c in use.household_codes]].sum(axis=1)
    return IndustryFlows(Z, F, primary, household, notes)


def derived_row_gap(Z: np.ndarray, F: np.ndarray, output: np.ndarray) -> float:
    """Step 8: the largest relative gap ``|Z 1 + F 1 - g| / g``. The derived rows
    need not balance: they do only if the use table is valued like the supply
    table (domestic output at basic prices). It is recorded, not enforced."""
    g = output
    gap = np.abs(Z.sum(axis=1) + F.sum(axis=1) - g) / np.where(g > 0, g, np.nan)
    return float(np.nanmax(gap)) if np.isfinite(gap).any() else 0.0


def symmetric_from_supply_use(
    table_id: str,
    supply_cells: pd.DataFrame,
    use_cells: pd.DataFrame,
    *,
    relative_tolerance: float,
) -> SymmetricTable:
    """Check a supply table (products in rows, industries in columns, i.e. the
    transposed make matrix) and a use table, then derive the industry-by-
    industry table under the fixed product-sales structure (steps 1-8)."""
    layout = supply_use_layout(table_id, supply_cells, use_cells)
    supply = supply_matrix(table_id, supply_cells, layout)
    balance = supply_balances(
        table_id, supply_cells, layout, supply, relative_tolerance=relative_tolerance
    )
    use = use_matrix(table_id, use_cells, layout, supply.output)
    balance.update(
        use_balances(
            table_id, use_cells, layout, use, supply.output, relative_tolerance=relative_tolerance
        )
    )
    flows = industry_flows(layout, supply, use)
    if use.final_use_codes:
        balance["derived_row_gap"] = derived_row_gap(flows.Z, flows.F, supply.output)
    notes = [*supply.notes, *use.notes, *flows.notes]
    n_suppressed = int(
        np.isin(supply.status, [SUPPRESSED]).sum() + np.isin(use.status, [SUPPRESSED]).sum()
    )
    if n_suppressed:
        notes.append(
            f"{n_suppressed} suppressed (---) cells of the supply matrix and the intermediate-use block used as 0"
        )
    return SymmetricTable(
        table_id=table_id,
        labels=layout.industries,
        Z=flows.Z,
        x=supply.output,
        final_demand=flows.F,
        final_demand_codes=use.final_use_codes,
        household_consumption=flows.household_consumption,
        primary_inputs=flows.primary,
        employment=None,
        flow_status=np.full(flows.Z.shape, DERIVED, dtype=object),
        derivation=FIXED_PRODUCT_SALES,
        balance=balance,
        notes=notes,
    )
