"""Location quotients and the regional indicators built on them (docs/DOMAIN.md,
method 1 of seed 003, "factors of location").

Reference implementations in pandas/numpy: the warehouse computes the same
figures in SQL (``dbt/models/marts/regional``) for speed, and the tests check
both against each other and against independent computations. Every function
takes plain arrays or long DataFrames and never touches a database.

Notation: ``e_ri`` value of industry i in region r, ``e_r`` region total,
``E_i`` industry total of the economy, ``E`` economy total.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# European Cluster Observatory conventions; the warehouse reads them from the
# dbt vars lq_specialised_threshold / lq_star_threshold.
SPECIALISED_THRESHOLD = 1.25
STAR_THRESHOLD = 2.0
# Flegg & Webber (1997) found delta about 0.3 to fit survey-based tables.
FLQ_DELTA = 0.3

LQ_CLASSES = ("star", "specialised", "not_specialised")


def location_quotient(e_ri, e_r, e_i, e):
    """Simple LQ ``(e_ri / e_r) / (E_i / E)``; NaN where a total is zero or
    missing (an LQ of an empty region or industry is undefined, not 0)."""
    e_ri, e_r, e_i, e = (np.asarray(x, dtype=float) for x in (e_ri, e_r, e_i, e))
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (e_ri / e_r) / (e_i / e)
    return np.where(np.isfinite(lq), lq, np.nan)


def classify_lq(
    lq, specialised: float = SPECIALISED_THRESHOLD, star: float = STAR_THRESHOLD
) -> np.ndarray:
    """'star' (LQ >= star), 'specialised' (>= specialised), 'not_specialised',
    or None where the LQ is undefined."""
    if star < specialised:
        raise ValueError(f"star threshold {star} is below the specialised threshold {specialised}")
    lq = np.asarray(lq, dtype=float)
    classes = np.where(
        lq >= star, "star", np.where(lq >= specialised, "specialised", "not_specialised")
    ).astype(object)
    classes[np.isnan(lq)] = None
    return classes


def location_quotients(
    frame: pd.DataFrame,
    *,
    partition: Sequence[str] = ("economy_code", "classification", "year", "measure"),
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    in_partition: str | None = None,
) -> pd.DataFrame:
    """LQs of a long panel, totals as sums over the panel itself.

    ``partition`` columns delimit one economy-year-measure; ``in_partition``
    (optional boolean column) marks the industries that are mutually exclusive,
    so that an "of which" line (e.g. manufacturing inside B-E) gets an LQ but
    is not counted twice in the region and economy totals. Missing values (gap
    markers) count as unknown: they are left out of the sums and get no LQ.
    """
    keys = list(partition)
    out = frame.copy()
    counted = out[value].where(out[in_partition].astype(bool)) if in_partition else out[value]
    out["_counted"] = counted
    out["region_total"] = out.groupby(keys + [region], dropna=False)["_counted"].transform(
        lambda s: s.sum(min_count=1)
    )
    out["industry_total"] = out.groupby(keys + [industry], dropna=False)[value].transform(
        lambda s: s.sum(min_count=1)
    )
    out["economy_total"] = out.groupby(keys, dropna=False)["_counted"].transform(
        lambda s: s.sum(min_count=1)
    )
    out = out.drop(columns="_counted")
    out["lq"] = location_quotient(
        out[value], out["region_total"], out["industry_total"], out["economy_total"]
    )
    return out


def flegg_lambda(region_share, delta: float = FLQ_DELTA):
    """Flegg's regional size factor ``λ = [log2(1 + E_r / E)]^δ``, 0 < λ <= 1
    for a region smaller than the economy."""
    if not 0 <= delta < 1:
        raise ValueError(f"delta must lie in [0, 1), got {delta}")
    share = np.asarray(region_share, dtype=float)
    if np.any((share < 0) | (share > 1)):
        raise ValueError("a region's share of the economy must lie in [0, 1]")
    return np.log2(1.0 + share) ** delta


def cross_industry_lq(slq_supplying, slq_buying):
    """``CILQ_ij = SLQ_i / SLQ_j`` (i supplying, j buying); NaN where SLQ_j is 0."""
    slq_i = np.asarray(slq_supplying, dtype=float)
    slq_j = np.asarray(slq_buying, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cilq = slq_i / slq_j
    return np.where(np.isfinite(cilq), cilq, np.nan)


def flq_matrix(slq: pd.Series, region_share: float, delta: float = FLQ_DELTA) -> pd.DataFrame:
    """Flegg location quotients of one region, supplying industries in rows and
    buying industries in columns: ``FLQ_ij = λ · CILQ_ij`` off the diagonal and
    ``λ · SLQ_i`` on it (Flegg & Webber 1997: the diagonal CILQ, always 1,
    would ignore the region's own specialisation)."""
    values = slq.to_numpy(dtype=float)
    lam = float(flegg_lambda(region_share, delta))
    cilq = cross_industry_lq(values[:, None], values[None, :])
    np.fill_diagonal(cilq, values)
    return pd.DataFrame(lam * cilq, index=slq.index, columns=slq.index)


def regionalise_coefficients(national: pd.DataFrame, flq: pd.DataFrame) -> pd.DataFrame:
    """Regional input coefficients ``a^r_ij = a_ij · min(FLQ_ij, 1)``: an
    industry never imports less than nothing, so FLQ above 1 leaves a_ij as is."""
    if not (national.index.equals(flq.index) and national.columns.equals(flq.columns)):
        raise ValueError("coefficient and FLQ matrices must have the same industries in order")
    return national * np.minimum(flq, 1.0)


def cagr(start, end, years):
    """Compound annual growth rate ``(end / start)^(1 / years) - 1``; NaN when
    either level is missing or not positive, or when no time elapses."""
    start, end, years = (np.asarray(x, dtype=float) for x in (start, end, years))
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(
            (start > 0) & (end > 0) & (years > 0), (end / start) ** (1.0 / years) - 1.0, np.nan
        )
    return rate


def shift_share(e_ri0, e_rit, e_i0, e_it, e0, et) -> pd.DataFrame:
    """Classic shift-share of the change of ``e_ri`` between a base and an end
    year: national growth ``e_ri0·g``, industry mix ``e_ri0·(g_i − g)`` and
    regional shift ``e_ri0·(g_ri − g_i)``, which add up to ``e_rit − e_ri0``."""
    e_ri0, e_rit, e_i0, e_it, e0, et = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(x, dtype=float)) for x in (e_ri0, e_rit, e_i0, e_it, e0, et))
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        g = et / e0 - 1.0
        g_i = e_it / e_i0 - 1.0
        g_ri = e_rit / e_ri0 - 1.0
        national = e_ri0 * g
        mix = e_ri0 * (g_i - g)
        regional = e_ri0 * (g_ri - g_i)
    # A region-industry cell that starts at zero has no growth rate; its whole
    # change is regional, which keeps the three effects adding up.
    zero_start = e_ri0 == 0
    regional = np.where(zero_start, e_rit - e_ri0, regional)
    national = np.where(zero_start, 0.0, national)
    mix = np.where(zero_start, 0.0, mix)
    return pd.DataFrame(
        {
            "change": e_rit - e_ri0,
            "national_growth_effect": national,
            "industry_mix_effect": mix,
            "regional_shift_effect": regional,
        }
    )


def _shares(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    total = values.sum()
    if not total > 0:
        raise ValueError("shares need a positive total")
    return values / total


def hachman_index(region_values, economy_values) -> float:
    """Hachman index ``HI_r = 1 / Σ_i LQ_ri · s_ri`` (s_ri the industry's share
    of the region): 1 when the region has the economy's structure, towards 0
    the more it is specialised."""
    s_r = _shares(region_values)
    s = _shares(economy_values)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s_r > 0, s_r * s_r / s, 0.0)
    return float(1.0 / terms.sum())


def krugman_index(region_values, reference_values) -> float:
    """Krugman specialisation index ``K = Σ_i |s_ri − s_i^ref|`` in [0, 2].
    Krugman (1991) compares a region with the rest of the economy (pass the
    economy minus the region); comparing with the economy total is also common."""
    return float(np.abs(_shares(region_values) - _shares(reference_values)).sum())
