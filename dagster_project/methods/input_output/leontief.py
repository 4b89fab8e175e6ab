"""The Leontief model of one table: technical coefficients ``A = Z diag(x)^-1``
and the Leontief inverse ``L = (I - A)^-1`` (Miller & Blair 2009, ch. 2), with
errors that name the table and the industries; and BNS's cost ratios, which
look like ``A`` but are not (:func:`supply_cost_ratios`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Tolerance for "L >= 0": LAPACK round-off leaves entries of order 1e-16 x the
# largest entry where the exact inverse has zeros (e.g. industries that buy
# nothing from each other); anything more negative means I - A is not productive.
_NEGATIVE_TOLERANCE = 1e-10


class IOModelError(ValueError):
    """The table cannot be used for the input-output model. The message names
    the table, the problem, and the offending industries."""

    def __init__(self, table: str, problem: str, industries: Sequence[str] = ()) -> None:
        self.table = table
        self.problem = problem
        self.industries = list(industries)
        where = f"; offending industries: {', '.join(self.industries)}" if self.industries else ""
        super().__init__(f"input-output table {table!r}: {problem}{where}")


def as_labels(n: int, labels: Sequence[str] | None) -> list[str]:
    """Industry labels as text, or their positions when there are none."""
    if labels is None:
        return [str(i) for i in range(n)]
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} industries")
    return [str(label) for label in labels]


def as_square(matrix: np.ndarray, name: str) -> np.ndarray:
    """The matrix as floats; ValueError naming it unless it is square."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {matrix.shape}")
    return matrix


def technical_coefficients(
    Z: np.ndarray,
    x: np.ndarray,
    *,
    table: str = "table",
    labels: Sequence[str] | None = None,
) -> np.ndarray:
    """``A = Z diag(x)^-1``. Output must be positive: an industry without
    output has no input structure (callers drop such industries first), and a
    negative output is an error in the table."""
    Z = as_square(Z, "Z")
    x = np.asarray(x, dtype=float).ravel()
    if x.shape[0] != Z.shape[0]:
        raise ValueError(f"x has {x.shape[0]} entries for a {Z.shape[0]}x{Z.shape[0]} Z")
    names = as_labels(len(x), labels)
    bad = ~np.isfinite(x) | (x <= 0)
    if bad.any():
        offending = [f"{names[i]} (output {x[i]:g})" for i in np.flatnonzero(bad)]
        raise IOModelError(
            table, "output must be positive to form technical coefficients", offending
        )
    return Z / x[np.newaxis, :]


def leontief_inverse(
    A: np.ndarray, *, table: str = "table", labels: Sequence[str] | None = None
) -> np.ndarray:
    """``L = (I - A)^-1`` by LU factorisation (numpy's LAPACK ``gesv``).

    numpy's LAPACK rather than scipy's: the two wheels bundle separate OpenBLAS
    builds, and alternating between their thread pools (numpy for the matrix
    products around the inversion, scipy for the inversion) makes them spin
    against each other on a small machine.

    Raises :class:`IOModelError` when ``I - A`` is singular or the inverse has
    negative entries (the table is not productive); the message names the
    industries whose input coefficients sum to 1 or more, the usual cause."""
    A = as_square(A, "A")
    n = A.shape[0]
    names = as_labels(n, labels)
    system = np.negative(A)
    system[np.diag_indices(n)] += 1.0
    column_sums = A.sum(axis=0)
    suspects = [
        f"{names[j]} (column sum of A {column_sums[j]:.6g})"
        for j in np.flatnonzero(column_sums >= 1.0)
    ]
    try:
        L = np.linalg.inv(system)
    except np.linalg.LinAlgError as exc:
        raise IOModelError(table, f"I - A is singular ({exc})", suspects) from exc
    del system
    if not np.all(np.isfinite(L)):
        raise IOModelError(table, "I - A is singular (the inverse is not finite)", suspects)
    floor = -_NEGATIVE_TOLERANCE * max(1.0, float(L.max()), -float(L.min()))
    if L.min() < floor:
        negative_columns = np.flatnonzero((L < floor).any(axis=0))
        offending = suspects or [names[j] for j in negative_columns]
        raise IOModelError(
            table,
            "the Leontief inverse has negative entries: the table is not productive "
            f"(columns with negative entries: {', '.join(names[j] for j in negative_columns[:20])})",
            offending,
        )
    return L


def supply_cost_ratios(Z: np.ndarray, output: np.ndarray, imports: np.ndarray) -> np.ndarray:
    """BNS's "direct cost ratios" (sheet 9 of its input-output workbook):
    intermediate use at basic prices, domestic and imported together, over the
    *total supply* of the using column's product, ``D = Z diag(x + m)^-1``.
    BNS closes each product column with its competing imports, so a column of
    D plus its value-added and import shares sums to 1; the "total cost
    ratios" (sheet 10) are ``(I - D)^-1``. Neither is the domestic technical
    coefficient ``Z_domestic diag(x)^-1``: D counts imported inputs as if they
    were produced at home, and scales by supply instead of output."""
    Z = as_square(Z, "Z")
    supply = np.asarray(output, dtype=float).ravel() + np.asarray(imports, dtype=float).ravel()
    if supply.shape[0] != Z.shape[0] or not np.all(supply > 0):
        raise ValueError("total supply (output + imports) must be positive for every column")
    return Z / supply[np.newaxis, :]
