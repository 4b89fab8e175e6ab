"""Feser-Bergman cluster templates, steps 3 to 5 (docs/DOMAIN.md, "Cluster
membership": "factor-analyse that matrix by principal components, varimax
rotation"; seed 003 Table 2: 7 components, varimax with Kaiser normalisation,
88 % of variance).

3. ``principal_components``: eigen-decomposition of ``L``; loadings are
   eigenvectors scaled by the square root of their eigenvalue.
4. ``number_of_components``: Kaiser's rule (eigenvalue > 1) or the smallest
   number reaching a cumulative variance target.
5. ``varimax``: Kaiser's (1958) pairwise planar rotations on row-normalised
   loadings (the algorithm SPSS uses, whose output seed 003 prints), written
   here independently of the SVD algorithm in R / factor_analyzer so that the
   tests compare two different algorithms; ``orient_and_order`` then sorts and
   reflects the rotated components.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dagster_project.methods.template_inputs import TemplateInputError

KAISER = "kaiser"
VARIANCE = "variance"
COMPONENT_RULES = (KAISER, VARIANCE)


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
