"""Feser & Bergman (2000) national industry cluster templates from an
input-output table (docs/DOMAIN.md, "Cluster membership").

Feser, E. J. & Bergman, E. M. (2000), "National industry cluster templates: a
framework for applied regional cluster analysis", *Regional Studies* 34(1),
1-19; applied to Kazakhstan's 20-industry table in seed 003 (Table 2: principal
components, varimax with Kaiser normalisation, 7 components, 88 % of variance).

The steps, each a function so that tests can check it on its own, each in the
module of its step:

0. ``flows_matrix`` / ``industries_in_order`` (``template_inputs``): the
   intermediate flow matrix ``Z`` of one table from the warehouse's long flows.
1. ``input_purchase_patterns`` / ``output_sale_patterns`` (``template_patterns``):
   the columns of ``Z`` (what industry j buys, as shares of its intermediate
   purchases) and its rows (what industry i sells, as shares of its sales).
2. ``pattern_correlations`` (``template_patterns``): for every pair (i, j) the
   four Pearson correlations r(x_i, x_j), r(y_i, y_j), r(x_i, y_j), r(y_i, x_j)
   and their maximum ``L_ij``.
3. ``principal_components`` (``template_components``): eigen-decomposition of
   ``L``; loadings are eigenvectors scaled by the root of their eigenvalue.
4. ``number_of_components`` (``template_components``): Kaiser's rule
   (eigenvalue > 1) or the smallest number reaching a variance target.
5. ``varimax`` (``template_components``): Kaiser's (1958) pairwise planar
   rotations on row-normalised loadings, then ``orient_and_order``.
6. ``assign_membership`` (``template_membership``): primary = the component of
   the largest absolute loading; secondary = others at or above the cut-off.
7. ``name_templates`` (``template_membership``): names composed from the
   themes of the strongest members; the words (kk/ru/en) are data.

This module runs the steps for one table (``cluster_templates``) and for every
table of the warehouse at once (``templates_for_tables``), and lays the results
out long for dbt (``results_long``: one Python model computes the templates
once; SQL models select each result from it). The step functions are
re-exported here, so ``cluster_templates.<step>`` names every step.

No Dagster or DuckDB in here: numpy and pandas in, numpy and pandas out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dagster_project.methods.template_components import (
    COMPONENT_RULES,
    KAISER,
    VARIANCE,
    PrincipalComponents,
    VarimaxResult,
    number_of_components,
    orient_and_order,
    principal_components,
    rotated_variance_shares,
    varimax,
    varimax_criterion,
)
from dagster_project.methods.template_inputs import (
    TemplateInputError,
    flows_matrix,
    industries_in_order,
)
from dagster_project.methods.template_membership import (
    LANGUAGES,
    NOT_MEMBER,
    PRIMARY,
    SECONDARY,
    assign_membership,
    name_templates,
)
from dagster_project.methods.template_patterns import (
    PatternCorrelations,
    input_purchase_patterns,
    output_sale_patterns,
    pattern_correlations,
)

__all__ = [
    "COMPONENT_RULES",
    "KAISER",
    "LANGUAGES",
    "NOT_MEMBER",
    "PRIMARY",
    "RESULT_COLUMNS",
    "SECONDARY",
    "TABLE_KEYS",
    "VARIANCE",
    "PatternCorrelations",
    "PrincipalComponents",
    "TemplateInputError",
    "TemplateResult",
    "VarimaxResult",
    "assign_membership",
    "cluster_templates",
    "correlations_long",
    "excluded_industries",
    "flows_matrix",
    "industries_in_order",
    "input_purchase_patterns",
    "membership_long",
    "name_templates",
    "number_of_components",
    "orient_and_order",
    "output_sale_patterns",
    "pattern_correlations",
    "principal_components",
    "results_long",
    "rotated_variance_shares",
    "templates_for_tables",
    "variance_long",
    "varimax",
    "varimax_criterion",
]


# --------------------------------------------------------------------------- #
# The whole Feser-Bergman pipeline for one table
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class TemplateResult:
    correlations: PatternCorrelations
    components: PrincipalComponents
    n_components: int
    rotated: pd.DataFrame  # industries x templates (1..k), oriented and ordered
    membership: pd.DataFrame  # assign_membership(rotated)
    rotation_cycles: int
    converged: bool

    def variance_table(self) -> pd.DataFrame:
        """One row per component of ``L``: eigenvalue, explained and
        cumulative share; for the retained ones also the variance carried
        after rotation (sum of squared loadings and its share)."""
        eig = self.components.eigenvalues
        total = self.components.total_variance
        n = len(eig)
        rot = np.full(n, np.nan)
        rot[: self.n_components] = rotated_variance_shares(self.rotated.to_numpy(), total) * total
        return pd.DataFrame(
            {
                "component": np.arange(1, n + 1),
                "eigenvalue": eig,
                "explained_variance_share": eig / total,
                "cumulative_variance_share": np.cumsum(eig) / total,
                "retained": np.arange(n) < self.n_components,
                "rotated_sum_of_squared_loadings": rot,
                "rotated_variance_share": rot / total,
            }
        )


def cluster_templates(
    z: np.ndarray | pd.DataFrame,
    industries: Sequence[str] | None = None,
    rule: str = KAISER,
    variance_target: float = 0.88,
    cutoff: float = 0.35,
) -> TemplateResult:
    """Feser-Bergman templates of one intermediate flow matrix (rows sell to
    columns): steps 2 to 6. ``industries`` defaults to the DataFrame index if
    ``z`` is one."""
    if industries is None and isinstance(z, pd.DataFrame):
        if list(z.index) != list(z.columns):
            raise TemplateInputError("flow matrix rows and columns are not the same industries")
        industries = [str(c) for c in z.index]
    correlations = pattern_correlations(z, industries)
    components = principal_components(correlations.maximum)
    k = number_of_components(
        components.eigenvalues, rule, variance_target, components.total_variance
    )
    k = min(k, int((components.eigenvalues > 0).sum()))
    rotated = varimax(components.loadings(k))
    oriented, _ = orient_and_order(rotated.loadings)
    frame = pd.DataFrame(
        oriented,
        index=pd.Index(correlations.industries, name="industry_code"),
        columns=pd.Index(np.arange(1, k + 1), name="template"),
    )
    return TemplateResult(
        correlations=correlations,
        components=components,
        n_components=k,
        rotated=frame,
        membership=assign_membership(frame, cutoff),
        rotation_cycles=rotated.cycles,
        converged=rotated.converged,
    )


# --------------------------------------------------------------------------- #
# Many tables at once (what the dbt model calls)
# --------------------------------------------------------------------------- #
TABLE_KEYS = ("economy_code", "table_id", "year")


def templates_for_tables(
    flows: pd.DataFrame,
    rule: str = KAISER,
    variance_target: float = 0.88,
    cutoff: float = 0.35,
) -> dict[tuple, TemplateResult]:
    """Run ``cluster_templates`` on every table of long industry flows (the
    columns of ``int_io_industry_flows_filtered``), keyed by
    (economy_code, table_id, year). A failing table raises with its id."""
    results: dict[tuple, TemplateResult] = {}
    for key, part in flows.groupby(list(TABLE_KEYS), sort=True, dropna=False):
        try:
            codes = industries_in_order(part)
            results[key] = cluster_templates(
                flows_matrix(part, industries=codes), codes, rule, variance_target, cutoff
            )
        except TemplateInputError as exc:
            raise TemplateInputError(f"input-output table {key[1]!r}: {exc}") from exc
    return results


def _with_keys(frame: pd.DataFrame, key: tuple) -> pd.DataFrame:
    out = frame.copy()
    for name, value in reversed(list(zip(TABLE_KEYS, key, strict=True))):
        out.insert(0, name, value)
    return out


def membership_long(results: Mapping[tuple, TemplateResult]) -> pd.DataFrame:
    """All tables' rotated loadings and roles, one row per industry and template."""
    parts = [_with_keys(r.membership, key) for key, r in results.items()]
    columns = [*TABLE_KEYS, "industry_code", "template", "loading", "role"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def variance_long(results: Mapping[tuple, TemplateResult]) -> pd.DataFrame:
    """All tables' variance tables, with how the components were chosen."""
    parts = []
    for key, r in results.items():
        table = r.variance_table()
        table["n_industries"] = len(r.correlations.industries)
        table["rotation_cycles"] = r.rotation_cycles
        table["rotation_converged"] = r.converged
        parts.append(_with_keys(table, key))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(TABLE_KEYS))


