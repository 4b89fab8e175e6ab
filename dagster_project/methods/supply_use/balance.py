"""Balance checks of a published table.

A published total passes when it differs from the sum of its cells by at most
``max(relative_tolerance * |total|, 0.5 * unit * n)``: the larger of a share of
the total and the rounding of n cells each rounded to ``unit`` (the unit the
table is printed in, :func:`rounding_unit`). A table that fails raises
:class:`TableBalanceError` naming the table, the check and every offending row
with its numbers; a table that passes records the largest relative gap of
each check.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dagster_project.methods.supply_use.cells import EMPTY, SUPPRESSED, VALUE_ADDED_COMPONENTS


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


def zero_gaps(values: np.ndarray, status: np.ndarray, table: str, what: str) -> np.ndarray:
    """Suppressed and empty cells count as 0; a cell absent from the file or
    not published must have been imputed before this point (the completeness
    check)."""
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


def value_added_check(
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
