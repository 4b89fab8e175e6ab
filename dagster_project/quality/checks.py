"""Check instances over a published table.

A published table is typed into a grid (row code x value column). Each check
expands into *instances*: one equation or bound over named cells, with the
observed and expected value, the deviation and the tolerance that rounding of
the printed figures allows. Instances are plain data so that the same
evaluation serves the Great Expectations verdict, the repair search and the
``quality.check_results`` rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

Cell = tuple[str, str]  # (row code, value column)


@dataclass(frozen=True)
class Instance:
    check_name: str
    indicator: str | None
    year: str | None
    value_column: str | None
    cells: tuple[Cell, ...]
    observed: float | None
    expected: float | None
    tolerance: float
    description: str
    # For each cell, the value that alone would make the instance hold exactly.
    solutions: dict[Cell, float] = field(default_factory=dict)

    @property
    def deviation(self) -> float | None:
        if self.observed is None or self.expected is None:
            return None
        return self.observed - self.expected

    @property
    def excess(self) -> float:
        """How far the instance is outside its tolerance (<= 0 means it holds).
        An instance whose inputs are gaps cannot be evaluated and holds."""
        if self.deviation is None:
            return 0.0
        return abs(self.deviation) - self.tolerance


Grid = pd.DataFrame  # index: row codes, columns: value columns, float with NaN for gaps
# Half a unit of the last printed digit of every cell (0.05 for "131,7"): the
# rounding the printer applied, from which every tolerance below is derived.
HalfUnits = pd.DataFrame
CheckFunction = Callable[[Grid, HalfUnits], list[Instance]]

# Slack for binary floating point on top of the printed rounding.
_EPSILON = 1e-9


def _half(half_units: HalfUnits, cell: Cell) -> float:
    row, column = cell
    if row not in half_units.index or column not in half_units.columns:
        return 0.0
    value = half_units.at[row, column]
    return 0.0 if pd.isna(value) else float(value)


def _value(grid: Grid, cell: Cell) -> float | None:
    row, column = cell
    if row not in grid.index or column not in grid.columns:
        return None
    value = grid.at[row, column]
    return None if pd.isna(value) else float(value)


def year_of(column: str) -> str | None:
    """``y2006`` -> ``2006``; value columns that are not years give None."""
    return column[1:] if column.startswith("y") and column[1:].isdigit() else None


def sum_identity(name: str, total: str, parts: list[str], columns: list[str]) -> CheckFunction:
    """``total = sum(parts)`` in each column (e.g. external trade = exports + imports),
    within the rounding of the printed figures."""

    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        instances = []
        for column in columns:
            total_cell = (total, column)
            part_cells = [(p, column) for p in parts]
            observed = _value(grid, total_cell)
            part_values = [_value(grid, c) for c in part_cells]
            expected = None if None in part_values else float(sum(part_values))
            solutions: dict[Cell, float] = {}
            if observed is not None and expected is not None:
                solutions[total_cell] = expected
                for cell, value in zip(part_cells, part_values):
                    solutions[cell] = observed - (expected - value)
            instances.append(
                Instance(
                    check_name=name,
                    indicator=total,
                    year=year_of(column),
                    value_column=column,
                    cells=(total_cell, *part_cells),
                    observed=observed,
                    expected=expected,
                    tolerance=sum(_half(half_units, c) for c in (total_cell, *part_cells))
                    + _EPSILON,
                    description=f"{total} = {' + '.join(parts)} ({column})",
                    solutions=solutions,
                )
            )
        return instances

    return check


def percent_of_previous(
    name: str, rows: list[str], current: str, previous: str, percent: str, scale: float = 100.0
) -> CheckFunction:
    """``percent = scale * current / previous`` for indicators whose index is a
    ratio of levels (current prices, USD, tonnes); ``scale`` 1 for "times".
    The tolerance is one unit of the index's last printed digit (it may have
    been truncated rather than rounded: 137.57 printed as 137.5) plus the
    largest change of the ratio over the rounding intervals of the two levels."""

    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        instances = []
        for row in rows:
            cells = ((row, percent), (row, current), (row, previous))
            pct, cur, prev = (_value(grid, c) for c in cells)
            expected = None
            tolerance = 0.0
            solutions: dict[Cell, float] = {}
            if None not in (pct, cur, prev) and prev > 0 and pct != 0:
                expected = scale * cur / prev
                h_pct, h_cur, h_prev = (_half(half_units, c) for c in cells)
                widest = max(
                    abs(scale * (cur + dc) / (prev + dp) - expected)
                    for dc in (-h_cur, h_cur)
                    for dp in (-h_prev, h_prev)
                    if prev + dp > 0
                )
                tolerance = 2.0 * h_pct + widest
                solutions = {
                    cells[0]: expected,
                    cells[1]: pct * prev / scale,
                    cells[2]: scale * cur / pct,
                }
            instances.append(
                Instance(
                    check_name=name,
                    indicator=row,
                    year=year_of(current),
                    value_column=percent,
                    cells=cells,
                    observed=pct,
                    expected=expected,
                    tolerance=tolerance + _EPSILON,
                    description=f"{percent} = {scale:g} * {current} / {previous} for {row}",
                    solutions=solutions,
                )
            )
        return instances

    return check


def implied_price_index(
    name: str,
    rows: list[str],
    current: str,
    previous: str,
    volume_index: str,
    low: float,
    high: float,
) -> CheckFunction:
    """For a volume index (comparable prices) the ratio of current-price levels
    differs from the index by the price change. The check is that the implied
    price index ``100 * (current / previous) / (volume / 100)`` is plausible,
    not that the two agree."""
    centre, half_width = (low + high) / 2.0, (high - low) / 2.0

    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        instances = []
        for row in rows:
            cells = ((row, volume_index), (row, current), (row, previous))
            vol, cur, prev = (_value(grid, c) for c in cells)
            observed = None
            if None not in (vol, cur, prev) and prev != 0 and vol != 0:
                observed = 100.0 * (cur / prev) / (vol / 100.0)
            instances.append(
                Instance(
                    check_name=name,
                    indicator=row,
                    year=year_of(current),
                    value_column=volume_index,
                    cells=cells,
                    observed=observed,
                    expected=centre,
                    tolerance=half_width,
                    description=(
                        f"implied price index of {row} within [{low:g}, {high:g}] % "
                        f"({volume_index} is a volume index)"
                    ),
                )
            )
        return instances

    return check


def year_on_year_plausibility(
    name: str, rows: list[str] | None, columns: list[str], max_ratio: float
) -> CheckFunction:
    """Consecutive levels may not change by more than a factor of ``max_ratio``
    either way (a tenfold jump is a dropped or extra digit far more often than
    reality). Observed is the ratio; expected is the nearest admissible ratio,
    so the deviation is how far beyond the limit the jump goes."""

    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        instances = []
        for row in rows if rows is not None else [str(r) for r in grid.index]:
            for previous, current in zip(columns, columns[1:]):
                cur, prev = _value(grid, (row, current)), _value(grid, (row, previous))
                observed = expected = None
                if cur is not None and prev is not None and cur > 0 and prev > 0:
                    observed = cur / prev
                    expected = min(max(observed, 1.0 / max_ratio), max_ratio)
                instances.append(
                    Instance(
                        check_name=name,
                        indicator=row,
                        year=year_of(current),
                        value_column=current,
                        cells=((row, current), (row, previous)),
                        observed=observed,
                        expected=expected,
                        tolerance=_EPSILON,
                        description=(
                            f"{current}/{previous} of {row} between 1/{max_ratio:g} and {max_ratio:g}"
                        ),
                    )
                )
        return instances

    return check


def value_range(
    name: str, rows: list[str] | None, columns: list[str], low: float, high: float
) -> CheckFunction:
    """Every value of ``columns`` (in ``rows``, default all) lies in [low, high]."""
    centre, half_width = (low + high) / 2.0, (high - low) / 2.0

    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        instances = []
        for row in rows if rows is not None else [str(r) for r in grid.index]:
            for column in columns:
                observed = _value(grid, (row, column))
                instances.append(
                    Instance(
                        check_name=name,
                        indicator=row,
                        year=year_of(column),
                        value_column=column,
                        cells=((row, column),),
                        observed=observed,
                        expected=centre,
                        tolerance=half_width,
                        description=f"{column} of {row} within [{low:g}, {high:g}]",
                    )
                )
        return instances

    return check


def row_sum_of_squares_at_most(name: str, columns: list[str], limit: float) -> CheckFunction:
    """Communality of a rotated component matrix: the squared loadings of an
    industry sum to at most 1 (the share of its variance the components hold)."""

    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        instances = []
        for row in grid.index:
            values = grid.loc[row, columns].astype(float)
            observed = None if values.isna().any() else float((values**2).sum())
            # Only an excess over the limit is a failure: report it against the limit.
            expected = None if observed is None else min(observed, limit)
            # d(sum x^2) = sum 2|x| dx over the printed rounding of each loading.
            tolerance = sum(
                2.0 * abs(float(values[c])) * _half(half_units, (str(row), c)) for c in columns
            ) if observed is not None else 0.0
            instances.append(
                Instance(
                    check_name=name,
                    indicator=str(row),
                    year=None,
                    value_column=None,
                    cells=tuple((str(row), c) for c in columns),
                    observed=observed,
                    expected=expected,
                    tolerance=tolerance + _EPSILON,
                    description=f"sum of squared loadings of {row} at most {limit:g}",
                )
            )
        return instances

    return check


def published_correlation(
    name: str, column_x: str, column_y: str, published_r: float, printed_decimals: int
) -> CheckFunction:
    """A correlation the text states, recomputed from the table (pairs with a
    gap are left out, as the author would have had to); it holds within the
    rounding of the stated r."""
    tolerance = 0.5 * 10.0**-printed_decimals

    def check(grid: Grid, half_units: HalfUnits) -> list[Instance]:
        pairs = grid[[column_x, column_y]].astype(float).dropna()
        observed = None
        if len(pairs) >= 3:
            observed = float(np.corrcoef(pairs[column_x], pairs[column_y])[0, 1])
        return [
            Instance(
                check_name=name,
                indicator=f"corr({column_x},{column_y})",
                year=None,
                value_column=None,
                cells=tuple((str(r), c) for r in pairs.index for c in (column_x, column_y)),
                observed=observed,
                expected=published_r,
                tolerance=tolerance + _EPSILON,
                description=(
                    f"Pearson r of {column_x} and {column_y} over {len(pairs)} rows "
                    f"equals the published r = {published_r:g}"
                ),
            )
        ]

    return check
