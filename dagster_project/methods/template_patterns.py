"""Feser-Bergman cluster templates, steps 1 and 2 (docs/DOMAIN.md, "Cluster
membership": "from Z build input shares (column-normalised) and output shares
(row-normalised); for each pair of industries take the largest of the
correlations between their buying and selling patterns").

1. ``input_purchase_patterns`` / ``output_sale_patterns``: the columns of
   ``Z`` (what industry j buys, as shares of its intermediate purchases) and
   its rows (what industry i sells, as shares of its intermediate sales).
2. ``pattern_correlations``: for every pair (i, j) the four Pearson
   correlations r(x_i, x_j), r(y_i, y_j), r(x_i, y_j), r(y_i, x_j) and their
   maximum ``L_ij``: two industries are linked if they buy alike, sell alike,
   or one buys what the other sells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dagster_project.methods.template_inputs import TemplateInputError, as_square_flows


def input_purchase_patterns(z: np.ndarray | pd.DataFrame) -> np.ndarray:
    """Column j = industry j's purchases from every industry as shares of its
    total intermediate purchases. A column whose purchases do not sum to a
    positive number has no pattern: it becomes NaN rather than a fake zero."""
    flows = as_square_flows(z)
    totals = flows.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = flows / totals[np.newaxis, :]
    shares[:, totals <= 0] = np.nan
    return shares


def output_sale_patterns(z: np.ndarray | pd.DataFrame) -> np.ndarray:
    """Row i = industry i's sales to every industry as shares of its total
    intermediate sales (NaN where it sells nothing to other industries)."""
    flows = as_square_flows(z)
    totals = flows.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = flows / totals[:, np.newaxis]
    shares[totals <= 0, :] = np.nan
    return shares



@dataclass(frozen=True)
class PatternCorrelations:
    """Correlations between the patterns of the ``industries`` kept.

    ``input_input[i, j]`` = r(x_i, x_j) (similar purchases),
    ``output_output[i, j]`` = r(y_i, y_j) (similar sales),
    ``input_output[i, j]`` = r(x_i, y_j) (i buys what j sells); the fourth,
    r(y_i, x_j), is its transpose. ``maximum`` is the largest defined one.
    ``excluded`` maps dropped industries to the reason."""

    industries: list[str]
    input_input: np.ndarray
    output_output: np.ndarray
    input_output: np.ndarray
    maximum: np.ndarray
    excluded: dict[str, str] = field(default_factory=dict)

    @property
    def output_input(self) -> np.ndarray:
        return self.input_output.T

    def long(self) -> pd.DataFrame:
        """One row per ordered pair of industries with the four correlations."""
        n = len(self.industries)
        i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        return pd.DataFrame(
            {
                "industry_code": np.asarray(self.industries, dtype=object)[i.ravel()],
                "other_industry_code": np.asarray(self.industries, dtype=object)[j.ravel()],
                "r_input_input": self.input_input.ravel(),
                "r_output_output": self.output_output.ravel(),
                "r_input_output": self.input_output.ravel(),
                "r_output_input": self.output_input.ravel(),
                "r_max": self.maximum.ravel(),
            }
        )


def _standardised_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows centred and scaled to unit norm, so a dot product is a Pearson r;
    rows that are missing or constant have no correlation (flag False)."""
    defined = np.isfinite(vectors).all(axis=1)
    filled = np.where(defined[:, None], vectors, 0.0)
    centred = filled - filled.mean(axis=1, keepdims=True)
    norms = np.sqrt((centred**2).sum(axis=1))
    # A constant pattern (e.g. equal purchases from every industry) has zero
    # variance: its correlation with anything is undefined, not zero. The
    # tolerance is relative to the pattern's own magnitude.
    scale = np.abs(filled).max(axis=1)
    defined &= norms > 1e-12 * scale * math.sqrt(vectors.shape[1])
    unit = np.zeros_like(filled)
    unit[defined] = centred[defined] / norms[defined, None]
    return unit, defined


def _correlation_block(a: np.ndarray, a_ok: np.ndarray, b: np.ndarray, b_ok: np.ndarray):
    block = np.clip(a @ b.T, -1.0, 1.0)
    block[~a_ok, :] = np.nan
    block[:, ~b_ok] = np.nan
    return block


def pattern_correlations(
    z: np.ndarray | pd.DataFrame, industries: Sequence[str] | None = None
) -> PatternCorrelations:
    """The Feser-Bergman linkage matrix of an intermediate flow matrix ``z``
    (rows sell, columns buy). Industries with neither a purchase nor a sale
    pattern (no intermediate flows at all, or constant ones) are dropped and
    listed in ``excluded``; everyone else has at least one defined
    correlation with everyone else, so ``maximum`` has no gaps.

    Pearson's r is invariant to rescaling a vector, so normalising by
    intermediate totals (as here) or by total outlays gives the same ``L``;
    the shares are kept because they are what the patterns mean."""
    flows = as_square_flows(z)
    if industries is None:
        industries = [str(k) for k in range(flows.shape[0])]
    industries = [str(code) for code in industries]
    if len(industries) != flows.shape[0]:
        raise TemplateInputError(
            f"{len(industries)} industry codes for a {flows.shape[0]}x{flows.shape[0]} matrix"
        )
    if len(set(industries)) != len(industries):
        raise TemplateInputError("industry codes are not unique")

    x_unit, x_ok = _standardised_rows(input_purchase_patterns(flows).T)
    y_unit, y_ok = _standardised_rows(output_sale_patterns(flows))
    keep = x_ok | y_ok
    excluded = {
        code: "no intermediate purchases or sales with a defined pattern"
        for code, kept in zip(industries, keep, strict=True)
        if not kept
    }
    if keep.sum() < 2:
        raise TemplateInputError("fewer than two industries have intermediate flows")

    # Correlations are computed over all n industries of the table (the
    # dropped ones still are purchase/sale destinations), then restricted.
    xx = _correlation_block(x_unit, x_ok, x_unit, x_ok)
    yy = _correlation_block(y_unit, y_ok, y_unit, y_ok)
    xy = _correlation_block(x_unit, x_ok, y_unit, y_ok)
    stacked = np.stack([xx, yy, xy, xy.T])
    idx = np.ix_(keep, keep)
    stacked = stacked[:, idx[0], idx[1]]
    maximum = np.nanmax(stacked, axis=0)
    np.fill_diagonal(maximum, 1.0)
    return PatternCorrelations(
        industries=[c for c, k in zip(industries, keep, strict=True) if k],
        input_input=stacked[0],
        output_output=stacked[1],
        input_output=stacked[2],
        maximum=maximum,
        excluded=excluded,
    )
