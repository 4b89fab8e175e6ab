"""Assemble an industry-by-industry symmetric input-output table from published
cells: directly from a symmetric table, or from a supply (make) and a use table
under the fixed product-sales-structure assumption; check that it balances.

Input: a long frame of the cells of one published table (``cells``), as the
dbt staging layer produces it after joining the file layout
(``data/raw/io/io_table_layout.csv``): ``row_role``, ``row_code``,
``column_role``, ``column_code``, ``value`` (NaN for gaps) and
``value_status``:

- ``published`` a number as printed;
- ``suppressed`` BEA's ``---`` (suppressed or below half a unit): used as 0 and
  flagged, because BEA's own totals are within rounding of the sum of the
  printed cells, so the suppressed amounts are negligible;
- ``not_published`` ABS's ``n.p.`` (confidential): *not* zero. The row and
  column totals include them, so their sum per row and per column is known;
  the cells are imputed by biproportional scaling (RAS) to those residuals
  and flagged ``imputed_from_totals``;
- ``empty`` a blank cell: 0 where the model needs a number.

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

Balance: a published total passes when it differs from the sum of its cells by
at most ``max(relative_tolerance * |total|, 0.5 * unit * n)``: the larger of a
share of the total and the rounding of n cells each rounded to ``unit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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
HOUSEHOLD_ROLES = ("household_consumption", "household_consumption_memo")

FIXED_PRODUCT_SALES = "fixed_product_sales_structure"
AS_PUBLISHED = "as_published"


class TableBalanceError(ValueError):
    """A published table fails a consistency check; the message names the
    table, the check and the offending rows with their numbers."""

    def __init__(self, table: str, check: str, offending: Sequence[str]) -> None:
        self.table = table
        self.check = check
        self.offending = list(offending)
        shown = "; ".join(self.offending[:15])
        more = f"; and {len(self.offending) - 15} more" if len(self.offending) > 15 else ""
        super().__init__(f"table {table!r} fails {check}: {shown}{more}")


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


# --------------------------------------------------------------------------- #
# balance checks
# --------------------------------------------------------------------------- #
def rounding_unit(values: np.ndarray) -> float:
    """The unit the table is printed in: 1 if every number is whole, else the
    smallest power of ten down to 0.001 that makes them whole."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    for decimals in range(4):
        scaled = finite * 10.0**decimals
        if np.allclose(scaled, np.round(scaled), rtol=0, atol=1e-6):
            return 10.0**-decimals
    return 0.001


def check_sums(
    table: str,
    check: str,
    labels: Sequence[str],
    published: np.ndarray,
    computed: np.ndarray,
    n_terms: int | np.ndarray,
    *,
    relative_tolerance: float,
    unit: float,
) -> float:
    """Compare published totals with the sums of their cells; raise
    :class:`TableBalanceError` naming every row outside the tolerance. Return
    the largest relative discrepancy (for the record)."""
    published = np.asarray(published, dtype=float)
    computed = np.asarray(computed, dtype=float)
    gap = computed - published
    tolerance = np.maximum(relative_tolerance * np.abs(published), 0.5 * unit * np.asarray(n_terms))
    bad = ~np.isfinite(gap) | (np.abs(gap) > tolerance)
    if bad.any():
        offending = [
            f"{labels[i]}: published {published[i]:,.6g}, sum of cells {computed[i]:,.6g} "
            f"(difference {gap[i]:+,.6g}, tolerance {tolerance[i]:,.3g})"
            for i in np.flatnonzero(bad)
        ]
        raise TableBalanceError(table, check, offending)
    scale = np.where(np.abs(published) > 0, np.abs(published), np.nan)
    relative = np.abs(gap) / scale
    return float(np.nanmax(relative)) if np.isfinite(relative).any() else 0.0


def check_output_not_negative(table: str, labels: Sequence[str], x: np.ndarray) -> None:
    x = np.asarray(x, dtype=float)
    bad = ~np.isfinite(x) | (x < 0)
    if bad.any():
        raise TableBalanceError(
            table,
            "the output check (output must be a non-negative number)",
            [f"{labels[i]}: output {x[i]:g}" for i in np.flatnonzero(bad)],
        )


