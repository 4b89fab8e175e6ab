"""Suppressed cells with known totals: ABS's ``n.p.`` (confidential) cells are
not zero, and their sum per row and per column is known from the published
totals, so they are imputed by RAS (biproportional scaling) to those residuals
and flagged ``imputed_from_totals`` (``conversion.supply_matrix``)."""

from __future__ import annotations

import numpy as np


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
