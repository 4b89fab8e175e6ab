"""Validation of BNS releases: the checks a release's definitions imply.

A layout declares its checks (``ReleaseCheck``); each check expands the
release's fact rows into ``Instance``s (one identity or bound over named
source cells, with observed, expected and a tolerance from the printed
rounding). Great Expectations gives the verdict on every instance, the rows go
to ``quality.check_results`` and each check becomes a Dagster asset check.

Published figures are never changed. A suggested value is offered only where
the other figures determine it unambiguously: one cell is the only cell shared
by at least two failing instances, and the one value that repairs it repairs
all of them (e.g. a cell that breaks both its row total and its column total).

Instance cells are ``(sheet, address)`` pairs, written ``sheet!B12`` in
``involved_cells`` and ``suggested_cell``.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import dagster as dg
import pandas as pd

from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality import gx_validation
from dagster_project.quality.checks import Instance
from dagster_project.quality.suites import SCHEMA_CHECK, SuiteOutcome


@dataclass(frozen=True)
class ReleaseCheck:
    name: str
    description: str  # what an economist reads in the Dagster UI
    build: Callable[[pd.DataFrame, ManifestEntry], list[Instance]]
    severity: str = "warn"  # published figures are reported, never blocking


# -- views of a release's facts shared by its checks ------------------------------
# Several checks of one release need the same indexed view of its facts (the cells
# of an input-output workbook by table, row and column; the fact records of a
# dynamic table; the figures of a series with their rounding). Building one costs
# about as much as a check (0.5 s over the 87k cells of the supply-use tables), so
# while ``ReleaseSuite.validate`` runs a release's checks each view is built once
# and handed to every check that asks for it.
_shared_views: ContextVar[dict[tuple, tuple] | None] = ContextVar("klaster_release_views", default=None)

_View = TypeVar("_View")


def shared_by_checks(build: Callable[..., _View]) -> Callable[..., _View]:
    """``build(facts, ...)`` run once per validation of a release for the same argument
    objects (by identity: the checks of a release all receive the one facts frame and
    entry), its result shared: checks must treat it as read-only. Outside
    ``ReleaseSuite.validate`` (a test calling one check) it simply builds."""

    @functools.wraps(build)
    def shared(*args):
        views = _shared_views.get()
        if views is None:
            return build(*args)
        key = (build, *map(id, args))
        if key not in views:
            # The arguments stay referenced beside the view, so no other object can take their ids.
            views[key] = (args, build(*args))
        return views[key][1]

    return shared


@contextmanager
def _sharing_views() -> Iterator[None]:
    """Views built inside live until the block ends: never across releases or validations."""
    token = _shared_views.set({})
    try:
        yield
    finally:
        _shared_views.reset(token)


def cell_name(cell: tuple[str, str]) -> str:
    return f"{cell[0]}!{cell[1]}"


@dataclass(frozen=True)
class ReleaseSuite:
    key_columns: tuple[str, ...]  # the fact table's key: unique and not null
    checks: tuple[ReleaseCheck, ...]

    def check_specs(self, key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
        specs = [
            dg.AssetCheckSpec(
                SCHEMA_CHECK,
                asset=key,
                description="Every published figure read into one fact row with a unique key "
                f"({', '.join(self.key_columns)}) and no key left empty. Blocking: a release "
                "that fails it cannot feed the marts.",
                blocking=True,
            )
        ]
        specs += [dg.AssetCheckSpec(c.name, asset=key, description=c.description) for c in self.checks]
        return specs

    def validate(self, facts: pd.DataFrame, entry: ManifestEntry) -> SuiteOutcome:
        checked_at = datetime.now(UTC).replace(tzinfo=None)
        table_id = entry.raw_table
        rows = self._schema_rows(facts, table_id, checked_at)
        definitions = {c.name: c for c in self.checks}
        with _sharing_views():
            instances = [i for c in self.checks for i in c.build(facts, entry)]
        verdicts = gx_validation.instances_within_tolerance([i.excess for i in instances])
        suggestions = unambiguous_suggestions(instances, verdicts)
        for instance, passed in zip(instances, verdicts):
            suggestion = None if passed else next(
                (s for s in suggestions if s[0] in instance.cells), None
            )
            rows.append(
                {
                    "table_id": table_id,
                    "indicator": instance.indicator,
                    "year": instance.year,
                    "value_column": instance.value_column,
                    "check_name": instance.check_name,
                    "description": instance.description,
                    "expected": instance.expected,
                    "observed": instance.observed,
                    "deviation": instance.deviation,
                    "tolerance": instance.tolerance,
                    "passed": passed,
                    "severity": definitions[instance.check_name].severity,
                    "involved_cells": [cell_name(c) for c in instance.cells],
                    "suggested_cell": cell_name(suggestion[0]) if suggestion else None,
                    "suggested_value": suggestion[1] if suggestion else None,
                    "reason": _reason(instance, passed, suggestion),
                    "checked_at": checked_at,
                }
            )
        return SuiteOutcome(table_id, rows, definitions)

    def _schema_rows(self, facts: pd.DataFrame, table_id: str, checked_at: datetime) -> list[dict]:
        expectations = gx_validation.schema_expectations(list(facts.columns), list(self.key_columns))
        rows = []
        outcomes = gx_validation.validate_each(facts, expectations)
        for expectation, (success, _, result) in zip(expectations, outcomes):
            rows.append(
                {
                    "table_id": table_id, "indicator": None, "year": None,
                    "value_column": getattr(expectation, "column", None),
                    "check_name": SCHEMA_CHECK, "description": expectation.expectation_type,
                    "expected": None, "observed": None, "deviation": None, "tolerance": None,
                    "passed": success, "severity": "error", "involved_cells": [],
                    "suggested_cell": None, "suggested_value": None,
                    "reason": None if success else f"Great Expectations: {_short(result)}",
                    "checked_at": checked_at,
                }
            )
        return rows


def _short(result: dict) -> str:
    keep = {k: result[k] for k in ("unexpected_count", "partial_unexpected_list", "observed_value")
            if k in result}
    return str(keep or result)[:500]


def unambiguous_suggestions(
    instances: list[Instance], verdicts: list[bool]
) -> list[tuple[tuple[str, str], float, list[str]]]:
    """(cell, value, repaired descriptions) where the failing instances pin one
    cell down: the cell lies in >= 2 failing instances, the values that would repair each
    of them agree within their rounding, and no other cell explains the same
    failures. A failing instance is attributed to one cell at most: cells that
    explain more failures are taken first, and a cell whose failures are
    already explained by a better-supported cell (or that would be left with
    fewer than two) is not suggested — two errors side by side never produce a
    suggestion for an innocent cell that happens to sit in both."""
    failing = [i for i, ok in zip(instances, verdicts) if not ok and i.deviation is not None]
    by_cell: dict[tuple[str, str], list[Instance]] = defaultdict(list)
    for instance in failing:
        for cell in instance.cells:
            by_cell[cell].append(instance)
    candidates = []
    for cell, group in by_cell.items():
        if len(group) < 2 or any(cell not in i.solutions for i in group):
            continue
        same_failures = {id(i) for i in group}
        if any(c != cell and {id(i) for i in g} == same_failures for c, g in by_cell.items()):
            continue  # two cells explain the same failures: not determined
        values = [i.solutions[cell] for i in group]
        # The repairs agree within the instances' rounding (a band check's
        # solution is the nearest value inside its band, an identity's exact).
        if max(values) - min(values) <= 2 * max(i.tolerance for i in group):
            candidates.append((cell, sum(values) / len(values), group))
    candidates.sort(key=lambda c: (-len(c[2]), c[0]))
    explained: set[int] = set()
    suggestions = []
    for cell, value, group in candidates:
        if any(id(i) in explained for i in group):
            continue
        explained.update(id(i) for i in group)
        suggestions.append((cell, value, [i.description for i in group]))
    return suggestions


def _reason(instance: Instance, passed: bool, suggestion) -> str | None:
    if passed:
        return None
    if instance.deviation is None:
        return f"cannot evaluate {instance.description}"
    head = (
        f"{instance.description}: published {instance.observed:g}, expected {instance.expected:g} "
        f"(deviation {instance.deviation:+.6g}, tolerance {instance.tolerance:.3g})"
    )
    if suggestion is None:
        return head
    cell, value, repaired = suggestion
    return (f"{head}. Suggested: {cell_name(cell)} = {value:g}; that one value repairs all of: "
            + "; ".join(repaired))
