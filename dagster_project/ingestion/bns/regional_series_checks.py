"""The checks a series by region implies (GRP, population).

* ``regions_sum_to_republic``: per measure, year and period, the regions sum
  to the republic's row. Where a release shows a unit that was later divided
  (South Kazakhstan oblast, 2011-2017 in the GRP release) beside its back-cast
  successors (Turkistan oblast and Shymkent city restated for the same years),
  the successors are left out of the republic's sum and checked against their
  predecessor instead (successors of one comparable unit of the КАТО frame).
* ``republic_equals_release`` (GRP): the republic's GRP is the GDP of the GDP
  release (``republic_equals``), same year, period and unit.
* ``measure_identities`` (population): the sums the manifest declares between
  measures of one region and year (men + women = total, urban + rural = men).
  Cities of republican significance print no rural row: their urban
  population is compared with the total alone.
* ``cumulative_periods`` (flows, GRP): Q1 <= H1 <= 9M <= year per region,
  except across a border change of the region's comparable unit (8 June 2022:
  East Kazakhstan's Q1 2022 includes Abai, its H1 does not) or a restatement
  (its year 2021 is restated without Abai, its 9 months 2021 are not).
* ``share_year_on_year``: a region's share of the republic does not jump by a
  power of ten in one year and back (a misplaced digit; see series_checks).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd

from dagster_project import settings
from dagster_project.ingestion.bns.periods import period_end
from dagster_project.ingestion.bns.series_checks import (
    cumulative_instances,
    grouped,
    records,
    share_spike_instances,
    sibling_facts,
    sum_instance,
    with_half_units,
)
from dagster_project.ingestion.frames import FrameCatalog
from dagster_project.ingestion.manifest import ManifestEntry
from dagster_project.quality.checks import Instance
from dagster_project.quality.release_checks import ReleaseCheck


@lru_cache(maxsize=1)
def region_frame() -> dict[str, tuple[str, date | None, date | None]]:
    """КАТО code -> (comparable unit, valid from, valid to), from the frame table."""
    table = FrameCatalog.from_dataset_dirs(settings.dataset_dirs()).table("kz_frame_kato_regions")

    def day(value) -> date | None:
        return date.fromisoformat(str(value)) if isinstance(value, str) and value.strip() else None

    return {str(r["region_code"]): (str(r["comparable_unit_code"]), day(r["valid_from"]), day(r["valid_to"]))
            for r in table.to_dict("records")}


def _params(entry: ManifestEntry) -> dict:
    return entry.extra.get("regional_series") or {}


def regions_sum_to_republic(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    frame = region_frame()
    instances = []
    for (measure, year, period), group in grouped(with_half_units(facts), ["measure", "year", "period"]).items():
        total = next((r for r in group if r["region_code"] == "TOTAL"), None)
        regions = [r for r in group if r["region_code"] != "TOTAL"]
        if total is None or not regions:
            continue
        abolished = {frame[r["region_code"]][0]: r for r in regions
                     if r["region_code"] in frame and frame[r["region_code"]][2] is not None and not r["back_cast"]}
        successors: dict[str, list[dict]] = {}
        parts = []
        for r in regions:
            unit = frame.get(r["region_code"], ("",))[0]
            if r["back_cast"] and unit in abolished:
                successors.setdefault(unit, []).append(r)
            else:
                parts.append(r)
        where = f"{measure} {period} {int(year)}"
        instances.append(sum_instance("regions_sum_to_republic", measure, int(year), period, total,
                                      [(p, 1) for p in parts], f"{where}: regions sum to the republic"))
        for unit, members in successors.items():
            predecessor = abolished[unit]
            instances.append(sum_instance(
                "regions_sum_to_republic", measure, int(year), period, predecessor, [(m, 1) for m in members],
                f"{where}: back-cast successors {', '.join(m['region_code'] for m in members)} sum to "
                f"{predecessor['region_code']}, shown beside them"))
    return instances


def republic_equals_release(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    """The republic's figure equals another release's (GRP of the republic = GDP)."""
    spec = _params(entry).get("republic_equals")
    if not spec:
        return []
    other = with_half_units(sibling_facts(entry, spec["raw_table"]))
    other = other[other["activity_code"] == spec["activity_code"]]
    theirs = {(r["year"], r["period"]): r for r in records(other)}
    ours = with_half_units(facts)
    instances = []
    for r in records(ours[ours["region_code"] == "TOTAL"]):
        match = theirs.get((r["year"], r["period"]))
        if match is None or r["year"] < int(spec.get("from_year", 0)) or r["unit"] != match["unit"]:
            continue
        instances.append(Instance(
            "republic_equals_release", r["measure"], str(int(r["year"])), r["period"],
            (r["cell"], (f"{spec['raw_table']}:{match['_source_sheet']}", match["_source_cell"])),
            float(r["value"]), float(match["value"]), float(r["half"]) + float(match["half"]) + 1e-9,
            f"{r['measure']} of the republic, {r['period']} {int(r['year'])} = {spec['activity_code']} of "
            f"{spec['raw_table']}"))
    return instances


def measure_identities(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    identities = _params(entry).get("identities") or []
    if not identities:
        return []
    rows = with_half_units(facts)
    by_key = {(r["measure"], r["region_code"], r["year"], r["period"]): r for r in records(rows)}
    printed_anywhere = {(r["measure"], r["region_code"]) for r in records(facts)}
    instances = []
    for identity in identities:
        total_measure, part_measures = identity["total"], identity["parts"]
        for key, total in by_key.items():
            if key[0] != total_measure:
                continue
            parts = [by_key.get((m, *key[1:])) for m in part_measures]
            # a part the release never prints for this region (no rural row for a city) is absent, not zero
            missing = [m for m, p in zip(part_measures, parts) if p is None]
            if any((m, key[1]) in printed_anywhere for m in missing) or len(missing) == len(parts):
                continue
            present = [(p, 1) for p in parts if p is not None]
            instances.append(sum_instance(
                "measure_identities", total_measure, int(key[2]), key[3], total, present,
                f"{key[1]} {int(key[2])}: {total_measure} = {' + '.join(m for m in part_measures if m not in missing)}"
                + (f" ({', '.join(missing)} not printed for this region)" if missing else "")))
    return instances


def cumulative_periods(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    if not _params(entry).get("flow"):
        return []
    frame = region_frame()
    changes: dict[str, list[date]] = {}
    for unit, valid_from, valid_to in frame.values():
        changes.setdefault(unit, []).extend(d for d in (valid_from, valid_to) if d is not None)

    rows = with_half_units(facts)
    # The units of each comparable unit printed in each period: a restated year
    # (2021 in the borders of 2022, Abai beside East Kazakhstan) against quarters
    # in the old borders (9 months 2021 of East Kazakhstan with Abai) differ.
    members: dict[tuple, set[str]] = {}
    for r in records(rows):
        unit = frame.get(r["region_code"], ("",))[0]
        members.setdefault((r["measure"], unit, r["year"], r["period"]), set()).add(r["region_code"])

    def comparable(earlier: dict, later: dict) -> bool:
        """False across a border change or a restatement of the region's comparable unit."""
        unit = frame.get(later["region_code"], ("",))[0]
        year = int(later["year"])
        start, end = period_end(year, earlier["period"]), period_end(year, later["period"])
        if any(start < change <= end for change in changes.get(unit, [])):
            return False
        return (members.get((earlier["measure"], unit, earlier["year"], earlier["period"]))
                == members.get((later["measure"], unit, later["year"], later["period"])))

    return cumulative_instances("cumulative_periods", rows, ["region_code", "measure"],
                                "cumulated flow", comparable)


