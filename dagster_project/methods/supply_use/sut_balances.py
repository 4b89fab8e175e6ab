"""The balance checks of a supply and a use table: steps 3 and 5 of the
conversion (``conversion.py`` lists the steps). Each returns the largest
relative gap of every check it ran, or raises :class:`TableBalanceError`
naming the table, the check and the offending rows (tolerances: ``balance.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dagster_project.methods.supply_use.balance import TableBalanceError, check_sums, value_added_check
from dagster_project.methods.supply_use.cells import column_vector, product_column_vector, row_vector
from dagster_project.methods.supply_use.sut_matrices import SupplyMatrix, SupplyUseLayout, UseMatrix


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
