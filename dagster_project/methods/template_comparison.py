"""Comparing a recomputed factor solution with a published one (seed 003,
Table 2): Tucker's congruence coefficient between loading columns, a
one-to-one matching of components that maximises the summed absolute
congruence (Hungarian assignment), signs aligned, and each variable's primary
component in both solutions.

Tucker's congruence ``phi(x, y) = sum x_i y_i / sqrt(sum x_i^2 sum y_i^2)``
is the cosine of the angle between two loading columns; unlike a correlation
it is not centred, so a component and its reflection have phi = -1 and
phi = +1 after the sign is aligned. Lorenzo-Seva & ten Berge (2006): phi >=
0.95 means the components can be considered equal, 0.85-0.94 a fair
similarity, below 0.85 they differ.

A principal-component solution fixes a component's sign and its place in the
order only by convention, so the match is found on |phi| and the sign of the
recomputed column is then flipped where phi is negative.

No Dagster or DuckDB in here: numpy and pandas in, numpy and pandas out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from dagster_project.methods import cluster_templates as ct

EQUAL = "equal"
FAIR = "fair_similarity"
DIFFERENT = "different"
EQUAL_THRESHOLD = 0.95
FAIR_THRESHOLD = 0.85


def congruence_matrix(published: np.ndarray, recomputed: np.ndarray) -> np.ndarray:
    """Tucker's phi between every published column (rows of the result) and
    every recomputed column (columns of the result). Both matrices have the
    same variables in the same order as rows."""
    p = np.asarray(published, dtype=float)
    r = np.asarray(recomputed, dtype=float)
    if p.ndim != 2 or r.ndim != 2 or p.shape[0] != r.shape[0]:
        raise ValueError(
            f"loading matrices must have the same rows: published {p.shape}, recomputed {r.shape}"
        )
    norms = np.sqrt((p**2).sum(axis=0))[:, None] * np.sqrt((r**2).sum(axis=0))[None, :]
    if np.any(norms == 0):
        raise ValueError("a loading column is all zero: its congruence is undefined")
    return (p.T @ r) / norms


def congruence_class(phi: float) -> str:
    """Lorenzo-Seva & ten Berge's reading of |phi| (after sign alignment)."""
    value = abs(phi)
    if value >= EQUAL_THRESHOLD - 1e-12:
        return EQUAL
    if value >= FAIR_THRESHOLD - 1e-12:
        return FAIR
    return DIFFERENT


@dataclass(frozen=True)
class Matching:
    """One-to-one assignment of published to recomputed components.

    ``recomputed_for[k]`` is the recomputed column matched to published
    column k (-1 if there are more published than recomputed columns),
    ``sign[k]`` the reflection applied to it, ``phi[k]`` the congruence after
    the reflection (>= 0 for every matched pair)."""

    recomputed_for: np.ndarray
    sign: np.ndarray
    phi: np.ndarray
    phi_matrix: np.ndarray

    def aligned(self, recomputed: np.ndarray) -> np.ndarray:
        """The recomputed loadings reordered to the published columns and
        reflected: column k is the match of published component k (NaN when
        unmatched)."""
        r = np.asarray(recomputed, dtype=float)
        out = np.full((r.shape[0], len(self.recomputed_for)), np.nan)
        for k, j in enumerate(self.recomputed_for):
            if j >= 0:
                out[:, k] = self.sign[k] * r[:, j]
        return out


def match_components(published: np.ndarray, recomputed: np.ndarray) -> Matching:
    """Hungarian assignment (scipy.optimize.linear_sum_assignment) that
    maximises the sum of |phi| over matched pairs; each pair's sign is then
    aligned so that its phi is non-negative."""
    phi = congruence_matrix(published, recomputed)
    rows, cols = linear_sum_assignment(np.abs(phi), maximize=True)
    recomputed_for = np.full(phi.shape[0], -1, dtype=int)
    recomputed_for[rows] = cols
    sign = np.ones(phi.shape[0])
    matched_phi = np.full(phi.shape[0], np.nan)
    for k, j in zip(rows, cols, strict=True):
        sign[k] = -1.0 if phi[k, j] < 0 else 1.0
        matched_phi[k] = abs(phi[k, j])
    return Matching(recomputed_for, sign, matched_phi, phi)


def primary_components(loadings: np.ndarray) -> np.ndarray:
    """1-based column of each row's largest absolute loading (seed 003 marks
    that cell in every row, whatever its sign; ties go to the first)."""
    return np.abs(np.asarray(loadings, dtype=float)).argmax(axis=1) + 1


