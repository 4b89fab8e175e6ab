"""What the definitions of labour productivity imply, and what they do not.

Productivity is gross value added per employed person, P = GVA / L, for a
period cumulated from January. Hence:

* ``lp_base_year_100``: an index against a base year is 100 in the base year
  (sheets 3 and 4: '2019 year = 100', '2022 year = 100'), every period.
* ``lp_index_chains``: indices of one region's productivity to different bases
  are ratios of each other: P24/P23 = (P24/P22) / (P23/P22), and
  P24/P22 = (P24/P19) / (P22/P19), per period. The manifest declares which
  measure is which chain (``chains``); tolerance from the rounding of the
  three printed indices.
* ``lp_aggregate_between_parts``: the productivity of an aggregate is the
  employment-weighted mean of its parts' (sum of GVA over sum of L), so it
  lies between the smallest and largest of them: Industry between B, C, D and
  E; the total between the sections printed (declared as ``aggregates``).

* ``lp_index_zero_with_level``: an index against the previous year is
  P / P_previous x 100, so it is 0 exactly where the productivity it indexes
  is 0, and a productivity of 0 has an index of 0 (or none). The pair is
  declared as ``zero_consistency`` (index measure, level measure).

Not implied, so not checked: the 9-month productivity is not the sum of the
quarters (a ratio of sums, and its employment is an average over the period),
nor is Q1 <= H1 <= 9M (GVA cumulates, employment does not: it is the average
number employed in the period, so P grows roughly with the months covered but
seasonally, not as a bound); the indices of activities against the previous
year cannot be combined into the total's without the employment weights,
which the release does not print.
"""

from __future__ import annotations

import pandas as pd

from dagster_project.ingestion.bns.series_checks import grouped, records, with_half_units
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import ReleaseCheck

_EPSILON = 1e-9


def _params(entry: ManifestEntry) -> dict:
    return entry.extra.get("labour_productivity") or {}


def base_year_100(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    bases = {s["measure"]: int(s["base_year"]) for s in _params(entry).get("sheets") or [] if s.get("base_year")}
    rows = with_half_units(facts)
    instances = []
    for r in records(rows):
        if bases.get(r["measure"]) == r["year"]:
            instances.append(Instance(
                "lp_base_year_100", r["measure"], str(r["year"]), r["period"], (r["cell"],), float(r["value"]),
                100.0, float(r["half"]) + _EPSILON,
                f"{r['region_code']} {r['period']} {r['year']}: the base year of {r['measure']} is 100",
                {r["cell"]: 100.0}))
    return instances


def index_chains(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    rows = with_half_units(facts)
    by_key = {(r["measure"], r["region_code"], r["activity_code"], r["year"], r["period"]): r
              for r in records(rows)}
    instances = []
    for chain in _params(entry).get("chains") or []:
        measure, source, base = chain["measure"], chain["from"], chain["base"]
        activity = str(chain.get("activity", "TOTAL"))
        for (m, region, act, year, period), index in by_key.items():
            if m != measure or act != activity:
                continue
            base_year = year - 1 if base == "previous" else int(base)
            now = by_key.get((source, region, "TOTAL", year, period))
            then = by_key.get((source, region, "TOTAL", base_year, period))
            if now is None or then is None or not float(then["value"]):
                continue
            a, b = float(now["value"]), float(then["value"])
            expected = a / b * 100
            tolerance = float(index["half"]) + 100 * (float(now["half"]) / b + a * float(then["half"]) / b**2)
            instances.append(Instance(
                "lp_index_chains", measure, str(year), period, (index["cell"], now["cell"], then["cell"]),
                float(index["value"]), expected, tolerance + _EPSILON,
                f"{region} {period} {year}: {measure} {index['value']:g} = {source} {year} {a:g} / "
                f"{base_year} {b:g} x 100",
                {index["cell"]: expected}))
    return instances


def aggregate_between_parts(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    aggregates = _params(entry).get("aggregates") or {}
    instances = []
    for (measure, region, year, period), group in grouped(
            with_half_units(facts), ["measure", "region_code", "year", "period"]).items():
        by_code = {r["activity_code"]: r for r in group}
        for aggregate, spec in aggregates.items():
            if spec["measure"] != measure or aggregate not in by_code:
                continue
            parts = [by_code[c] for c in spec["parts"] if c in by_code]
            if len(parts) < 2:
                continue
            total = by_code[aggregate]
            low = min(parts, key=lambda r: r["value"])
            high = max(parts, key=lambda r: r["value"])
            observed = float(total["value"])
            bounded = min(max(observed, float(low["value"])), float(high["value"]))
            instances.append(Instance(
                "lp_aggregate_between_parts", aggregate, str(year), period, (total["cell"], low["cell"], high["cell"]),
                observed, bounded, float(total["half"]) + max(float(low["half"]), float(high["half"])) + _EPSILON,
                f"{region} {period} {year}: {aggregate} {observed:g} lies between its parts' productivity "
                f"({low['activity_code']} {low['value']:g} .. {high['activity_code']} {high['value']:g})"))
    return instances


def index_zero_with_level(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    pair = _params(entry).get("zero_consistency")
    if not pair:
        return []
    rows = with_half_units(facts)
    levels = {(r["region_code"], r["activity_code"], r["year"], r["period"]): r
              for r in records(rows[rows["measure"] == pair["level"]])}
    instances = []
    for index in records(rows[rows["measure"] == pair["index"]]):
        level = levels.get((index["region_code"], index["activity_code"], index["year"], index["period"]))
        if level is None or (float(index["value"]) != 0 and float(level["value"]) != 0):
            continue  # the check is about zeros: pairs where at least one is printed 0
        zero, other = (index, level) if float(index["value"]) == 0 else (level, index)
        # No suggestion: a 0 index beside a positive productivity more likely stands for
        # "not computable" (no such activity a year earlier) than for a wrong figure.
        instances.append(Instance(
            "lp_index_zero_with_level", index["activity_code"], str(index["year"]), index["period"],
            (zero["cell"], other["cell"]), float(other["value"]), 0.0, float(other["half"]) + _EPSILON,
            f"{index['region_code']} {index['activity_code']} {index['period']} {index['year']}: "
            f"{zero['measure']} is printed 0, {other['measure']} {other['value']:g}"))
    return instances


CHECKS = (
    ReleaseCheck("lp_base_year_100", "An index against a base year is 100 in that year (sheets 3 and 4).",
                 base_year_100),
    ReleaseCheck("lp_index_chains", "Indices of one region's productivity to different bases are ratios of "
                 "each other (2024/2023 = (2024/2022) / (2023/2022) x 100; 2024/2022 from the 2019-based index), "
                 "within the rounding of the three printed indices.", index_chains),
    ReleaseCheck("lp_aggregate_between_parts", "An aggregate's productivity (GVA / employed) is the "
                 "employment-weighted mean of its parts', so it lies between their smallest and largest "
                 "(Industry between B-E; the total between the sections).", aggregate_between_parts),
    ReleaseCheck("lp_index_zero_with_level", "An index against the previous year is 0 exactly where the "
                 "productivity it indexes is 0 (index = P / P_previous x 100).", index_zero_with_level),
)