def correlations_long(results: Mapping[tuple, TemplateResult]) -> pd.DataFrame:
    """All tables' four pattern correlations and their maximum per ordered pair."""
    parts = [_with_keys(r.correlations.long(), key) for key, r in results.items()]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(TABLE_KEYS))


def excluded_industries(results: Mapping[tuple, TemplateResult]) -> pd.DataFrame:
    """Industries left out of a table's templates, with the reason."""
    rows = [
        {**dict(zip(TABLE_KEYS, key, strict=True)), "industry_code": code, "reason": reason}
        for key, r in results.items()
        for code, reason in r.correlations.excluded.items()
    ]
    return pd.DataFrame(rows, columns=[*TABLE_KEYS, "industry_code", "reason"])


# The four results of one run in one long table: the column ``result`` says
# which, and each kind fills its own columns (the others are NULL). Nullable
# dtypes keep an integer an integer and a flag a flag where another kind of
# row leaves it empty.
RESULT_COLUMNS: dict[str, str] = {
    "economy_code": "string",
    "table_id": "string",
    "year": "Int64",
    "result": "string",
    # membership (and excluded, correlation): the industry
    "industry_code": "string",
    "template": "Int64",
    "loading": "float64",
    "role": "string",
    # variance
    "component": "Int64",
    "eigenvalue": "float64",
    "explained_variance_share": "float64",
    "cumulative_variance_share": "float64",
    "retained": "boolean",
    "rotated_sum_of_squared_loadings": "float64",
    "rotated_variance_share": "float64",
    "n_industries": "Int64",
    "rotation_cycles": "Int64",
    "rotation_converged": "boolean",
    # correlation
    "other_industry_code": "string",
    "r_input_input": "float64",
    "r_output_output": "float64",
    "r_input_output": "float64",
    "r_output_input": "float64",
    "r_max": "float64",
    # excluded
    "reason": "string",
}


def results_long(results: Mapping[tuple, TemplateResult]) -> pd.DataFrame:
    """``membership_long``, ``variance_long``, ``correlations_long`` and
    ``excluded_industries`` of one run in one table (``RESULT_COLUMNS``), so
    that the templates are computed once and each result is a selection."""
    parts = {
        "membership": membership_long(results),
        "variance": variance_long(results),
        "correlation": correlations_long(results),
        "excluded": excluded_industries(results),
    }
    frames = [
        frame.assign(result=kind).reindex(columns=list(RESULT_COLUMNS))
        for kind, frame in parts.items()
        if not frame.empty
    ]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in RESULT_COLUMNS.items()})
    return pd.concat(frames, ignore_index=True).astype(RESULT_COLUMNS)