def templates_with_fixed_components(
    z: np.ndarray, industries: Sequence[str], n_components: int
) -> ct.TemplateResult:
    """Feser-Bergman templates as seed 003 computed them: PCA of the maximum
    pattern correlations, a fixed number of components, varimax with Kaiser
    normalisation, then the package's orientation (largest loading positive)
    and order (by rotated variance)."""
    correlations = ct.pattern_correlations(z, list(industries))
    components = ct.principal_components(correlations.maximum)
    k = min(n_components, int((components.eigenvalues > 0).sum()))
    rotated = ct.varimax(components.loadings(k))
    oriented, _ = ct.orient_and_order(rotated.loadings)
    frame = pd.DataFrame(
        oriented,
        index=pd.Index(correlations.industries, name="industry_code"),
        columns=pd.Index(np.arange(1, k + 1), name="template"),
    )
    return ct.TemplateResult(
        correlations=correlations,
        components=components,
        n_components=k,
        rotated=frame,
        membership=ct.assign_membership(frame),
        rotation_cycles=rotated.cycles,
        converged=rotated.converged,
    )


def aggregate_flows(
    z: np.ndarray, codes: Sequence[str], groups: dict[str, str], group_order: Sequence[str]
) -> np.ndarray:
    """Sum the rows and columns of a flow matrix into groups: ``groups`` maps
    a code to its group (codes without a group are left out), the result is
    ordered as ``group_order``. ``S Z S'`` with the 0/1 grouping matrix S."""
    index = {g: i for i, g in enumerate(group_order)}
    s = np.zeros((len(group_order), len(codes)))
    for j, code in enumerate(codes):
        group = groups.get(code)
        if group is not None:
            if group not in index:
                raise ValueError(f"code {code!r} maps to {group!r}, which is not in the group order")
            s[index[group], j] = 1.0
    empty = [g for g, i in index.items() if s[i].sum() == 0]
    if empty:
        raise ValueError(f"groups without any code: {empty}")
    return s @ np.asarray(z, dtype=float) @ s.T


