"""One table through the whole model: coefficients, Leontief inverse, every
multiplier and the linkages (:func:`analyse_table`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dagster_project.methods.input_output.leontief import leontief_inverse, technical_coefficients
from dagster_project.methods.input_output.linkages import Linkages, rasmussen_linkages
from dagster_project.methods.input_output.multipliers import HouseholdClosure, multiplier_table


@dataclass(frozen=True)
class IOResult:
    """Everything the marts publish for one table."""

    A: np.ndarray
    L: np.ndarray
    multipliers: pd.DataFrame
    linkages: Linkages
    closure: HouseholdClosure | None


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
