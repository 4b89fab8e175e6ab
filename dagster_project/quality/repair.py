"""Suggested corrections: offered only where the other published figures
determine one unambiguously.

For a failing instance, every cell it involves has a value that alone would
make it hold. Such a single-cell change is a *candidate* if it breaks no
instance that held before. The candidate that repairs the most failing
instances is suggested only when it is the unique best: e.g. 2006 exports of
South Kazakhstan must be external trade - imports, and that value also
reproduces the published "% of 2006" of exports, while changing trade or
imports would break their own "% of 2006". Where several cells explain a
failure equally well (2005 trade, with no index to arbitrate), nothing is
suggested and the reason says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dagster_project.quality.checks import Cell, Grid, Instance


@dataclass(frozen=True)
class Suggestion:
    cell: Cell
    value: float
    repaired: tuple[str, ...]  # descriptions of the failing instances it repairs


def _failing(instances: list[Instance]) -> list[Instance]:
    return [i for i in instances if i.excess > 0]


def _key(instance: Instance) -> tuple:
    return (instance.check_name, instance.cells, instance.description)


def round_like(value: float, decimals: int) -> float:
    return round(value, decimals)


def suggest(
    grid: Grid,
    evaluate: Callable[[Grid], list[Instance]],
    decimals: Callable[[Cell], int],
) -> dict[tuple, Suggestion | None]:
    """For each failing instance (by key): the unique best single-cell repair, or None."""
    baseline = evaluate(grid)
    failing = {_key(i): i for i in _failing(baseline)}
    holding = {_key(i) for i in baseline if i.excess <= 0 and i.deviation is not None}
    outcome: dict[tuple, Suggestion | None] = {}
    for key, instance in failing.items():
        scored: list[tuple[int, Suggestion]] = []
        for cell, raw_value in instance.solutions.items():
            value = round_like(raw_value, decimals(cell))
            trial = grid.copy()
            trial.at[cell[0], cell[1]] = value
            after = evaluate(trial)
            after_failing = {_key(i) for i in _failing(after)}
            if key in after_failing or holding & after_failing:
                continue
            repaired = tuple(failing[k].description for k in failing if k not in after_failing)
            scored.append((len(repaired), Suggestion(cell, value, repaired)))
        scored.sort(key=lambda item: item[0], reverse=True)
        unique_best = scored and (len(scored) == 1 or scored[0][0] > scored[1][0])
        outcome[key] = scored[0][1] if unique_best else None
    return _one_value_per_cell(grid, evaluate, outcome)


def _one_value_per_cell(
    grid: Grid,
    evaluate: Callable[[Grid], list[Instance]],
    outcome: dict[tuple, Suggestion | None],
) -> dict[tuple, Suggestion | None]:
    """Different failing instances may solve the same cell to values that
    differ in the last digit (1082.3 from an identity, 1082.2 from a rounded
    index). Offer one value per cell: the one that fits every instance
    involving the cell best, in units of their tolerances."""
    by_cell: dict[Cell, list[Suggestion]] = {}
    for suggestion in outcome.values():
        if suggestion is not None:
            by_cell.setdefault(suggestion.cell, []).append(suggestion)

    def misfit(candidate: Suggestion) -> float:
        trial = grid.copy()
        trial.at[candidate.cell[0], candidate.cell[1]] = candidate.value
        return sum(
            abs(i.deviation) / i.tolerance
            for i in evaluate(trial)
            if candidate.cell in i.cells and i.deviation is not None and i.tolerance > 0
        )

    best = {cell: min(options, key=misfit) for cell, options in by_cell.items()}
    return {k: (best[s.cell] if s is not None else None) for k, s in outcome.items()}
