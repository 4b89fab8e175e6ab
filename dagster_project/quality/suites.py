"""Validation suites of the published seed tables.

A suite types the raw text table into a grid, expands its checks into
instances, lets Great Expectations give the verdict, searches for suggested
corrections, and turns all of it into ``quality.check_results`` rows and
Dagster asset-check results. Published figures are never changed: a failure
is reported with observed, expected and deviation, and a suggestion is only
ever a separate value with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import dagster as dg
import pandas as pd

from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.ingestion.numbers import parse_number
from dagster_project.quality import gx_validation
from dagster_project.quality.checks import Cell, CheckFunction, Grid, HalfUnits, Instance
from dagster_project.quality.repair import Suggestion, suggest

SCHEMA_CHECK = "schema_and_types"


@dataclass(frozen=True)
class CheckDefinition:
    name: str
    description: str  # what an economist reads in the Dagster UI
    build: Callable[[ManifestEntry], CheckFunction]  # checks may depend on manifest facts
    severity: str = "warn"  # published figures are reported, never blocking


def printed_decimals(text: str | None) -> int:
    """Decimals as printed: ``"131,7"`` -> 1, ``"64427"`` -> 0."""
    if text is None:
        return 0
    stripped = text.strip().replace(",", ".")
    return len(stripped.split(".", 1)[1]) if "." in stripped else 0


def type_table(frame: pd.DataFrame, entry: ManifestEntry, row_code: str) -> tuple[Grid, HalfUnits]:
    """Numeric grid (row code x numeric column) and the half-unit of the last
    printed digit of every cell."""
    values, halves = {}, {}
    for column in entry.numeric_columns:
        parsed = [parse_number(t, entry.decimal, entry.gap_markers) for t in frame[column]]
        values[column] = [p.value for p in parsed]
        halves[column] = [
            0.5 * 10.0 ** -printed_decimals(t) if p.value is not None else None
            for t, p in zip(frame[column], parsed)
        ]
    index = pd.Index(frame[row_code].astype(str), name=row_code)
    grid = pd.DataFrame(values, index=index, dtype="float64")
    half_units = pd.DataFrame(halves, index=index, dtype="float64")
    return grid, half_units


@dataclass
class SuiteOutcome:
    table_id: str
    rows: list[dict]
    checks: dict[str, CheckDefinition]

    def asset_check_results(self, key: dg.AssetKey) -> list[dg.AssetCheckResult]:
        results = []
        frame = pd.DataFrame(self.rows)
        for name in [SCHEMA_CHECK, *self.checks]:
            outcome = frame[frame["check_name"] == name]
            failed = outcome[~outcome["passed"]]
            severity = "error" if name == SCHEMA_CHECK else self.checks[name].severity
            shown = failed if not failed.empty else outcome.head(5)
            table = shown[
                ["indicator", "year", "value_column", "observed", "expected", "deviation",
                 "tolerance", "suggested_value"]
            ]
            deviations = pd.to_numeric(outcome["deviation"], errors="coerce").abs().dropna()
            results.append(
                dg.AssetCheckResult(
                    asset_key=key,
                    check_name=name,
                    passed=failed.empty,
                    severity=dg.AssetCheckSeverity.ERROR
                    if severity == "error"
                    else dg.AssetCheckSeverity.WARN,
                    description=_failure_summary(failed) if not failed.empty else None,
                    metadata={
                        "instances_checked": len(outcome),
                        "instances_failed": len(failed),
                        "max_abs_deviation": round(float(deviations.max()), 6)
                        if len(deviations)
                        else 0.0,
                        "observed_vs_expected": dg.MetadataValue.md(
                            # Blank, not "nan", where a figure has no suggestion.
                            table.round(6)
                            .astype(object)
                            .where(table.notna(), None)
                            .to_markdown(index=False, missingval="")
                            if len(table)
                            else "(none)"
                        ),
                        "failures": dg.MetadataValue.json(
                            [_jsonable(r) for r in failed.to_dict("records")]
                        ),
                    },
                )
            )
        return results


def _jsonable(row: dict) -> dict:
    keep = ("indicator", "year", "value_column", "observed", "expected", "deviation",
            "tolerance", "suggested_cell", "suggested_value", "reason")
    return {k: (None if pd.isna(row[k]) else row[k]) for k in keep}


def _failure_summary(failed: pd.DataFrame) -> str:
    parts = [
        f"{r.indicator} {r.value_column or ''}: observed {r.observed:g}, expected {r.expected:g}"
        if pd.notna(r.observed) and pd.notna(r.expected)
        else f"{r.indicator}: {r.reason}"
        for r in failed.itertuples()
    ]
    return "; ".join(parts[:6]) + (f"; and {len(parts) - 6} more" if len(parts) > 6 else "")


@dataclass(frozen=True)
class PublishedTableSuite:
    raw_table: str
    table_id: str
    row_code: str
    checks: tuple[CheckDefinition, ...]

    def check_specs(self, key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
        specs = [
            dg.AssetCheckSpec(
                SCHEMA_CHECK,
                asset=key,
                description="Columns as registered in the manifest, row codes present and "
                "unique, every value column a number or a gap marker. Blocking: a table that "
                "fails it cannot feed the marts.",
                blocking=True,
            )
        ]
        specs += [dg.AssetCheckSpec(c.name, asset=key, description=c.description) for c in self.checks]
        return specs

    def instances(self, grid: Grid, half_units: HalfUnits, entry: ManifestEntry) -> list[Instance]:
        return [i for c in self.checks for i in c.build(entry)(grid, half_units)]

    def validate(self, frame: pd.DataFrame, entry: ManifestEntry) -> SuiteOutcome:
        checked_at = datetime.now(timezone.utc).replace(tzinfo=None)
        grid, half_units = type_table(frame, entry, self.row_code)
        rows = self._schema_rows(frame, grid, entry, checked_at)
        instances = self.instances(grid, half_units, entry)
        verdicts = gx_validation.instances_within_tolerance([i.excess for i in instances])
        decimals = _decimals_lookup(frame, entry, self.row_code)
        suggestions = suggest(grid, lambda g: self.instances(g, half_units, entry), decimals)
        definitions = {c.name: c for c in self.checks}
        for instance, passed in zip(instances, verdicts):
            key = (instance.check_name, instance.cells, instance.description)
            suggestion = suggestions.get(key)
            rows.append(
                {
                    "table_id": self.table_id,
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
                    "involved_cells": [f"{r}:{c}" for r, c in instance.cells],
                    "suggested_cell": f"{suggestion.cell[0]}:{suggestion.cell[1]}"
                    if suggestion
                    else None,
                    "suggested_value": suggestion.value if suggestion else None,
                    "reason": _reason(instance, passed, suggestion, key in suggestions, grid),
                    "checked_at": checked_at,
                }
            )
        return SuiteOutcome(self.table_id, rows, definitions)

    def _schema_rows(
        self, frame: pd.DataFrame, grid: Grid, entry: ManifestEntry, checked_at: datetime
    ) -> list[dict]:
        published = frame[list(entry.header)]
        outcomes = [
            (e, gx_validation.validate(published, e))
            for e in gx_validation.schema_expectations(list(entry.header), list(entry.key))
        ]
        outcomes += [
            (e, gx_validation.validate(grid.reset_index(), e))
            for e in map(gx_validation.numeric_type_expectation, entry.numeric_columns)
        ]
        return [
            {
                "table_id": self.table_id,
                "indicator": None,
                "year": None,
                "value_column": expectation.column if hasattr(expectation, "column") else None,
                "check_name": SCHEMA_CHECK,
                "description": expectation.expectation_type,
                "expected": None,
                "observed": None,
                "deviation": None,
                "tolerance": None,
                "passed": success,
                "severity": "error",
                "involved_cells": [],
                "suggested_cell": None,
                "suggested_value": None,
                "reason": None if success else f"Great Expectations: {result}",
                "checked_at": checked_at,
            }
            for expectation, (success, _, result) in outcomes
        ]


def _decimals_lookup(frame: pd.DataFrame, entry: ManifestEntry, row_code: str):
    texts = frame.set_index(frame[row_code].astype(str))

    def decimals(cell: Cell) -> int:
        return printed_decimals(texts.at[cell[0], cell[1]])

    return decimals


def _reason(
    instance: Instance,
    passed: bool,
    suggestion: Suggestion | None,
    searched: bool,
    grid: Grid,
) -> str | None:
    if passed:
        return None
    if instance.deviation is None:
        return f"cannot evaluate {instance.description}"
    head = (
        f"{instance.description}: published {instance.observed:g}, expected {instance.expected:g} "
        f"(deviation {instance.deviation:+.4g}, tolerance {instance.tolerance:.3g})"
    )
    if suggestion is not None:
        row, column = suggestion.cell
        return (
            f"{head}. Suggested: {row} {column} = {suggestion.value:g} instead of the published "
            f"{grid.at[row, column]:g}; it alone satisfies: " + "; ".join(suggestion.repaired)
        )
    if searched and instance.solutions:
        return f"{head}. No unique correction: several published figures could be the wrong one"
    return head
