"""Regional clusters: a cluster template's member industries in one region,
scored the way the European Cluster Observatory rates regional clusters.

For a template c and region r (employment of the template's industries as
they appear in the regional panel):

- ``share_of_region`` = e_rc / e_r;
- ``cluster_lq`` = (e_rc / e_r) / (E_c / E), E_c and E the national totals;
- three stars (each 0 or 1, thresholds are parameters):
  * size: e_rc is among the top ``top_share`` of the regions for template c;
  * specialisation: cluster_lq >= ``star_lq`` (2 in the Observatory);
  * focus: e_rc / e_r is among the top ``top_share`` of all (region,
    template) pairs of the same template set. The Observatory ranks focus
    across all clusters: within one template it would rank the regions in
    exactly the order of the LQ (e_rc / e_r divided by a constant) and so
    repeat the specialisation star.

"Top share p of N candidates" means the ceil(p * N) largest values; a value
tied with the last one admitted is admitted too, and a region with no
employment in the cluster never gets a star.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd


class ClusterScoreError(ValueError):
    """Inputs that cannot be scored; the message names the column and row."""


REQUIRED = (
    "region_code",
    "cluster_id",
    "cluster_employment",
    "region_employment",
    "national_cluster_employment",
    "national_employment",
)


def top_share_flags(values: pd.Series, top_share: float) -> pd.Series:
    """True for the ceil(top_share * N) largest positive values of ``values``
    (N = number of non-missing values), ties with the last admitted included.
    Values within 1e-12 (relative) of the last admitted one are ties: shares are
    sums computed in parallel, whose last bit depends on the order of additions,
    and a star must not depend on it."""
    if not 0.0 < top_share <= 1.0:
        raise ClusterScoreError(f"top share must be in (0, 1], got {top_share}")
    present = values.dropna()
    flags = pd.Series(False, index=values.index)
    if present.empty:
        return flags
    admitted = math.ceil(top_share * len(present) - 1e-9)
    threshold = present.sort_values(ascending=False).iloc[admitted - 1]
    flags.loc[present.index] = (present >= threshold - abs(threshold) * 1e-12) & (present > 0)
    return flags


def score_regional_clusters(
    frame: pd.DataFrame,
    top_share: float = 0.10,
    star_lq: float = 2.0,
    panel_keys: Sequence[str] = (),
    template_set_keys: Sequence[str] = (),
) -> pd.DataFrame:
    """Add share_of_region, cluster_lq and the three stars to ``frame`` (one
    row per region x cluster with the ``REQUIRED`` columns). ``panel_keys``
    name the columns that identify one regional panel (e.g. economy, year,
    measure): every ranking happens within a panel. ``template_set_keys``
    (e.g. the I-O table) further delimit the focus ranking."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ClusterScoreError(f"cluster scores need column(s) {missing}")
    out = frame.copy()
    for column in REQUIRED[2:]:
        values = pd.to_numeric(out[column], errors="coerce")
        negative = values < 0
        if negative.any():
            row = out.loc[negative].iloc[0]
            raise ClusterScoreError(
                f"negative {column} {row[column]} for region {row['region_code']!r}, "
                f"cluster {row['cluster_id']!r}"
            )
        out[column] = values
    keys = list(panel_keys)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_of_region"] = out["cluster_employment"] / out["region_employment"].where(
            out["region_employment"] > 0
        )
        national_share = out["national_cluster_employment"] / out["national_employment"].where(
            out["national_employment"] > 0
        )
        out["cluster_lq"] = out["share_of_region"] / national_share.where(national_share > 0)

    size_groups = keys + ["cluster_id"]
    focus_groups = keys + list(template_set_keys)
    out["size_star"] = _flag_within(out, size_groups, "cluster_employment", top_share)
    out["specialisation_star"] = (out["cluster_lq"] >= star_lq).fillna(False).astype(bool)
    out["focus_star"] = _flag_within(out, focus_groups, "share_of_region", top_share)
    out["stars"] = out[["size_star", "specialisation_star", "focus_star"]].sum(axis=1).astype(int)
    return out


def _flag_within(frame: pd.DataFrame, keys: list[str], column: str, top_share: float) -> pd.Series:
    if not keys:
        return top_share_flags(frame[column], top_share)
    flags = pd.Series(False, index=frame.index)
    for _, part in frame.groupby(keys, sort=False, dropna=False):
        flags.loc[part.index] = top_share_flags(part[column], top_share)
    return flags
