"""Multipliers of one table: for a coefficient row ``w`` (value added,
compensation or employment per unit of output) the total effect per unit of
final demand of industry j, ``(w L)_j`` ("simple multiplier"), and the ratio
multiplier ``(w L)_j / w_j`` ("Type I"); Type II with households made
endogenous, kept in partitioned form (:class:`HouseholdClosure`). The
notation is in the package docstring (``__init__.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dagster_project.methods.input_output.leontief import as_labels, as_square

OUTPUT = "output"
VALUE_ADDED = "value_added"
COMPENSATION = "compensation"
EMPLOYMENT = "employment"
TYPE_I = "type_1"
TYPE_II = "type_2"


def output_multipliers(L: np.ndarray) -> np.ndarray:
    """Type I output multipliers: column sums of L."""
    return as_square(L, "L").sum(axis=0)


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
    labels = as_labels(len(x), labels)
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
