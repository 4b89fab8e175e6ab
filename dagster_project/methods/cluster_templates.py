"""Feser & Bergman (2000) national industry cluster templates from an
input-output table.

Feser, E. J. & Bergman, E. M. (2000), "National industry cluster templates: a
framework for applied regional cluster analysis", *Regional Studies* 34(1),
1-19; applied to Kazakhstan's 20-industry table in seed 003 (Table 2: principal
components, varimax with Kaiser normalisation, 7 components, 88 % of variance).

The steps, each a function so that tests can check it on its own:

1. ``input_purchase_patterns`` / ``output_sale_patterns``: the columns of the
   intermediate flow matrix ``Z`` (what industry j buys, as shares of its
   intermediate purchases) and its rows (what industry i sells, as shares of
   its intermediate sales).
2. ``pattern_correlations``: for every pair (i, j) the four Pearson
   correlations r(x_i, x_j), r(y_i, y_j), r(x_i, y_j), r(y_i, x_j) and their
   maximum ``L_ij``: two industries are linked if they buy alike, sell alike,
   or one buys what the other sells.
3. ``principal_components``: eigen-decomposition of ``L``; loadings are
   eigenvectors scaled by the square root of their eigenvalue.
4. ``number_of_components``: Kaiser's rule (eigenvalue > 1) or the smallest
   number reaching a cumulative variance target.
5. ``varimax``: Kaiser's (1958) pairwise planar rotations on row-normalised
   loadings (the algorithm SPSS uses, whose output seed 003 prints), written
   here independently of the SVD algorithm in R / factor_analyzer so that the
   tests compare two different algorithms.
6. ``assign_membership``: primary template = the component of the industry's
   largest absolute loading; secondary = every other component whose absolute
   loading reaches the cut-off (0.35 in Feser & Bergman).
7. ``name_templates``: a template's name is composed from the themes of its
   strongest members; the theme words (kk/ru/en) are data, not code.

No Dagster or DuckDB in here: numpy and pandas in, numpy and pandas out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

KAISER = "kaiser"
VARIANCE = "variance"
COMPONENT_RULES = (KAISER, VARIANCE)

PRIMARY = "primary"
SECONDARY = "secondary"
NOT_MEMBER = "not_member"

LANGUAGES = ("kk", "ru", "en")


class TemplateInputError(ValueError):
    """The input cannot yield templates; the message says which input and why."""


# --------------------------------------------------------------------------- #
# 1. Purchase and sale patterns
# --------------------------------------------------------------------------- #
def _as_square_flows(z: np.ndarray | pd.DataFrame) -> np.ndarray:
    flows = np.asarray(z, dtype=float)
    if flows.ndim != 2 or flows.shape[0] != flows.shape[1]:
        raise TemplateInputError(f"intermediate flows must be a square matrix, got {flows.shape}")
    if not np.isfinite(flows).all():
        rows, cols = np.nonzero(~np.isfinite(flows))
        raise TemplateInputError(
            f"intermediate flows contain a non-finite value at row {rows[0]}, column {cols[0]}"
        )
    return flows


def input_purchase_patterns(z: np.ndarray | pd.DataFrame) -> np.ndarray:
    """Column j = industry j's purchases from every industry as shares of its
    total intermediate purchases. A column whose purchases do not sum to a
    positive number has no pattern: it becomes NaN rather than a fake zero."""
    flows = _as_square_flows(z)
    totals = flows.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = flows / totals[np.newaxis, :]
    shares[:, totals <= 0] = np.nan
    return shares


def output_sale_patterns(z: np.ndarray | pd.DataFrame) -> np.ndarray:
    """Row i = industry i's sales to every industry as shares of its total
    intermediate sales (NaN where it sells nothing to other industries)."""
    flows = _as_square_flows(z)
    totals = flows.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = flows / totals[:, np.newaxis]
    shares[totals <= 0, :] = np.nan
    return shares


# --------------------------------------------------------------------------- #
# 2. The four pattern correlations and their maximum
# --------------------------------------------------------------------------- #
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
    flows = _as_square_flows(z)
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


# --------------------------------------------------------------------------- #
# 3-4. Principal components and how many to keep
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class PrincipalComponents:
    eigenvalues: np.ndarray  # descending; may include negatives (L is not PSD)
    eigenvectors: np.ndarray  # columns, in the same order
    total_variance: float  # trace of the analysed matrix (= n for a correlation matrix)

    @property
    def explained_share(self) -> np.ndarray:
        return self.eigenvalues / self.total_variance

    def loadings(self, n_components: int) -> np.ndarray:
        """Component loadings ``v_k * sqrt(lambda_k)`` (correlations of each
        variable with the component), reflected so that each column sums to
        a non-negative number (the sign of a component is arbitrary)."""
        if n_components > int((self.eigenvalues > 0).sum()):
            raise TemplateInputError(
                f"{n_components} components requested, only "
                f"{int((self.eigenvalues > 0).sum())} eigenvalues are positive"
            )
        vectors = self.eigenvectors[:, :n_components]
        loadings = vectors * np.sqrt(self.eigenvalues[:n_components])
        signs = np.where(loadings.sum(axis=0) < 0, -1.0, 1.0)
        return loadings * signs


def principal_components(matrix: np.ndarray) -> PrincipalComponents:
    """Eigen-decomposition of a symmetric matrix with unit diagonal. The max
    of four correlations is symmetric but need not be positive semidefinite,
    so small negative eigenvalues are kept (and count in no component)."""
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise TemplateInputError(f"matrix must be square, got {m.shape}")
    if not np.isfinite(m).all():
        raise TemplateInputError("matrix contains non-finite values")
    if not np.allclose(m, m.T, atol=1e-10):
        raise TemplateInputError("matrix is not symmetric")
    values, vectors = np.linalg.eigh((m + m.T) / 2.0)
    order = np.argsort(values)[::-1]
    return PrincipalComponents(
        eigenvalues=values[order], eigenvectors=vectors[:, order], total_variance=float(np.trace(m))
    )


def number_of_components(
    eigenvalues: np.ndarray,
    rule: str = KAISER,
    variance_target: float = 0.88,
    total_variance: float | None = None,
) -> int:
    """Kaiser's rule keeps components whose eigenvalue exceeds 1 (the variance
    of one standardised variable); the variance rule keeps the fewest leading
    components whose cumulative share of ``total_variance`` (default: the sum
    of the eigenvalues) reaches ``variance_target``. At least one is kept."""
    values = np.sort(np.asarray(eigenvalues, dtype=float))[::-1]
    if rule == KAISER:
        return max(1, int((values > 1.0).sum()))
    if rule == VARIANCE:
        if not 0.0 < variance_target <= 1.0:
            raise TemplateInputError(f"variance target must be in (0, 1], got {variance_target}")
        total = float(values.sum()) if total_variance is None else float(total_variance)
        cumulative = np.cumsum(values) / total
        # A rounding hair below the target must not add a component.
        reached = np.nonzero(cumulative >= variance_target - 1e-12)[0]
        count = int(reached[0]) + 1 if reached.size else int((values > 0).sum())
        return max(1, min(count, int((values > 0).sum())))
    raise TemplateInputError(f"unknown components rule {rule!r}; use one of {COMPONENT_RULES}")


# --------------------------------------------------------------------------- #
# 5. Varimax with Kaiser normalisation
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class VarimaxResult:
    loadings: np.ndarray
    rotation: np.ndarray  # orthogonal: loadings = unrotated @ rotation
    cycles: int  # sweeps through all pairs of components
    converged: bool


def varimax_criterion(loadings: np.ndarray, normalize: bool = True) -> float:
    """Kaiser's criterion: the summed variance of squared (row-normalised)
    loadings within each column, ``sum_j [p sum_i a_ij^4 - (sum_i a_ij^2)^2] / p^2``."""
    a = _kaiser_normalised(np.asarray(loadings, dtype=float))[0] if normalize else loadings
    p = a.shape[0]
    squared = a**2
    return float(((p * (squared**2).sum(axis=0) - squared.sum(axis=0) ** 2) / p**2).sum())


def _kaiser_normalised(loadings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    communality_root = np.sqrt((loadings**2).sum(axis=1))
    if np.any(communality_root <= 0):
        raise TemplateInputError("a variable has zero communality; Kaiser normalisation fails")
    return loadings / communality_root[:, None], communality_root


def varimax(
    loadings: np.ndarray,
    normalize: bool = True,
    tol: float = 1e-12,
    max_cycles: int = 1000,
) -> VarimaxResult:
    """Varimax by Kaiser's pairwise planar rotations (Kaiser 1958; Harman
    1976, ch. 14): each pair of columns (j, k) is rotated by the angle phi
    with ``tan 4 phi = (D - 2AB/p) / (C - (A^2 - B^2)/p)`` where, over rows,
    u = x^2 - y^2, v = 2xy, A = sum u, B = sum v, C = sum(u^2 - v^2),
    D = 2 sum uv. Sweeps repeat until no pair turns by more than ``tol``
    radians. With ``normalize`` the rows are scaled to unit length first and
    scaled back after (Kaiser normalisation), so that industries with small
    communality weigh as much as the others."""
    a = np.asarray(loadings, dtype=float)
    if a.ndim != 2:
        raise TemplateInputError("loadings must be a matrix")
    p, m = a.shape
    if m < 2:
        return VarimaxResult(a.copy(), np.eye(m), 0, True)
    work, scale = _kaiser_normalised(a) if normalize else (a.copy(), np.ones(p))
    rotation = np.eye(m)
    converged = False
    cycles = 0
    for cycles in range(1, max_cycles + 1):
        largest_turn = 0.0
        for j in range(m - 1):
            for k in range(j + 1, m):
                x, y = work[:, j], work[:, k]
                u = x * x - y * y
                v = 2.0 * x * y
                big_a, big_b = u.sum(), v.sum()
                big_c = (u * u - v * v).sum()
                big_d = 2.0 * (u * v).sum()
                numerator = big_d - 2.0 * big_a * big_b / p
                denominator = big_c - (big_a * big_a - big_b * big_b) / p
                # atan2 picks the quadrant where the criterion is a maximum,
                # not the minimum that a plain arctan of the ratio may give.
                phi = math.atan2(numerator, denominator) / 4.0
                if abs(phi) < tol:
                    continue
                largest_turn = max(largest_turn, abs(phi))
                cos, sin = math.cos(phi), math.sin(phi)
                plane = np.array([[cos, -sin], [sin, cos]])
                work[:, [j, k]] = work[:, [j, k]] @ plane
                rotation[:, [j, k]] = rotation[:, [j, k]] @ plane
        if largest_turn < tol:
            converged = True
            break
    return VarimaxResult(work * scale[:, None], rotation, cycles, converged)


def rotated_variance_shares(loadings: np.ndarray, total_variance: float) -> np.ndarray:
    """Share of the total variance carried by each rotated component: its sum
    of squared loadings over ``total_variance`` (the number of variables for
    a correlation matrix). An orthogonal rotation only redistributes the
    retained variance, so the shares sum to the unrotated cumulative share."""
    if total_variance <= 0:
        raise TemplateInputError(f"total variance must be positive, got {total_variance}")
    return (np.asarray(loadings, dtype=float) ** 2).sum(axis=0) / total_variance


def orient_and_order(loadings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort rotated components by the variance they carry (sum of squared
    loadings, largest first) and reflect each so that its largest absolute
    loading is positive: the industry that defines a template then has a
    positive loading, as in most published templates. Returns the loadings
    and, for each new column, the index of the old one."""
    a = np.asarray(loadings, dtype=float)
    order = np.argsort(-(a**2).sum(axis=0), kind="stable")
    a = a[:, order]
    strongest = a[np.abs(a).argmax(axis=0), np.arange(a.shape[1])]
    return a * np.where(strongest < 0, -1.0, 1.0), order


