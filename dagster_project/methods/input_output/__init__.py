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

Import from this package (``from dagster_project.methods import input_output
as io``); each module below holds one idea:

- ``leontief.py``: ``A``, ``L`` and :class:`IOModelError`; BNS's cost ratios;
- ``multipliers.py``: Type I and Type II multipliers, the household closure;
- ``linkages.py``: Rasmussen's backward and forward linkages;
- ``regional.py``: FLQ regionalisation and grouped location quotients;
- ``analysis.py``: one table through all of the above (:func:`analyse_table`);
- ``long_form.py``: matrices to and from the warehouse's long rows.
"""

from dagster_project.methods.input_output.analysis import IOResult, analyse_table
from dagster_project.methods.input_output.leontief import (
    IOModelError,
    as_labels,
    as_square,
    leontief_inverse,
    supply_cost_ratios,
    technical_coefficients,
)
from dagster_project.methods.input_output.linkages import Linkages, rasmussen_linkages
from dagster_project.methods.input_output.long_form import dense_matrices, long_positions, long_to_square
from dagster_project.methods.input_output.multipliers import (
    COMPENSATION,
    EMPLOYMENT,
    OUTPUT,
    TYPE_I,
    TYPE_II,
    VALUE_ADDED,
    HouseholdClosure,
    household_closure,
    multiplier_table,
    output_multipliers,
    ratio_multipliers,
    total_effects,
)
from dagster_project.methods.input_output.regional import grouped_location_quotients, regionalise_coefficients

__all__ = [
    "COMPENSATION",
    "EMPLOYMENT",
    "OUTPUT",
    "TYPE_I",
    "TYPE_II",
    "VALUE_ADDED",
    "HouseholdClosure",
    "IOModelError",
    "IOResult",
    "Linkages",
    "analyse_table",
    "as_labels",
    "as_square",
    "dense_matrices",
    "grouped_location_quotients",
    "household_closure",
    "leontief_inverse",
    "long_positions",
    "long_to_square",
    "multiplier_table",
    "output_multipliers",
    "rasmussen_linkages",
    "ratio_multipliers",
    "regionalise_coefficients",
    "supply_cost_ratios",
    "technical_coefficients",
    "total_effects",
]
