"""Reference implementations for the input-output tests (and nothing else):
quantities the product computes another way (or never needs), written out
directly from their definitions so that the tests can compare the two."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dagster_project.methods.input_output import HouseholdClosure, as_square


def ghosh_inverse(L: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``G = (I - B)^-1 = diag(x)^-1 L diag(x)``, B the allocation coefficients
    (the product's forward linkages use ``(L x)_i / x_i`` instead)."""
    L = as_square(L, "L")
    x = np.asarray(x, dtype=float).ravel()
    return L * x[np.newaxis, :] / x[:, np.newaxis]


def closed_coefficient_matrix(A: np.ndarray, closure: HouseholdClosure) -> np.ndarray:
    """``[[A, h_c], [h_r, 0]]``: the closed coefficient matrix, to be inverted
    by a general routine and compared with the partitioned closure."""
    n = A.shape[0]
    out = np.zeros((n + 1, n + 1))
    out[:n, :n] = A
    out[:n, n] = closure.consumption_coefficients
    out[n, :n] = closure.labour_coefficients
    return out


def closed_inverse(closure: HouseholdClosure, L: np.ndarray) -> np.ndarray:
    """The full (n+1) x (n+1) closed inverse from the partitioned form
    (industry block ``L + outer(L h_c, h_r L) / s``, household column and row
    divided by the Schur complement s)."""
    n = L.shape[0]
    out = np.empty((n + 1, n + 1))
    out[:n, :n] = L + np.outer(closure.L_hc, closure.hr_L) / closure.schur
    out[:n, n] = closure.L_hc / closure.schur
    out[n, :n] = closure.hr_L / closure.schur
    out[n, n] = 1.0 / closure.schur
    return out


def square_to_long(
    matrix: np.ndarray, labels: Sequence[str], value_name: str, *, row_name: str, column_name: str
) -> pd.DataFrame:
    """A square matrix as a long frame (row label, column label, value), the
    shape :func:`long_to_square` reads."""
    matrix = as_square(matrix, value_name)
    codes = np.asarray(list(labels), dtype=object)
    n = len(codes)
    return pd.DataFrame(
        {
            row_name: np.repeat(codes, n),
            column_name: np.tile(codes, n),
            value_name: matrix.reshape(-1),
        }
    )
