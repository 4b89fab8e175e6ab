"""Instances of the identities and bounds that BNS series imply, over fact rows
(``release.OBSERVATION_COLUMNS``), with tolerances from the printed rounding
(``series_tools.printed_half_units``: half a unit of the last printed digit of
each figure involved)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dagster_project.ingestion.bns.periods import CUMULATIVE_ORDER
from dagster_project.ingestion.bns.series_tools import printed_half_units
from dagster_project.ingestion.errors import RawFileError
from dagster_project.ingestion.manifest import ManifestEntry, load_manifest
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import shared_by_checks

_EPSILON = 1e-9  # binary floating point on top of the printed rounding


def sibling_facts(entry: ManifestEntry, raw_table: str) -> pd.DataFrame:
    """The facts of another release of the same dataset, read in its own layout
    (cross-release identities: GRP of the republic = GDP, volume x deflator)."""
    return _read_sibling(str(entry.path.parent), raw_table)


@lru_cache(maxsize=8)
def _read_sibling(dataset_dir: str, raw_table: str) -> pd.DataFrame:
    # imported here: the layout modules import this one for their checks
    from dagster_project.ingestion.bns.layouts import ReaderContext, layout_module
    from dagster_project.ingestion.workbook import open_workbook

    siblings = {e.raw_table: e for e in load_manifest(Path(dataset_dir))}
    if raw_table not in siblings:
        raise RawFileError(raw_table, f"a check names {raw_table!r}, not an entry of {dataset_dir}")
    sibling = siblings[raw_table]
    workbook = open_workbook(sibling.path, sibling.relative_path, sibling.sha256)
    return layout_module(sibling).read(sibling, workbook, ReaderContext.from_settings()).facts


@shared_by_checks
def with_half_units(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts that carry a number, with ``half`` (their printed rounding) and ``cell``.
    Built once per validation of a release, for all its checks: they filter it, never change it."""
    rows = facts[facts["value"].notna()].copy()
    rows["half"] = printed_half_units(rows) if len(rows) else []
    rows["cell"] = list(zip(rows["_source_sheet"], rows["_source_cell"]))
    return rows


def sum_instance(check: str, indicator: str, year: int, period: str, total: dict,
                 parts: list[tuple[dict, int]], description: str) -> Instance:
    """``total == sum(sign * part)`` with the rounding of every printed figure."""
    expected = sum(sign * float(p["value"]) for p, sign in parts)
    observed = float(total["value"])
    tolerance = float(total["half"]) + sum(float(p["half"]) for p, _ in parts) + _EPSILON
    solutions = {total["cell"]: expected}
    for part, sign in parts:
        solutions[part["cell"]] = float(part["value"]) + sign * (observed - expected)
    return Instance(check, indicator, str(year), period, (total["cell"], *(p["cell"] for p, _ in parts)),
                    observed, expected, tolerance, description, solutions)


def not_less_instance(check: str, indicator: str, year: int, period: str, later: dict,
                      earlier: dict, description: str) -> Instance:
    """``later >= earlier`` (observed = later; expected = earlier when it is violated)."""
    observed, bound = float(later["value"]), float(earlier["value"])
    return Instance(check, indicator, str(year), period, (later["cell"], earlier["cell"]), observed,
                    max(observed, bound), float(later["half"]) + float(earlier["half"]) + _EPSILON,
                    description, {later["cell"]: bound, earlier["cell"]: observed})


def records(rows: pd.DataFrame) -> list[dict]:
    """The rows as plain dicts of Python values, as ``to_dict("records")`` gives them,
    built column by column: ``to_dict`` walks the frame row by row and costs three
    to five times as much, which was half the time of validating a series release."""
    names = rows.columns.tolist()
    return [dict(zip(names, values)) for values in zip(*(rows[name].tolist() for name in names))]


def grouped(rows: pd.DataFrame, keys: list[str]) -> dict[tuple, list[dict]]:
    """Fact records (plain dicts: fast to walk) grouped by ``keys``."""
    groups: dict[tuple, list[dict]] = {}
    for record in records(rows):
        groups.setdefault(tuple(record[k] for k in keys), []).append(record)
    return groups


