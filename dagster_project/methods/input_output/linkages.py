"""Rasmussen (1956) linkages: backward ``BL_j = n (1'L)_j / 1'L1``, forward
from the Ghosh inverse ``FL_i = n (G1)_i / 1'G1``; a key sector has both above
1. ``G = diag(x)^-1 L diag(x)`` exactly, so the forward linkages come from
``L`` and ``x`` without a second inversion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dagster_project.methods.input_output.leontief import as_square


@dataclass(frozen=True)
class Linkages:
    backward: np.ndarray
    forward: np.ndarray
    backward_raw: np.ndarray
    forward_raw: np.ndarray

    @property
    def key_sector(self) -> np.ndarray:
        return (self.backward > 1.0) & (self.forward > 1.0)


def rasmussen_linkages(L: np.ndarray, x: np.ndarray) -> Linkages:
    """Backward linkages from column sums of L, forward linkages from row sums
    of the Ghosh inverse (computed as ``(L x)_i / x_i``), both normalised by
    their average so that 1 is the economy's mean."""
    L = as_square(L, "L")
    x = np.asarray(x, dtype=float).ravel()
    n = L.shape[0]
    backward_raw = L.sum(axis=0)
    forward_raw = (L @ x) / x
    return Linkages(
        backward=n * backward_raw / backward_raw.sum(),
        forward=n * forward_raw / forward_raw.sum(),
        backward_raw=backward_raw,
        forward_raw=forward_raw,
    )