def share_year_on_year(facts: pd.DataFrame, entry: ManifestEntry) -> list[Instance]:
    rows = with_half_units(facts)
    rows = rows[rows["period"] == "year"]
    totals = {(r["measure"], r["year"]): float(r["value"]) for r in records(rows[rows["region_code"] == "TOTAL"])}
    instances = []
    for (measure, code), series in grouped(rows[rows["region_code"] != "TOTAL"], ["measure", "region_code"]).items():
        run: list[tuple[dict, float]] = []
        for record in sorted(series, key=lambda r: r["year"]):
            total = totals.get((measure, record["year"]))
            if not total:
                continue
            if run and int(record["year"]) != int(run[-1][0]["year"]) + 1:
                instances += share_spike_instances("share_year_on_year", run, f"{measure}: share of {code}",
                                                  "region_code")
                run = []
            run.append((record, float(record["value"]) / total))
        instances += share_spike_instances("share_year_on_year", run, f"{measure}: share of {code}",
                                                  "region_code")
    return instances


CHECKS = (
    ReleaseCheck("regions_sum_to_republic", "The regions sum to the republic per measure, year and period "
                 "(back-cast successors shown beside their predecessor are checked against it instead); "
                 "tolerance: half a unit of the last printed digit per figure.", regions_sum_to_republic),
    ReleaseCheck("republic_equals_release", "The republic's figure equals the same figure of another release "
                 "the manifest names (GRP of the republic = GDP of the GDP release, same period and unit).",
                 republic_equals_release),
    ReleaseCheck("measure_identities", "Sums between measures the manifest declares: men + women = total, "
                 "urban + rural = men (women) per region and year.", measure_identities),
    ReleaseCheck("cumulative_periods", "Flows cumulated from January never decrease: Q1 <= H1 <= 9 months <= "
                 "year per region (not across a border change of the region).", cumulative_periods),
    ReleaseCheck("share_year_on_year", "A region's share of the republic does not jump by a power of ten in "
                 "one year and back the next (a misplaced digit).", share_year_on_year),
)