def cumulative_instances(check: str, rows: pd.DataFrame, keys: list[str], what: str,
                         comparable: Callable[[dict, dict], bool] | None = None) -> list[Instance]:
    """Q1 <= H1 <= 9M <= year for flows cumulated from January, per ``keys`` and year
    (pairs of periods ``comparable(earlier, later)`` rejects are not compared).

    Only where every printed period of the year has one sign: a negative flow
    (FISIM is printed negative) grows in magnitude, so its series is compared
    on absolute values; a series that changes sign is not a cumulation test."""
    instances: list[Instance] = []
    for key, group in grouped(rows[rows["period"].isin(CUMULATIVE_ORDER)], keys + ["year"]).items():
        ordered = sorted(group, key=lambda r: CUMULATIVE_ORDER.index(r["period"]))
        values = [float(r["value"]) for r in ordered]
        if len(ordered) < 2 or not (all(v >= 0 for v in values) or all(v <= 0 for v in values)):
            continue
        sign = 1.0 if all(v >= 0 for v in values) else -1.0
        for earlier, later in zip(ordered, ordered[1:]):
            if comparable is not None and not comparable(earlier, later):
                continue
            bars = "|" if sign < 0 else ""
            text = (f"{what} {_describe(key, keys)}: {later['period']} {int(later['year'])} {bars}{later['value']:g}"
                    f"{bars} >= {earlier['period']} {bars}{earlier['value']:g}{bars} (cumulated from January)")
            if sign < 0:
                earlier, later = {**earlier, "value": -earlier["value"]}, {**later, "value": -later["value"]}
            instances.append(not_less_instance(check, str(key[0]), int(later["year"]), later["period"],
                                               later, earlier, text))
    return instances


# A share that moves by a factor of five one year and back the next is no
# structural change; one moved by a factor of ten from its one neighbour, at the
# start or end of a series, is the most a series can say about its ends.
SPIKE_BOTH_WAYS = math.log10(5)
SPIKE_ONE_SIDED = 1.0


def share_spike_instances(check: str, series: list[tuple[dict, float]], what: str,
                          indicator: str = "activity_code") -> list[Instance]:
    """A share that jumps in one year and back the next: a misplaced digit.

    ``series``: (fact, share of its total) for consecutive years; ``indicator``
    names the column that says whose share it is. A digit moved
    in one figure multiplies its share by ten that year only; a real structural
    change (public associations fell from 1.4 % of value added in 1992 to 0.04 %
    in 1994) does not come back. A year fails when its share differs from both
    neighbours' by more than a factor of five in opposite directions (a smooth
    trend can eat into a factor of ten on one side); a first or last year when it
    differs from its one neighbour's by a factor of ten. Observed: the smaller
    jump in powers of ten (0 when the jumps go the same way)."""
    instances = []
    logs = [math.log10(share) if share > 0 else None for _, share in series]
    for i, (row, _) in enumerate(series):
        if logs[i] is None:
            continue
        jumps = [logs[i] - logs[j] for j in (i - 1, i + 1) if 0 <= j < len(series) and logs[j] is not None]
        if not jumps:
            continue
        if len(jumps) == 2:
            magnitude = min(abs(j) for j in jumps) if jumps[0] * jumps[1] > 0 else 0.0
            bound = SPIKE_BOTH_WAYS
        else:
            magnitude, bound = abs(jumps[0]), SPIKE_ONE_SIDED
        cells = tuple(series[j][0]["cell"] for j in (i - 1, i, i + 1) if 0 <= j < len(series))
        instances.append(Instance(check, str(row[indicator]),
                                  str(int(row["year"])), row["period"], cells, magnitude, min(magnitude, bound),
                                  0.0, f"{what} {int(row['year'])}: share {series[i][1]:.4g} jumps by "
                                  f"10^{magnitude:.2f} against its neighbouring years (bound 10^{bound:.2f})"))
    return instances


def _describe(key, keys: list[str]) -> str:
    values = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{k} {v}" for k, v in zip(keys, values))
