"""Feser-Bergman cluster templates, step 0: the intermediate flow matrix ``Z``
of one input-output table (docs/DOMAIN.md, "Cluster membership": "from Z build
input shares ... and output shares"), from the long flows the warehouse holds.

A gap is not a zero flow: a missing value stops the templates with the pair
named; a pair absent from the long table is a zero flow. No Dagster or DuckDB
in here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


class TemplateInputError(ValueError):
    """The input cannot yield templates; the message says which input and why."""


def as_square_flows(z: np.ndarray | pd.DataFrame) -> np.ndarray:
    """``z`` as a square float matrix of finite flows, or the reason it is not one."""
    flows = np.asarray(z, dtype=float)
    if flows.ndim != 2 or flows.shape[0] != flows.shape[1]:
        raise TemplateInputError(f"intermediate flows must be a square matrix, got {flows.shape}")
    if not np.isfinite(flows).all():
        rows, cols = np.nonzero(~np.isfinite(flows))
        raise TemplateInputError(
            f"intermediate flows contain a non-finite value at row {rows[0]}, column {cols[0]}"
        )
    return flows


def flows_matrix(
    flows: pd.DataFrame,
    from_col: str = "from_industry_code",
    to_col: str = "to_industry_code",
    value_col: str = "flow_value",
    industries: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Square industries x industries matrix from long flows (as in
    ``fct_io_flows``). Pairs absent from the long table are zero flows;
    a pair present twice is refused, as is a missing value (a gap is not a
    zero). ``industries`` fixes the order (default: sorted union)."""
    missing = flows[value_col].isna()
    if missing.any():
        row = flows.loc[missing].iloc[0]
        raise TemplateInputError(
            f"flow {row[from_col]!r} -> {row[to_col]!r} has no value; a gap is not a zero flow"
        )
    dup = flows.duplicated([from_col, to_col])
    if dup.any():
        row = flows.loc[dup].iloc[0]
        raise TemplateInputError(f"flow {row[from_col]!r} -> {row[to_col]!r} appears twice")
    codes = (
        list(industries)
        if industries is not None
        else sorted(set(flows[from_col]) | set(flows[to_col]))
    )
    matrix = flows.pivot(index=from_col, columns=to_col, values=value_col)
    return matrix.reindex(index=codes, columns=codes).fillna(0.0).astype(float)


def industries_in_order(flows: pd.DataFrame) -> list[str]:
    """Industry codes of one table's long flows in the table's own order
    (``from_position`` / ``to_position``, as in ``dim_io_industry``)."""
    ends = pd.concat(
        [
            flows[["from_industry_code", "from_position"]].set_axis(["code", "position"], axis=1),
            flows[["to_industry_code", "to_position"]].set_axis(["code", "position"], axis=1),
        ]
    ).drop_duplicates()
    clash = ends["code"].duplicated(keep=False)
    if clash.any():
        raise TemplateInputError(
            f"industry {ends.loc[clash, 'code'].iloc[0]!r} has two positions in one table"
        )
    return ends.sort_values(["position", "code"])["code"].tolist()