# --------------------------------------------------------------------------- #
# from long cells to blocks
# --------------------------------------------------------------------------- #
def _block(
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


def _codes(cells: pd.DataFrame, axis: str, role: str | Sequence[str]) -> list[str]:
    roles = [role] if isinstance(role, str) else list(role)
    column = f"{axis}_role"
    frame = cells.loc[cells[column].isin(roles), [f"{axis}_position", f"{axis}_code"]]
    frame = frame.drop_duplicates().sort_values(f"{axis}_position")
    return frame[f"{axis}_code"].tolist()


def _gap_as_zero(part: pd.DataFrame) -> pd.Series:
    """Values with suppressed and empty cells as 0 (NaN stays for any other gap)."""
    zero = part["value"].isna() & part["value_status"].isin([SUPPRESSED, EMPTY])
    return part["value"].mask(zero, 0.0)


def _vector(cells: pd.DataFrame, row_role: str, column_codes: Sequence[str]) -> np.ndarray | None:
    """Sum of the rows with this role over the industry columns (None if absent)."""
    part = cells[(cells["row_role"] == row_role) & (cells["column_role"] == "industry")]
    if part.empty:
        return None
    summed = _gap_as_zero(part).groupby(part["column_code"]).sum(min_count=1)
    return summed.reindex(list(column_codes)).to_numpy(dtype=float)


def _column_vector(
    cells: pd.DataFrame, column_role: str, row_codes: Sequence[str], row_role: str
) -> np.ndarray | None:
    part = cells[(cells["column_role"] == column_role) & (cells["row_role"] == row_role)]
    if part.empty:
        return None
    summed = _gap_as_zero(part).groupby(part["row_code"]).sum(min_count=1)
    return summed.reindex(list(row_codes)).to_numpy(dtype=float)


def _zero_gaps(values: np.ndarray, status: np.ndarray, table: str, what: str) -> np.ndarray:
    """Suppressed and empty cells count as 0; a cell absent from the file or
    not published must have been imputed before this point."""
    out = values.copy()
    usable_gap = np.isin(status, [SUPPRESSED, EMPTY])
    out[np.isnan(out) & usable_gap] = 0.0
    missing = np.isnan(out)
    if missing.any():
        i, j = np.argwhere(missing)[0]
        raise TableBalanceError(
            table,
            f"the completeness check of {what}",
            [
                f"{int(missing.sum())} cells have no number (first at position {i}, {j}, status {status[i, j]})"
            ],
        )
    return out


# --------------------------------------------------------------------------- #
# symmetric tables as published
# --------------------------------------------------------------------------- #
def symmetric_from_cells(
    table_id: str, cells: pd.DataFrame, *, relative_tolerance: float
) -> SymmetricTable:
    """A published symmetric table: check its balances and return its blocks."""
    labels = _codes(cells, "row", "industry")
    if _codes(cells, "column", "industry") != labels:
        raise TableBalanceError(
            table_id,
            "the layout check (industry rows and columns must match, in the same order)",
            [f"rows {labels}", f"columns {_codes(cells, 'column', 'industry')}"],
        )
    unit = rounding_unit(cells["value"].to_numpy(dtype=float))
    z_values, z_status = _block(cells, "industry", "industry", labels, labels)
    Z = _zero_gaps(z_values, z_status, table_id, "the intermediate flows")
    fd_codes = _codes(cells, "column", FINAL_DEMAND_ROLES)
    fd_values, fd_status = _block(cells, "industry", FINAL_DEMAND_ROLES, labels, fd_codes)
    F = _zero_gaps(fd_values, fd_status, table_id, "final demand")

    x = _vector(cells, "output", labels)
    if x is None:
        raise TableBalanceError(table_id, "the layout check", ["no output row"])
    check_output_not_negative(table_id, labels, x)

    primary = {
        role: vector
        for role in (*ADDITIVE_PRIMARY_ROLES, *VALUE_ADDED_COMPONENTS)
        if (vector := _vector(cells, role, labels)) is not None
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

    household = _column_vector(cells, "household_consumption", labels, "industry")
    if household is None:
        household = _column_vector(cells, "household_consumption_memo", labels, "industry")
    employment = _vector(cells, "employment", labels)
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
    total_row = _vector(cells, "total_intermediate", labels)
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
    total_col = _column_vector(cells, "total_intermediate", labels, "industry")
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
    total_use = _column_vector(cells, "total_use", labels, "industry")
    if total_use is not None:
        out["total_use_column"] = check_sums(
            table_id, "the printed row total against output", labels, total_use, x, 1, **kwargs
        )
    purchasers = _vector(cells, "intermediate_purchasers_prices", labels)
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
    out.update(_value_added_check(table_id, labels, primary, relative_tolerance, unit))
    return out


def _value_added_check(
    table_id: str,
    labels: list[str],
    primary: dict[str, np.ndarray],
    relative_tolerance: float,
    unit: float,
) -> dict[str, float]:
    """Value added = sum of its components, when the table prints all of them
    (compensation, taxes on production, and a surplus row)."""
    if (
        "value_added" not in primary
        or "compensation" not in primary
        or "operating_surplus" not in primary
    ):
        return {}
    parts = [
        sign * primary[role] for role, sign in VALUE_ADDED_COMPONENTS.items() if role in primary
    ]
    return {
        "value_added_components": check_sums(
            table_id,
            "the value-added check (components add up to value added)",
            labels,
            primary["value_added"],
            np.sum(parts, axis=0),
            len(parts),
            relative_tolerance=relative_tolerance,
            unit=unit,
        )
    }


# --------------------------------------------------------------------------- #
# suppressed cells with known totals
# --------------------------------------------------------------------------- #
def impute_from_totals(
    matrix: np.ndarray,
    mask: np.ndarray,
    row_totals: np.ndarray,
    column_totals: np.ndarray,
    *,
    tolerance: float = 1e-9,
    max_iterations: int = 10_000,
) -> np.ndarray:
    """Fill the masked cells so that every row and column adds up to its
    published total, by RAS (iterative proportional fitting) started from 1 in
    every masked cell: the least-informative split of each row's and each
    column's unpublished residual. Cells outside the mask are kept.

    Raises ``ValueError`` when the residuals are negative or inconsistent (the
    totals do not leave room for the suppressed cells)."""
    matrix = np.asarray(matrix, dtype=float)
    mask = np.asarray(mask, dtype=bool)
    known = np.where(mask, 0.0, np.nan_to_num(matrix))
    row_residual = np.asarray(row_totals, dtype=float) - known.sum(axis=1)
    column_residual = np.asarray(column_totals, dtype=float) - known.sum(axis=0)
    rows_with = mask.any(axis=1)
    cols_with = mask.any(axis=0)
    scale = max(1.0, float(np.abs(row_residual).max(initial=0.0)))
    if (row_residual[rows_with] < 0).any() or (column_residual[cols_with] < 0).any():
        raise ValueError(
            "published totals are smaller than the published cells: no room for suppressed cells"
        )
    if (
        abs(row_residual[rows_with].sum() - column_residual[cols_with].sum())
        > 1e-6 * scale * mask.sum()
    ):
        raise ValueError(
            f"row residuals ({row_residual[rows_with].sum():g}) and column residuals "
            f"({column_residual[cols_with].sum():g}) of the suppressed cells differ"
        )
    seed = mask.astype(float)
    for _ in range(max_iterations):
        row_sums = seed.sum(axis=1)
        seed *= np.divide(row_residual, row_sums, out=np.zeros_like(row_sums), where=row_sums > 0)[
            :, None
        ]
        col_sums = seed.sum(axis=0)
        seed *= np.divide(
            column_residual, col_sums, out=np.zeros_like(col_sums), where=col_sums > 0
        )[None, :]
        if (
            np.abs(seed.sum(axis=1) - np.where(rows_with, row_residual, 0)).max()
            <= tolerance * scale
        ):
            break
    else:
        raise ValueError("RAS did not converge: the suppressed cells cannot meet both totals")
    return np.where(mask, seed, np.nan_to_num(matrix))


# --------------------------------------------------------------------------- #
# supply and use -> industry by industry
# --------------------------------------------------------------------------- #
def market_shares(make: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``T = V diag(q)^-1`` with ``q = 1'V`` (products with q = 0 get a zero column)."""
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


def symmetric_from_supply_use(
    table_id: str,
    supply_cells: pd.DataFrame,
    use_cells: pd.DataFrame,
    *,
    relative_tolerance: float,
) -> SymmetricTable:
    """Check a supply table (products in rows, industries in columns, i.e. the
    transposed make matrix) and a use table, then derive the industry-by-
    industry table under the fixed product-sales structure."""
    allocated = _codes(supply_cells, "row", "product")
    not_allocated = _codes(supply_cells, "row", "product_not_allocated")
    products = allocated + not_allocated
    industries = _codes(supply_cells, "column", "industry")
    if _codes(use_cells, "column", "industry") != industries:
        raise TableBalanceError(
            table_id, "the layout check", ["supply and use list different industries"]
        )
    if _codes(use_cells, "row", ["product", "product_not_allocated"]) != products:
        raise TableBalanceError(
            table_id, "the layout check", ["supply and use list different products"]
        )
    unit = max(
        rounding_unit(supply_cells["value"].to_numpy(dtype=float)),
        rounding_unit(use_cells["value"].to_numpy(dtype=float)),
    )
    kwargs = {"relative_tolerance": relative_tolerance, "unit": unit}
    balance: dict[str, float] = {}
    notes: list[str] = []

    # ---- supply (product x industry) -----------------------------------
    s_values, s_status = _block(
        supply_cells, ["product", "product_not_allocated"], "industry", products, industries
    )
    g = _vector(supply_cells, "industry_supply_total", industries)
    if g is None:
        raise TableBalanceError(
            table_id, "the layout check", ["the supply table has no industry-total row"]
        )
    check_output_not_negative(table_id, industries, g)
    product_total = _column_vector_all(supply_cells, "product_output_total", products)
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
    S = _zero_gaps(s_values, s_status, table_id, "the supply table")
    balance["supply_industry_totals"] = check_sums(
        table_id,
        "the supply column balance (products made by the industry = industry output)",
        industries,
        g,
        S.sum(axis=0),
        len(products),
        **kwargs,
    )
    if product_total is not None:
        balance["supply_product_totals"] = check_sums(
            table_id,
            "the supply row balance (output of the product by all industries = product total)",
            products,
            product_total,
            S.sum(axis=1),
            len(industries),
            **kwargs,
        )
    imports = _column_vector(supply_cells, "imports", allocated, "product")
    total_supply = _column_vector(supply_cells, "total_supply", allocated, "product")
    if imports is not None and total_supply is not None:
        cif = _column_vector(supply_cells, "cif_fob_adjustment", allocated, "product")
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

    # ---- use (product x industry, product x final use) ------------------
    u_values, u_status = _block(
        use_cells, ["product", "product_not_allocated"], "industry", products, industries
    )
    U = _zero_gaps(u_values, u_status, table_id, "the use table")
    fd_codes = _codes(use_cells, "column", FINAL_DEMAND_ROLES)
    y_values, y_status = _block(
        use_cells, ["product", "product_not_allocated"], FINAL_DEMAND_ROLES, products, fd_codes
    )
    Y = (
        _zero_gaps(y_values, y_status, table_id, "final use")
        if fd_codes
        else np.zeros((len(products), 0))
    )
    primary_use = {
        role: v
        for role in (*ADDITIVE_PRIMARY_ROLES, *VALUE_ADDED_COMPONENTS)
        if (v := _vector(use_cells, role, industries)) is not None
    }
    output_row = _vector(use_cells, "output", industries)
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
        residual = g - U.sum(axis=0)
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
        primary_use["primary_inputs_residual"] = residual
        notes.append(
            "no value-added row in the use file: primary inputs = output - intermediate inputs"
        )
    total_row = _vector(use_cells, "total_intermediate", industries)
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
    total_col = _column_vector_all(use_cells, "total_intermediate", products)
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
    total_use = _column_vector_all(use_cells, "total_use", products)
    if total_use is not None and fd_codes:
        balance["use_row_balance"] = check_sums(
            table_id,
            "the use row balance (intermediate + final use = total use of the product)",
            products,
            total_use,
            U.sum(axis=1) + Y.sum(axis=1),
            len(industries) + len(fd_codes),
            **kwargs,
        )
    balance.update(_value_added_check(table_id, industries, primary_use, relative_tolerance, unit))

    # ---- derivation ------------------------------------------------------
    n_alloc = len(allocated)
    make = S[:n_alloc].T
    T, q = market_shares(make)
    no_output = np.flatnonzero(q == 0)
    if no_output.size:
        notes.append(
            "products without domestic output treated as not allocated: "
            + ", ".join(allocated[i] for i in no_output)
        )
    Z = T @ U[:n_alloc]
    F = T @ Y[:n_alloc] if fd_codes else np.zeros((len(industries), 0))
    non_allocated = U[n_alloc:].sum(axis=0) + U[:n_alloc][no_output].sum(axis=0)
    primary = dict(primary_use)
    primary["non_allocated_products"] = non_allocated
    household = None
    hh_codes = _codes(use_cells, "column", "household_consumption")
    if hh_codes:
        household = F[:, [fd_codes.index(c) for c in hh_codes]].sum(axis=1)
    if fd_codes:
        # The derived rows need not balance: they do only if the use table is
        # valued like the supply table (domestic output at basic prices). It
        # is recorded, not enforced.
        derived_gap = np.abs(Z.sum(axis=1) + F.sum(axis=1) - g) / np.where(g > 0, g, np.nan)
        balance["derived_row_gap"] = (
            float(np.nanmax(derived_gap)) if np.isfinite(derived_gap).any() else 0.0
        )
    n_suppressed = int(
        np.isin(s_status, [SUPPRESSED]).sum() + np.isin(u_status, [SUPPRESSED]).sum()
    )
    if n_suppressed:
        notes.append(
            f"{n_suppressed} suppressed (---) cells of the supply matrix and the intermediate-use block used as 0"
        )
    return SymmetricTable(
        table_id=table_id,
        labels=industries,
        Z=Z,
        x=g,
        final_demand=F,
        final_demand_codes=fd_codes,
        household_consumption=household,
        primary_inputs=primary,
        employment=None,
        flow_status=np.full(Z.shape, DERIVED, dtype=object),
        derivation=FIXED_PRODUCT_SALES,
        balance=balance,
        notes=notes,
    )


def _column_vector_all(
    cells: pd.DataFrame, column_role: str, products: Sequence[str]
) -> np.ndarray | None:
    part = cells[
        (cells["column_role"] == column_role)
        & cells["row_role"].isin(["product", "product_not_allocated"])
    ]
    if part.empty:
        return None
    summed = _gap_as_zero(part).groupby(part["row_code"]).sum(min_count=1)
    return summed.reindex(list(products)).to_numpy(dtype=float)


# --------------------------------------------------------------------------- #
# the same long cells as dbt staging builds, from a raw text frame (tests, bench)
# --------------------------------------------------------------------------- #
GAP_STATUS = {"---": SUPPRESSED, "n.p.": NOT_PUBLISHED}


def cells_from_text_table(frame: pd.DataFrame, layout: pd.DataFrame) -> pd.DataFrame:
    """Long cells of one raw file: ``frame`` as the loader reads it (every
    column text, plus ``_source_row``), ``layout`` the rows of
    ``io_table_layout.csv`` for that file. Mirrors the dbt staging + layout
    join, so tests and benchmarks can work without a warehouse."""
    rows = layout[layout["axis"] == "row"].assign(position=lambda d: d["position"].astype(int))
    cols = layout[layout["axis"] == "column"].assign(position=lambda d: d["position"].astype(int))
    wide = frame.set_index(frame["_source_row"].astype(int))[cols["source_label"].tolist()]
    wide = wide.loc[wide.index.intersection(rows["position"])]
    long = (
        wide.rename_axis("row_position")
        .reset_index()
        .melt(id_vars="row_position", var_name="source_label", value_name="cell_text")
    )
    long = long.merge(
        rows.rename(columns={"position": "row_position", "role": "row_role", "code": "row_code"})[
            ["row_position", "row_role", "row_code"]
        ],
        on="row_position",
    ).merge(
        cols.rename(
            columns={"position": "column_position", "role": "column_role", "code": "column_code"}
        )[["source_label", "column_position", "column_role", "column_code"]],
        on="source_label",
    )
    text = long["cell_text"].fillna("").astype(str).str.strip()
    value = pd.to_numeric(text.where(~text.isin(list(GAP_STATUS)) & (text != "")), errors="coerce")
    unreadable = value.isna() & ~text.isin(list(GAP_STATUS)) & (text != "")
    if unreadable.any():
        first = long[unreadable].iloc[0]
        raise ValueError(
            f"line {first['row_position']}, column {first['source_label']!r}: not a number {first['cell_text']!r}"
        )
    status = text.map(GAP_STATUS).fillna(PUBLISHED)
    status = status.where(text != "", EMPTY)
    return long.assign(value=value.astype(float), value_status=status)[
        [
            "row_position",
            "row_role",
            "row_code",
            "column_position",
            "column_role",
            "column_code",
            "value",
            "value_status",
        ]
    ]


# --------------------------------------------------------------------------- #
# all tables of the register, and their long form for the warehouse
# --------------------------------------------------------------------------- #
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
