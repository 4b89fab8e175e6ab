"""FLQ regionalisation (Flegg et al. 1995): ``a^r_ij = a_ij min(FLQ_ij, 1)``,
and the location quotients of groups of panel industries that an input-output
industry spans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dagster_project.methods.input_output.leontief import as_square


def grouped_location_quotients(
    regional: Mapping[str, float],
    national: Mapping[str, float],
    region_total: float,
    economy_total: float,
    groups: Mapping[str, Sequence[str]],
) -> pd.Series:
    """Simple location quotients of groups of panel industries (e.g. the ОКЭД
    sections an input-output industry spans): ``SLQ_g = (sum_s e_rs / e_r) /
    (sum_s E_s / E)``, the employment-weighted mean of the members' SLQs. A
    group with a member missing or without a figure gets NaN, never 0 or 1."""
    out = {}
    for group, members in groups.items():
        e_r = [regional.get(m) for m in members]
        e = [national.get(m) for m in members]
        known = all(v is not None and np.isfinite(v) for v in (*e_r, *e)) and sum(e) > 0
        out[group] = (sum(e_r) / region_total) / (sum(e) / economy_total) if known else np.nan
    return pd.Series(out, dtype=float)


def regionalise_coefficients(A: np.ndarray, flq: np.ndarray) -> np.ndarray:
    """``a^r_ij = a_ij min(FLQ_ij, 1)``: regional purchases can only be a share
    of the national input need; the remainder is imported from other regions.
    FLQ must be defined (finite, non-negative) for every cell."""
    A = as_square(A, "A")
    flq = np.asarray(flq, dtype=float)
    if flq.shape != A.shape:
        raise ValueError(f"FLQ shape {flq.shape} differs from A shape {A.shape}")
    if not np.all(np.isfinite(flq)) or (flq < 0).any():
        raise ValueError("FLQ must be finite and non-negative in every cell")
    return A * np.minimum(flq, 1.0)