def comparison_tables(
    published: pd.DataFrame, result: ct.TemplateResult, *, cutoff: float = 0.35
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Side-by-side tables of a published loading matrix (industries x
    components, index = industry codes, columns 1..k) and a recomputed
    template result on the same industries.

    Returns ``components`` (one row per published component: its match,
    sign, phi, class, variance shares and primary members in both) and
    ``industries`` (one row per industry: primary component in both, the
    published numbering used for the recomputed one through the matching,
    and the two loadings on the published primary component)."""
    rotated = result.rotated.loc[published.index]
    p = published.to_numpy(dtype=float)
    r = rotated.to_numpy(dtype=float)
    matching = match_components(p, r)
    aligned = matching.aligned(r)
    n_variables = p.shape[0]
    published_primary = primary_components(p)
    recomputed_primary = primary_components(r)
    to_published = {int(j) + 1: k + 1 for k, j in enumerate(matching.recomputed_for) if j >= 0}
    recomputed_primary_as_published = np.array(
        [to_published.get(int(c), -1) for c in recomputed_primary]
    )
    codes = published.index.to_numpy(dtype=object)
    component_rows = []
    for k in range(p.shape[1]):
        j = int(matching.recomputed_for[k])
        component_rows.append(
            {
                "published_component": k + 1,
                "recomputed_component": j + 1 if j >= 0 else None,
                "sign_flipped": bool(matching.sign[k] < 0),
                "congruence": float(matching.phi[k]),
                "congruence_class": congruence_class(matching.phi[k]),
                "published_variance_share": float((p[:, k] ** 2).sum() / n_variables),
                "recomputed_variance_share": (
                    float((r[:, j] ** 2).sum() / n_variables) if j >= 0 else None
                ),
                "published_primary_members": list(codes[published_primary == k + 1]),
                "recomputed_primary_members": list(codes[recomputed_primary_as_published == k + 1]),
                "published_secondary_members": list(
                    codes[(np.abs(p[:, k]) >= cutoff) & (published_primary != k + 1)]
                ),
                "recomputed_secondary_members": list(
                    codes[
                        (np.abs(aligned[:, k]) >= cutoff)
                        & (recomputed_primary_as_published != k + 1)
                    ]
                )
                if j >= 0
                else [],
            }
        )
    industry_rows = pd.DataFrame(
        {
            "industry_code": codes,
            "published_primary_component": published_primary,
            "recomputed_primary_component": recomputed_primary,
            "recomputed_primary_as_published": recomputed_primary_as_published,
            "same_primary": published_primary == recomputed_primary_as_published,
            "published_loading": p[np.arange(n_variables), published_primary - 1],
            "recomputed_loading_aligned": aligned[np.arange(n_variables), published_primary - 1],
            "published_communality": (p**2).sum(axis=1),
            "recomputed_communality": (r**2).sum(axis=1),
        }
    )
    return pd.DataFrame(component_rows), industry_rows


def members_share_a_component(industries: pd.DataFrame, members: Sequence[str], column: str) -> bool:
    """True when every industry of ``members`` has the same primary component
    in ``column`` of an ``industries`` table from :func:`comparison_tables`."""
    chosen = industries.set_index("industry_code").loc[list(members), column]
    return bool(chosen.nunique() == 1 and int(chosen.iloc[0]) > 0)


# Seed 003's mining-metallurgical cluster (Kozlova & Denisova; DOMAIN.md).
MINING_METALLURGICAL = (
    "coal_lignite_peat_mining",
    "metal_ore_mining",
    "metallurgy_metal_processing",
    "machinery_manufacture_repair",
    "other_manufacturing",
)


@dataclass(frozen=True)
class Reproduction:
    """Seed 003 Table 2 recomputed on another table and compared."""

    result: ct.TemplateResult
    components: pd.DataFrame  # comparison_tables()[0] + mining-metallurgical flags
    industries: pd.DataFrame  # comparison_tables()[1]
    recomputed_cumulative_share: float  # first k eigenvalues / trace
    published_cumulative_share: float  # sum of squared published loadings / n
    dropped_codes: list[str]  # codes of the source table outside the groups


def reproduce_published_templates(
    z: np.ndarray,
    codes: Sequence[str],
    groups: dict[str, str],
    published: pd.DataFrame,
    *,
    cutoff: float = 0.35,
) -> Reproduction:
    """Aggregate ``z`` (rows sell to columns, ``codes`` in order) to the
    published industries (``groups``: code -> industry; ``published``: the
    published loadings, index = industries in printed order, columns =
    components), recompute the templates with as many components as were
    published, and compare them component by component and industry by
    industry."""
    industries = [str(i) for i in published.index]
    z_grouped = aggregate_flows(z, codes, groups, industries)
    k = published.shape[1]
    result = templates_with_fixed_components(z_grouped, industries, k)
    if result.correlations.excluded:
        raise ValueError(f"industries without flows after aggregation: {result.correlations.excluded}")
    components, per_industry = comparison_tables(published, result, cutoff=cutoff)
    mining = set(MINING_METALLURGICAL)
    components["is_mining_metallurgical"] = [
        mining <= set(members) for members in components["published_primary_members"]
    ]
    components["mining_metallurgical_members_recomputed"] = [
        sorted(mining & set(members)) for members in components["recomputed_primary_members"]
    ]
    components["mining_metallurgical_reemerges"] = [
        bool(flag and mining <= set(members))
        for flag, members in zip(
            components["is_mining_metallurgical"], components["recomputed_primary_members"], strict=True
        )
    ]
    eig = result.components.eigenvalues
    return Reproduction(
        result=result,
        components=components,
        industries=per_industry,
        recomputed_cumulative_share=float(eig[:k].sum() / result.components.total_variance),
        published_cumulative_share=float((published.to_numpy(dtype=float) ** 2).sum() / len(industries)),
        dropped_codes=[c for c in codes if c not in groups],
    )


def reproduce_from_frames(
    flows: pd.DataFrame, crosswalk: pd.DataFrame, published_long: pd.DataFrame
) -> Reproduction:
    """:func:`reproduce_published_templates` from warehouse frames: ``flows``
    (from/to_industry_code, from_position, flow_value) of one table,
    ``crosswalk`` (code, s003_industry_code; NULL = outside the published
    industries) and ``published_long`` (industry_code, row_no, component,
    loading) as staged from seed 003 Table 2."""
    codes = flows.sort_values("from_position")["from_industry_code"].drop_duplicates().tolist()
    z = (
        flows.pivot(index="from_industry_code", columns="to_industry_code", values="flow_value")
        .reindex(index=codes, columns=codes)
        .fillna(0.0)
        .to_numpy(dtype=float)
    )
    mapped = crosswalk.dropna(subset=["s003_industry_code"])
    groups = dict(zip(mapped["code"], mapped["s003_industry_code"], strict=True))
    unknown = sorted(set(codes) - set(crosswalk["code"]))
    if unknown:
        raise ValueError(f"codes of the table missing from the crosswalk: {unknown}")
    order = published_long.sort_values("row_no")["industry_code"].drop_duplicates().tolist()
    published = published_long.pivot(index="industry_code", columns="component", values="loading").loc[order]
    return reproduce_published_templates(z, codes, groups, published)
