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

The steps, each a function so that tests can check it on its own (reading
the tables in ``sut_matrices.py``, checking them in ``sut_balances.py``, the
derivation here):

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

from dagster_project.methods.supply_use.cells import DERIVED, SUPPRESSED
from dagster_project.methods.supply_use.sut_balances import supply_balances, use_balances
from dagster_project.methods.supply_use.sut_matrices import (
    SupplyMatrix,
    SupplyUseLayout,
    UseMatrix,
    supply_matrix,
    supply_use_layout,
    use_matrix,
)
from dagster_project.methods.supply_use.symmetric import FIXED_PRODUCT_SALES, SymmetricTable


@dataclass
class IndustryFlows:
    """Step 7: industry-by-industry flows ``Z``, final demand ``F``, primary
    inputs (with ``non_allocated_products``) and household consumption."""

    Z: np.ndarray
    F: np.ndarray
    primary: dict[str, np.ndarray]
    household_consumption: np.ndarray | None
    notes: list[str]


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
