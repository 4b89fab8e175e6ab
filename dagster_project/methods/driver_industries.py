"""Hill & Brennan (2000) driver industries of a region.

Hill, E. W. & Brennan, J. F. (2000), "A methodology for identifying the
drivers of industrial clusters: the foundation of regional competitive
advantage", *Economic Development Quarterly* 14(1), 65-96. Seed 003 applies
it to East Kazakhstan: Ward's hierarchical clustering put the oblast's 21
industries into 7 groups, and discriminant analysis split the groups into
three classes: (1) non-basic / not competitive, (2) middle, (3) competitive,
"the economic base of the region, candidates for driver industries".

The steps for one region (one row per industry, one column per indicator):

1. ``standardise``: z-scores across the region's industries, so that LQ,
   employment shares, growth rates and shift-share components weigh alike.
2. ``ward_groups``: Ward's minimum-variance agglomeration on Euclidean
   distances of the z-scores (scipy), cut into ``n_groups`` groups.
3. ``classify_groups``: the rule that turns groups into the three classes.
   Seed 003 does not print its rule, so this one is stated explicitly, from
   economic-base theory (an LQ above 1 means the region produces more than
   its own demand, i.e. "exports"):
   - non_basic: the group's mean LQ is below ``basic_lq`` (1);
   - competitive: the group's mean LQ reaches ``specialised_lq`` (1.25, the
     project's specialisation threshold) and its mean z-score over the other
     indicators (size, growth, shift-share, productivity) is at least 0,
     i.e. it does at least as well as the region's average industry;
   - middle: every other group.
4. ``discriminant_classes``: linear discriminant analysis (scikit-learn)
   fitted on the industries' z-scores with the rule's classes; each industry
   is re-assigned to the class of highest posterior probability, which is
   how Hill & Brennan used it to confirm or correct the cluster-based
   assignment. The competitive class are the driver candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import cut_tree, linkage
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

NON_BASIC = "non_basic"
MIDDLE = "middle"
COMPETITIVE = "competitive"
CLASSES = (NON_BASIC, MIDDLE, COMPETITIVE)


class DriverInputError(ValueError):
    """Indicators that cannot be clustered; the message says which and why."""


def usable_indicators(indicators: pd.DataFrame, lq_column: str = "lq") -> tuple[pd.DataFrame, dict]:
    """Keep the indicator columns that have a value for at least one industry
    and vary across industries, then the industries with a value in each.
    Returns the kept block and a dict of what was dropped and why (a gap is
    not imputed: an industry with an unknown indicator cannot be placed)."""
    if lq_column not in indicators.columns:
        raise DriverInputError(f"indicators lack the location quotient column {lq_column!r}")
    dropped: dict[str, str] = {}
    block = indicators.apply(pd.to_numeric, errors="raise").astype(float)
    for column in block.columns:
        values = block[column]
        if values.isna().all():
            dropped[column] = "indicator not available for this region"
        elif values.nunique(dropna=True) < 2 and column != lq_column:
            dropped[column] = "indicator does not vary across industries"
    block = block.drop(columns=[c for c in dropped if c in block.columns])
    incomplete = block.isna().any(axis=1)
    for industry in block.index[incomplete]:
        missing = ", ".join(block.columns[block.loc[industry].isna()])
        dropped[str(industry)] = f"industry lacks indicator(s): {missing}"
    return block.loc[~incomplete], dropped


def standardise(block: pd.DataFrame) -> pd.DataFrame:
    """Population z-scores per column (an indicator that does not vary gets
    zeros: it cannot separate industries)."""
    centred = block - block.mean(axis=0)
    spread = block.std(axis=0, ddof=0).replace(0.0, np.nan)
    return (centred / spread).fillna(0.0)


def ward_groups(z_scores: pd.DataFrame, n_groups: int) -> pd.Series:
    """Ward's clustering cut into ``n_groups`` groups (at most one per
    industry). Groups are numbered 1.. by descending mean z-score of their
    members over all indicators, so group 1 is the strongest on average;
    the numbering does not change the partition."""
    n = len(z_scores)
    if n < 2:
        raise DriverInputError(f"Ward clustering needs at least 2 industries, got {n}")
    if n_groups < 1:
        raise DriverInputError(f"number of Ward groups must be at least 1, got {n_groups}")
    k = min(n_groups, n)
    tree = linkage(z_scores.to_numpy(dtype=float), method="ward", metric="euclidean")
    raw = cut_tree(tree, n_clusters=k).ravel()
    strength = pd.Series(z_scores.mean(axis=1).to_numpy()).groupby(raw).mean()
    ranked = strength.sort_values(ascending=False, kind="stable").index
    number = {old: new for new, old in enumerate(ranked, start=1)}
    return pd.Series([number[g] for g in raw], index=z_scores.index, name="ward_group")


def classify_groups(
    block: pd.DataFrame,
    z_scores: pd.DataFrame,
    groups: pd.Series,
    lq_column: str = "lq",
    basic_lq: float = 1.0,
    specialised_lq: float = 1.25,
) -> pd.DataFrame:
    """One row per Ward group: mean LQ, mean z-score of the other
    indicators, and the class given by the rule in the module docstring."""
    if basic_lq > specialised_lq:
        raise DriverInputError("the basic LQ threshold cannot exceed the specialised one")
    others = [c for c in z_scores.columns if c != lq_column]
    summary = pd.DataFrame(
        {
            "group_mean_lq": block[lq_column].groupby(groups).mean(),
            "group_other_z": (
                z_scores[others].mean(axis=1).groupby(groups).mean()
                if others
                else pd.Series(0.0, index=sorted(groups.unique()))
            ),
            "group_size": groups.value_counts().sort_index(),
        }
    )
    summary.index.name = "ward_group"
    klass = np.where(
        summary["group_mean_lq"] < basic_lq,
        NON_BASIC,
        np.where(
            (summary["group_mean_lq"] >= specialised_lq) & (summary["group_other_z"] >= 0.0),
            COMPETITIVE,
            MIDDLE,
        ),
    )
    summary["group_class"] = klass
    return summary


@dataclass(frozen=True)
class DiscriminantResult:
    classes: pd.Series  # predicted class per industry
    posteriors: pd.DataFrame  # columns = CLASSES, NaN where not fitted
    fitted: bool
    reason: str = ""


def discriminant_classes(z_scores: pd.DataFrame, initial: pd.Series) -> DiscriminantResult:
    """LDA of the industries' z-scores on their initial classes. It needs at
    least two classes and more industries than classes; otherwise the initial
    classes stand and ``fitted`` is False with the reason."""
    present = sorted(initial.unique())
    empty = pd.DataFrame(np.nan, index=z_scores.index, columns=list(CLASSES))
    if len(present) < 2:
        return DiscriminantResult(initial.copy(), empty, False, "only one class present")
    if len(z_scores) <= len(present):
        return DiscriminantResult(initial.copy(), empty, False, "no more industries than classes")
    model = LinearDiscriminantAnalysis(solver="svd")
    model.fit(z_scores.to_numpy(dtype=float), initial.to_numpy())
    proba = model.predict_proba(z_scores.to_numpy(dtype=float))
    posteriors = empty.copy()
    for idx, klass in enumerate(model.classes_):
        posteriors[klass] = proba[:, idx]
    # Classes absent from the region have posterior 0, not "unknown".
    posteriors = posteriors.fillna(0.0)
    predicted = pd.Series(model.predict(z_scores.to_numpy(dtype=float)), index=z_scores.index)
    return DiscriminantResult(predicted, posteriors, True)


@dataclass(frozen=True)
class DriverResult:
    industries: pd.DataFrame  # one row per industry placed (see driver_industries)
    groups: pd.DataFrame  # one row per Ward group (classify_groups)
    indicators_used: list[str]
    dropped: dict[str, str] = field(default_factory=dict)
    lda_fitted: bool = False
    lda_note: str = ""


def driver_industries(
    indicators: pd.DataFrame,
    n_groups: int = 7,
    lq_column: str = "lq",
    basic_lq: float = 1.0,
    specialised_lq: float = 1.25,
) -> DriverResult:
    """Hill-Brennan classification of one region's industries. ``indicators``
    is indexed by industry code, one numeric column per indicator, all
    oriented so that higher means more competitive (LQ, employment share,
    growth, shift-share components, productivity).

    Result columns per industry: the z-scores (``z_<indicator>``),
    ``ward_group``, ``ward_groups_used``, ``group_class`` (the rule),
    ``lda_class``, ``posterior_<class>``, ``driver_class`` (the LDA class
    where LDA could be fitted, otherwise the rule's) and
    ``is_driver_candidate``."""
    block, dropped = usable_indicators(indicators, lq_column)
    if len(block) < 2:
        raise DriverInputError(
            f"only {len(block)} industries have every indicator; dropped: {dropped}"
        )
    z = standardise(block)
    groups = ward_groups(z, n_groups)
    summary = classify_groups(block, z, groups, lq_column, basic_lq, specialised_lq)
    initial = groups.map(summary["group_class"])
    lda = discriminant_classes(z, initial)
    out = z.add_prefix("z_")
    out["ward_group"] = groups
    out["ward_groups_used"] = int(groups.nunique())
    out["group_class"] = initial
    out["lda_class"] = lda.classes if lda.fitted else None
    for klass in CLASSES:
        out[f"posterior_{klass}"] = lda.posteriors[klass]
    out["driver_class"] = lda.classes
    out["is_driver_candidate"] = out["driver_class"] == COMPETITIVE
    out.index.name = "industry_code"
    return DriverResult(
        industries=out,
        groups=summary,
        indicators_used=list(block.columns),
        dropped=dropped,
        lda_fitted=lda.fitted,
        lda_note=lda.reason,
    )
