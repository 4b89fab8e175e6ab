"""Input-output analysis: method 2 of seed 003 and the multipliers of its Table 3.

Notation (Miller & Blair, *Input-Output Analysis*, 2nd ed. 2009):

- ``Z`` (n x n) intermediate flows, ``Z[i, j]`` = sales of industry i to j;
  ``x`` output; ``A = Z diag(x)^-1`` technical coefficients;
  ``L = (I - A)^-1`` the Leontief inverse.
- Ghosh: ``B = diag(x)^-1 Z`` allocation coefficients, ``G = (I - B)^-1``.
  ``G = diag(x)^-1 L diag(x)`` exactly, so the forward linkages come from
  ``L`` and ``x`` without a second inversion.
- A *coefficient row* ``w`` (value added, compensation or employment per unit
  of output) gives the total effect per unit of final demand of industry j,
  ``(w L)_j`` ("simple multiplier": seed 003's value-added multiplier 0.608 is
  this), and the ratio multiplier ``(w L)_j / w_j`` ("Type I"; the Netherlands
  compensation multipliers 2.466 ... are this).
- Type II: households made endogenous. The closed matrix is
  ``[[A, h_c], [h_r, 0]]`` with ``h_r`` = compensation / output (households
  sell labour to industry j) and ``h_c`` = household final consumption of
  product i / total compensation of employees (households spend their labour
  income in the base-year pattern of household consumption). Its inverse is
  obtained from ``L`` by the partitioned (Schur complement) formula
  ``s = 1 - h_r L h_c``, ``L11 = L + (L h_c)(h_r L) / s``, household row
  ``h_r L / s``: exact, and O(n^2) instead of a second O(n^3) inversion.
  ``s <= 0`` means the closed model is not productive (households would spend
  more than they earn through the loop); the Type II figures are then
  undefined and come back as NaN.
- Rasmussen (1956) linkages: backward ``BL_j = n (1'L)_j / 1'L1``, forward
  from the Ghosh inverse ``FL_i = n (G1)_i / 1'G1``; a key sector has both
  above 1.
- FLQ regionalisation (Flegg et al. 1995): ``a^r_ij = a_ij min(FLQ_ij, 1)``.

No Dagster or DuckDB here: numpy arrays in, numpy arrays and pandas frames out.
The matrix work is vectorised; nothing loops over cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

OUTPUT = "output"
VALUE_ADDED = "value_added"
COMPENSATION = "compensation"
EMPLOYMENT = "employment"
TYPE_I = "type_1"
TYPE_II = "type_2"

# Tolerance for "L >= 0": LAPACK round-off leaves entries of order 1e-16 x the
# largest entry where the exact inverse has zeros (e.g. industries that buy
# nothing from each other); anything more negative means I - A is not productive.
_NEGATIVE_TOLERANCE = 1e-10


class IOModelError(ValueError):
    """The table cannot be used for the input-output model. The message names
    the table, the problem, and the offending industries."""

    def __init__(self, table: str, problem: str, industries: Sequence[str] = ()) -> None:
        self.table = table
        self.problem = problem
        self.industries = list(industries)
        where = f"; offending industries: {', '.join(self.industries)}" if self.industries else ""
        super().__init__(f"input-output table {table!r}: {problem}{where}")


def _labels(n: int, labels: Sequence[str] | None) -> list[str]:
    if labels is None:
        return [str(i) for i in range(n)]
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} industries")
    return [str(label) for label in labels]


def _square(matrix: np.ndarray, name: str) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {matrix.shape}")
    return matrix


def technical_coefficients(
    Z: np.ndarray,
    x: np.ndarray,
    *,
    table: str = "table",
    labels: Sequence[str] | None = None,
) -> np.ndarray:
    """``A = Z diag(x)^-1``. Output must be positive: an industry without
    output has no input structure (callers drop such industries first), and a
    negative output is an error in the table."""
    Z = _square(Z, "Z")
    x = np.asarray(x, dtype=float).ravel()
    if x.shape[0] != Z.shape[0]:
        raise ValueError(f"x has {x.shape[0]} entries for a {Z.shape[0]}x{Z.shape[0]} Z")
    names = _labels(len(x), labels)
    bad = ~np.isfinite(x) | (x <= 0)
    if bad.any():
        offending = [f"{names[i]} (output {x[i]:g})" for i in np.flatnonzero(bad)]
        raise IOModelError(
            table, "output must be positive to form technical coefficients", offending
        )
    return Z / x[np.newaxis, :]


def leontief_inverse(
    A: np.ndarray, *, table: str = "table", labels: Sequence[str] | None = None
) -> np.ndarray:
    """``L = (I - A)^-1`` by LU factorisation (numpy's LAPACK ``gesv``).

    numpy's LAPACK rather than scipy's: the two wheels bundle separate OpenBLAS
    builds, and alternating between their thread pools (numpy for the matrix
    products around the inversion, scipy for the inversion) makes them spin
    against each other on a small machine.

    Raises :class:`IOModelError` when ``I - A`` is singular or the inverse has
    negative entries (the table is not productive); the message names the
    industries whose input coefficients sum to 1 or more, the usual cause."""
    A = _square(A, "A")
    n = A.shape[0]
    names = _labels(n, labels)
    system = np.negative(A)
    system[np.diag_indices(n)] += 1.0
    column_sums = A.sum(axis=0)
    suspects = [
        f"{names[j]} (column sum of A {column_sums[j]:.6g})"
        for j in np.flatnonzero(column_sums >= 1.0)
    ]
    try:
        L = np.linalg.inv(system)
    except np.linalg.LinAlgError as exc:
        raise IOModelError(table, f"I - A is singular ({exc})", suspects) from exc
    del system
    if not np.all(np.isfinite(L)):
        raise IOModelError(table, "I - A is singular (the inverse is not finite)", suspects)
    floor = -_NEGATIVE_TOLERANCE * max(1.0, float(L.max()), -float(L.min()))
    if L.min() < floor:
        negative_columns = np.flatnonzero((L < floor).any(axis=0))
        offending = suspects or [names[j] for j in negative_columns]
        raise IOModelError(
            table,
            "the Leontief inverse has negative entries: the table is not productive "
            f"(columns with negative entries: {', '.join(names[j] for j in negative_columns[:20])})",
            offending,
        )
    return L


def supply_cost_ratios(Z: np.ndarray, output: np.ndarray, imports: np.ndarray) -> np.ndarray:
    """BNS's "direct cost ratios" (sheet 9 of its input-output workbook):
    intermediate use at basic prices, domestic and imported together, over the
    *total supply* of the using column's product, ``D = Z diag(x + m)^-1``.
    BNS closes each product column with its competing imports, so a column of
    D plus its value-added and import shares sums to 1; the "total cost
    ratios" (sheet 10) are ``(I - D)^-1``. Neither is the domestic technical
    coefficient ``Z_domestic diag(x)^-1``: D counts imported inputs as if they
    were produced at home, and scales by supply instead of output."""
    Z = _square(Z, "Z")
    supply = np.asarray(output, dtype=float).ravel() + np.asarray(imports, dtype=float).ravel()
    if supply.shape[0] != Z.shape[0] or not np.all(supply > 0):
        raise ValueError("total supply (output + imports) must be positive for every column")
    return Z / supply[np.newaxis, :]


def ghosh_inverse(L: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``G = (I - B)^-1 = diag(x)^-1 L diag(x)``, B the allocation coefficients."""
    L = _square(L, "L")
    x = np.asarray(x, dtype=float).ravel()
    return L * x[np.newaxis, :] / x[:, np.newaxis]


def output_multipliers(L: np.ndarray) -> np.ndarray:
    """Type I output multipliers: column sums of L."""
    return _square(L, "L").sum(axis=0)


def total_effects(L: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """``(w L)_j``: total (direct + indirect) effect on w per unit of final demand of j."""
    return np.asarray(coefficients, dtype=float).ravel() @ L


def ratio_multipliers(effects: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
    """Effect per unit of the *direct* effect, ``(w L)_j / w_j``; NaN where w_j = 0
    (an industry with no direct effect has no ratio multiplier)."""
    coefficients = np.asarray(coefficients, dtype=float).ravel()
    out = np.full(coefficients.shape, np.nan)
    np.divide(effects, coefficients, out=out, where=coefficients != 0)
    return out


@dataclass(frozen=True)
class HouseholdClosure:
    """The households-endogenous (Type II) model, kept in partitioned form.

    ``labour_coefficients`` h_r, ``consumption_coefficients`` h_c, the Schur
    complement ``s = 1 - h_r L h_c``, ``L_hc = L h_c`` and ``hr_L = h_r L``.
    The industry block of the closed inverse is ``L + outer(L_hc, hr_L) / s``."""

    labour_coefficients: np.ndarray
    consumption_coefficients: np.ndarray
    schur: float
    L_hc: np.ndarray
    hr_L: np.ndarray

    @property
    def productive(self) -> bool:
        return bool(np.isfinite(self.schur) and self.schur > 0)

    def effects(self, L: np.ndarray, coefficients: np.ndarray) -> np.ndarray:
        """``(w L11)_j`` for a coefficient row w over industries, without forming L11."""
        if not self.productive:
            return np.full(L.shape[0], np.nan)
        w = np.asarray(coefficients, dtype=float).ravel()
        return w @ L + (w @ self.L_hc) * self.hr_L / self.schur

    def household_income_effects(self) -> np.ndarray:
        """Household row of the closed inverse: total labour income per unit of
        final demand of j, induced consumption included."""
        if not self.productive:
            return np.full(self.hr_L.shape, np.nan)
        return self.hr_L / self.schur

    def closed_inverse(self, L: np.ndarray) -> np.ndarray:
        """The full (n+1) x (n+1) closed inverse; for tests and small tables."""
        n = L.shape[0]
        out = np.empty((n + 1, n + 1))
        out[:n, :n] = L + np.outer(self.L_hc, self.hr_L) / self.schur
        out[:n, n] = self.L_hc / self.schur
        out[n, :n] = self.hr_L / self.schur
        out[n, n] = 1.0 / self.schur
        return out


def household_closure(
    L: np.ndarray,
    x: np.ndarray,
    compensation: np.ndarray,
    household_consumption: np.ndarray,
) -> HouseholdClosure:
    """Close the model for households (Miller & Blair 2009, section 6.1).

    ``h_r = compensation / x``; ``h_c = household consumption / total
    compensation``: the household sector's "output" is the labour income it
    receives from industries, and it spends it like the base-year households.
    (Spending out of other income, savings and taxes are not modelled, which is
    the usual simplification of Type II multipliers.)"""
    x = np.asarray(x, dtype=float).ravel()
    compensation = np.asarray(compensation, dtype=float).ravel()
    consumption = np.asarray(household_consumption, dtype=float).ravel()
    income = compensation.sum()
    if income <= 0:
        raise ValueError("household closure needs positive total compensation of employees")
    h_r = compensation / x
    h_c = consumption / income
    L_hc = L @ h_c
    hr_L = h_r @ L
    schur = float(1.0 - hr_L @ h_c)
    return HouseholdClosure(h_r, h_c, schur, L_hc, hr_L)


def closed_coefficient_matrix(A: np.ndarray, closure: HouseholdClosure) -> np.ndarray:
    """``[[A, h_c], [h_r, 0]]``: the closed coefficient matrix (for references)."""
    n = A.shape[0]
    out = np.zeros((n + 1, n + 1))
    out[:n, :n] = A
    out[:n, n] = closure.consumption_coefficients
    out[n, :n] = closure.labour_coefficients
    return out


@dataclass(frozen=True)
class Linkages:
    backward: np.ndarray
    forward: np.ndarray
    backward_raw: np.ndarray
    forward_raw: np.ndarray

    @property
    def key_sector(self) -> np.ndarray:
        return (self.backward > 1.0) & (self.forward > 1.0)


def rasmussen_linkages(L: np.ndarray, x: np.ndarray) -> Linkages:
    """Backward linkages from column sums of L, forward linkages from row sums
    of the Ghosh inverse (computed as ``(L x)_i / x_i``), both normalised by
    their average so that 1 is the economy's mean."""
    L = _square(L, "L")
    x = np.asarray(x, dtype=float).ravel()
    n = L.shape[0]
    backward_raw = L.sum(axis=0)
    forward_raw = (L @ x) / x
    return Linkages(
        backward=n * backward_raw / backward_raw.sum(),
        forward=n * forward_raw / forward_raw.sum(),
        backward_raw=backward_raw,
        forward_raw=forward_raw,
    )


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
    A = _square(A, "A")
    flq = np.asarray(flq, dtype=float)
    if flq.shape != A.shape:
        raise ValueError(f"FLQ shape {flq.shape} differs from A shape {A.shape}")
    if not np.all(np.isfinite(flq)) or (flq < 0).any():
        raise ValueError("FLQ must be finite and non-negative in every cell")
    return A * np.minimum(flq, 1.0)


@dataclass(frozen=True)
class IOResult:
    """Everything the marts publish for one table."""

    A: np.ndarray
    L: np.ndarray
    multipliers: pd.DataFrame
    linkages: Linkages
    closure: HouseholdClosure | None


def multiplier_table(
    L: np.ndarray,
    x: np.ndarray,
    labels: Sequence[str],
    *,
    value_added: np.ndarray | None = None,
    compensation: np.ndarray | None = None,
    employment: np.ndarray | None = None,
    household_consumption: np.ndarray | None = None,
) -> tuple[pd.DataFrame, HouseholdClosure | None]:
    """Long table of multipliers: one row per (industry, measure, model_type)
    with ``direct_coefficient`` (w_j; 1 for output), ``total_effect`` ((w L)_j)
    and ``multiplier`` (total_effect / direct_coefficient).

    Measures appear only where the table has the row they need; Type II
    needs compensation and household consumption."""
    x = np.asarray(x, dtype=float).ravel()
    labels = _labels(len(x), labels)
    closure = None
    if compensation is not None and household_consumption is not None:
        closure = household_closure(L, x, compensation, household_consumption)

    frames: list[pd.DataFrame] = []

    def add(measure: str, model_type: str, direct: np.ndarray, effect: np.ndarray) -> None:
        frames.append(
            pd.DataFrame(
                {
                    "industry_code": labels,
                    "measure": measure,
                    "model_type": model_type,
                    "direct_coefficient": direct,
                    "total_effect": effect,
                    "multiplier": ratio_multipliers(effect, direct),
                }
            )
        )

    ones = np.ones_like(x)
    add(OUTPUT, TYPE_I, ones, output_multipliers(L))
    if closure is not None:
        add(OUTPUT, TYPE_II, ones, closure.effects(L, ones))
    rows = ((VALUE_ADDED, value_added), (COMPENSATION, compensation), (EMPLOYMENT, employment))
    for measure, totals in rows:
        if totals is None:
            continue
        coefficients = np.asarray(totals, dtype=float).ravel() / x
        add(measure, TYPE_I, coefficients, total_effects(L, coefficients))
        if closure is not None:
            if measure == COMPENSATION:
                # The household row of the closed inverse; equal to h_r L11.
                add(measure, TYPE_II, coefficients, closure.household_income_effects())
            else:
                add(measure, TYPE_II, coefficients, closure.effects(L, coefficients))
    return pd.concat(frames, ignore_index=True), closure


def analyse_table(
    Z: np.ndarray,
    x: np.ndarray,
    labels: Sequence[str],
    *,
    table: str = "table",
    value_added: np.ndarray | None = None,
    compensation: np.ndarray | None = None,
    employment: np.ndarray | None = None,
    household_consumption: np.ndarray | None = None,
) -> IOResult:
    """Coefficients, Leontief inverse, every multiplier and the linkages of one table."""
    A = technical_coefficients(Z, x, table=table, labels=labels)
    L = leontief_inverse(A, table=table, labels=labels)
    multipliers, closure = multiplier_table(
        L,
        x,
        labels,
        value_added=value_added,
        compensation=compensation,
        employment=employment,
        household_consumption=household_consumption,
    )
    return IOResult(A, L, multipliers, rasmussen_linkages(L, x), closure)


def dense_matrices(
    table_keys: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    sizes: dict[int, int],
) -> dict[int, np.ndarray]:
    """Scatter long cells of several tables into dense matrices by integer
    position (1-based ``rows``/``cols``; ``sizes`` = table key -> n). Absent
    cells are 0; a cell of an unknown table, a position out of range or a
    duplicated cell raises. The warehouse hands positions, not codes, so
    nothing here hashes strings; one pass per table (a handful) instead of a
    sort of all cells."""
    table_keys = np.asarray(table_keys)
    rows = np.asarray(rows, dtype=np.int64) - 1
    cols = np.asarray(cols, dtype=np.int64) - 1
    values = np.asarray(values, dtype=float)
    out: dict[int, np.ndarray] = {}
    placed = 0
    for key, n in sizes.items():
        idx = np.flatnonzero(table_keys == key)
        placed += idx.size
        r, c = rows[idx], cols[idx]
        if r.size and (min(r.min(), c.min()) < 0 or max(r.max(), c.max()) >= n):
            raise ValueError(f"table {key}: cell positions outside 1..{n}")
        flat = r * n + c
        seen = np.zeros(n * n, dtype=bool)
        seen[flat] = True
        if np.count_nonzero(seen) != flat.size:
            raise ValueError(f"table {key}: duplicated (row, column) cells")
        matrix = np.zeros(n * n)
        matrix[flat] = values[idx]
        out[key] = matrix.reshape(n, n)
    if placed != table_keys.size:
        raise ValueError(f"{table_keys.size - placed} cells belong to tables without a size")
    return out


def long_positions(n: int) -> tuple[np.ndarray, np.ndarray]:
    """1-based (row, column) positions of a row-major n x n matrix, for
    writing a matrix back in long form with ``matrix.reshape(-1)``."""
    positions = np.arange(1, n + 1, dtype=np.int32)
    return np.repeat(positions, n), np.tile(positions, n)


def square_to_long(
    matrix: np.ndarray, labels: Sequence[str], value_name: str, *, row_name: str, column_name: str
) -> pd.DataFrame:
    """A square matrix as a long frame (row label, column label, value), built
    with repeat/tile rather than a loop over cells."""
    matrix = _square(matrix, value_name)
    codes = np.asarray(list(labels), dtype=object)
    n = len(codes)
    return pd.DataFrame(
        {
            row_name: np.repeat(codes, n),
            column_name: np.tile(codes, n),
            value_name: matrix.reshape(-1),
        }
    )


def long_to_square(
    frame: pd.DataFrame,
    labels: Sequence[str],
    *,
    row_column: str,
    column_column: str,
    value_column: str,
) -> np.ndarray:
    """The inverse of :func:`square_to_long`: scatter a long frame into a dense
    n x n matrix by integer indexing (absent cells are 0). Raises on labels
    outside ``labels`` and on duplicated cells."""
    position = pd.Index(list(labels))
    rows = position.get_indexer(frame[row_column])
    cols = position.get_indexer(frame[column_column])
    if (rows < 0).any() or (cols < 0).any():
        unknown = sorted(
            set(frame.loc[rows < 0, row_column].astype(str))
            | set(frame.loc[cols < 0, column_column].astype(str))
        )
        raise ValueError(f"cells name industries outside the table: {unknown[:10]}")
    flat = rows * len(position) + cols
    if len(np.unique(flat)) != len(flat):
        raise ValueError("duplicated (row, column) cells")
    out = np.zeros(len(position) * len(position))
    out[flat] = frame[value_column].to_numpy(dtype=float)
    return out.reshape(len(position), len(position))