# --------------------------------------------------------------------------- #
# 6. Membership
# --------------------------------------------------------------------------- #
def assign_membership(loadings: pd.DataFrame, cutoff: float = 0.35) -> pd.DataFrame:
    """Long table of an industries x templates loading matrix (index =
    industry codes, columns = template numbers): industry_code, template,
    loading, role. The primary template is the column of the largest absolute
    loading (ties go to the lower template number); secondary are the other
    columns whose absolute loading is at least ``cutoff``; the rest are
    ``not_member``. Absolute values follow seed 003, which marks the largest
    absolute loading of each row whatever its sign."""
    if not 0.0 <= cutoff <= 1.0:
        raise TemplateInputError(f"loading cut-off must be in [0, 1], got {cutoff}")
    if loadings.empty:
        raise TemplateInputError("no loadings to assign")
    if loadings.isna().any().any():
        bad = loadings.stack(future_stack=True)
        first = bad[bad.isna()].index[0]
        raise TemplateInputError(f"missing loading for industry {first[0]!r}, template {first[1]}")
    values = loadings.to_numpy(dtype=float)
    primary_col = np.abs(values).argmax(axis=1)
    role = np.where(np.abs(values) >= cutoff, SECONDARY, NOT_MEMBER).astype(object)
    role[np.arange(values.shape[0]), primary_col] = PRIMARY
    long = pd.DataFrame(
        {
            "industry_code": np.repeat(loadings.index.to_numpy(dtype=object), values.shape[1]),
            "template": np.tile(loadings.columns.to_numpy(), values.shape[0]),
            "loading": values.ravel(),
            "role": role.ravel(),
        }
    )
    return long


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
    columns). ``industries`` defaults to the DataFrame index if ``z`` is one."""
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


# --------------------------------------------------------------------------- #
# 7. Names from members
# --------------------------------------------------------------------------- #
def name_templates(
    membership: pd.DataFrame,
    industry_themes: Mapping[str, str],
    theme_labels: pd.DataFrame,
    conjunctions: Mapping[str, str],
    max_themes: int = 2,
) -> pd.DataFrame:
    """Names of templates in kk/ru/en composed from their members' themes.

    ``membership`` is the output of ``assign_membership`` (optionally with
    more columns); ``industry_themes`` maps industry code -> theme code;
    ``theme_labels`` is indexed by theme code with columns ``position`` (the
    value-chain order used in names, primary sector first) and
    ``label_kk``/``label_ru``/``label_en``; ``conjunctions`` maps a language
    to its word for "and".

    The name givers are the template's primary members whose loading has the
    sign of the template's strongest loading (a component can be bipolar: in
    seed 003's component 6 fishing loads -0.66 and textiles +0.64; both are
    members by absolute value, but they lie at opposite ends), strongest
    first; a template without such members uses all its industries by
    absolute loading. Their themes are taken in that order until
    ``max_themes`` distinct ones are found, then put in value-chain order and
    joined: {metallurgy 0.97, metal ores 0.94, ...} -> "mining and
    metallurgy". Two templates of one table with the same name are told
    apart by their strongest member's code in brackets.
    Returns: template, theme_codes, top_industry_code, name_kk, name_ru, name_en."""
    missing_lang = [lang for lang in LANGUAGES if lang not in conjunctions]
    if missing_lang:
        raise TemplateInputError(f"no conjunction for language(s) {missing_lang}")
    rows = []
    for template, members in membership.groupby("template", sort=True):
        ranked = members.assign(strength=members["loading"].abs()).sort_values(
            ["strength", "industry_code"], ascending=[False, True]
        )
        pole = np.sign(ranked["loading"].iloc[0]) or 1.0
        givers = ranked[(ranked["role"] == PRIMARY) & (np.sign(ranked["loading"]) == pole)]
        pool = givers if not givers.empty else ranked
        themes: list[str] = []
        for code in pool["industry_code"]:
            if code not in industry_themes:
                raise TemplateInputError(f"industry {code!r} has no theme in the label data")
            theme = industry_themes[code]
            if theme not in theme_labels.index:
                raise TemplateInputError(f"theme {theme!r} of industry {code!r} has no labels")
            if theme not in themes:
                themes.append(theme)
            if len(themes) == max_themes:
                break
        themes.sort(key=lambda t: (theme_labels.loc[t, "position"], t))
        row = {
            "template": template,
            "theme_codes": ",".join(themes),
            "top_industry_code": pool["industry_code"].iloc[0],
        }
        for lang in LANGUAGES:
            words = [str(theme_labels.loc[t, f"label_{lang}"]) for t in themes]
            row[f"name_{lang}"] = f" {conjunctions[lang]} ".join(words)
        rows.append(row)
    names = pd.DataFrame(rows)
    clash = names.duplicated("name_en", keep=False)
    for lang in LANGUAGES:
        names.loc[clash, f"name_{lang}"] = (
            names.loc[clash, f"name_{lang}"] + " (" + names.loc[clash, "top_industry_code"] + ")"
        )
    return names


# --------------------------------------------------------------------------- #
# Many tables at once (what the dbt models call)
# --------------------------------------------------------------------------- #
TABLE_KEYS = ("economy_code", "table_id", "year")


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
